// What a console asks for when it opens the stream (docs/protocol.md, "Stream"): the sequence
// number to resume after (?since=) and its stream id (?stream=), read from the request's query
// string. Apart from the server so that the agent's request fuzz target reaches it alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

struct StreamQuery {
    std::optional<std::uint64_t> since; // none: a fresh start
    std::string streamId;               // empty: none sent
};

// Throws std::invalid_argument with the message for the caller (a 400) when since is not a whole
// number. A value past 255 bytes is cut there, as civetweb's mg_get_var reads it into a buffer.
StreamQuery parseStreamQuery(std::string_view queryString);

} // namespace switchboard
