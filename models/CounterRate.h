#pragma once

// Rates and increases of Prometheus counters, which only go up until their process restarts and
// they start again from zero. Pure functions without Qt, like the text parser beside them.

#include <cstdint>
#include <optional>
#include <span>

namespace switchboard {

// One reading of a counter: when (ms since the epoch, or any one clock) and its value.
struct CounterPoint {
    std::int64_t timeMs = 0;
    double value = 0.0;
};

// How much a counter grew from `previous` to `current`. A decrease means the counter was reset
// between them (its process restarted), so all of `current` counts as growth since the reset,
// as in Prometheus's rate() and increase(). Nothing when either value is NaN or infinite.
std::optional<double> counterIncrease(double previous, double current);

// The per-second rate between two readings; nothing when time did not move forward or a value
// is not finite.
std::optional<double> counterRate(const CounterPoint& previous, const CounterPoint& current);

// Over readings in time order: the growth summed pair by pair (each reset handled as above),
// passing over readings that are not finite. Nothing with fewer than two points.
// Unlike Prometheus's increase() it does not extrapolate to the edges of a range: it is what
// the readings show, no more.
std::optional<double> counterIncrease(std::span<const CounterPoint> points);

// counterIncrease over the time from the first reading to the last, per second. Nothing with
// fewer than two points or when that time is not positive.
std::optional<double> counterRate(std::span<const CounterPoint> points);

} // namespace switchboard
