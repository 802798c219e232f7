#pragma once

#include <QString>
#include <optional>

namespace switchboard {

// Request counters and latency of one route over the agent's last interval.
struct RouteRequestStats {
    QString route;
    qint64 total = 0;
    qint64 errors = 0;
    double ratePerSecond = 0.0;
    // Percentiles of the interval's request durations in milliseconds (the agent's histogram:
    // within about 3 % of a recorded value). Empty when the interval had no request, and from
    // agents before latency reporting.
    std::optional<double> latencyP50Ms;
    std::optional<double> latencyP95Ms;
    std::optional<double> latencyP99Ms;
    std::optional<double> latencyMaxMs;

    friend bool operator==(const RouteRequestStats&, const RouteRequestStats&) = default;
};

} // namespace switchboard
