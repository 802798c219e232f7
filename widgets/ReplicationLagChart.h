#pragma once

#include "Theme.h"

#include <QChartView>
#include <QHash>
#include <QTimer>
#include <chrono>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace switchboard {

class ReplicationModel;

// Replay lag of every replica over the last minutes: one line per replica (seconds), and a
// dashed line at the read router's max_lag_ms, so "lagging" is visibly "above the line". Reads
// the model's lag histories on a coalescing timer and hands each line its points in one
// QXYSeries::replace.
class ReplicationLagChart : public QChartView {
    Q_OBJECT
public:
    explicit ReplicationLagChart(const ReplicationModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    void setTimeWindow(std::chrono::milliseconds window) { m_window = window; }

    void scheduleRefresh();
    void refreshNow();

    // One per replica key; the threshold line is not counted.
    int replicaSeriesCount() const { return static_cast<int>(m_series.size()); }
    QLineSeries* replicaSeries(const QString& key) const { return m_series.value(key); }
    // Hidden while no agent reports a read router (no threshold to draw).
    QLineSeries* thresholdSeries() const { return m_threshold; }

private:
    void syncSeries();

    const ReplicationModel* m_model;
    QChart* m_chart;
    QDateTimeAxis* m_timeAxis;
    QValueAxis* m_lagAxis;
    QLineSeries* m_threshold;
    QHash<QString, QLineSeries*> m_series;
    QTimer m_coalesce;
    QTimer m_clock;
    std::chrono::milliseconds m_window = std::chrono::minutes(5);
    qreal m_lineWidth = 2.0; // the theme's, for lines added later
};

} // namespace switchboard
