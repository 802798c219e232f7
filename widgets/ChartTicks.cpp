#include "ChartTicks.h"

#include <QDateTime>
#include <algorithm>
#include <array>
#include <cmath>

namespace switchboard {

ChartTicks::Values ChartTicks::values(double low, double high, int count) {
    if (!(high > low))
        high = low + 1.0;
    const double rough = (high - low) / std::max(1, count);
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    double step = power;
    for (double factor : {1.0, 2.0, 5.0, 10.0}) {
        step = factor * power;
        if (step >= rough)
            break;
    }
    return {std::floor(low / step) * step, std::ceil(high / step) * step, step};
}

qint64 ChartTicks::timeStepMs(qint64 spanMs, int maxTicks) {
    static constexpr std::array<qint64, 16> steps = {
        1'000,   2'000,   5'000,   10'000,    15'000,    30'000,    60'000,     120'000,
        300'000, 600'000, 900'000, 1'800'000, 3'600'000, 7'200'000, 21'600'000, 86'400'000};
    for (qint64 step : steps)
        if (spanMs / step <= maxTicks)
            return step;
    return steps.back();
}

QList<qint64> ChartTicks::times(qint64 fromMs, qint64 toMs, qint64 stepMs) {
    QList<qint64> out;
    // Whole steps of local time, so "10:15:00" rather than "10:14:37".
    const qint64 offset = QDateTime::fromMSecsSinceEpoch(fromMs).offsetFromUtc() * 1000LL;
    qint64 t = ((fromMs + offset) / stepMs + 1) * stepMs - offset;
    for (; t <= toMs && out.size() < 100; t += stepMs)
        out.append(t);
    return out;
}

} // namespace switchboard
