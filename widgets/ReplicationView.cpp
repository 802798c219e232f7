#include "ReplicationView.h"

#include "FleetPageParts.h"
#include "HealthDelegate.h"
#include "ReplicationLagChart.h"
#include "ReplicationModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>

namespace switchboard {

ReplicationView::ReplicationView(ReplicationModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_staleBanner(new StaleBanner(QStringLiteral("replicationStaleBanner"), this))
    , m_emptyLabel(new QLabel(this))
    , m_table(new QTableView(this))
    , m_delegate(new HealthDelegate(ReplicationModel::HealthRole, this))
    , m_chart(new ReplicationLagChart(model, this))
    , m_splitter(new QSplitter(Qt::Vertical, this)) {
    setObjectName(QStringLiteral("replication"));
    setUpEmptyLabel(m_emptyLabel, QStringLiteral("replicationEmpty"),
                    tr("No agent reports replication yet. Agents report it when their "
                       "configuration names a postgres primary."));

    setUpReadOnlyTable(m_table, QStringLiteral("replicationTable"), 120);
    m_table->setModel(model);
    m_table->setItemDelegate(m_delegate);
    m_chart->setObjectName(QStringLiteral("replicationLagChart"));

    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_chart);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({200, 400});
    m_splitter->setChildrenCollapsible(false);

    stackFleetPage(this, m_staleBanner, m_emptyLabel, m_splitter);

    // Rows come with a reset (configuration changes) and figures with dataChanged.
    auto refresh = [this] {
        updateStatus();
        fitColumns();
    };
    connect(model, &QAbstractItemModel::modelReset, this, refresh);
    connect(model, &QAbstractItemModel::dataChanged, this, refresh);
    setTheme(m_theme);
    updateStatus();
    fitColumns();
}

void ReplicationView::setTheme(const Theme& theme) {
    m_theme = theme;
    m_delegate->setTheme(theme);
    m_chart->setTheme(theme);
    m_staleBanner->setTheme(theme);
    m_table->viewport()->update();
}

void ReplicationView::updateStatus() {
    m_emptyLabel->setVisible(m_model->rowCount() == 0);
    // Old lag figures look exactly like current ones: say it in words above the table.
    const QDateTime since = m_model->staleSince();
    bool stale = since.isValid();
    for (int row = 0; !stale && row < m_model->rowCount(); ++row)
        stale = m_model->health(row) == ReplicationHealth::Stale;
    if (stale) {
        m_staleBanner->setText(
            since.isValid()
                ? tr("Replication data is stale since %1: the agent is unreachable or its "
                     "replication probe fails. The figures below are the last ones seen.")
                      .arg(since.toString(QStringLiteral("HH:mm:ss")))
                : tr("Replication data is stale: the figures below are the last ones seen."));
    }
    m_staleBanner->setVisible(stale);
}

void ReplicationView::fitColumns() {
    QHeaderView* header = m_table->horizontalHeader();
    for (int column = 0; column < ReplicationModel::ColumnCount; ++column)
        header->setSectionResizeMode(column, column == ReplicationModel::EligibleColumn
                                                 ? QHeaderView::Stretch
                                                 : QHeaderView::ResizeToContents);
}

void ReplicationView::selectNode(const QString& key) {
    const int row = m_model->rowOfNode(key);
    if (row < 0)
        return;
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
}

} // namespace switchboard
