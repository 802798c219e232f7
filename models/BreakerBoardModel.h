#pragma once

#include "AgentSnapshot.h"
#include "BreakerInstanceState.h"
#include "BreakerStatus.h"
#include "ConnectionState.h"

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QTimer>
#include <memory>
#include <optional>
#include <vector>

namespace switchboard {

// Every circuit breaker of the fleet, as a two-level tree: one top-level row per breaker name
// (all agents that have a breaker of that name together), whose children are the instances
// that have it. A top-level row aggregates its children: the worst state, a summary such as
// "Open 1 / Closed 1", the highest failure and slow-call rates, the summed call rates.
//
// Fed with values only (snapshots, breaker events, connection states). Call rates come from
// the cumulative counters: the difference between two reports over the agent's time between
// them. Times in state are on the agent's clock (its report time minus since_ms), so a console
// whose clock is off still shows the agent's truth. Row insertions and removals are signalled
// at once; value changes are coalesced into one dataChanged per burst (every breaker of every
// agent reports each second), so a view repaints once per burst, not once per breaker.
class BreakerBoardModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn, // breaker name; on an instance row "service/instance"
        StateColumn,
        FailureRateColumn,
        SlowCallRateColumn,
        CallsPerSecondColumn,
        NotPermittedColumn,
        TimeInStateColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // On every column of a row. "Group" rows are the top level; values there aggregate.
    enum Role {
        BreakerNameRole = Qt::UserRole + 1, // QString, on both levels
        AgentIdRole,                        // QString, the Fleet's agent id; empty on a group
        InstanceLabelRole,     // QString "service/instance"; on a group, the breaker name
        IsGroupRole,           // bool
        StateRole,             // int, protocol::BreakerState; a group's worst
        StateLabelRole,        // QString "Open", "Half-open", ...
        SeverityRole,          // int, breakerStateSeverity(); higher is worse
        HealthRole,            // switchboard::Health; Unknown for stale data
        FailureRateRole,       // double percent, -1 unknown; a group's highest
        SlowCallRateRole,      // double percent, -1 unknown; a group's highest
        CallsPerSecondRole,    // double, permitted calls (successful + failed); -1 unknown; summed
        NotPermittedCallsRole, // qint64, cumulative; summed
        NotPermittedPerSecondRole, // double, -1 unknown; summed
        BufferedCallsRole,         // qint64, calls in the window; summed
        TimeInStateRole,           // qint64 ms, -1 unknown; a group's longest in its worst state
        SummaryRole,               // QString "Open 1 / Closed 1"; an instance's own state label
        InstanceCountRole,         // int; 1 on an instance
        FailureHistoryRole,        // QList<double>, oldest first, one point a second, -1 = gap;
                                   // a group's is the highest rate of its instances each second
        FailureThresholdRole,      // double percent, -1 unknown; the agent's, else
                                   // setFailureThreshold's; a group's lowest sent
        IsStaleRole,               // bool; a group is stale when all its instances are
        StaleSinceRole,            // QDateTime of the last message; a group's oldest stale one
        StatusTextRole,     // QString "stale since 12:03:04", "1 of 3 instances stale", or ""
        LastTransitionRole, // QString "closed → open, failure rate over threshold", or ""
        OverrideTextRole,   // QString "forced open by alice · 4 min left", or ""; on a group
                            // the first overridden instance's, or "2 instances overridden"
    };
    Q_ENUM(Role)

    static constexpr qsizetype kHistoryLength = BreakerInstanceState::kHistoryLength;

    explicit BreakerBoardModel(QObject* parent = nullptr);
    ~BreakerBoardModel() override;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The entry points.
    // Names an agent before it has said who it is (the label is used until its snapshot).
    void addAgent(const QString& agentId, const QString& label = {});
    // Replaces the agent's breakers with the snapshot's; breakers it no longer has go.
    void updateAgent(const QString& agentId, const AgentSnapshot& snapshot);
    // One report of one breaker; `timeMs` is the agent's time of the report.
    void applyBreaker(const QString& agentId, const BreakerStatus& breaker, qint64 timeMs);
    void setConnectionState(const QString& agentId, ConnectionState state,
                            const QDateTime& staleSince = {});
    void removeAgent(const QString& agentId);
    // The failure-rate threshold to draw under a breaker's sparkline when its agents do not
    // send one (agents before failure_rate_threshold); an agent's value wins.
    void setFailureThreshold(const QString& breakerName, double percent);

    // Sends the pending dataChanged now instead of at the end of the burst.
    void flushPendingChanges();

    // Lookups for views and the Fleet.
    QModelIndex groupIndex(const QString& breakerName, int column = 0) const;
    QModelIndex instanceIndex(const QString& breakerName, const QString& agentId,
                              int column = 0) const;
    std::optional<BreakerStatus> breaker(const QString& agentId, const QString& name) const;
    QString instanceLabel(const QString& agentId) const; // "service/instance"
    // The whole board: breakers counted by their worst state, "Open 1 / Closed 11".
    QString boardSummary() const;

    // "Open 1 / Half-open 2 / Closed 3": counts by state, worst first; empty for no states.
    static QString summaryText(const QList<protocol::BreakerState>& states);

private:
    struct Instance;
    struct Group;
    struct AgentState {
        QString label;
        ConnectionState state = ConnectionState::Live;
        QDateTime staleSince;
    };

    Group* findGroup(const QString& name) const;
    void insertGroup(std::unique_ptr<Group> group);
    void removeInstance(Group* group, int row);
    void removeGroup(int row);
    void reindexGroups();
    void markDirty(Group* group, Instance* instance);
    bool isStale(const QString& agentId) const;

    QVariant groupData(const Group& group, int column, int role) const;
    QVariant instanceData(const Instance& instance, int column, int role) const;
    QString instanceStatusText(const Instance& instance) const;
    QString groupStatusText(const Group& group) const;

    std::vector<std::unique_ptr<Group>> m_groups; // sorted by name
    QHash<QString, AgentState> m_agents;
    QHash<QString, double> m_thresholds;
    QTimer m_flushTimer;
};

} // namespace switchboard
