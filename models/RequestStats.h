#pragma once

#include "RouteRequestStats.h"

#include <QList>

namespace switchboard {

// The agent's request statistics: totals since start, the rate over the last interval, and the
// same per route.
struct RequestStats {
    qint64 intervalMs = 0;
    qint64 total = 0;
    qint64 errors = 0;
    double ratePerSecond = 0.0;
    QList<RouteRequestStats> routes;

    friend bool operator==(const RequestStats&, const RequestStats&) = default;
};

} // namespace switchboard
