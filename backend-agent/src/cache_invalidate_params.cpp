// The params of "cache.invalidate", apart from the action itself: pure validation with no Redis,
// so that the unit tests and the request fuzz target compile it alone.
#include "cache_invalidate_action.h"

namespace switchboard {

using nlohmann::json;

CacheInvalidateAction::Params CacheInvalidateAction::parse(const json& params) {
    Params parsed;
    for (const auto& [key, value] : params.items())
        if (key != "match" && key != "value" && key != "rate" && key != "allow_match_all")
            throw ActionError(400, "bad_request",
                              "params." + key + " is not a parameter of cache.invalidate");
    const auto match = params.find("match");
    const auto value = params.find("value");
    if (match == params.end() || !match->is_string())
        throw ActionError(400, "bad_request", "params.match must be one of key, prefix, pattern");
    if (value == params.end() || !value->is_string())
        throw ActionError(400, "bad_request", "params.value must be a string");
    try {
        parsed.selection =
            KeySelection::parse(match->get<std::string>(), value->get<std::string>());
    } catch (const std::invalid_argument& error) {
        throw ActionError(400, "bad_request", error.what());
    }
    if (auto rate = params.find("rate"); rate != params.end()) {
        if (!rate->is_number() || !(rate->get<double>() >= 1 && rate->get<double>() <= kMaxRate))
            throw ActionError(400, "bad_request",
                              "params.rate must be keys per second from 1 to 10000000");
        parsed.rate = rate->get<double>();
    }
    if (auto all = params.find("allow_match_all"); all != params.end()) {
        if (!all->is_boolean())
            throw ActionError(400, "bad_request", "params.allow_match_all must be true or false");
        parsed.allowMatchAll = all->get<bool>();
    }
    if (parsed.selection.matchesAll() && !parsed.allowMatchAll)
        throw ActionError(400, "match_all_needs_confirmation",
                          "params.value selects every key in Redis; confirm that on its own "
                          "with params.allow_match_all: true");
    return parsed;
}
} // namespace switchboard
