#pragma once

#include <QDateTime>
#include <QString>
#include <chrono>

namespace switchboard {

// One query_range: a PromQL expression evaluated every `step` from `start` to `end`.
struct PrometheusRangeQuery {
    // Prometheus refuses a range with more points per series than this ("exceeded maximum
    // resolution of 11,000 points per timeseries"); the source refuses it first, with a reason.
    static constexpr qint64 kMaxPointsPerSeries = 11000;

    QString query;
    QDateTime start;
    QDateTime end;
    std::chrono::milliseconds step{15000};

    // Empty when the query may be sent, else why not.
    QString problem() const {
        if (query.trimmed().isEmpty())
            return QStringLiteral("the query is empty");
        if (!start.isValid() || !end.isValid() || end < start)
            return QStringLiteral("the range has no valid start and end (end before start?)");
        if (step.count() <= 0)
            return QStringLiteral("the step must be positive");
        if (start.msecsTo(end) / step.count() + 1 > kMaxPointsPerSeries)
            return QStringLiteral("%1 points per series at this step; Prometheus allows %2: "
                                  "take a longer step")
                .arg(start.msecsTo(end) / step.count() + 1)
                .arg(kMaxPointsPerSeries);
        return {};
    }
};

} // namespace switchboard
