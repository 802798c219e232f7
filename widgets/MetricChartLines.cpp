#include "MetricChartLines.h"

#include "TimeSeriesStore.h"

#include <QHash>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace switchboard {

MetricChartLines::MetricChartLines(const TimeSeriesStore* store, QString metricName,
                                   LabelFilter filter)
    : m_store(store)
    , m_metricName(std::move(metricName))
    , m_filter(std::move(filter)) {}

QColor MetricChartLines::colorFor(int index) {
    // Tableau 10: told apart on light and dark backgrounds alike; past ten, lighter and darker
    // turns of the same hues.
    static constexpr std::array<QRgb, 10> base = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                  0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    const QColor color = QColor::fromRgb(base[static_cast<size_t>(index) % base.size()]);
    switch ((index / static_cast<int>(base.size())) % 3) {
    case 1:
        return color.darker(140);
    case 2:
        return color.lighter(130);
    default:
        return color;
    }
}

QList<SeriesKey> MetricChartLines::keys() const {
    QList<SeriesKey> keys;
    for (const SeriesKey& key : m_store->seriesOf(m_metricName))
        if (m_filter.matches(key))
            keys.append(key);
    return keys;
}

int MetricChartLines::columnsFor(int plotWidth, qsizetype lines) {
    const int most = std::max(1, plotWidth / 2);
    const int least = std::max(1, plotWidth / 4);
    const qsizetype budgeted = kPointBudget / (2 * std::max<qsizetype>(1, lines));
    return static_cast<int>(std::clamp<qsizetype>(budgeted, least, most));
}

bool MetricChartLines::update(MetricsTimeRange::Range range, int plotWidth) {
    const quint64 revision = m_store->revision();
    if (m_revision == revision && range == m_range && plotWidth == m_plotWidth)
        return false;
    m_revision = revision;
    m_range = range;
    m_plotWidth = plotWidth;

    const QList<SeriesKey> keys = this->keys();
    const int columns = columnsFor(plotWidth, keys.size());
    const QStringList names = distinguishingLabels(keys);
    // Colours stay with their series while others come and go.
    QHash<QString, QColor> colors;
    for (const ChartLine& line : std::as_const(m_lines))
        colors.insert(line.key.canonical(), line.color);
    QList<ChartLine> lines;
    lines.reserve(keys.size());
    m_min = std::numeric_limits<double>::infinity();
    m_max = -std::numeric_limits<double>::infinity();
    m_newestMs = 0;
    for (const SeriesKey& key : keys) {
        ChartLine line{key, seriesDisplayName(key, names, m_namer),
                       colors.value(key.canonical(), colorFor(static_cast<int>(lines.size()))),
                       m_store->decimated(key, range.fromMs, range.toMs, columns)};
        for (const SeriesPoint& point : std::as_const(line.points)) {
            if (std::isnan(point.value))
                continue;
            m_min = std::min(m_min, point.value);
            m_max = std::max(m_max, point.value);
        }
        // The decimator keeps the range's last point; a series silent for the whole range
        // (rare: an agent gone) pays for one full read to say since when.
        const QList<SeriesPoint> tail = line.points.isEmpty() ? m_store->points(key) : line.points;
        if (!tail.isEmpty())
            m_newestMs = std::max(m_newestMs, tail.back().timeMs);
        lines.append(std::move(line));
    }
    if (m_min > m_max)
        m_min = m_max = 0.0;
    m_lines = std::move(lines);
    return true;
}

int MetricChartLines::pointCount() const {
    int count = 0;
    for (const ChartLine& line : m_lines)
        count += static_cast<int>(line.points.size());
    return count;
}

QList<std::pair<const ChartLine*, SeriesPoint>> MetricChartLines::valuesAt(qint64 timeMs,
                                                                           qint64 reachMs) const {
    QList<std::pair<const ChartLine*, SeriesPoint>> out;
    for (const ChartLine& line : m_lines) {
        const QList<SeriesPoint> near =
            m_store->points(line.key, timeMs - reachMs, timeMs + reachMs);
        const auto nearest = std::min_element(
            near.cbegin(), near.cend(), [timeMs](const SeriesPoint& a, const SeriesPoint& b) {
                return std::llabs(a.timeMs - timeMs) < std::llabs(b.timeMs - timeMs);
            });
        if (nearest != near.cend())
            out.append({&line, *nearest});
    }
    return out;
}

} // namespace switchboard
