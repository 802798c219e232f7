#pragma once

#include "ConnectionState.h"

#include <QList>

namespace switchboard {

// Of several agents' reports of the same thing (a database, a shard cluster), the one to show:
// a live agent's before a stale one's, then the latest check. `Agent` has a `state`
// (ConnectionState); `matches` picks the agents that report it, `checkedMs` says when each
// checked. nullptr when none matches.
template <typename Agent, typename Matches, typename CheckedMs>
const Agent* freshestReport(const QList<Agent>& agents, Matches matches, CheckedMs checkedMs) {
    const Agent* best = nullptr;
    for (const Agent& agent : agents) {
        if (!matches(agent))
            continue;
        if (!best) {
            best = &agent;
            continue;
        }
        const bool live = agent.state == ConnectionState::Live;
        const bool bestLive = best->state == ConnectionState::Live;
        if ((live && !bestLive) || (live == bestLive && checkedMs(agent) > checkedMs(*best)))
            best = &agent;
    }
    return best;
}

} // namespace switchboard
