#pragma once

#include "ChartRequest.h"
#include "PrometheusAgentLabels.h"
#include "PrometheusRangeQuery.h"

#include <QString>
#include <QStringList>
#include <chrono>

namespace switchboard {

// The query_range one chart asks of Prometheus for a time range (docs/metrics.md, "History
// through Prometheus"). The step gives the chart about one point per pixel column, in whole
// seconds, never under kMinStep and never past Prometheus's 11 000 points per series; start and
// end sit on the step grid, so reloads land on the same instants and replace their points.
// Counters (anything the catalog keeps as RatePerSecond) are asked as
// `rate(name{matchers}[W])` with W = max(4 × step, kMinRateWindow): at least a few scrapes per
// window, so no step falls between two samples. Values are asked raw. Pure functions.
struct PrometheusHistoryQuery {
    static constexpr std::chrono::milliseconds kMinStep{1000};
    static constexpr std::chrono::milliseconds kMinRateWindow{15000};

    static std::chrono::milliseconds stepFor(qint64 fromMs, qint64 toMs, int widthPx);
    static std::chrono::milliseconds rateWindowFor(std::chrono::milliseconds step);
    // A PromQL duration: "15s", or "1500ms" when not whole seconds.
    static QString duration(std::chrono::milliseconds span);
    // `name{m1,m2}` (`name` alone without matchers), wrapped in rate(…[W]) for rates.
    static QString promql(const MetricInfo& info, const QStringList& matchers,
                          std::chrono::milliseconds step);
    // The whole query for one chart over [fromMs, toMs] drawn `widthPx` wide.
    static PrometheusRangeQuery rangeQuery(const ChartRequest& chart,
                                           const PrometheusAgentLabels& labels, qint64 fromMs,
                                           qint64 toMs, int widthPx);
};

} // namespace switchboard
