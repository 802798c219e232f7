#include "stream_query.h"

#include "switchboard/protocol.h"

#include <array>
#include <charconv>
#include <civetweb.h>
#include <stdexcept>

namespace switchboard {

namespace {

std::string queryValue(std::string_view queryString, std::string_view name) {
    if (queryString.empty())
        return {};
    std::array<char, 256> value{};
    std::string key(name);
    int length =
        mg_get_var(queryString.data(), queryString.size(), key.c_str(), value.data(), value.size());
    return length > 0 ? std::string(value.data(), static_cast<std::size_t>(length)) : std::string();
}

} // namespace

StreamQuery parseStreamQuery(std::string_view queryString) {
    StreamQuery query;
    std::string since = queryValue(queryString, protocol::query::kSince);
    if (!since.empty()) {
        std::uint64_t value = 0;
        auto [end, error] = std::from_chars(since.data(), since.data() + since.size(), value);
        if (error != std::errc() || end != since.data() + since.size())
            throw std::invalid_argument("since must be a sequence number, got \"" + since + "\"");
        query.since = value;
    }
    query.streamId = queryValue(queryString, protocol::query::kStreamId);
    return query;
}

} // namespace switchboard
