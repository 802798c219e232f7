#include "breaker_override_action.h"

#include "switchboard/protocol.h"

#include <algorithm>

namespace switchboard {

namespace field = protocol::field;
namespace verdict = protocol::verdict;
using nlohmann::json;
using Mode = BreakerOverrides::Mode;

namespace {

std::string describe(Mode mode, const std::string& breaker) {
    switch (mode) {
    case Mode::ForceOpen:
        return "force breaker " + breaker + " open";
    case Mode::Disable:
        return "disable breaker " + breaker;
    case Mode::MetricsOnly:
        return "make breaker " + breaker + " metrics-only";
    case Mode::Reset:
        break;
    }
    return "reset breaker " + breaker + " to closed";
}

std::string forDuration(std::optional<std::int64_t> seconds) {
    return seconds ? " for " + std::to_string(*seconds) + " s" : std::string();
}

std::string knownBreakers(const BreakerRegistry& breakers) {
    std::string names;
    for (const auto& snapshot : breakers.snapshots())
        names += (names.empty() ? "" : ", ") + snapshot.name;
    return names.empty() ? "none" : names;
}

} // namespace

BreakerOverrideAction::BreakerOverrideAction(BreakerRegistry& breakers, BreakerOverrides& overrides,
                                             std::function<std::int64_t()> clock)
    : breakers_(breakers)
    , overrides_(overrides)
    , clock_(std::move(clock)) {}

std::string_view BreakerOverrideAction::kind() const {
    return protocol::action::kBreakerOverride;
}

ActionPlanBody BreakerOverrideAction::plan(const ActionRequest& request) {
    Parsed params = parse(request.params);
    ActionPlanBody body;
    body.summary = describe(params.mode, request.target) + forDuration(params.expirySeconds);
    const CircuitBreaker* breaker = breakers_.find(request.target);
    if (!breaker) {
        body.checks.push_back({"breaker_exists", verdict::kFail,
                               "this instance has no breaker named " + request.target +
                                   "; it has: " + knownBreakers(breakers_)});
        return body;
    }
    body.checks.push_back(
        {"breaker_exists", verdict::kPass, request.target + " is registered on this instance"});

    auto from = breaker->state();
    auto to = BreakerOverrides::stateOf(params.mode);
    body.changes.push_back({{field::kWhat, "breaker " + request.target},
                            {field::kFrom, CircuitBreaker::stateName(from)},
                            {field::kTo, CircuitBreaker::stateName(to)}});
    json current = overrides_.current(request.target);
    std::string currentExpiry = "none";
    if (!current.is_null() && !current[field::kExpiresMs].is_null())
        currentExpiry =
            "in " +
            std::to_string(std::max<std::int64_t>(
                0, (current[field::kExpiresMs].get<std::int64_t>() - clock_() + 999) / 1000)) +
            " s";
    if (params.mode != Mode::Reset || !current.is_null())
        body.changes.push_back(
            {{field::kWhat, "override expiry"},
             {field::kFrom, currentExpiry},
             {field::kTo, params.expirySeconds
                              ? "in " + std::to_string(*params.expirySeconds) + " s"
                              : std::string("none")}});

    if (params.mode == Mode::Reset)
        body.checks.push_back({"transition", verdict::kPass,
                               std::string("a reset is always allowed; the window is emptied")});
    else if (from == to)
        body.checks.push_back({"transition", verdict::kWarn,
                               request.target + " is already " + CircuitBreaker::stateName(to) +
                                   ": only the expiry changes"});
    else if (CircuitBreaker::isLegal(from, to))
        body.checks.push_back({"transition", verdict::kPass,
                               std::string(CircuitBreaker::stateName(from)) + " → " +
                                   CircuitBreaker::stateName(to) + " is allowed"});
    else
        body.checks.push_back({"transition", verdict::kFail,
                               std::string(CircuitBreaker::stateName(from)) + " → " +
                                   CircuitBreaker::stateName(to) + " is not allowed"});
    if (params.mode == Mode::ForceOpen)
        body.checks.push_back(
            {"impact", verdict::kWarn,
             "every call through " + request.target + " will be refused until the override ends"});
    if (params.mode == Mode::Disable)
        body.checks.push_back({"impact", verdict::kWarn,
                               "calls through " + request.target +
                                   " are let through and not measured, even if it fails"});
    if (params.mode != Mode::Reset && !params.expirySeconds)
        body.checks.push_back(
            {"expiry", verdict::kWarn, "no expiry: it stays until an operator resets it"});
    return body;
}

json BreakerOverrideAction::execute(const ActionRequest& request, JobControl& control,
                                    std::string& message) {
    Parsed params = parse(request.params);
    if (control.cancelled())
        throw JobCancelled{};
    std::optional<std::int64_t> expiresMs;
    if (params.expirySeconds)
        expiresMs = clock_() + *params.expirySeconds * 1000;
    overrides_.apply(request.target, params.mode, expiresMs, request.caller);
    const CircuitBreaker* breaker = breakers_.find(request.target);
    auto state = breaker->state();
    message = request.target + " is " + CircuitBreaker::stateName(state) +
              (params.expirySeconds
                   ? "; back to normal in " + std::to_string(*params.expirySeconds) + " s"
                   : std::string());
    return {{field::kName, request.target},
            {field::kStateName, CircuitBreaker::stateName(state)},
            {field::kExpiresMs, expiresMs ? json(*expiresMs) : json(nullptr)}};
}

} // namespace switchboard
