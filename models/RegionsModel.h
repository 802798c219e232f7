#pragma once

#include "AgentRoster.h"
#include "AgentSnapshot.h"
#include "ConnectionState.h"
#include "DrillHistoryModel.h"
#include "RegionsStatus.h"
#include "StreamEvent.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <optional>

namespace switchboard {

// The regions as the console shows them: one agent's document (the freshest), who reported it
// and whether it is stale.
struct RegionsSummary {
    RegionsStatus status;
    QString sourceAgentId; // empty: no agent reports regions
    QStringList reporters; // instance names, the source first
    bool stale = false;    // every reporter's stream has stopped
    QDateTime staleSince;  // the source's last message, when stale

    bool isEmpty() const { return sourceAgentId.isEmpty(); }
};

// The regions and drills the agents report. Every agent of a service with `ha` configured
// probes the same Patroni clusters, so the console shows one document: the freshest (a live
// agent's before a stale one's, then the latest check; FreshestReport), and marks it stale only
// when every reporter's stream has stopped. Keeps the drill history model of that document.
// Fed with values only (snapshots, events, connection states), like CacheModel.
class RegionsModel : public QObject {
    Q_OBJECT
public:
    explicit RegionsModel(QObject* parent = nullptr);

    void addAgent(const QString& agentId, const QString& label = {});
    void removeAgent(const QString& agentId);
    // Takes the snapshot's regions (and instance name); a snapshot without them drops the
    // agent's earlier report.
    void updateAgent(const QString& agentId, const AgentSnapshot& snapshot);
    // Regions events; other kinds are ignored.
    void applyEvent(const QString& agentId, const StreamEvent& event);
    void applyRegions(const QString& agentId, const RegionsStatus& regions);
    void setConnectionState(const QString& agentId, ConnectionState state,
                            const QDateTime& staleSince = {});

    const RegionsSummary& current() const { return m_current; }
    // The drills of the document shown, newest first.
    DrillHistoryModel* drills() { return &m_drills; }
    const DrillHistoryModel* drills() const { return &m_drills; }
    // The instance name, else the label, else the id.
    QString agentName(const QString& agentId) const;

signals:
    // What current() returns changed (or may have: a new report of the same figures).
    void regionsChanged();

private:
    struct AgentState : AgentEntry {
        std::optional<RegionsStatus> regions;
    };

    void refresh();

    AgentRoster<AgentState> m_agents;
    RegionsSummary m_current;
    DrillHistoryModel m_drills;
};

} // namespace switchboard
