#pragma once

#include "RatePoint.h"
#include "RingBuffer.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <chrono>

namespace switchboard {

// Requests/s per agent, for charts. Each series is a bounded ring buffer: points older than
// `window` before the series' newest point are trimmed, and at most `pointCap` are kept, so
// memory stays flat however long the console runs. Thread-safe: every call takes a short lock,
// so a network thread may append while the GUI thread reads.
class RateSeriesStore {
public:
    explicit RateSeriesStore(std::chrono::milliseconds window = std::chrono::minutes(10),
                             qsizetype pointCap = 1200);

    std::chrono::milliseconds window() const { return m_window; }
    qsizetype pointCap() const { return m_pointCap; }

    // Returns false (and keeps nothing) for a point older than the series' newest: series stay
    // in time order, which the charts and the window trimming rely on.
    bool append(const QString& seriesId, qint64 timeMs, double ratePerSecond);

    // Points with fromMs <= time <= toMs, oldest first.
    QList<RatePoint> points(const QString& seriesId, qint64 fromMs, qint64 toMs) const;
    QList<RatePoint> points(const QString& seriesId) const;

    // At most 2 * buckets + 1 points: the minimum and maximum of each equal time slice, in time
    // order, so a chart as wide as `buckets` pixels still shows every spike; the newest point is
    // always kept.
    static QList<RatePoint> decimate(const QList<RatePoint>& points, int buckets);

    qsizetype size(const QString& seriesId) const;
    QStringList seriesIds() const;
    qint64 latestTimeMs() const; // newest point over all series; 0 when empty
    // Grows with every change, so a view can skip redrawing when nothing moved.
    quint64 revision() const;

    void remove(const QString& seriesId);
    void clear();

private:
    std::chrono::milliseconds m_window;
    qsizetype m_pointCap;
    mutable QMutex m_mutex;
    QHash<QString, RingBuffer<RatePoint>> m_series;
    quint64 m_revision = 0;
};

} // namespace switchboard
