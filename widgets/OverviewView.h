#pragma once

#include "Theme.h"

#include <QWidget>

class QComboBox;
class QSplitter;
class QTabWidget;
class QTableView;

namespace switchboard {

class FleetGroupsModel;
class FleetModel;
class HealthDelegate;
class RateChartView;
class TimeSeriesStore;
class TopologyView;

// The fleet at a glance: a table with one row per agent (health-coloured) above two tabs: the
// topology map (regions, instances, databases, Redis, shard nodes; the default) and a chart of
// every agent's requests/s. Reads models only.
class OverviewView : public QWidget {
    Q_OBJECT
public:
    OverviewView(FleetModel* fleet, const TimeSeriesStore* series, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    QTableView* table() const { return m_table; }
    // The fleet folded per region or per service, beside the agents' table.
    QTableView* groupsTable() const { return m_groupsTable; }
    FleetGroupsModel* groups() const { return m_groups; }
    QComboBox* grouping() const { return m_grouping; }
    RateChartView* chart() const { return m_chart; }
    // Shows nothing until given a TopologyModel (TopologyView::setModel).
    TopologyView* topology() const { return m_topology; }
    // The map's and the chart's tabs.
    QTabWidget* lowerTabs() const { return m_lowerTabs; }
    // Selects the agent's row in the table (the topology's instances open it).
    void selectAgent(const QString& agentId);
    QSplitter* splitter() const { return m_splitter; }

    // Rows a column refit measures (QHeaderView::setResizeContentsPrecision).
    static constexpr int kFitRows = 100;

private:
    void fitColumns();

    FleetModel* m_fleet;
    QTableView* m_table;
    HealthDelegate* m_delegate;
    RateChartView* m_chart;
    TopologyView* m_topology;
    QTabWidget* m_lowerTabs;
    QSplitter* m_splitter;
    FleetGroupsModel* m_groups;
    QTableView* m_groupsTable;
    HealthDelegate* m_groupsDelegate;
    QComboBox* m_grouping;
};

} // namespace switchboard
