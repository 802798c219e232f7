// The configuration of one CircuitBreaker: its sliding window and the thresholds that open it.
//
// A plain value, not thread-safe to mutate; a breaker copies it at construction. validate() is
// called at registration, so a bad value fails there, loudly, and never on the hot path.
#pragma once

#include "switchboard/agent_config.h"
#include "switchboard/export.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace switchboard {

struct SWITCHBOARD_AGENT_API BreakerConfig {
    // How the window that decides on opening is measured. Explicit numbers: they are reported.
    enum class WindowType : std::uint8_t {
        Count = 0, // the last windowSize calls
        Time = 1,  // the calls of the last windowSize seconds, in one-second buckets
    };

    // Limits validate() enforces; they bound the memory a window takes at registration.
    static constexpr std::uint32_t kMaxCountWindow = 1'000'000;
    static constexpr std::uint32_t kMaxTimeWindowSeconds = 3600;
    static constexpr std::uint32_t kMaxPermittedCallsInHalfOpen = 1'000'000;

    WindowType windowType = WindowType::Count;
    std::uint32_t windowSize = 100; // calls (Count) or seconds (Time)
    // Below this many calls in the window the rates are not evaluated: a breaker does not open
    // on the first failure after a quiet period.
    std::uint32_t minimumCalls = 100;
    double failureRateThreshold = 50.0;   // percent, in (0, 100]; at or above it opens
    double slowCallRateThreshold = 100.0; // percent, in (0, 100]; at or above it opens
    std::chrono::nanoseconds slowCallDuration =
        std::chrono::seconds(60);                                   // a call this long is slow
    std::chrono::nanoseconds waitInOpen = std::chrono::seconds(60); // open, then half-open
    std::uint32_t permittedCallsInHalfOpen = 10; // trial calls that decide closing or reopening

    // Throws ConfigError naming the first bad field as "breaker.<name>.<field>", e.g.
    // "breaker.checkout.failure_rate_threshold". Thread-safe on a const value.
    void validate(const std::string& name) const;

    // The snake_case name of the first field in which the two differ, or "" if they are equal.
    // Thread-safe on const values.
    std::string firstDifference(const BreakerConfig& other) const;

    bool operator==(const BreakerConfig&) const = default;
};

} // namespace switchboard
