#pragma once

#include "Theme.h"

#include <QChartView>
#include <QTimer>
#include <chrono>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace switchboard {

class CacheModel;

// Hit rate per layer over the last minutes for the Redis target the model shows: L1 or L2
// together, L1 alone, L2 alone (percent), and a dashed line at the agent's target hit rate, so
// "missing the target" is visibly "below the line". Reads the model's history on a coalescing
// timer and hands each line its points in one QXYSeries::replace.
class CacheHitRateChart : public QChartView {
    Q_OBJECT
public:
    enum class Layer { Overall, L1, L2 };

    explicit CacheHitRateChart(const CacheModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    void setTimeWindow(std::chrono::milliseconds window) { m_window = window; }

    void scheduleRefresh();
    void refreshNow();

    QLineSeries* series(Layer layer) const;
    // Hidden while the agent names no target.
    QLineSeries* targetSeries() const { return m_target; }

private:
    const CacheModel* m_model;
    QChart* m_chart;
    QDateTimeAxis* m_timeAxis;
    QValueAxis* m_rateAxis;
    QLineSeries* m_overall;
    QLineSeries* m_l1;
    QLineSeries* m_l2;
    QLineSeries* m_target;
    QTimer m_coalesce;
    QTimer m_clock;
    std::chrono::milliseconds m_window = std::chrono::minutes(5);
};

} // namespace switchboard
