// libFuzzer target for the rest of what the agent reads from outside: the stream's query string
// (stream_query.h), the Authorization header (token_store.h) and the configuration file with its
// SWITCHBOARD_* overrides (switchboard/agent_config.h). Built with clang by
// tests/fuzz/CMakeLists.txt and run by CTest for a bounded time.
//
// The input's first line names the parser ("query", "auth" or "config"); the rest is its input.
// For "config", lines NAME=value before an empty line are the environment, the rest the file.
// Any other first line: the whole input goes to all three.
//
// The promises checked: the query parser returns or refuses with std::invalid_argument whose
// message can be sent as JSON (as the server sends it: http_reply.h); only the exact "Bearer
// <token>" authenticates; the configuration is returned or refused with ConfigError naming a key,
// nothing else thrown.
#include "http_reply.h"
#include "stream_query.h"
#include "switchboard/agent_config.h"
#include "token_store.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

using namespace switchboard;

namespace {

const std::string kToken = "operator-token-0123456789";

[[noreturn]] void fail(const char* what, std::string_view detail) {
    std::fprintf(stderr, "fuzz_agent_request: %s: %.*s\n", what, int(detail.size()), detail.data());
    std::abort();
}

std::string_view nextLine(std::string_view& text) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

void fuzzQuery(std::string_view query) {
    try {
        const StreamQuery parsed = parseStreamQuery(query);
        if (parsed.streamId.size() > 255)
            fail("a stream id past civetweb's buffer", parsed.streamId);
    } catch (const std::invalid_argument& refused) {
        // The server sends this message in a JSON error: it must serialise, and read back.
        try {
            const auto sent = nlohmann::json::parse(jsonText({{"message", refused.what()}}));
            if (!sent["message"].is_string() || sent["message"].get<std::string>().empty())
                fail("the refusal reads back without its message", refused.what());
        } catch (const std::exception& error) {
            fail("the refusal cannot be sent as JSON", error.what());
        }
    }
}

void fuzzAuthorization(std::string_view header) {
    static const TokenStore tokens(
        std::vector<TokenStore::Entry>{{"operator", protocol::Role::Operator, kToken}});
    const auto caller = tokens.authenticate(header);
    const bool exact = header == std::string(protocol::kBearerPrefix) + kToken;
    if (caller.has_value() != exact)
        fail(exact ? "the right token was refused" : "a wrong header authenticated", header);
    if (caller && (caller->name != "operator" || caller->role != protocol::Role::Operator))
        fail("the token named another caller", header);
}

void fuzzConfig(std::string_view text) {
    std::map<std::string, std::string> env;
    std::string_view rest = text;
    while (!rest.empty()) {
        std::string_view line = nextLine(rest);
        if (line.empty())
            break;
        const auto equals = line.find('=');
        if (equals == std::string_view::npos) {
            rest = text; // no environment: all of it is the file
            env.clear();
            break;
        }
        env[std::string(line.substr(0, equals))] = std::string(line.substr(equals + 1));
    }
    try {
        (void)AgentConfig::fromJson(std::string(rest), env);
    } catch (const ConfigError& refused) {
        if (std::string_view(refused.what()).empty())
            fail("a configuration refusal without a message", text);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view rest = input;
    const std::string_view parser = nextLine(rest);
    if (parser == "query") {
        fuzzQuery(rest);
    } else if (parser == "auth") {
        fuzzAuthorization(rest);
    } else if (parser == "config") {
        fuzzConfig(rest);
    } else {
        fuzzQuery(input);
        fuzzAuthorization(input);
        fuzzConfig(input);
    }
    return 0;
}
