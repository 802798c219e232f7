#include "RegionsModel.h"

#include "FreshestReport.h"

#include <algorithm>

namespace switchboard {

RegionsModel::RegionsModel(QObject* parent)
    : QObject(parent)
    , m_drills(this) {}

void RegionsModel::addAgent(const QString& agentId, const QString& label) {
    m_agents.add(agentId, label);
}

void RegionsModel::removeAgent(const QString& agentId) {
    m_agents.remove(agentId);
    refresh();
}

void RegionsModel::updateAgent(const QString& agentId, const AgentSnapshot& snapshot) {
    AgentState& state = m_agents.addFromSnapshot(agentId, snapshot);
    if (snapshot.regions) {
        applyRegions(agentId, *snapshot.regions);
        return;
    }
    // An agent without ha now (reconfigured, or older): what it fed goes.
    state.regions.reset();
    refresh();
}

void RegionsModel::applyEvent(const QString& agentId, const StreamEvent& event) {
    if (event.kind == StreamEvent::Kind::Regions)
        applyRegions(agentId, event.regions);
}

void RegionsModel::applyRegions(const QString& agentId, const RegionsStatus& regions) {
    m_agents.add(agentId).regions = regions;
    refresh();
}

void RegionsModel::setConnectionState(const QString& agentId, ConnectionState state,
                                      const QDateTime& staleSince) {
    if (m_agents.setConnectionState(agentId, state, staleSince))
        refresh();
}

QString RegionsModel::agentName(const QString& agentId) const {
    const AgentState* state = m_agents.find(agentId);
    return state ? state->name() : agentId;
}

void RegionsModel::refresh() {
    const AgentState* source = freshestReport(
        m_agents.list(), [](const AgentState& state) { return state.regions.has_value(); },
        [](const AgentState& state) { return state.regions->checkedMs; });
    RegionsSummary summary;
    if (source) {
        summary.status = *source->regions;
        summary.sourceAgentId = source->id;
        for (const AgentState& state : m_agents) {
            if (!state.regions)
                continue;
            if (&state == source) {
                summary.reporters.prepend(state.name());
            } else {
                summary.reporters.append(state.name());
                // Each agent keeps the drills it ran: the history is every reporter's.
                for (const DrillResult& drill : state.regions->drills)
                    if (std::none_of(
                            summary.status.drills.cbegin(), summary.status.drills.cend(),
                            [&](const DrillResult& known) { return known.id == drill.id; }))
                        summary.status.drills.append(drill);
            }
        }
        std::stable_sort(
            summary.status.drills.begin(), summary.status.drills.end(),
            [](const DrillResult& a, const DrillResult& b) { return a.startedMs > b.startedMs; });
        // The freshest report comes from a stale agent only when every reporter is stale.
        if (source->state != ConnectionState::Live) {
            summary.stale = true;
            summary.staleSince = source->staleSince;
        }
    }
    m_current = std::move(summary);
    m_drills.setDrills(m_current.status.drills);
    emit regionsChanged();
}

} // namespace switchboard
