#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace switchboard {

// What the console knows of one metric it scrapes from the agents' /metrics (the metric
// browser lists these): its Prometheus type and help, and how its series are kept in the
// TimeSeriesStore. Counters are kept as per-second rates (computed across resets), so a chart
// of `switchboard_requests_total` shows requests/s; histograms keep their `_count` and `_sum`
// as rates; gauges as they are. Every scraped series carries the label "agent" (AgentSeries.h).
struct MetricInfo {
    enum class StoredAs { Value, RatePerSecond };

    QString name; // the stored series' metric name, e.g. "switchboard_requests_total"
    QString type; // counter, gauge, histogram, summary, untyped
    QString help;
    StoredAs storedAs = StoredAs::Value;

    // "requests/s"-style unit hint for an axis: "/s" for rates, empty for values.
    QString unitSuffix() const {
        return storedAs == StoredAs::RatePerSecond ? QStringLiteral("/s") : QString();
    }
    friend bool operator==(const MetricInfo&, const MetricInfo&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::MetricInfo)
