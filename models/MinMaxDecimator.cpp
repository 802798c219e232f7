#include "MinMaxDecimator.h"

#include <algorithm>
#include <cmath>

namespace switchboard {

MinMaxDecimator::MinMaxDecimator(qint64 fromMs, qint64 toMs, int columns)
    : m_fromMs(fromMs)
    , m_toMs(std::max(fromMs, toMs))
    , m_columns(std::max(columns, 1))
    , m_wide(static_cast<__int128>(m_toMs) - m_fromMs + 1 >
             std::numeric_limits<qint64>::max() / m_columns) {
    m_out.reserve(2 * m_columns + 2);
}

// Column c holds the times t with floor((t - from) * columns / span) == c, span = to - from + 1.
// A range of whole epochs times a few thousand columns overflows 64 bits: then 128-bit
// arithmetic, which is slower, so a chart's range (hours) keeps to 64.
int MinMaxDecimator::columnOf(qint64 timeMs) const {
    if (timeMs <= m_fromMs)
        return 0;
    if (timeMs >= m_toMs)
        return m_columns - 1;
    if (!m_wide)
        return static_cast<int>((timeMs - m_fromMs) * m_columns / (m_toMs - m_fromMs + 1));
    const __int128 offset = static_cast<__int128>(timeMs) - m_fromMs;
    const __int128 span = static_cast<__int128>(m_toMs) - m_fromMs + 1;
    return static_cast<int>(offset * m_columns / span);
}

qint64 MinMaxDecimator::columnStartMs(int column) const {
    // The smallest t with (t - from) * columns >= column * span: from + ceil(column * span /
    // columns).
    if (!m_wide) {
        const qint64 span = m_toMs - m_fromMs + 1;
        return m_fromMs + (qint64(column) * span + m_columns - 1) / m_columns;
    }
    const __int128 span = static_cast<__int128>(m_toMs) - m_fromMs + 1;
    return static_cast<qint64>(m_fromMs + (column * span + m_columns - 1) / m_columns);
}

void MinMaxDecimator::enterColumn(qint64 timeMs) {
    // Points past the range count in the last column, so it never ends.
    const auto startOf = [this](int column) {
        return column >= m_columns ? std::numeric_limits<qint64>::max() : columnStartMs(column);
    };
    // Dense data (the usual case) moves on to the very next column: one division, for where
    // the column after it starts, instead of two.
    if (m_column >= 0 && m_column + 1 < m_columns) {
        const qint64 afterNext = startOf(m_column + 2);
        if (timeMs < afterNext) {
            flushColumn();
            ++m_column;
            m_nextColumnStartMs = afterNext;
            return;
        }
    }
    const int column = columnOf(timeMs);
    if (column == m_column)
        return; // only at the very end of time, in the last column
    flushColumn();
    m_column = column;
    m_nextColumnStartMs = startOf(m_column + 1);
}

void MinMaxDecimator::emitPick(const Pick& pick) {
    // Picks of a slice may be one and the same point (the minimum that is also the first);
    // an invalid pick (index -1) is never past m_lastEmitted.
    if (pick.index > m_lastEmitted) {
        m_out.append(pick.point);
        m_lastEmitted = pick.index;
    }
}

void MinMaxDecimator::flushColumn() {
    // In input order: the first point (it rides with the first slice), then min, max and gap
    // ordered by position. Three compares instead of a sort: this runs once per pixel column.
    if (m_lastEmitted < 0 && m_first.valid())
        emitPick(m_first);
    const Pick* a = &m_min;
    const Pick* b = &m_max;
    const Pick* c = &m_gap;
    if (b->index < a->index)
        std::swap(a, b);
    if (c->index < b->index)
        std::swap(b, c);
    if (b->index < a->index)
        std::swap(a, b);
    emitPick(*a);
    emitPick(*b);
    emitPick(*c);
    m_min.index = m_max.index = m_gap.index = -1;
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
