#pragma once

#include "AgentRoster.h"
#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "ReplicationStatus.h"
#include "RingBuffer.h"
#include "StreamEvent.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace switchboard {

// One row per database node (the primary, then each replica) of every replication setup the
// agents report. Instances of one backend share its database, so their reports of the same
// node (same primary target, same node name) make one row: the freshest report is shown, reads/s
// routed to the node are summed over the instances, and a column names who reported. Fed with
// values only (snapshots, events, connection states), like FleetModel; keeps a bounded replay
// lag history per replica for the lag chart.
class ReplicationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        HealthColumn,
        NodeColumn,
        RoleColumn,
        StateColumn,
        SyncColumn,
        LagBytesColumn,
        LagSecondsColumn,
        ReadsColumn,
        EligibleColumn,
        ReportedByColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health, for the cell colour
        ReplicationHealthRole,         // switchboard::ReplicationHealth as int
        NodeKeyRole,                   // QString, the row's key (lagHistory's argument)
        LagSecondsRole,                // double, replay lag; -1 for the primary or a down node
        LagBytesRole,                  // qint64, replay lag; -1 likewise
        ReadsPerSecondRole,            // double, summed; -1 before two router reports
    };
    Q_ENUM(Role)

    struct LagPoint {
        qint64 timeMs = 0; // the agent's check time
        double seconds = 0.0;
    };
    // 12 minutes at the default 1 s probe interval: the chart's window with room to spare.
    static constexpr qsizetype kHistoryCapacity = 720;

    explicit ReplicationModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void addAgent(const QString& agentId, const QString& label = {});
    void removeAgent(const QString& agentId);
    // Takes the snapshot's replication and read router (and instance name), if any.
    void updateAgent(const QString& agentId, const AgentSnapshot& snapshot);
    // Replication and read router events; other kinds are ignored.
    void applyEvent(const QString& agentId, const StreamEvent& event);
    void applyReplication(const QString& agentId, const ReplicationStatus& replication);
    // `timeMs`: the agent's time of the report, for reads/s from the cumulative counters.
    void applyReadRouter(const QString& agentId, const ReadRouterStatus& router, qint64 timeMs);
    void setConnectionState(const QString& agentId, ConnectionState state,
                            const QDateTime& staleSince = {});

    // Keys of the replica rows, in row order (for the chart: one line each).
    QStringList replicaKeys() const;
    QString nodeName(const QString& key) const;
    // Replay lag over time; nullptr for a key with no history.
    const RingBuffer<LagPoint>* lagHistory(const QString& key) const;
    // The read router's max_lag_ms as seconds (the largest any agent reports); -1 without router.
    double maxLagSeconds() const;
    ReplicationHealth health(int row) const;
    // Rows whose data is stale, and since when (the earliest); invalid when none is.
    QDateTime staleSince() const;
    int rowOfNode(const QString& key) const; // -1 if unknown

signals:
    // A point was appended to some replica's lag history.
    void historyChanged();

private:
    struct ReadCounter {
        qint64 reads = 0;
        qint64 timeMs = 0;
    };
    struct AgentState : AgentEntry {
        std::optional<ReplicationStatus> replication;
        std::optional<ReadRouterStatus> router;
        QHash<QString, ReadCounter> lastReads; // target name → last counter seen
        QHash<QString, double> readRates;      // target name → reads/s between the last two
        qint64 downSinceMs = 0; // when the replication probe started failing; 0 while up
    };
    struct Row {
        QString key;   // group + '/' + node name
        QString group; // the primary's target, or the agent id when the agent names none
        QString node;
        bool primary = false;
    };

    static QString groupOf(const AgentState& agent);
    // The agent whose report the row shows: live before stale, then the latest check.
    const AgentState* freshest(const Row& row) const;
    const ReplicaStatus* replicaOf(const AgentState& agent, const QString& node) const;
    ReplicationHealth rowHealth(const Row& row, QDateTime* staleSince = nullptr) const;
    double readsPerSecond(const Row& row) const;
    QStringList reporters(const Row& row) const;
    QVariant displayData(const Row& row, int column) const;
    void rebuildRows();
    void appendHistory(const AgentState& agent);

    AgentRoster<AgentState> m_agents;
    QList<Row> m_rows;
    QHash<QString, RingBuffer<LagPoint>> m_history;
};

} // namespace switchboard
