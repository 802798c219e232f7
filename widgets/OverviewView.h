#pragma once

#include "Theme.h"

#include <QWidget>

class QSplitter;
class QTableView;

namespace switchboard {

class FleetModel;
class HealthDelegate;
class RateChartView;
class TimeSeriesStore;

// The fleet at a glance: a table with one row per agent (health-coloured) above a chart of
// every agent's requests/s. Reads models only.
class OverviewView : public QWidget {
    Q_OBJECT
public:
    OverviewView(FleetModel* fleet, const TimeSeriesStore* series, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    QTableView* table() const { return m_table; }
    RateChartView* chart() const { return m_chart; }
    QSplitter* splitter() const { return m_splitter; }

private:
    void fitColumns();

    FleetModel* m_fleet;
    QTableView* m_table;
    HealthDelegate* m_delegate;
    RateChartView* m_chart;
    QSplitter* m_splitter;
};

} // namespace switchboard
