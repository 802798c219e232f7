#pragma once

#include "MetricChartLines.h"
#include "MetricChartPainter.h"
#include "MetricInfo.h"
#include "MetricsTimeRange.h"
#include "PlotMapping.h"

#include <QPoint>
#include <QWidget>
#include <optional>

class QToolButton;

namespace switchboard {

class Theme;
class TimeSeriesStore;
class TimelineAnnotations;

// One chart of the Metrics view: every series of one metric that passes a label filter, over the
// view's shared time range, with the timeline's events as markers, a legend capped to what fits
// ("+37 more") and a crosshair that names each line's value at the time under the mouse.
//
// Painted with QPainter rather than Qt Charts: 100 series of an hour at 1 Hz repaint within a
// frame this way, which Qt Charts did not (bench_metrics_repaint, BENCHMARKS.md). Lines come from
// the store decimated to the plot's width, read again only when the store, the range or the
// width moved.
//
// Mouse: wheel zooms around the pointer, drag pans, Shift+drag zooms to the band, double-click
// resets the zoom. All of it goes through the shared MetricsTimeRange, so every chart follows.
class MetricChart : public QWidget {
    Q_OBJECT
public:
    MetricChart(const TimeSeriesStore* store, MetricsTimeRange* range,
                const TimelineAnnotations* annotations, const MetricInfo& info,
                const LabelFilter& filter, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    void setInfo(const MetricInfo& info);
    const MetricInfo& info() const { return m_info; }
    const MetricChartLines& data() const { return m_lines; }
    void setValueNamer(LabelValueNamer namer);
    QString title() const;

    // Reads the store and repaints, unless nothing changed; true when it read.
    bool refresh();
    // Where things land now (after refresh(): the mapping of the last read).
    PlotMapping mapping() const;
    // The crosshair at `timeMs` (nullopt hides it); every chart gets the same time.
    void setCrosshair(std::optional<qint64> timeMs);
    std::optional<qint64> crosshair() const { return m_crosshairMs; }
    // What the crosshair's legend says: each line's nearest point in the store.
    QList<std::pair<const ChartLine*, SeriesPoint>> crosshairValues() const;
    // The annotations in the visible range and the x each is drawn at.
    QList<std::pair<TimelineAnnotation, double>> annotationMarkers() const;

    static constexpr int kMaxLegendRows = 12;

signals:
    void crosshairMoved(qint64 timeMs);
    void crosshairLeft();
    void closeRequested();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRect plotRect() const;
    QRect legendRect() const;
    QList<LegendEntry> legendEntries() const;
    // The y range, with headroom, from 0 unless the data goes below.
    std::pair<double, double> valueRange() const;
    QString annotationTipAt(const QPoint& pos) const;

    MetricsTimeRange* m_range;
    const TimelineAnnotations* m_annotations;
    MetricInfo m_info;
    MetricChartLines m_lines;
    ChartColors m_colors;
    QToolButton* m_close;
    std::optional<qint64> m_crosshairMs;
    quint64 m_annotationRevision = 0;
    // A drag: where it started and the range then (pan), or the band (Shift).
    std::optional<QPoint> m_dragStart;
    MetricsTimeRange::Range m_dragRange;
    bool m_band = false;
    int m_bandX = 0;
};

} // namespace switchboard
