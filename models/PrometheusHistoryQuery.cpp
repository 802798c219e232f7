#include "PrometheusHistoryQuery.h"

#include <QDateTime>
#include <algorithm>

namespace switchboard {

namespace {

qint64 ceilDiv(qint64 a, qint64 b) {
    return (a + b - 1) / b;
}

qint64 floorTo(qint64 timeMs, qint64 stepMs) {
    const qint64 rest = timeMs % stepMs;
    return timeMs - (rest < 0 ? rest + stepMs : rest);
}

} // namespace

std::chrono::milliseconds PrometheusHistoryQuery::stepFor(qint64 fromMs, qint64 toMs, int widthPx) {
    const qint64 span = std::max<qint64>(toMs - fromMs, 0);
    qint64 step = ceilDiv(span, std::max(widthPx, 1));
    // Start and end move down onto the grid, which can add a step to the span: keep a spare
    // point under Prometheus's limit.
    step = std::max(step, ceilDiv(span, PrometheusRangeQuery::kMaxPointsPerSeries - 2));
    // Whole seconds: the grid then lines up with the scrapes and with other charts.
    step = ceilDiv(std::max(step, qint64(kMinStep.count())), 1000) * 1000;
    return std::chrono::milliseconds(step);
}

std::chrono::milliseconds PrometheusHistoryQuery::rateWindowFor(std::chrono::milliseconds step) {
    return std::max(4 * step, kMinRateWindow);
}

QString PrometheusHistoryQuery::duration(std::chrono::milliseconds span) {
    if (span.count() % 1000 == 0)
        return QStringLiteral("%1s").arg(span.count() / 1000);
    return QStringLiteral("%1ms").arg(span.count());
}

QString PrometheusHistoryQuery::promql(const MetricInfo& info, const QStringList& matchers,
                                       std::chrono::milliseconds step) {
    QString selector = info.name;
    if (!matchers.isEmpty())
        selector += QLatin1Char('{') + matchers.join(QLatin1Char(',')) + QLatin1Char('}');
    if (info.storedAs != MetricInfo::StoredAs::RatePerSecond)
        return selector;
    return QStringLiteral("rate(%1[%2])").arg(selector, duration(rateWindowFor(step)));
}

PrometheusRangeQuery PrometheusHistoryQuery::rangeQuery(const ChartRequest& chart,
                                                        const PrometheusAgentLabels& labels,
                                                        qint64 fromMs, qint64 toMs, int widthPx) {
    const std::chrono::milliseconds step = stepFor(fromMs, toMs, widthPx);
    // The end moves down, not up: an evaluation past the newest scrape would repeat it (a raw
    // value is looked back for up to 5 minutes).
    const qint64 start = floorTo(fromMs, step.count());
    const qint64 end = std::max(start, floorTo(toMs, step.count()));
    PrometheusRangeQuery range;
    range.query = promql(chart.info, labels.matchers(chart.filter), step);
    range.start = QDateTime::fromMSecsSinceEpoch(start, Qt::UTC);
    range.end = QDateTime::fromMSecsSinceEpoch(end, Qt::UTC);
    range.step = step;
    return range;
}

} // namespace switchboard
