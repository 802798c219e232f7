#pragma once

#include "StaleBanner.h"
#include "Theme.h"

#include <QWidget>

class QButtonGroup;
class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace switchboard {

class HealthDelegate;
class ShardHeatmap;
class ShardNodeBars;
class ShardsModel;

// The shard cluster behind the fleet: the bucket heatmap (colour = node, shade = rows or ops/s,
// moving buckets outlined with their progress), per-node bars of rows, bytes and ops/s, the
// skew in words, a table with a row per node, and "Rebalance…", which asks for the rebalance
// dialog of the agent whose report is shown. A banner says when what is shown is stale. Reads
// ShardsModel only.
class ShardsView : public QWidget {
    Q_OBJECT
public:
    explicit ShardsView(ShardsModel* model, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);

    ShardHeatmap* heatmap() const { return m_heatmap; }
    ShardNodeBars* nodeBars() const { return m_bars; }
    QTableView* table() const { return m_table; }
    // Shows the cluster (ShardsModel's key) and selects its node named `node`.
    void selectNode(const QString& cluster, const QString& node);
    QLabel* skewLabel() const { return m_skew; }
    QLabel* titleLabel() const { return m_title; }
    QLabel* movesLabel() const { return m_moves; }
    // Shown while the shown data is stale; hidden otherwise.
    QLabel* staleBanner() const { return m_staleBanner; }
    // "No agent reports shards yet", shown while there is no cluster.
    QLabel* emptyLabel() const { return m_emptyLabel; }
    QPushButton* rebalanceButton() const { return m_rebalance; }
    // Rows or ops/s as the heatmap's shade.
    void setIntensityOps(bool ops);

signals:
    // "Rebalance…": the agent (Fleet id) whose report the view shows.
    void requestRebalance(const QString& agentId);

private:
    void refresh();

    ShardsModel* m_model;
    StaleBanner* m_staleBanner;
    QLabel* m_emptyLabel;
    QWidget* m_content;
    QLabel* m_title;
    QComboBox* m_clusters;
    QButtonGroup* m_intensity;
    QPushButton* m_rebalance;
    ShardHeatmap* m_heatmap;
    ShardNodeBars* m_bars;
    QLabel* m_skew;
    QLabel* m_moves;
    QTableView* m_table;
    HealthDelegate* m_delegate;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
