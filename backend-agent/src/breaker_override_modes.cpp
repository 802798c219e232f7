// The override modes' names and the breaker state each forces: pure, apart from the thread that
// applies and expires overrides, so that the request fuzz target compiles the names alone.
#include "breaker_overrides.h"
#include "switchboard/protocol.h"

namespace switchboard {

namespace override_mode = protocol::override_mode;

std::optional<BreakerOverrides::Mode> BreakerOverrides::modeFromName(std::string_view name) {
    if (name == override_mode::kForceOpen)
        return Mode::ForceOpen;
    if (name == override_mode::kDisable)
        return Mode::Disable;
    if (name == override_mode::kMetricsOnly)
        return Mode::MetricsOnly;
    if (name == override_mode::kReset)
        return Mode::Reset;
    return std::nullopt;
}

std::string_view BreakerOverrides::modeName(Mode mode) {
    switch (mode) {
    case Mode::ForceOpen:
        return override_mode::kForceOpen;
    case Mode::Disable:
        return override_mode::kDisable;
    case Mode::MetricsOnly:
        return override_mode::kMetricsOnly;
    case Mode::Reset:
        break;
    }
    return override_mode::kReset;
}

CircuitBreaker::State BreakerOverrides::stateOf(Mode mode) {
    switch (mode) {
    case Mode::ForceOpen:
        return CircuitBreaker::State::ForcedOpen;
    case Mode::Disable:
        return CircuitBreaker::State::Disabled;
    case Mode::MetricsOnly:
        return CircuitBreaker::State::MetricsOnly;
    case Mode::Reset:
        break;
    }
    return CircuitBreaker::State::Closed;
}

} // namespace switchboard
