#pragma once

#include "RouteRequestStats.h"

#include <QList>
#include <optional>

namespace switchboard {

// The agent's request statistics: totals since start, the rate and latency percentiles over the
// last interval, and the same per route.
struct RequestStats {
    qint64 intervalMs = 0;
    qint64 total = 0;
    qint64 errors = 0;
    double ratePerSecond = 0.0;
    // Over every route's requests of the interval; empty as in RouteRequestStats.
    std::optional<double> latencyP50Ms;
    std::optional<double> latencyP95Ms;
    std::optional<double> latencyP99Ms;
    std::optional<double> latencyMaxMs;
    QList<RouteRequestStats> routes;

    friend bool operator==(const RequestStats&, const RequestStats&) = default;
};

} // namespace switchboard
