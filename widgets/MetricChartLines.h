#pragma once

#include "LabelFilter.h"
#include "MetricsTimeRange.h"
#include "SeriesKey.h"
#include "SeriesPoint.h"

#include <QColor>
#include <QList>
#include <QString>
#include <optional>

namespace switchboard {

class TimeSeriesStore;

// One line of a metric chart: the series, its legend name (its distinguishing labels) and
// colour, and its points decimated to the plot's width.
struct ChartLine {
    SeriesKey key;
    QString name;
    QColor color;
    QList<SeriesPoint> points;
};

// What a metric chart draws, read from the store: every series of one metric that passes the
// label filter, each decimated to one min/max pair per pixel column over the visible range, and
// the value range they span. update() does nothing (and says so) when neither the store's
// revision, the range nor the width moved since the last read, so an idle chart costs nothing.
class MetricChartLines {
public:
    MetricChartLines(const TimeSeriesStore* store, QString metricName, LabelFilter filter);

    // Reads the store again unless nothing changed; true when it did read. `plotWidth` in
    // pixels: see columnsFor().
    bool update(MetricsTimeRange::Range range, int plotWidth);

    // What a chart draws in a frame, all lines together: past it, each line gets fewer
    // columns. 40 000 points repaint in about 6 ms here (bench_metrics_repaint).
    static constexpr int kPointBudget = 40'000;
    // The columns each of `lines` lines is decimated to on a plot `plotWidth` pixels wide: one
    // min/max pair per two pixels (no more points than pixels), fewer when that would pass the
    // budget, but never fewer than one pair per four pixels. With a hundred lines over each
    // other, a line's detail finer than that is not what the eye reads.
    static int columnsFor(int plotWidth, qsizetype lines);
    // How label values are shown in the legend (the view passes agent id → instance name).
    void setValueNamer(LabelValueNamer namer) {
        m_namer = std::move(namer);
        invalidate();
    }
    // Forgets what was read, so the next update() reads.
    void invalidate() { m_revision.reset(); }

    const QString& metricName() const { return m_metricName; }
    const LabelFilter& filter() const { return m_filter; }
    const QList<ChartLine>& lines() const { return m_lines; }
    QList<SeriesKey> keys() const;
    // The lines' value range (both 0 when there is nothing), and their newest point's time
    // over all time (0 when none), which says whether the chart is stale.
    double minValue() const { return m_min; }
    double maxValue() const { return m_max; }
    qint64 newestMs() const { return m_newestMs; }
    int pointCount() const; // all lines together: what a repaint draws

    // The store's point nearest to `timeMs` on each line (within `reachMs`), raw rather than
    // decimated: what the crosshair says. Lines with no point that near are left out.
    QList<std::pair<const ChartLine*, SeriesPoint>> valuesAt(qint64 timeMs, qint64 reachMs) const;

    static QColor colorFor(int index);

private:
    const TimeSeriesStore* m_store;
    QString m_metricName;
    LabelFilter m_filter;
    LabelValueNamer m_namer;
    QList<ChartLine> m_lines;
    std::optional<quint64> m_revision;
    MetricsTimeRange::Range m_range;
    int m_plotWidth = 0;
    double m_min = 0.0;
    double m_max = 0.0;
    qint64 m_newestMs = 0;
};

} // namespace switchboard
