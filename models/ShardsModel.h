#pragma once

#include "AgentRoster.h"
#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "ShardCluster.h"
#include "StreamEvent.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QStringList>

namespace switchboard {

// The shard clusters the agents report. Agents sharing one `catalog` are one cluster: rows,
// bytes and the bucket map come from the freshest report (live before stale, then the latest
// check), writes/s and reads/s are summed over the live instances (over every instance when
// none is live, as the last figures seen). The table has one row per node of the current
// cluster (the first one reported, until setCurrentCluster picks another); cluster() gives the
// heatmap and the rebalance dialog a whole cluster as a value. Fed with values only
// (snapshots, events, connection states), like ReplicationModel.
class ShardsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        HealthColumn,
        NodeColumn,
        TargetColumn,
        BucketsColumn,
        RowsColumn,
        BytesColumn,
        OpsColumn,
        ShareColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health, for the cell colour
        ShardHealthRole,               // switchboard::ShardHealth as int
        NodeIndexRole,                 // int, the node's index in the cluster (its colour)
        RowsRole,                      // qint64; -1 unknown
        BytesRole,                     // qint64; -1 unknown
        OpsRole,                       // double, writes + reads per second; -1 unknown
        ShareRole,                     // double, percent of the cluster's rows; -1 unknown
    };
    Q_ENUM(Role)

    explicit ShardsModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void addAgent(const QString& agentId, const QString& label = {});
    void removeAgent(const QString& agentId);
    // Takes the snapshot's shards (and instance name); a snapshot without them drops the
    // agent's earlier report.
    void updateAgent(const QString& agentId, const AgentSnapshot& snapshot);
    // Shards events; other kinds are ignored.
    void applyEvent(const QString& agentId, const StreamEvent& event);
    void applyShards(const QString& agentId, const ShardsStatus& shards);
    void setConnectionState(const QString& agentId, ConnectionState state,
                            const QDateTime& staleSince = {});

    // Keys of every cluster reported, in the order first seen.
    QStringList clusterKeys() const;
    // The cluster an agent reports; empty when it reports none.
    QString clusterOf(const QString& agentId) const;
    QString currentCluster() const { return m_current.key; }
    void setCurrentCluster(const QString& key);
    // The current cluster as shown; empty (isEmpty()) when no agent reports shards.
    const ShardCluster& current() const { return m_current; }
    // Any cluster, computed now.
    ShardCluster cluster(const QString& key) const;

signals:
    // Anything about the clusters changed (the table may not have: a bucket, a move, a rate).
    void clusterChanged();

private:
    struct AgentState : AgentEntry {
        std::optional<ShardsStatus> shards;
        qint64 downSinceMs = 0; // when the catalog started failing; 0 while up
    };

    static QString keyOf(const AgentState& agent);
    const AgentState* freshest(const QString& key) const;
    QVariant displayData(const ShardNodeSummary& node, int column) const;
    void refresh();

    AgentRoster<AgentState> m_agents;
    QString m_chosen; // what setCurrentCluster asked for
    ShardCluster m_current;
};

} // namespace switchboard
