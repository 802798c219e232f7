#pragma once

#include <QList>

namespace switchboard {

// Axis ticks at round numbers: values of 1, 2 or 5 times a power of ten, and times at steps a
// clock reads easily (10 s, 1 min, 15 min...). Pure functions, shared by every custom plot.
struct ChartTicks {
    // A "nice" range holding [low, high] and its step, about `count` ticks.
    struct Values {
        double low = 0.0;
        double high = 1.0;
        double step = 1.0;
    };
    static Values values(double low, double high, int count);
    // The step in ms for about `maxTicks` time ticks over `spanMs`, and the ticks it gives.
    static qint64 timeStepMs(qint64 spanMs, int maxTicks);
    static QList<qint64> times(qint64 fromMs, qint64 toMs, qint64 stepMs);
};

} // namespace switchboard
