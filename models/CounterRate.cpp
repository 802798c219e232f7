#include "CounterRate.h"

#include <cmath>

namespace switchboard {

std::optional<double> counterIncrease(double previous, double current) {
    if (!std::isfinite(previous) || !std::isfinite(current))
        return std::nullopt;
    return current >= previous ? current - previous : current;
}

std::optional<double> counterRate(const CounterPoint& previous, const CounterPoint& current) {
    if (current.timeMs <= previous.timeMs)
        return std::nullopt;
    const std::optional<double> increase = counterIncrease(previous.value, current.value);
    if (!increase)
        return std::nullopt;
    // Differences of int64 milliseconds as double: exact up to 2^53 ms, some 285 000 years.
    return *increase / (double(current.timeMs) - double(previous.timeMs)) * 1000.0;
}

std::optional<double> counterIncrease(std::span<const CounterPoint> points) {
    if (points.size() < 2)
        return std::nullopt;
    // A reading that is not finite (a scrape that said NaN) is passed over: the growth across
    // it is measured from the last finite reading before it to the next one after.
    double total = 0.0;
    std::optional<double> last;
    for (const CounterPoint& point : points) {
        if (!std::isfinite(point.value))
            continue;
        if (last)
            total += *counterIncrease(*last, point.value);
        last = point.value;
    }
    return total;
}

std::optional<double> counterRate(std::span<const CounterPoint> points) {
    if (points.size() < 2 || points.back().timeMs <= points.front().timeMs)
        return std::nullopt;
    const std::optional<double> increase = counterIncrease(points);
    if (!increase)
        return std::nullopt;
    return *increase / (double(points.back().timeMs) - double(points.front().timeMs)) * 1000.0;
}

} // namespace switchboard
