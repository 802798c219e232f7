#include "region_preflight.h"

#include "switchboard/protocol.h"

#include <algorithm>
#include <sstream>

namespace switchboard {

namespace verdict = protocol::verdict;

bool RegionPreflight::passed() const {
    return !checks.empty() && std::none_of(checks.begin(), checks.end(), [](const auto& check) {
        return check.verdict == verdict::kFail;
    });
}

std::pair<std::string, int> conninfoHostPort(const std::string& conninfo) {
    std::string host;
    int port = 5432;
    std::istringstream words(conninfo);
    std::string word;
    while (words >> word) {
        if (word.starts_with("host="))
            host = word.substr(5);
        else if (word.starts_with("port="))
            port = std::atoi(word.c_str() + 5);
    }
    return {host, port};
}

namespace {

std::string bytes(std::int64_t value) {
    return std::to_string(value) + " B";
}

struct Checks {
    std::vector<PreflightCheck>& list;
    void add(const std::string& name, bool pass, const std::string& detail) {
        list.push_back({name, pass ? verdict::kPass : verdict::kFail, detail});
    }
};

void checkStandbyLeader(const RegionPreflightInput& input, Checks& checks) {
    const HaRegion& target = *input.target;
    const HaMember* leader = target.leaderMember();
    if (!leader) {
        checks.add(target.name + ": standby leader", false,
                   target.name + " has no standby leader now" +
                       (target.error.empty() ? std::string() : ": " + target.error));
        return;
    }
    const std::string who = leader->name + ": ";
    checks.add(who + "standby leader", leader->role == "standby_leader",
               leader->role == "standby_leader"
                   ? leader->name + " is " + target.name + "'s standby leader"
                   : "Patroni says " + leader->role + ": " + target.name +
                         " is not a standby cluster of " + input.active->name);
    checks.add(who + "streaming", leader->streaming,
               leader->streaming
                   ? input.active->name + "'s leader lists it as streaming"
                   : input.active->name + "'s leader does not list it as streaming: promoting it "
                                          "now could lose acknowledged writes");
    const auto& lag = target.crossRegionLagBytes;
    if (lag)
        checks.add(who + "lag", *lag <= input.maxLagBytes,
                   bytes(*lag) + " behind " + input.active->name + " (limit " +
                       bytes(input.maxLagBytes) + ")");
    else
        checks.add(who + "lag", false,
                   "its lag behind " + input.active->name +
                       " is unknown (Patroni gave no WAL "
                       "position)");
}

void checkShard(const RegionPreflightInput& input, const ShardPairReading& shard, Checks& checks) {
    const std::string who = shard.node + ": ";
    const auto [host, port] = conninfoHostPort(shard.activeConninfo);
    const std::string active = host + ":" + std::to_string(port);
    if (!shard.error.empty()) {
        checks.add(who + "standby", false,
                   "its server in " + input.target->name + " does not answer: " + shard.error);
        return;
    }
    checks.add(who + "standby", shard.inRecovery,
               shard.inRecovery ? "its server in " + input.target->name + " is a standby"
                                : "its server in " + input.target->name +
                                      " is not in recovery: it is a primary already");
    checks.add(who + "streaming", shard.streaming && shard.fromActive,
               !shard.streaming ? "its standby's WAL receiver is not streaming"
               : !shard.fromActive
                   ? "its standby streams, but not from " + active + " (its active server)"
                   : "streams from " + active);
    if (shard.lagBytes)
        checks.add(who + "lag", *shard.lagBytes <= input.maxLagBytes,
                   bytes(*shard.lagBytes) + " behind " + active + " (limit " +
                       bytes(input.maxLagBytes) + ")");
    else
        checks.add(who + "lag", false, "unknown: the active server's WAL position was not read");
}

} // namespace

RegionPreflight regionPreflight(const RegionPreflightInput& input) {
    RegionPreflight result;
    Checks checks{result.checks};
    if (!input.active || !input.target) {
        checks.add("regions", false, "the active or the target region is unknown");
        return result;
    }
    const HaRegion& active = *input.active;
    const HaRegion& target = *input.target;
    checks.add("target region", target.name != active.name,
               target.name != active.name
                   ? target.name + " takes over from " + active.name
                   : target.name + " is the active region already: nothing to take over");
    const HaMember* leader = active.leaderMember();
    const bool leads = leader && leader->isLeader();
    checks.add(active.name + ": leader", leads,
               leads ? leader->name + " leads " + active.name
                     : active.name + " has no leader now" +
                           (active.error.empty() ? std::string() : ": " + active.error));
    if (!input.shardsProblem.empty())
        checks.add("shards", false, input.shardsProblem);

    if (input.kind == protocol::drill_kind::kRegionFailback) {
        const HaMember* targetLeader = target.leaderMember();
        checks.add(target.name + ": cluster", targetLeader != nullptr,
                   targetLeader ? targetLeader->name + " leads " + target.name + " (" +
                                      targetLeader->role + ")"
                                : target.name + " has no leader: it cannot follow " + active.name);
        checks.add(
            "standby_cluster", input.targetStandbyConfigured && input.activeStandbyConfigured,
            input.targetStandbyConfigured && input.activeStandbyConfigured
                ? "both regions say how to follow the other"
                : "ha.regions[" + (input.targetStandbyConfigured ? active.name : target.name) +
                      "].standby_cluster is not configured: the drill cannot make it "
                      "follow the other region");
        if (!input.shards.empty())
            checks.add("shard_rejoin_command", input.rejoinCommandConfigured,
                       input.rejoinCommandConfigured
                           ? "rebuilds " + target.name + "'s shard servers as standbys"
                           : "ha.shard_rejoin_command is not configured: " + target.name +
                                 "'s shard servers cannot follow " + active.name);
    } else {
        checkStandbyLeader(input, checks);
        for (const auto& shard : input.shards)
            checkShard(input, shard, checks);
    }
    checks.add("no other drill", !input.otherDrillRunning,
               input.otherDrillRunning ? "another drill is running" : "no drill is running");
    return result;
}

} // namespace switchboard
