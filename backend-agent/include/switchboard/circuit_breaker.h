// A circuit breaker in front of one dependency of the host backend (e.g. "checkout").
//
// The backend asks tryAcquire() before each call and reports how the call went with onSuccess(),
// onFailure() or onIgnored(); which errors count as failures is the backend's choice. In the
// closed state that path is atomics only: no lock, no allocation, no exception. When the failure
// rate or the slow-call rate of the sliding window reaches its threshold the breaker opens; after
// waitInOpen it lets permittedCallsInHalfOpen trial calls through, then closes or reopens on
// their rates. Operators can force it open, disable it (always permits) or make it metrics-only
// (records, never blocks).
//
// Every state change goes through one transition function that checks the move against a fixed
// table, swaps one atomic word, then reports the Transition to the listener; illegal moves are
// rejected and reported too. All member functions are thread-safe.
#pragma once

#include "switchboard/breaker_clock.h"
#include "switchboard/breaker_config.h"
#include "switchboard/export.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace switchboard {

class SWITCHBOARD_AGENT_API CircuitBreaker {
public:
    // The states, with fixed numbers: they are the value of the switchboard_breaker_state gauge.
    enum class State : std::uint8_t {
        Closed = 0,
        Open = 1,
        HalfOpen = 2,
        ForcedOpen = 3,
        Disabled = 4,
        MetricsOnly = 5,
    };
    static constexpr int kStateCount = 6;

    // Why a transition was attempted. Fixed numbers: reported with each transition.
    enum class Reason : std::uint8_t {
        FailureRate = 0,  // closed: the failure rate reached its threshold
        SlowCallRate = 1, // closed: the slow-call rate reached its threshold
        WaitElapsed = 2,  // open: waitInOpen elapsed, the next tryAcquire() went half-open
        TrialsPassed = 3, // half-open: the trial calls were below both thresholds
        TrialsFailed = 4, // half-open: a trial rate reached its threshold
        Operator = 5,     // forceOpen(), disable(), metricsOnly() or transitionTo()
        Reset = 6,        // reset()
    };

    // One attempted state change. `accepted` is false for an illegal move, which changes nothing.
    struct Transition {
        std::string_view breaker; // the breaker's name; valid as long as the breaker
        State from;
        State to;
        Reason reason;
        std::chrono::nanoseconds at; // the breaker clock's reading
        bool accepted;
    };

    // Called after the state word is swapped, on the thread that caused the transition (possibly
    // a request thread inside onFailure()), with no lock held. Must not throw; exceptions are
    // swallowed because the hot path is noexcept.
    using Listener = std::function<void(const Transition&)>;

    // A consistent-enough picture for reports: each field is read atomically, not all together.
    struct Snapshot {
        std::string name;
        State state;
        // Percent over the current window (the trial calls in half-open); -1 below minimumCalls.
        double failureRate;
        double slowCallRate;
        std::uint64_t bufferedCalls; // calls in the current window
        std::uint64_t successfulCalls;
        std::uint64_t failedCalls;
        std::uint64_t ignoredCalls;
        std::uint64_t notPermittedCalls;
        std::chrono::nanoseconds lastTransitionAt; // breaker clock; construction if none yet
    };

    // Throws ConfigError (naming "breaker.<name>.<field>") if the config is invalid. The clock
    // must outlive the breaker. Not thread-safe (construction).
    CircuitBreaker(std::string name, BreakerConfig config, Listener listener = {},
                   const BreakerClock& clock = SteadyBreakerClock::instance());
    ~CircuitBreaker();
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    // Whether the caller may make the call now. Closed: true with one atomic load. Open: false
    // until waitInOpen elapsed, then the breaker goes half-open. Half-open: true for exactly
    // permittedCallsInHalfOpen calls. Counts refusals. Thread-safe, noexcept.
    bool tryAcquire() noexcept;
    // Records a permitted call that succeeded and took `duration`. Thread-safe, noexcept.
    void onSuccess(std::chrono::nanoseconds duration) noexcept;
    // Records a permitted call that failed (by the caller's judgement). Thread-safe, noexcept.
    void onFailure(std::chrono::nanoseconds duration) noexcept;
    // Records a permitted call whose error the caller does not count; in half-open it gives the
    // trial permit back. Thread-safe, noexcept.
    void onIgnored() noexcept;

    // Operator transitions; each returns false (and reports the rejection) if illegal from the
    // current state, e.g. forceOpen() when already forced open. Thread-safe, noexcept.
    bool forceOpen() noexcept;
    bool disable() noexcept;
    bool metricsOnly() noexcept;
    // Back to closed from any state with an empty window. Always legal. Thread-safe, noexcept.
    void reset() noexcept;
    // Any transition by hand, checked against isLegal(). Thread-safe, noexcept.
    bool transitionTo(State to) noexcept;

    // The transition table. Closed->Closed is legal only as a reset. Thread-safe, pure.
    static bool isLegal(State from, State to) noexcept;
    // "closed", "open", "half_open", "forced_open", "disabled", "metrics_only". Pure.
    static const char* stateName(State state) noexcept;
    // "failure_rate", "slow_call_rate", "wait_elapsed", ... Pure.
    static const char* reasonName(Reason reason) noexcept;

    // The current state. Thread-safe, noexcept.
    State state() const noexcept;
    // Counts and rates for reports and metrics. Thread-safe; allocates (the name).
    Snapshot snapshot() const;
    // Accepted transitions since construction, and rejected (illegal) attempts. Thread-safe.
    std::uint64_t transitionCount() const noexcept;
    std::uint64_t rejectedTransitionCount() const noexcept;

    const std::string& name() const noexcept { return name_; }
    const BreakerConfig& config() const noexcept { return config_; }

private:
    struct Impl;
    std::string name_;
    BreakerConfig config_;
    std::unique_ptr<Impl> impl_;
};

static_assert(static_cast<int>(CircuitBreaker::State::Closed) == 0);
static_assert(static_cast<int>(CircuitBreaker::State::Open) == 1);
static_assert(static_cast<int>(CircuitBreaker::State::HalfOpen) == 2);
static_assert(static_cast<int>(CircuitBreaker::State::ForcedOpen) == 3);
static_assert(static_cast<int>(CircuitBreaker::State::Disabled) == 4);
static_assert(static_cast<int>(CircuitBreaker::State::MetricsOnly) == 5);
static_assert(static_cast<int>(CircuitBreaker::Reason::Reset) == 6);
static_assert(static_cast<int>(BreakerConfig::WindowType::Count) == 0);
static_assert(static_cast<int>(BreakerConfig::WindowType::Time) == 1);

} // namespace switchboard
