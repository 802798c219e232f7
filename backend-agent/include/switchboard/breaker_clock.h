// The clock a CircuitBreaker reads: monotonic nanoseconds from an arbitrary origin.
//
// Injected so that tests step time by hand instead of sleeping; production code uses
// SteadyBreakerClock. A breaker only reads the clock outside the closed-state count-window path
// (time windows, the open state's wait), so a virtual call here costs the hot path nothing.
#pragma once

#include "switchboard/export.h"

#include <chrono>
#include <cstdint>
#include <time.h>

namespace switchboard {

// A monotonic clock in nanoseconds. Implementations must be thread-safe and must not throw:
// breakers call now() from any thread on their hot path.
class SWITCHBOARD_AGENT_API BreakerClock {
public:
    virtual ~BreakerClock() = default;
    // Nanoseconds since an arbitrary, fixed origin; never decreases. Thread-safe, noexcept.
    virtual std::int64_t nowNs() const noexcept = 0;
    // The same timeline read more cheaply, for bucketing calls into whole seconds: it may lag
    // nowNs() by a few milliseconds but never decreases. Defaults to nowNs().
    virtual std::int64_t coarseNowNs() const noexcept { return nowNs(); }
};

// std::chrono::steady_clock as a BreakerClock. Stateless and thread-safe.
class SWITCHBOARD_AGENT_API SteadyBreakerClock final : public BreakerClock {
public:
    // Reads std::chrono::steady_clock. Thread-safe, noexcept.
    std::int64_t nowNs() const noexcept override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

#ifdef CLOCK_MONOTONIC_COARSE
    // CLOCK_MONOTONIC_COARSE: the kernel's last tick (1-4 ms resolution), read without asking
    // the clock source, which on virtual machines is what makes steady_clock cost ~30 ns.
    std::int64_t coarseNowNs() const noexcept override {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
        return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    }
#endif

    // One process-wide instance, the default clock of every breaker. Thread-safe.
    static const SteadyBreakerClock& instance() noexcept {
        static const SteadyBreakerClock clock;
        return clock;
    }
};

} // namespace switchboard
