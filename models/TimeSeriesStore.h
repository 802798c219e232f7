#pragma once

#include "RingBuffer.h"
#include "SeriesKey.h"
#include "SeriesPoint.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QStringList>
#include <chrono>

namespace switchboard {

// How much one series keeps: points older than `window` before its newest point are dropped, and
// at most `pointCap` points are kept. (Outside TimeSeriesStore so that it can be a default
// argument there.)
struct SeriesLimits {
    std::chrono::milliseconds window = std::chrono::hours(1);
    qsizetype pointCap = 3600; // 1 h at 1 Hz
};

// The console's time series: every metric it charts, one series per SeriesKey. Each series has
// a time window and a point cap and lives in a ring buffer that grows (doubling) up to its cap
// and then recycles its oldest points, so no series ever holds more than cap points or points
// older than its window before its newest.
//
// Memory is accounted and bounded: bytesUsed() is what the rings and keys hold now;
// bytesReserved() is what every series would hold once full, and that is what an optional
// budget is checked against, so the budget holds however long the console runs. A new series
// that would pass the budget first makes room by evicting stale series (nothing appended within
// their window of the store's newest point: an agent gone quiet), least recently appended
// first; when that is not enough the new series is refused (AppendResult::OverBudget, counted).
// Live series are never evicted: a full store says so instead of thrashing.
//
// Reads: range queries by binary search, and a decimated view for charts (min/max per pixel
// column, see MinMaxDecimator) made straight from the ring under the lock, so a chart repaint
// copies at most a few points per pixel.
//
// Thread-safe: every call takes one short lock, so network threads may append while the GUI
// thread reads.
class TimeSeriesStore {
public:
    using Limits = SeriesLimits;

    enum class AppendResult {
        Appended,
        OutOfOrder, // older than the series' newest point: series stay in time order
        OverBudget, // a new series would pass the byte budget, even after evicting stale ones
    };

    // What one point costs in a ring; what a full series costs is seriesBytes(limits).
    static constexpr qsizetype kPointBytes = sizeof(SeriesPoint);
    // 0: no budget (memory is still bounded per series, but not the number of series).
    explicit TimeSeriesStore(Limits defaults = {}, qsizetype byteBudget = 0);

    Limits defaultLimits() const { return m_defaults; }
    qsizetype byteBudget() const;
    // Takes effect for series created from now on; existing ones are never evicted for it.
    void setByteBudget(qsizetype bytes);

    // Creates the series with its own limits, unless it exists (then returns false and leaves
    // it as it is) or it would pass the budget. append() creates series with the defaults.
    bool addSeries(const SeriesKey& key, Limits limits);
    // A point equal in time to the newest is kept (two samples of one scrape time happen).
    AppendResult append(const SeriesKey& key, qint64 timeMs, double value);

    // Puts `points` (oldest first) in place of the series' points within [fromMs, toMs] and
    // keeps those outside it, so a history range loaded again replaces its points rather than
    // repeating them. Points outside the range or out of order are skipped; the series is
    // created with the defaults (Appended) unless that would pass the budget (OverBudget).
    // Costs the points from fromMs to the series' newest, not the whole series.
    AppendResult replaceRange(const SeriesKey& key, qint64 fromMs, qint64 toMs,
                              const QList<SeriesPoint>& points);

    // Points with fromMs <= time <= toMs, oldest first (two binary searches and a copy).
    QList<SeriesPoint> points(const SeriesKey& key, qint64 fromMs, qint64 toMs) const;
    QList<SeriesPoint> points(const SeriesKey& key) const;
    // The same range reduced for a chart `columns` pixels wide that shows [fromMs, toMs]:
    // every column's minimum and maximum, the first and the last point; unchanged when the
    // range holds no more than 2 * columns points.
    QList<SeriesPoint> decimated(const SeriesKey& key, qint64 fromMs, qint64 toMs,
                                 int columns) const;

    // The metric browser's view: keys sorted by canonical text, metric names sorted, and the
    // series of one metric.
    QList<SeriesKey> seriesKeys() const;
    QStringList metricNames() const;
    QList<SeriesKey> seriesOf(const QString& metricName) const;
    bool contains(const SeriesKey& key) const;
    qsizetype seriesCount() const;
    qsizetype size(const SeriesKey& key) const; // points held; 0 for an unknown series
    Limits limits(const SeriesKey& key) const;  // the defaults for an unknown series

    // Newest point over all series; 0 when empty.
    qint64 latestTimeMs() const;
    // Grows with every change, so a view can skip redrawing when nothing moved.
    quint64 revision() const;

    // Memory, in bytes: held now by one series (ring storage, key, bookkeeping) and by all;
    // what all would hold once every ring is full (what the budget bounds); and what a series
    // with these limits holds once full.
    qsizetype bytesUsed(const SeriesKey& key) const;
    qsizetype bytesUsed() const;
    qsizetype bytesReserved() const;
    static qsizetype seriesBytes(const SeriesKey& key, Limits limits);
    // Series evicted as stale and series refused over the budget since the store was made.
    quint64 evictedSeriesCount() const;
    quint64 refusedSeriesCount() const;

    bool remove(const SeriesKey& key);
    // Removes every series whose label `name` has `value` (e.g. agent="…" when an agent goes);
    // returns how many. An empty value matches nothing.
    qsizetype removeWhere(const QString& labelName, const QString& labelValue);
    void clear();

private:
    struct Series {
        SeriesKey key;
        Limits limits;
        RingBuffer<SeriesPoint> ring;
        qsizetype reservedBytes = 0;
    };
    using SeriesMap = QHash<QString, Series>; // by canonical key text

    // A member, or read(series) for the key's series (`absent` when there is none), under the
    // lock: the shape of every getter.
    template <typename T> T readLocked(const T& member) const;
    template <typename T, typename F> T readSeries(const SeriesKey& key, T absent, F&& read) const;

    // The caller holds m_mutex in all of these.
    SeriesMap::iterator createLocked(const SeriesKey& key, Limits limits);
    // The key's series, created with the defaults if new; end() when over the budget.
    SeriesMap::iterator findOrCreateLocked(const SeriesKey& key);
    bool makeRoomLocked(qsizetype bytes);
    void eraseLocked(SeriesMap::iterator it);
    void recomputeLatestLocked();
    static qsizetype usedBytes(const Series& series);
    // Indexes [first, last) of the ring's points within [fromMs, toMs].
    static std::pair<qsizetype, qsizetype> rangeOf(const RingBuffer<SeriesPoint>& ring,
                                                   qint64 fromMs, qint64 toMs);

    const Limits m_defaults;
    mutable QMutex m_mutex;
    qsizetype m_byteBudget;
    SeriesMap m_series;
    qsizetype m_reservedBytes = 0;
    qint64 m_latestTimeMs = 0;
    quint64 m_revision = 0;
    quint64 m_evicted = 0;
    quint64 m_refused = 0;
};

} // namespace switchboard
