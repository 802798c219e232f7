#include "RateSeriesStore.h"

#include <QMutexLocker>
#include <algorithm>
#include <limits>

namespace switchboard {

RateSeriesStore::RateSeriesStore(std::chrono::milliseconds window, qsizetype pointCap)
    : m_window(window)
    , m_pointCap(qMax<qsizetype>(pointCap, 1)) {}

bool RateSeriesStore::append(const QString& seriesId, qint64 timeMs, double ratePerSecond) {
    QMutexLocker lock(&m_mutex);
    auto it = m_series.find(seriesId);
    if (it == m_series.end())
        it = m_series.insert(seriesId, RingBuffer<RatePoint>(m_pointCap));
    RingBuffer<RatePoint>& series = it.value();
    if (!series.isEmpty() && timeMs < series.back().timeMs)
        return false;
    series.push_back({timeMs, ratePerSecond});
    const qint64 oldestKept = timeMs - m_window.count();
    while (!series.isEmpty() && series.front().timeMs < oldestKept)
        series.pop_front();
    ++m_revision;
    return true;
}

QList<RatePoint> RateSeriesStore::points(const QString& seriesId, qint64 fromMs,
                                         qint64 toMs) const {
    QMutexLocker lock(&m_mutex);
    QList<RatePoint> result;
    const auto it = m_series.constFind(seriesId);
    if (it == m_series.constEnd())
        return result;
    const RingBuffer<RatePoint>& series = it.value();
    result.reserve(series.size());
    for (qsizetype i = 0; i < series.size(); ++i) {
        const RatePoint& point = series.at(i);
        if (point.timeMs > toMs)
            break;
        if (point.timeMs >= fromMs)
            result.append(point);
    }
    return result;
}

QList<RatePoint> RateSeriesStore::points(const QString& seriesId) const {
    return points(seriesId, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max());
}

QList<RatePoint> RateSeriesStore::decimate(const QList<RatePoint>& points, int buckets) {
    if (buckets <= 0 || points.size() <= 2 * buckets)
        return points;
    const qint64 first = points.front().timeMs;
    const qint64 span = qMax<qint64>(points.back().timeMs - first, 1);
    QList<RatePoint> result;
    result.reserve(2 * buckets);
    qsizetype i = 0;
    for (int bucket = 0; bucket < buckets && i < points.size(); ++bucket) {
        // The last bucket is closed so the newest point always lands in it.
        const qint64 end = bucket == buckets - 1 ? std::numeric_limits<qint64>::max()
                                                 : first + span * (bucket + 1) / buckets;
        qsizetype minIndex = -1;
        qsizetype maxIndex = -1;
        for (; i < points.size() && points.at(i).timeMs < end; ++i) {
            if (minIndex < 0 || points.at(i).ratePerSecond < points.at(minIndex).ratePerSecond)
                minIndex = i;
            if (maxIndex < 0 || points.at(i).ratePerSecond > points.at(maxIndex).ratePerSecond)
                maxIndex = i;
        }
        if (minIndex < 0)
            continue;
        result.append(points.at(qMin(minIndex, maxIndex)));
        if (minIndex != maxIndex)
            result.append(points.at(qMax(minIndex, maxIndex)));
    }
    // A flat last slice would otherwise end the line early; the chart should reach "now".
    if (result.back().timeMs != points.back().timeMs)
        result.append(points.back());
    return result;
}

qsizetype RateSeriesStore::size(const QString& seriesId) const {
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.constFind(seriesId);
    return it == m_series.constEnd() ? 0 : it.value().size();
}

QStringList RateSeriesStore::seriesIds() const {
    QMutexLocker lock(&m_mutex);
    QStringList ids = m_series.keys();
    ids.sort();
    return ids;
}

qint64 RateSeriesStore::latestTimeMs() const {
    QMutexLocker lock(&m_mutex);
    qint64 latest = 0;
    for (const RingBuffer<RatePoint>& series : m_series) {
        if (!series.isEmpty())
            latest = std::max(latest, series.back().timeMs);
    }
    return latest;
}

quint64 RateSeriesStore::revision() const {
    QMutexLocker lock(&m_mutex);
    return m_revision;
}

void RateSeriesStore::remove(const QString& seriesId) {
    QMutexLocker lock(&m_mutex);
    if (m_series.remove(seriesId) > 0)
        ++m_revision;
}

void RateSeriesStore::clear() {
    QMutexLocker lock(&m_mutex);
    m_series.clear();
    ++m_revision;
}

} // namespace switchboard
