#include "OverviewView.h"

#include "FleetGroupsModel.h"
#include "FleetModel.h"
#include "HealthDelegate.h"
#include "RateChartView.h"
#include "TopologyView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

OverviewView::OverviewView(FleetModel* fleet, const TimeSeriesStore* series, QWidget* parent)
    : QWidget(parent)
    , m_fleet(fleet)
    , m_table(new QTableView(this))
    , m_delegate(new HealthDelegate(FleetModel::HealthRole, this))
    , m_chart(new RateChartView(fleet, series, this))
    , m_topology(new TopologyView(this))
    , m_lowerTabs(new QTabWidget(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_groups(new FleetGroupsModel(fleet, this))
    , m_groupsTable(new QTableView(this))
    , m_groupsDelegate(new HealthDelegate(FleetGroupsModel::HealthRole, this))
    , m_grouping(new QComboBox(this)) {
    setObjectName(QStringLiteral("overview"));
    m_table->setObjectName(QStringLiteral("fleetTable"));
    m_table->setModel(fleet);
    m_table->setItemDelegate(m_delegate);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setMinimumHeight(120);
    m_chart->setObjectName(QStringLiteral("rateChart"));

    // The fleet per region or service: hundreds of agents read as a few rows.
    m_grouping->setObjectName(QStringLiteral("fleetGrouping"));
    m_grouping->addItem(tr("By region"), QVariant::fromValue(FleetGroupsModel::Grouping::Region));
    m_grouping->addItem(tr("By service"), QVariant::fromValue(FleetGroupsModel::Grouping::Service));
    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this] {
        m_groups->setGrouping(m_grouping->currentData().value<FleetGroupsModel::Grouping>());
    });
    m_groupsTable->setObjectName(QStringLiteral("fleetGroupsTable"));
    m_groupsTable->setModel(m_groups);
    m_groupsTable->setItemDelegate(m_groupsDelegate);
    m_groupsTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_groupsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_groupsTable->verticalHeader()->hide();
    m_groupsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_groupsTable->horizontalHeader()->setStretchLastSection(true);
    auto* groupsPanel = new QWidget(this);
    auto* groupsLayout = new QVBoxLayout(groupsPanel);
    groupsLayout->setContentsMargins(0, 0, 0, 0);
    auto* groupsHeader = new QHBoxLayout;
    groupsHeader->addWidget(new QLabel(tr("<b>Fleet</b>"), groupsPanel));
    groupsHeader->addStretch(1);
    groupsHeader->addWidget(m_grouping);
    groupsLayout->addLayout(groupsHeader);
    groupsLayout->addWidget(m_groupsTable, 1);
    auto* top = new QSplitter(Qt::Horizontal, this);
    top->setObjectName(QStringLiteral("overviewTopSplitter"));
    top->addWidget(m_table);
    top->addWidget(groupsPanel);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 1);
    top->setChildrenCollapsible(false);

    m_splitter->setObjectName(QStringLiteral("overviewSplitter"));
    m_splitter->addWidget(top);
    // The map first: what is down and where reads at a glance; the request rate a tab away.
    // The map scrolls when a fleet of dozens makes it taller than the pane.
    auto* mapScroll = new QScrollArea(this);
    mapScroll->setObjectName(QStringLiteral("topologyScroll"));
    mapScroll->setWidgetResizable(true);
    mapScroll->setFrameShape(QFrame::NoFrame);
    mapScroll->setWidget(m_topology);
    m_lowerTabs->setObjectName(QStringLiteral("overviewTabs"));
    m_lowerTabs->setDocumentMode(true);
    m_lowerTabs->addTab(mapScroll, tr("Topology"));
    m_lowerTabs->addTab(m_chart, tr("Requests/s"));
    m_splitter->addWidget(m_lowerTabs);
    // The table needs a few rows; the map and chart are what the eye reads from across the room.
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({220, 600});
    m_splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    // Columns follow their content as agents appear and their texts change (the header refits
    // on the model's changes by itself); the probes column takes what is left, since its
    // summary is the longest.
    fitColumns();
}

void OverviewView::setTheme(const Theme& theme) {
    m_delegate->setTheme(theme);
    m_groupsDelegate->setTheme(theme);
    m_chart->setTheme(theme);
    m_topology->setTheme(theme);
    m_table->viewport()->update();
}

void OverviewView::selectAgent(const QString& agentId) {
    const int row = m_fleet->rowOfAgent(agentId);
    if (row < 0)
        return;
    m_table->selectRow(row);
    m_table->scrollTo(m_fleet->index(row, 0));
}

void OverviewView::fitColumns() {
    QHeaderView* header = m_table->horizontalHeader();
    // A refit measures this many rows, not a fleet of hundreds (Qt's default: 1000): every
    // Prometheus round changes every row, and measuring 500 of them blocked the GUI thread
    // for tens of milliseconds (bench_fleet_console).
    header->setResizeContentsPrecision(kFitRows);
    for (int column = 0; column < FleetModel::ColumnCount; ++column) {
        header->setSectionResizeMode(column, column == FleetModel::ProbesColumn
                                                 ? QHeaderView::Stretch
                                                 : QHeaderView::ResizeToContents);
    }
}

} // namespace switchboard
