#pragma once

#include "AgentRoster.h"
#include "AgentSnapshot.h"
#include "CachePrefixModel.h"
#include "CacheSummary.h"
#include "ConnectionState.h"
#include "RingBuffer.h"
#include "StreamEvent.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

namespace switchboard {

// The tiered caches the agents report: one row per instance, then a row of fleet totals (hit
// rates weighted by gets, rates and sizes summed over the live instances). Instances naming the
// same Redis target share its keys: current() sums their prefixes and takes Redis's figures from
// the freshest report (live before stale, then the latest check) for the Redis target shown
// (the first reported, until setCurrentTarget picks another). Keeps a bounded hit-rate history
// per layer and target for the chart. Fed with values only (snapshots, events, connection
// states), like ShardsModel.
class CacheModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        HealthColumn,
        InstanceColumn,
        RedisColumn,
        HitRateColumn,
        L1HitRateColumn,
        L2HitRateColumn,
        GetsColumn,
        L1EntriesColumn,
        L1MemoryColumn,
        L2ErrorsColumn,
        LoadsColumn,
        InvalidationColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health, for the cell colour
        CacheHealthRole,               // switchboard::CacheHealth as int
        AgentIdRole,                   // QString; empty on the totals row
        TotalRole,                     // bool, true on the totals row
        HitRateRole,                   // double, percent; -1 unknown
    };
    Q_ENUM(Role)

    // 12 minutes at the default 1 s statistics interval: the chart's window with room to spare.
    static constexpr qsizetype kHistoryCapacity = 720;

    explicit CacheModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void addAgent(const QString& agentId, const QString& label = {});
    void removeAgent(const QString& agentId);
    // Takes the snapshot's cache (and instance name); a snapshot without one drops the agent's
    // earlier report.
    void updateAgent(const QString& agentId, const AgentSnapshot& snapshot);
    // Cache events; other kinds are ignored.
    void applyEvent(const QString& agentId, const StreamEvent& event);
    void applyCache(const QString& agentId, const CacheStatus& cache);
    void setConnectionState(const QString& agentId, ConnectionState state,
                            const QDateTime& staleSince = {});

    // Keys of every Redis target reported, in the order first seen.
    QStringList targetKeys() const;
    // The target an agent reports; empty when it reports no cache.
    QString targetOf(const QString& agentId) const;
    QString currentTarget() const { return m_current.key; }
    void setCurrentTarget(const QString& key);
    // The current target as shown; isEmpty() when no agent reports a cache.
    const CacheTargetSummary& current() const { return m_current; }
    CacheTargetSummary target(const QString& key) const;
    // The per-prefix table of the current target.
    CachePrefixModel* prefixes() { return &m_prefixes; }
    const CachePrefixModel* prefixes() const { return &m_prefixes; }
    // Hit rates over time for a target; nullptr before its first report.
    const RingBuffer<CacheHitRatePoint>* history(const QString& key) const;
    // The instances reporting a target, by name, with whether each listens for invalidations.
    QList<QPair<QString, bool>> subscribers(const QString& key) const;
    // The totals row over every instance: figures and health.
    CacheFigures totals() const;
    CacheHealth health(int row) const;
    // The instance name, else the label, else the id.
    QString agentName(const QString& agentId) const;

signals:
    // Anything about the caches changed (the table may not have: a prefix, Redis's figures).
    void cacheChanged();
    // A point was appended to some target's hit-rate history.
    void historyChanged();

private:
    struct AgentState : AgentEntry {
        std::optional<CacheStatus> cache;
    };

    static QString keyOf(const AgentState& agent);
    const AgentState* freshest(const QString& key) const;
    // The reports to figure "now" from: the live ones, or all when none is live.
    QList<const CacheStatus*> nowReports(const QString& key) const;
    QList<const AgentState*> reporting() const; // agents with a cache, in order
    CacheHealth agentHealth(const AgentState& agent) const;
    QVariant displayData(int row, int column) const;
    void appendHistory(const QString& key);
    void refresh();

    AgentRoster<AgentState> m_agents;
    QList<QString> m_rows; // agent ids of the instance rows; the totals row follows
    QString m_chosen;      // what setCurrentTarget asked for
    CacheTargetSummary m_current;
    CachePrefixModel m_prefixes;
    QHash<QString, RingBuffer<CacheHitRatePoint>> m_history;
};

} // namespace switchboard
