#pragma once

#include "StaleBanner.h"
#include "Theme.h"

#include <QWidget>

class QLabel;
class QSplitter;
class QTableView;

namespace switchboard {

class HealthDelegate;
class ReplicationLagChart;
class ReplicationModel;

// The database nodes behind the fleet: a table with one row per primary and replica (health in
// colour and in words, lag, reads/s routed to each, eligibility for reads) above a chart of each
// replica's replay lag against the read router's limit. A banner says when what is shown is
// stale. Reads ReplicationModel only.
class ReplicationView : public QWidget {
    Q_OBJECT
public:
    explicit ReplicationView(ReplicationModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    QTableView* table() const { return m_table; }
    // Selects the node's row (ReplicationModel's node key) and scrolls to it.
    void selectNode(const QString& key);
    ReplicationLagChart* chart() const { return m_chart; }
    // Shown while some row is stale; hidden otherwise.
    QLabel* staleBanner() const { return m_staleBanner; }
    // "No agent reports replication yet", shown while the table is empty.
    QLabel* emptyLabel() const { return m_emptyLabel; }

private:
    void updateStatus();
    void fitColumns();

    ReplicationModel* m_model;
    StaleBanner* m_staleBanner;
    QLabel* m_emptyLabel;
    QTableView* m_table;
    HealthDelegate* m_delegate;
    ReplicationLagChart* m_chart;
    QSplitter* m_splitter;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
