#include "TimeSeriesStore.h"

#include "MinMaxDecimator.h"

#include <QMutexLocker>
#include <algorithm>
#include <limits>

namespace switchboard {

namespace {

// A new ring starts with room for this many points and doubles up to its cap: a series that
// lives a minute, or is scraped every 15 s, never pays for an hour at 1 Hz.
constexpr qsizetype kInitialPoints = 64;
// What QHash spends per entry besides the key and value it stores (span and offset bytes,
// rounding): an estimate, erring high.
constexpr qsizetype kHashEntryOverhead = 16;

} // namespace

template <typename T> T TimeSeriesStore::readLocked(const T& member) const {
    QMutexLocker lock(&m_mutex);
    return member;
}

template <typename T, typename F>
T TimeSeriesStore::readSeries(const SeriesKey& key, T absent, F&& read) const {
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.constFind(key.canonical());
    return it == m_series.cend() ? absent : T(read(*it));
}

TimeSeriesStore::TimeSeriesStore(Limits defaults, qsizetype byteBudget)
    : m_defaults{std::max(defaults.window, std::chrono::milliseconds(0)),
                 std::max<qsizetype>(defaults.pointCap, 1)}
    , m_byteBudget(std::max<qsizetype>(byteBudget, 0)) {}

qsizetype TimeSeriesStore::byteBudget() const {
    return readLocked(m_byteBudget);
}

void TimeSeriesStore::setByteBudget(qsizetype bytes) {
    QMutexLocker lock(&m_mutex);
    m_byteBudget = std::max<qsizetype>(bytes, 0);
}

qsizetype TimeSeriesStore::seriesBytes(const SeriesKey& key, Limits limits) {
    return qsizetype(sizeof(Series)) + qsizetype(sizeof(QString)) + kHashEntryOverhead +
           key.heapBytes() + std::max<qsizetype>(limits.pointCap, 1) * kPointBytes;
}

qsizetype TimeSeriesStore::usedBytes(const Series& series) {
    return qsizetype(sizeof(Series)) + qsizetype(sizeof(QString)) + kHashEntryOverhead +
           series.key.heapBytes() + series.ring.allocated() * kPointBytes;
}

bool TimeSeriesStore::makeRoomLocked(qsizetype bytes) {
    if (m_byteBudget == 0 || m_reservedBytes + bytes <= m_byteBudget)
        return true;
    // Stale series (nothing within their window of the newest point anywhere) show nothing on
    // a live chart: those go first, the longest quiet first. Live series are never evicted.
    QList<std::pair<qint64, QString>> stale;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        const Series& series = it.value();
        const qint64 newest =
            series.ring.isEmpty() ? std::numeric_limits<qint64>::min() : series.ring.back().timeMs;
        if (series.ring.isEmpty() || newest < m_latestTimeMs - series.limits.window.count())
            stale.append({newest, it.key()});
    }
    std::sort(stale.begin(), stale.end());
    for (const auto& candidate : std::as_const(stale)) {
        if (m_reservedBytes + bytes <= m_byteBudget)
            break;
        eraseLocked(m_series.find(candidate.second));
        ++m_evicted;
    }
    return m_reservedBytes + bytes <= m_byteBudget;
}

TimeSeriesStore::SeriesMap::iterator TimeSeriesStore::createLocked(const SeriesKey& key,
                                                                   Limits limits) {
    limits.pointCap = std::max<qsizetype>(limits.pointCap, 1);
    limits.window = std::max(limits.window, std::chrono::milliseconds(0));
    const qsizetype reserved = seriesBytes(key, limits);
    if (!makeRoomLocked(reserved)) {
        ++m_refused;
        return m_series.end();
    }
    m_reservedBytes += reserved;
    ++m_revision;
    return m_series.insert(
        key.canonical(),
        Series{key, limits, RingBuffer<SeriesPoint>(limits.pointCap, kInitialPoints), reserved});
}

void TimeSeriesStore::eraseLocked(SeriesMap::iterator it) {
    m_reservedBytes -= it->reservedBytes;
    const bool wasNewest = !it->ring.isEmpty() && it->ring.back().timeMs == m_latestTimeMs;
    m_series.erase(it);
    ++m_revision;
    if (wasNewest)
        recomputeLatestLocked();
}

void TimeSeriesStore::recomputeLatestLocked() {
    m_latestTimeMs = 0;
    for (const Series& series : std::as_const(m_series)) {
        if (!series.ring.isEmpty())
            m_latestTimeMs = std::max(m_latestTimeMs, series.ring.back().timeMs);
    }
}

bool TimeSeriesStore::addSeries(const SeriesKey& key, Limits limits) {
    QMutexLocker lock(&m_mutex);
    if (m_series.contains(key.canonical()))
        return false;
    return createLocked(key, limits) != m_series.end();
}

TimeSeriesStore::SeriesMap::iterator TimeSeriesStore::findOrCreateLocked(const SeriesKey& key) {
    const auto it = m_series.find(key.canonical());
    return it != m_series.end() ? it : createLocked(key, m_defaults);
}

TimeSeriesStore::AppendResult TimeSeriesStore::append(const SeriesKey& key, qint64 timeMs,
                                                      double value) {
    QMutexLocker lock(&m_mutex);
    const auto it = findOrCreateLocked(key);
    if (it == m_series.end())
        return AppendResult::OverBudget;
    RingBuffer<SeriesPoint>& ring = it->ring;
    if (!ring.isEmpty() && timeMs < ring.back().timeMs)
        return AppendResult::OutOfOrder;
    ring.push_back({timeMs, value});
    // The window is measured back from the series' own newest point, so a series that stops
    // keeps its last window of data rather than draining.
    const qint64 oldestKept = timeMs - it->limits.window.count();
    while (ring.front().timeMs < oldestKept)
        ring.pop_front();
    m_latestTimeMs = std::max(m_latestTimeMs, timeMs);
    ++m_revision;
    return AppendResult::Appended;
}

TimeSeriesStore::AppendResult TimeSeriesStore::replaceRange(const SeriesKey& key, qint64 fromMs,
                                                            qint64 toMs,
                                                            const QList<SeriesPoint>& points) {
    QMutexLocker lock(&m_mutex);
    const auto it = findOrCreateLocked(key);
    if (it == m_series.end())
        return AppendResult::OverBudget;
    RingBuffer<SeriesPoint>& ring = it->ring;
    const bool heldNewest = !ring.isEmpty() && ring.back().timeMs == m_latestTimeMs;
    // Unwind the tail down to fromMs, setting aside what lies past the range (newest first):
    // only the range and what follows it is touched, so reloading a live chart's last minutes
    // costs those minutes, not the hour the series holds.
    QList<SeriesPoint> after;
    while (!ring.isEmpty() && ring.back().timeMs >= fromMs) {
        if (ring.back().timeMs > toMs)
            after.append(ring.back());
        ring.pop_back();
    }
    qint64 newest = ring.isEmpty() ? std::numeric_limits<qint64>::min() : ring.back().timeMs;
    for (const SeriesPoint& point : points) {
        if (point.timeMs < fromMs || point.timeMs > toMs || point.timeMs < newest)
            continue;
        ring.push_back(point);
        newest = point.timeMs;
    }
    for (auto point = after.crbegin(); point != after.crend(); ++point)
        ring.push_back(*point);
    if (!ring.isEmpty()) {
        const qint64 oldestKept = ring.back().timeMs - it->limits.window.count();
        while (ring.front().timeMs < oldestKept)
            ring.pop_front();
        m_latestTimeMs = std::max(m_latestTimeMs, ring.back().timeMs);
    }
    // The range held the store's newest point and the answer ends earlier.
    if (heldNewest && (ring.isEmpty() || ring.back().timeMs < m_latestTimeMs))
        recomputeLatestLocked();
    ++m_revision;
    return AppendResult::Appended;
}

std::pair<qsizetype, qsizetype> TimeSeriesStore::rangeOf(const RingBuffer<SeriesPoint>& ring,
                                                         qint64 fromMs, qint64 toMs) {
    if (fromMs > toMs)
        return {0, 0};
    // Binary searches over ring indexes: the points are in time order from index 0.
    const auto firstWhere = [&](auto&& isPast) {
        qsizetype low = 0;
        qsizetype high = ring.size();
        while (low < high) {
            const qsizetype mid = low + (high - low) / 2;
            if (isPast(ring.at(mid).timeMs))
                high = mid;
            else
                low = mid + 1;
        }
        return low;
    };
    const qsizetype first = firstWhere([&](qint64 t) { return t >= fromMs; });
    const qsizetype last = firstWhere([&](qint64 t) { return t > toMs; });
    return {first, std::max(first, last)};
}

QList<SeriesPoint> TimeSeriesStore::points(const SeriesKey& key, qint64 fromMs, qint64 toMs) const {
    QMutexLocker lock(&m_mutex);
    QList<SeriesPoint> result;
    const auto it = m_series.constFind(key.canonical());
    if (it == m_series.cend())
        return result;
    const auto [first, last] = rangeOf(it->ring, fromMs, toMs);
    result.reserve(last - first);
    it->ring.forEach(first, last, [&](const SeriesPoint& point) { result.append(point); });
    return result;
}

QList<SeriesPoint> TimeSeriesStore::points(const SeriesKey& key) const {
    return points(key, std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max());
}

QList<SeriesPoint> TimeSeriesStore::decimated(const SeriesKey& key, qint64 fromMs, qint64 toMs,
                                              int columns) const {
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.constFind(key.canonical());
    if (it == m_series.cend())
        return {};
    const auto [first, last] = rangeOf(it->ring, fromMs, toMs);
    QList<SeriesPoint> result;
    if (columns <= 0 || last - first <= 2 * qsizetype(columns)) {
        result.reserve(last - first);
        it->ring.forEach(first, last, [&](const SeriesPoint& point) { result.append(point); });
        return result;
    }
    MinMaxDecimator decimator(fromMs, toMs, columns);
    it->ring.forEach(first, last, [&](const SeriesPoint& point) { decimator.add(point); });
    return decimator.take();
}

QList<SeriesKey> TimeSeriesStore::seriesKeys() const {
    QMutexLocker lock(&m_mutex);
    QList<SeriesKey> keys;
    keys.reserve(m_series.size());
    for (const Series& series : m_series)
        keys.append(series.key);
    lock.unlock();
    std::sort(keys.begin(), keys.end());
    return keys;
}

QStringList TimeSeriesStore::metricNames() const {
    QMutexLocker lock(&m_mutex);
    QStringList names;
    for (const Series& series : m_series)
        names.append(series.key.metricName());
    lock.unlock();
    names.sort();
    names.removeDuplicates();
    return names;
}

QList<SeriesKey> TimeSeriesStore::seriesOf(const QString& metricName) const {
    QMutexLocker lock(&m_mutex);
    QList<SeriesKey> keys;
    for (const Series& series : m_series) {
        if (series.key.metricName() == metricName)
            keys.append(series.key);
    }
    lock.unlock();
    std::sort(keys.begin(), keys.end());
    return keys;
}

bool TimeSeriesStore::contains(const SeriesKey& key) const {
    return readSeries(key, false, [](const Series&) { return true; });
}

qsizetype TimeSeriesStore::seriesCount() const {
    QMutexLocker lock(&m_mutex);
    return m_series.size();
}

qsizetype TimeSeriesStore::size(const SeriesKey& key) const {
    return readSeries(key, qsizetype(0), [](const Series& series) { return series.ring.size(); });
}

TimeSeriesStore::Limits TimeSeriesStore::limits(const SeriesKey& key) const {
    return readSeries(key, m_defaults, [](const Series& series) { return series.limits; });
}

qint64 TimeSeriesStore::latestTimeMs() const {
    return readLocked(m_latestTimeMs);
}

quint64 TimeSeriesStore::revision() const {
    return readLocked(m_revision);
}

qsizetype TimeSeriesStore::bytesUsed(const SeriesKey& key) const {
    return readSeries(key, qsizetype(0), &TimeSeriesStore::usedBytes);
}

qsizetype TimeSeriesStore::bytesUsed() const {
    QMutexLocker lock(&m_mutex);
    qsizetype bytes = qsizetype(sizeof(TimeSeriesStore));
    for (const Series& series : m_series)
        bytes += usedBytes(series);
    return bytes;
}

qsizetype TimeSeriesStore::bytesReserved() const {
    return readLocked(m_reservedBytes);
}

quint64 TimeSeriesStore::evictedSeriesCount() const {
    return readLocked(m_evicted);
}

quint64 TimeSeriesStore::refusedSeriesCount() const {
    return readLocked(m_refused);
}

bool TimeSeriesStore::remove(const SeriesKey& key) {
    QMutexLocker lock(&m_mutex);
    const auto it = m_series.find(key.canonical());
    if (it == m_series.end())
        return false;
    eraseLocked(it);
    return true;
}

qsizetype TimeSeriesStore::removeWhere(const QString& labelName, const QString& labelValue) {
    if (labelValue.isEmpty())
        return 0;
    QMutexLocker lock(&m_mutex);
    QStringList doomed;
    for (const Series& series : std::as_const(m_series)) {
        if (series.key.label(labelName) == labelValue)
            doomed.append(series.key.canonical());
    }
    for (const QString& canonical : std::as_const(doomed))
        eraseLocked(m_series.find(canonical));
    return doomed.size();
}

void TimeSeriesStore::clear() {
    QMutexLocker lock(&m_mutex);
    m_series.clear();
    m_reservedBytes = 0;
    m_latestTimeMs = 0;
    ++m_revision;
}

} // namespace switchboard
