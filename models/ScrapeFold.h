#pragma once

#include "MetricInfo.h"
#include "PrometheusText.h"
#include "SeriesKey.h"

#include <QHash>
#include <QList>
#include <QString>

namespace switchboard {

// One scrape of an agent's /metrics folded into points for the TimeSeriesStore (MetricInfo.h):
// gauges and untyped samples as they are, counters as per-second rates against the previous
// scrape (across resets: CounterRate.h), a histogram's or summary's _count and _sum as rates and
// a summary's quantiles as values. Histogram buckets are left out: dozens of series per
// histogram that no chart shows as lines. Pure; one instance per agent keeps the previous
// counter readings between scrapes (not thread-safe: one scrape at a time).
class ScrapeFold {
public:
    struct Point {
        SeriesKey key;
        qint64 timeMs = 0;
        double value = 0;
    };
    struct Result {
        QList<Point> points;
        QList<MetricInfo> metrics; // every metric of this scrape that has stored series
        int parseErrors = 0;
        QString firstError; // "line 12: ..." when parseErrors > 0
    };

    // `agentId` becomes every series' "agent" label; `scrapeMs` the time of samples that carry
    // no timestamp of their own.
    explicit ScrapeFold(QString agentId);

    Result fold(const promtext::ParseResult& parsed, qint64 scrapeMs);

private:
    // The rate of a counter sample since its previous reading, if there was one.
    std::optional<double> rateOf(const QString& canonical, qint64 timeMs, double value);

    QString m_agentId;
    QHash<QString, std::pair<qint64, double>> m_previous; // canonical key → last reading
};

} // namespace switchboard
