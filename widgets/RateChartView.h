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

class FleetModel;
class TimeSeriesStore;

// Requests/s of every agent over the last few minutes: one line per agent, named after its
// instance, y from 0 and scaled to the data. Reads each agent's requestRateSeries() from the
// series store on a coalescing timer and hands each line its points in one QXYSeries::replace,
// decimated to the plot's width, so a burst of updates costs one repaint.
class RateChartView : public QChartView {
    Q_OBJECT
public:
    RateChartView(const FleetModel* fleet, const TimeSeriesStore* store, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    void setTimeWindow(std::chrono::milliseconds window) { m_window = window; }
    std::chrono::milliseconds timeWindow() const { return m_window; }

    // Asks for a repaint soon; many calls in a burst make one.
    void scheduleRefresh();
    // Repaints now (screenshots and tests).
    void refreshNow();
    // Stops (or resumes) following the data, e.g. to hold a still picture for a screenshot
    // while the chart finishes laying out.
    void setLiveUpdates(bool live);

    int seriesCount() const;
    // Points the agent's line shows now; 0 for an unknown agent.
    int pointCount(const QString& agentId) const;
    QLineSeries* series(const QString& agentId) const { return m_series.value(agentId); }

    // Past this many agents the chart draws the busiest ones only, and its title says so.
    static constexpr int kMaxLines = 10;

private:
    void syncSeries();
    QStringList chartedAgents() const;

    const FleetModel* m_fleet;
    const TimeSeriesStore* m_store;
    QChart* m_chart;
    QDateTimeAxis* m_timeAxis;
    QValueAxis* m_rateAxis;
    QHash<QString, QLineSeries*> m_series;
    QTimer m_coalesce;
    QTimer m_clock;
    std::chrono::milliseconds m_window = std::chrono::minutes(5);
    bool m_live = true;
    qreal m_lineWidth = 2.0; // the theme's, for lines added later
};

} // namespace switchboard
