#pragma once

#include <QtGlobal>

namespace switchboard {

// One sample of a time series: time (ms since the epoch) and value. A NaN value marks a gap
// (Prometheus' staleness marker: the target stopped reporting the series).
struct SeriesPoint {
    qint64 timeMs = 0;
    double value = 0.0;

    friend bool operator==(const SeriesPoint&, const SeriesPoint&) = default;
};

} // namespace switchboard
