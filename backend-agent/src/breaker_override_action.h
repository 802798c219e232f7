// The breaker override action: force open, disable, metrics-only or reset one circuit breaker,
// with an optional expiry after which it returns to normal by itself.
//
// params: {"mode": "force_open" | "disable" | "metrics_only" | "reset", "expiry_s": 1..86400}
// Instance-scoped: it changes this agent's breaker only. Thread-safe.
#pragma once

#include "action.h"
#include "breaker_overrides.h"

namespace switchboard {

class BreakerOverrideAction : public Action {
public:
    static constexpr std::int64_t kMaxExpirySeconds = 86'400;

    BreakerOverrideAction(BreakerRegistry& breakers, BreakerOverrides& overrides,
                          std::function<std::int64_t()> clock);

    std::string_view kind() const override;
    Scope scope() const override { return Scope::Instance; }
    ActionPlanBody plan(const ActionRequest& request) override;
    nlohmann::json execute(const ActionRequest& request, JobControl& control,
                           std::string& message) override;

    struct Parsed {
        BreakerOverrides::Mode mode;
        std::optional<std::int64_t> expirySeconds;
    };
    static Parsed parse(const nlohmann::json& params); // ActionError 400 naming the field

private:
    BreakerRegistry& breakers_;
    BreakerOverrides& overrides_;
    std::function<std::int64_t()> clock_;
};

} // namespace switchboard
