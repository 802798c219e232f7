#pragma once

#include "SeriesPoint.h"

#include <QList>
#include <cmath>
#include <limits>

namespace switchboard {

// Reduces a run of points, in time order, to what a chart `columns` pixels wide can show: the
// time range is cut into `columns` equal slices (one per pixel column) and each slice keeps its
// minimum and its maximum, in time order. So a spike of one sample, up or down, survives any
// reduction, and a chart never gets more than about two points per pixel. The first and the last
// point are always kept (the line starts and ends where the data does), and a slice holding a
// NaN (a gap) keeps its first NaN too, so the gap stays a gap.
//
// At most 2 * columns + 2 points, plus one per slice holding a gap. Fed one point at a time, so
// the store can decimate straight from its ring without copying the series first.
class MinMaxDecimator {
public:
    // Slices [fromMs, toMs] (both inclusive). Pass the chart's axis range, so slices fall on
    // pixels; points outside it count in the first or the last slice.
    MinMaxDecimator(qint64 fromMs, qint64 toMs, int columns);

    // Inline: called per point of a 3600-point series on every repaint; the slice arithmetic
    // (divisions) runs only when a point enters a new slice.
    void add(const SeriesPoint& point) {
        if (point.timeMs >= m_nextColumnStartMs)
            enterColumn(point.timeMs);
        const qsizetype index = m_seen++;
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
    // The reduced points, oldest first; the decimator is spent afterwards.
    QList<SeriesPoint> take();

    // The points' own time span cut into `columns` slices; inputs of at most 2 * columns points
    // come back unchanged (nothing to reduce), as does anything for columns <= 0.
    static QList<SeriesPoint> decimate(const QList<SeriesPoint>& points, int columns);

private:
    struct Pick {
        SeriesPoint point;
        qsizetype index = -1; // position in the input; -1: none
        bool valid() const { return index >= 0; }
    };

    int columnOf(qint64 timeMs) const;
    qint64 columnStartMs(int column) const; // the first time that falls in `column`
    void enterColumn(qint64 timeMs);
    void flushColumn();
    void emitPick(const Pick& pick);

    qint64 m_fromMs;
    qint64 m_toMs;
    int m_columns;
    bool m_wide; // (toMs - fromMs + 1) * columns overflows 64 bits: slice arithmetic in 128
    QList<SeriesPoint> m_out;
    qsizetype m_seen = 0;
    qsizetype m_lastEmitted = -1;
    int m_column = -1; // the slice being filled; -1 before the first point
    qint64 m_nextColumnStartMs = std::numeric_limits<qint64>::min();
    Pick m_first;
    Pick m_last;
    Pick m_min;
    Pick m_max;
    Pick m_gap;
};

} // namespace switchboard
