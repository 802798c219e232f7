#include "MinMaxDecimator.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace switchboard {

MinMaxDecimator::MinMaxDecimator(qint64 fromMs, qint64 toMs, int columns)
    : m_fromMs(fromMs)
    , m_toMs(std::max(fromMs, toMs))
    , m_columns(std::max(columns, 1)) {
    m_out.reserve(2 * m_columns + 2);
}

int MinMaxDecimator::columnOf(qint64 timeMs) const {
    if (timeMs <= m_fromMs)
        return 0;
    if (timeMs >= m_toMs)
        return m_columns - 1;
    // 128-bit: a range of whole epochs times a few thousand columns overflows 64 bits.
    const __int128 offset = static_cast<__int128>(timeMs) - m_fromMs;
    const __int128 span = static_cast<__int128>(m_toMs) - m_fromMs + 1;
    return static_cast<int>(offset * m_columns / span);
}

void MinMaxDecimator::add(const SeriesPoint& point) {
    const qsizetype index = m_seen++;
    const int column = columnOf(point.timeMs);
    if (column != m_column) {
        flushColumn();
        m_column = column;
    }
    if (index == 0)
        m_first = {point, index};
    m_last = {point, index};
    if (std::isnan(point.value)) {
        if (!m_gap.valid())
            m_gap = {point, index};
        return;
    }
    if (!m_min.valid() || point.value < m_min.point.value)
        m_min = {point, index};
    if (!m_max.valid() || point.value > m_max.point.value)
        m_max = {point, index};
}

void MinMaxDecimator::flushColumn() {
    // The first point rides with the first slice; min, max and gap may be the same point.
    std::array<Pick, 4> picks{m_lastEmitted < 0 ? m_first : Pick{}, m_min, m_max, m_gap};
    std::sort(picks.begin(), picks.end(),
              [](const Pick& a, const Pick& b) { return a.index < b.index; });
    for (const Pick& pick : picks) {
        if (pick.valid() && pick.index > m_lastEmitted) {
            m_out.append(pick.point);
            m_lastEmitted = pick.index;
        }
    }
    m_min = m_max = m_gap = Pick{};
}

QList<SeriesPoint> MinMaxDecimator::take() {
    flushColumn();
    // A flat last slice would otherwise end the line early; the chart should reach "now".
    if (m_last.valid() && m_last.index > m_lastEmitted)
        m_out.append(m_last.point);
    m_lastEmitted = m_seen;
    return std::move(m_out);
}

QList<SeriesPoint> MinMaxDecimator::decimate(const QList<SeriesPoint>& points, int columns) {
    if (columns <= 0 || points.size() <= 2 * qsizetype(columns))
        return points;
    MinMaxDecimator decimator(points.front().timeMs, points.back().timeMs, columns);
    for (const SeriesPoint& point : points)
        decimator.add(point);
    return decimator.take();
}

} // namespace switchboard
