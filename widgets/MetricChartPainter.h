#pragma once

#include "MetricChartLines.h"
#include "PlotMapping.h"
#include "TimelineAnnotation.h"

#include <QColor>
#include <QList>
#include <QRect>

class QPainter;

namespace switchboard {

class Theme;

// The colours a metric chart paints with, from the theme.
struct ChartColors {
    QColor background;
    QColor grid;
    QColor text;
    QColor muted;
    qreal lineWidth = 1.5; // a line's width where lines are antialiased (few points)
    static ChartColors from(const Theme& theme);
    static QColor annotationColor(TimelineAnnotation::Kind kind);
    static QString annotationLetter(TimelineAnnotation::Kind kind);
};

// One legend or crosshair row: a line's name, colour and, under the crosshair, its value.
struct LegendEntry {
    QString name;
    QColor color;
    QString value;
};

// Paints a metric chart's parts with QPainter: grid and axes, lines, annotation markers, the
// crosshair and the legend. Lines are plain polylines (no antialiasing past a few thousand
// points: that is what keeps a repaint of 100 series within a frame; see BENCHMARKS.md).
class MetricChartPainter {
public:
    MetricChartPainter(QPainter& painter, const PlotMapping& mapping, const ChartColors& colors);

    void axes(const QString& unit, qint64 timeStepMs);
    void lines(const QList<ChartLine>& lines);
    // Markers at their times, each with its kind's letter in a flag above the plot and, where
    // there is room before the next marker, its text.
    void annotations(const QList<TimelineAnnotation>& annotations);
    void crosshair(qint64 timeMs);
    // At most `maxRows` rows in `area`; when there are more, the last row says "+N more".
    void legend(const QRect& area, const QList<LegendEntry>& entries, int maxRows);

    static QString formatValue(double value);

private:
    QPainter& m_painter;
    const PlotMapping& m_map;
    const ChartColors& m_colors;
};

} // namespace switchboard
