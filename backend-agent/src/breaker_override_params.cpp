// The params of "breaker.override", apart from the action itself, so that the request fuzz
// target compiles the validation alone.
#include "breaker_override_action.h"
#include "switchboard/protocol.h"

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;
using Mode = BreakerOverrides::Mode;

BreakerOverrideAction::Parsed BreakerOverrideAction::parse(const json& params) {
    auto mode = params.find(field::kMode);
    std::optional<Mode> parsed;
    if (mode != params.end() && mode->is_string())
        parsed = BreakerOverrides::modeFromName(mode->get<std::string>());
    if (!parsed)
        throw ActionError(400, "bad_request",
                          "params.mode must be one of force_open, disable, metrics_only, reset");
    Parsed result{*parsed, std::nullopt};
    if (auto expiry = params.find(field::kExpirySeconds);
        expiry != params.end() && !expiry->is_null()) {
        if (!expiry->is_number_integer() || expiry->get<std::int64_t>() < 1 ||
            expiry->get<std::int64_t>() > kMaxExpirySeconds)
            throw ActionError(400, "bad_request",
                              "params.expiry_s must be a whole number of seconds from 1 to " +
                                  std::to_string(kMaxExpirySeconds));
        if (result.mode == Mode::Reset)
            throw ActionError(400, "bad_request",
                              "params.expiry_s does not go with mode reset: a reset is final");
        result.expirySeconds = expiry->get<std::int64_t>();
    }
    for (const auto& [key, value] : params.items())
        if (key != field::kMode && key != field::kExpirySeconds)
            throw ActionError(400, "bad_request",
                              "params." + key + " is not a parameter of breaker.override");
    return result;
}
} // namespace switchboard
