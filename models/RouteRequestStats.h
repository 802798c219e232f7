#pragma once

#include <QString>

namespace switchboard {

// Request counters of one route over the agent's last interval.
struct RouteRequestStats {
    QString route;
    qint64 total = 0;
    qint64 errors = 0;
    double ratePerSecond = 0.0;

    friend bool operator==(const RouteRequestStats&, const RouteRequestStats&) = default;
};

} // namespace switchboard
