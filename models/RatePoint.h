#pragma once

#include <QtGlobal>

namespace switchboard {

// One sample of an agent's request rate: agent time (ms since the epoch) and requests/s.
struct RatePoint {
    qint64 timeMs = 0;
    double ratePerSecond = 0.0;

    friend bool operator==(const RatePoint&, const RatePoint&) = default;
};

} // namespace switchboard
