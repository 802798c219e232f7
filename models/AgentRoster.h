#pragma once

#include "AgentSnapshot.h"
#include "ConnectionState.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace switchboard {

// What every fleet model knows of an agent whatever it reports: who it is, what to call it and
// whether its stream is live. A model's own per-agent state derives from this and adds the
// reports it keeps.
struct AgentEntry {
    QString id;
    QString label;
    QString instance;
    ConnectionState state = ConnectionState::Connecting;
    QDateTime staleSince;

    // The instance name, else the label, else the id.
    QString name() const { return !instance.isEmpty() ? instance : !label.isEmpty() ? label : id; }
};

// The agents a fleet model has heard of, in the order first seen, so that CacheModel,
// ShardsModel and ReplicationModel add, find, rename and mark agents stale the same way.
// `State` derives from AgentEntry. Not thread-safe: the models live on the GUI thread.
template <typename State> class AgentRoster {
public:
    // The agent, added first if unknown; `label` only names an agent being added.
    State& add(const QString& agentId, const QString& label = {}) {
        if (State* known = find(agentId))
            return *known;
        State state;
        state.id = agentId;
        state.label = label;
        m_agents.append(state);
        return m_agents.last();
    }

    // As add(), then takes the snapshot's instance name when it has one.
    State& addFromSnapshot(const QString& agentId, const AgentSnapshot& snapshot) {
        State& state = add(agentId);
        if (!snapshot.info.instance.isEmpty())
            state.instance = snapshot.info.instance;
        return state;
    }

    void remove(const QString& agentId) {
        m_agents.removeIf([&](const State& state) { return state.id == agentId; });
    }

    State* find(const QString& agentId) {
        for (State& state : m_agents) {
            if (state.id == agentId)
                return &state;
        }
        return nullptr;
    }
    const State* find(const QString& agentId) const {
        for (const State& state : m_agents) {
            if (state.id == agentId)
                return &state;
        }
        return nullptr;
    }

    // Records the agent's connection (adding it if unknown). False when nothing changed, so
    // the model need not tell its views.
    bool setConnectionState(const QString& agentId, ConnectionState connection,
                            const QDateTime& staleSince) {
        State& state = add(agentId);
        if (state.state == connection && state.staleSince == staleSince)
            return false;
        state.state = connection;
        state.staleSince = staleSince;
        return true;
    }

    const QList<State>& list() const { return m_agents; }
    auto begin() const { return m_agents.cbegin(); }
    auto end() const { return m_agents.cend(); }

private:
    QList<State> m_agents;
};

} // namespace switchboard
