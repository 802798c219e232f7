// A breaker clock for tests: time moves only when the test says so.
#pragma once

#include "switchboard/breaker_clock.h"

#include <atomic>
#include <chrono>
#include <cstdint>

class SteppedClock final : public switchboard::BreakerClock {
public:
    explicit SteppedClock(std::int64_t startNs = 5'000'000'000) // not zero: no code may
        : ns_(startNs) {}                                       // assume an origin
    std::int64_t nowNs() const noexcept override { return ns_.load(); }
    void advance(std::chrono::nanoseconds step) { ns_ += step.count(); }

private:
    std::atomic<std::int64_t> ns_;
};
