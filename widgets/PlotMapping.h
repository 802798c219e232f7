#pragma once

#include <QRectF>
#include <cmath>

namespace switchboard {

// Where a time and a value land in a chart's plot rectangle, and back. Lines, annotation markers
// and the crosshair all go through this one mapping, so a marker at time t is drawn at the very
// x of a point at time t.
struct PlotMapping {
    QRectF plot;
    qint64 fromMs = 0;
    qint64 toMs = 1;
    double yMin = 0.0;
    double yMax = 1.0;

    double xOf(qint64 timeMs) const {
        return plot.left() + static_cast<double>(timeMs - fromMs) * plot.width() / spanMs();
    }
    qint64 timeAt(double x) const {
        return fromMs + std::llround((x - plot.left()) * spanMs() / std::max(1.0, plot.width()));
    }
    double yOf(double value) const {
        const double range = yMax > yMin ? yMax - yMin : 1.0;
        return plot.bottom() - (value - yMin) * plot.height() / range;
    }
    double spanMs() const { return toMs > fromMs ? static_cast<double>(toMs - fromMs) : 1.0; }
};

} // namespace switchboard
