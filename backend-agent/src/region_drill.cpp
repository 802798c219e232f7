#include "region_drill.h"

#include "clock.h"
#include "drill_sql.h"
#include "fault_command.h"
#include "region_fence.h"
#include "switchboard/protocol.h"
#include "switchboard/shard_router.h"
#include "write_router_core.h"

#include <algorithm>
#include <set>

namespace switchboard {

namespace drill_kind = protocol::drill_kind;
using nlohmann::json;
using std::chrono::milliseconds;
using Stop = DrillRun::Stop;

namespace {

constexpr milliseconds kCatchUpLimit{30000};
constexpr milliseconds kGateLimit{30000};
constexpr milliseconds kPromotionLimit{60000};
constexpr milliseconds kFollowLimit{120000}; // a demotion, maybe pg_rewind, then streaming
constexpr milliseconds kConsistentLimit{60000};
// How long a replica of a region that now follows may stay on its old timeline before it is
// reinitialized (a replica that can follow does so within a few seconds).
constexpr milliseconds kReplicaGrace{8000};
constexpr int kRejoinTimeoutMs = 180000; // a base backup of the shard

std::string ms(std::int64_t value) {
    return std::to_string(value) + " ms";
}

// A shard node has a server in each region: named node@region in the result's "databases".
std::string shardServer(const std::string& node, const std::string& region) {
    return node + "@" + region;
}

std::string serverOf(const std::string& conninfo) {
    const auto [host, port] = conninfoHostPort(conninfo);
    return host + ":" + std::to_string(port);
}

std::string substituted(std::string argument, const std::string& placeholder,
                        const std::string& value) {
    for (auto at = argument.find(placeholder); at != std::string::npos;
         at = argument.find(placeholder, at + value.size()))
        argument.replace(at, placeholder.size(), value);
    return argument;
}

std::string failingChecks(const RegionPreflight& preflight) {
    std::string text;
    for (const auto& check : preflight.checks)
        if (check.verdict == protocol::verdict::kFail)
            text += (text.empty() ? "" : "; ") + check.name + ": " + check.detail;
    return text;
}

} // namespace

RegionPreflightInput readRegionPreflight(const HaMonitor& monitor, const std::string& kind,
                                         const std::string& target, int timeoutMs,
                                         bool otherDrillRunning) {
    RegionPreflightInput input;
    input.kind = kind;
    input.maxLagBytes = monitor.config().maxLagBytes;
    input.otherDrillRunning = otherDrillRunning;
    const std::string activeName = monitor.activeRegion();
    input.active = monitor.region(activeName);
    input.target = monitor.region(target);
    const HaRegionConfig* activeConfig = nullptr;
    const HaRegionConfig* targetConfig = nullptr;
    for (const auto& region : monitor.config().regions) {
        if (region.name == activeName)
            activeConfig = &region;
        if (region.name == target)
            targetConfig = &region;
    }
    if (!activeConfig || !targetConfig)
        return input;
    input.activeStandbyConfigured = !activeConfig->standbyCluster.host.empty();
    input.targetStandbyConfigured = !targetConfig->standbyCluster.host.empty();
    input.rejoinCommandConfigured = !monitor.config().shardRejoinCommand.empty();
    for (const auto& [node, activeConninfo] : activeConfig->shards) {
        const auto found = targetConfig->shards.find(node);
        if (found == targetConfig->shards.end()) {
            input.shardsProblem = "ha.regions[" + target + "].shards has no server for " + node +
                                  ": the drill could not take the shard over";
            continue;
        }
        ShardPairReading pair;
        pair.node = node;
        pair.activeConninfo = activeConninfo;
        pair.targetConninfo = found->second;
        if (kind == drill_kind::kRegionFailover) {
            std::string error;
            if (const auto status = standbyStatus(pair.targetConninfo, timeoutMs, error)) {
                const auto [host, port] = conninfoHostPort(activeConninfo);
                pair.inRecovery = status->inRecovery;
                pair.streaming = status->receiverStatus == "streaming";
                pair.fromActive = status->senderHost == host && status->senderPort == port;
                std::string lsnError;
                if (const auto lsn = walPosition(activeConninfo, timeoutMs, lsnError))
                    pair.lagBytes = std::max<std::int64_t>(0, *lsn - status->replayLsn);
            } else {
                pair.error = error;
            }
        }
        input.shards.push_back(pair);
    }
    if (input.shardsProblem.empty() && activeConfig->shards.empty() &&
        !targetConfig->shards.empty())
        input.shardsProblem =
            "ha.regions[" + activeName + "].shards is empty but " + target + " lists shard servers";
    return input;
}

RegionDrill::RegionDrill(DrillRun& run, ShardRouter* shards)
    : run_(run)
    , shards_(shards) {}

void RegionDrill::step(const std::string& name, const std::string& detail, double fraction) {
    run_.step(name, detail, fraction);
}

void RegionDrill::setState(const std::string& name, const std::string& region,
                           const std::string& server, const std::string& state) {
    databases_[name] = {name, region, server, state};
    recordStates();
}

void RegionDrill::recordStates() {
    json list = json::array();
    for (const auto& [name, database] : databases_)
        list.push_back({{"name", database.name},
                        {"region", database.region},
                        {"server", database.server},
                        {"state", database.state}});
    run_.result_["databases"] = list;
}

std::string RegionDrill::statesText() const {
    std::string text;
    for (const auto& [name, database] : databases_)
        text += (text.empty() ? "" : "; ") + name + " (" + database.region + "): " + database.state;
    return text;
}

const HaRegionConfig& RegionDrill::regionConfig(const std::string& name) const {
    for (const auto& region : run_.monitor_.config().regions)
        if (region.name == name)
            return region;
    throw Stop{"failed", "no region named " + name};
}

HaRegion RegionDrill::freshRegion(const std::string& name) {
    run_.monitor_.refresh();
    auto region = run_.monitor_.region(name);
    if (!region)
        throw Stop{"failed", "no region named " + name};
    return *region;
}

void RegionDrill::patchConfig(const std::string& region, const json& body) {
    std::string failures;
    for (const auto& url : regionConfig(region).patroni) {
        const PatroniReply reply = run_.monitor_.patroni().patch(url, "/config", body);
        if (reply.status == 200)
            return;
        failures +=
            (failures.empty() ? "" : "; ") +
            (reply.status ? url + ": HTTP " + std::to_string(reply.status) + " " + reply.body
                          : reply.error);
    }
    throw Stop{"failed",
               "Patroni of " + region + " refused PATCH /config " + body.dump() + ": " + failures};
}

void RegionDrill::live(const std::string& kind, const std::string& target) {
    const std::string active = run_.monitor_.activeRegion();
    run_.result_["from"] = active;
    run_.result_["to"] = target;
    const RegionPreflight preflight =
        regionPreflight(readRegionPreflight(run_.monitor_, kind, target, run_.timeoutMs_, false));
    if (!preflight.passed())
        throw Stop{"failed", "preflight failed: " + failingChecks(preflight)};
    step("preflight", "every check passed (" + std::to_string(preflight.checks.size()) + ")", 0.05);
    try {
        if (kind == drill_kind::kRegionFailover) {
            takeOver(active, target);
            step("old region",
                 active + " stays fenced (read-only) and does not follow " + target +
                     "; region_failback with target " + active +
                     " makes it follow, then moves back",
                 1.0);
        } else {
            follow(target, active);
            takeOver(active, target);
            follow(active, target);
            waitConsistent(active);
        }
    } catch (const Stop& stop) {
        recordStates();
        throw Stop{stop.outcome,
                   stop.error + (databases_.empty() ? std::string()
                                                    : " [databases now: " + statesText() + "]")};
    }
}

void RegionDrill::takeOver(const std::string& from, const std::string& to) {
    HaMonitor& monitor = run_.monitor_;
    const int timeoutMs = run_.timeoutMs_;
    // The gate: the streaming checks must hold now. Waited for, briefly: in a failback the
    // target has just begun to follow and catches up, and the backend's bulk writes make the
    // cross-region lag jump past the limit for a moment. Nothing is fenced yet.
    std::string gateFailures;
    try {
        run_.waitFor(
            [&] {
                monitor.refresh();
                const RegionPreflight gate = regionPreflight(readRegionPreflight(
                    monitor, std::string(drill_kind::kRegionFailover), to, timeoutMs, false));
                gateFailures = failingChecks(gate);
                return gate.passed();
            },
            kGateLimit, "passing preflight before the switch");
    } catch (const Stop& stop) {
        throw Stop{stop.outcome, "before the switch: " + gateFailures};
    }
    const HaRegion fromRegion = freshRegion(from);
    const HaRegion toRegion = freshRegion(to);
    const HaMember* oldLeader = fromRegion.leaderMember();
    const HaMember* newLeader = toRegion.leaderMember();
    if (!oldLeader || !newLeader)
        throw Stop{"failed", "a region lost its leader before the switch"};
    const HaRegionConfig& fromConfig = regionConfig(from);
    const HaRegionConfig& toConfig = regionConfig(to);

    const std::string newConninfo = monitor.conninfoOf(*newLeader);
    PromotionWatch watch(newConninfo, timeoutMs);
    watch.promoted(); // its session open before the fence

    // Fence: the primaries first (the Patroni leader, each shard), then the replicas.
    struct Fenced {
        std::string name; // the Patroni member, or node@region for a shard
        std::string conninfo;
        std::optional<std::int64_t> lsn;
        std::string standbyConninfo; // what must replay up to lsn
    };
    std::vector<Fenced> primaries;
    primaries.push_back({oldLeader->name, monitor.conninfoOf(*oldLeader), {}, newConninfo});
    for (const auto& [node, conninfo] : fromConfig.shards)
        primaries.push_back({shardServer(node, from), conninfo, {}, toConfig.shards.at(node)});
    std::vector<Fenced> replicas;
    for (const auto& member : fromRegion.members)
        if (member.name != oldLeader->name)
            replicas.push_back({member.name, monitor.conninfoOf(member), {}, {}});

    std::vector<std::string> fencedConninfos;
    auto unfenceAll = [&](const std::string& why, const std::string& outcome) {
        for (const auto& fenced : primaries)
            for (const auto& conninfo : fencedConninfos)
                if (conninfo == fenced.conninfo) {
                    const std::string error = unfenceServer(fenced.conninfo, timeoutMs);
                    setState(fenced.name, from, serverOf(fenced.conninfo),
                             error.empty()
                                 ? "primary, writable again (unfenced)"
                                 : "primary, STILL FENCED (read-only): unfence failed: " + error);
                }
        for (const auto& fenced : replicas)
            for (const auto& conninfo : fencedConninfos)
                if (conninfo == fenced.conninfo) {
                    const std::string error = unfenceServer(fenced.conninfo, timeoutMs);
                    setState(fenced.name, from, serverOf(fenced.conninfo),
                             error.empty() ? "replica (unfenced)"
                                           : "replica, still fenced: " + error);
                }
        throw Stop{outcome, why + "; nothing was promoted, the fence is lifted"};
    };

    run_.faultMs_ = nowMs();
    int sessions = 0;
    for (auto* group : {&primaries, &replicas})
        for (auto& fenced : *group) {
            const FenceOutcome outcome = fenceServer(fenced.conninfo, timeoutMs);
            if (outcome.readOnly)
                fencedConninfos.push_back(fenced.conninfo);
            const bool primary = group == &primaries;
            if (!outcome.ok()) {
                setState(fenced.name, from, serverOf(fenced.conninfo),
                         std::string(primary ? "primary" : "replica") +
                             (outcome.readOnly ? ", fenced (read-only)" : ", not fenced") + ": " +
                             outcome.error);
                if (primary)
                    unfenceAll("fencing " + fenced.name + " failed: " + outcome.error, "failed");
                continue; // a replica that cannot be fenced is reported, not fatal
            }
            if (primary && !outcome.lsn)
                unfenceAll(fenced.name + " is not a primary (in recovery)", "failed");
            fenced.lsn = outcome.lsn;
            sessions += outcome.terminated;
            setState(fenced.name, from, serverOf(fenced.conninfo),
                     std::string(primary ? "primary" : "replica") + ", fenced (read-only)");
        }
    step("fence",
         std::to_string(fencedConninfos.size()) + " database server(s) of " + from +
             " read-only, " + std::to_string(sessions) + " client session(s) ended, in " +
             ms(nowMs() - run_.faultMs_),
         0.2);

    // Catch-up: each standby has replayed its fenced primary's final position.
    const auto caughtUpStarted = nowMs();
    try {
        for (const auto& fenced : primaries)
            run_.waitFor(
                [&] {
                    std::string error;
                    const auto position = walPosition(fenced.standbyConninfo, timeoutMs, error);
                    return position && *position >= *fenced.lsn;
                },
                kCatchUpLimit, "replay of " + fenced.name + "'s final WAL position in " + to);
    } catch (const Stop& stop) {
        unfenceAll(stop.error, stop.outcome); // cancelled stays cancelled
    }
    step("caught up",
         "every standby in " + to + " replayed its fenced primary's final WAL position (" +
             ms(nowMs() - caughtUpStarted) + ")",
         0.3);

    // Promote: Patroni promotes the standby leader once the standby_cluster section is gone.
    const auto promoteStarted = nowMs();
    try {
        patchConfig(to, json{{"standby_cluster", nullptr}});
    } catch (const Stop& stop) {
        // Lift the fence only when Patroni's configuration still has the standby_cluster
        // section: a PATCH that timed out may have been applied, and unfencing then would leave
        // two writable regions.
        bool stillStandby = false;
        for (const auto& url : toConfig.patroni) {
            const PatroniReply reply = monitor.patroni().get(url, "/config");
            if (reply.status == 200 && reply.json.is_object()) {
                const auto found = reply.json.find("standby_cluster");
                stillStandby = found != reply.json.end() && found->is_object();
                break;
            }
        }
        if (stillStandby)
            unfenceAll(stop.error, stop.outcome);
        throw Stop{stop.outcome,
                   stop.error + "; " + from + " stays fenced: " + to + " may still promote"};
    }
    setState(newLeader->name, to, newLeader->host + ":" + std::to_string(newLeader->port),
             "promoting (standby_cluster removed)");
    std::vector<std::string> promotionErrors;
    std::set<std::string> promotedShards;
    for (const auto& [node, conninfo] : toConfig.shards) {
        std::string error;
        const auto promoted = promoteStandby(conninfo, timeoutMs, error);
        const bool ok = promoted && *promoted;
        if (ok)
            promotedShards.insert(node);
        else
            promotionErrors.push_back(node + ": " + (error.empty() ? "not promoted" : error));
        setState(shardServer(node, to), to, serverOf(conninfo),
                 ok ? "primary (promoted)" : "standby, NOT promoted: " + error);
    }
    run_.waitFor([&] { return watch.promoted(); }, kPromotionLimit,
                 newLeader->name + " accepting writes");
    setState(newLeader->name, to, newLeader->host + ":" + std::to_string(newLeader->port),
             "primary (promoted)");
    step("promoted",
         newLeader->name + " and " + std::to_string(promotedShards.size()) + " of " +
             std::to_string(toConfig.shards.size()) + " shard standby(s) accept writes " +
             ms(nowMs() - promoteStarted) + " after the promotion began",
         0.4);

    // Repoint: the monitor's active region first, so its probe follows the same leader.
    monitor.setActiveRegion(to);
    std::uint64_t epoch = 0;
    if (run_.writes_)
        epoch = run_.writes_->follow(newLeader->name, newConninfo);
    int repointed = 0;
    if (shards_)
        for (const auto& [node, conninfo] : toConfig.shards)
            if (promotedShards.count(node))
                repointed += shards_->repointNode(node, conninfo) ? 1 : 0;
    // Sessions a backend opened to a fenced server meanwhile would stay there, read-only.
    for (const auto& fenced : primaries) {
        std::string error;
        endClientSessions(fenced.conninfo, timeoutMs, error);
    }
    step("repoint",
         (run_.writes_ ? "writes to " + newLeader->name + " (epoch " + std::to_string(epoch) + ")"
                       : std::string("no write router")) +
             "; " + std::to_string(repointed) + " shard node(s) to their servers in " + to + "; " +
             to + " is the active region",
         0.5);
    // A shard standby that did not promote stays a standby of its fenced primary: the writes
    // that reach the others go on, and the error says which one is left.
    if (!promotionErrors.empty()) {
        std::string text;
        for (const auto& error : promotionErrors)
            text += (text.empty() ? "" : "; ") + error;
        throw Stop{"failed", "shard standbys not promoted: " + text};
    }

    // Canary: a row written and read back on each promoted database.
    json canaries = json::array();
    std::string canaryFailures;
    auto canary = [&](const std::string& name, const std::string& conninfo) {
        std::string error;
        const auto read =
            canaryWrite(conninfo, timeoutMs, run_.result_.value("id", ""), name, error);
        const bool ok = read && *read;
        canaries.push_back({{"database", name},
                            {"server", serverOf(conninfo)},
                            {"ok", ok},
                            {"error", ok ? std::string() : error}});
        if (!ok)
            canaryFailures += (canaryFailures.empty() ? "" : "; ") + name + ": " +
                              (error.empty() ? "row not read back" : error);
    };
    canary(newLeader->name, newConninfo);
    for (const auto& [node, conninfo] : toConfig.shards)
        canary(node, conninfo);
    run_.result_["canary"] = canaries;
    if (!canaryFailures.empty())
        throw Stop{"failed", "canary write failed: " + canaryFailures};
    step("canary",
         std::to_string(canaries.size()) + " canary row(s) written and read back in " + to, 0.6);

    run_.measureRto(epoch);
    run_.measureRpo(epoch, newConninfo, primaries.front().lsn,
                    run_.patroniForkLsn(newLeader->apiUrl, newLeader->timeline));
}

void RegionDrill::follow(const std::string& follower, const std::string& leader) {
    HaMonitor& monitor = run_.monitor_;
    const HaRegionConfig& followerConfig = regionConfig(follower);
    const HaRegionConfig& leaderConfig = regionConfig(leader);
    const auto& source = followerConfig.standbyCluster;
    const auto started = nowMs();
    // The leader region keeps a permanent slot for the follower; the follower no longer keeps
    // the one the leader region used to follow it by (it is not a primary any more).
    if (!source.slot.empty())
        patchConfig(leader, json{{"slots", {{source.slot, {{"type", "physical"}}}}}});
    json standby = {
        {"host", source.host}, {"port", source.port}, {"create_replica_methods", {"basebackup"}}};
    if (!source.slot.empty())
        standby["primary_slot_name"] = source.slot;
    json body = {{"standby_cluster", standby}};
    if (!leaderConfig.standbyCluster.slot.empty())
        body["slots"] = {{leaderConfig.standbyCluster.slot, nullptr}};
    patchConfig(follower, body);
    step("follow",
         follower + "'s cluster is a standby cluster of " + leader + " (" + source.host + ":" +
             std::to_string(source.port) + ")",
         0.05);

    // Shards: PostgreSQL cannot follow a timeline it diverged from; the command rebuilds.
    const auto& command = monitor.config().shardRejoinCommand;
    for (const auto& [node, conninfo] : followerConfig.shards) {
        const std::string& upstream = leaderConfig.shards.at(node);
        const auto [host, port] = conninfoHostPort(conninfo);
        const auto [upstreamHost, upstreamPort] = conninfoHostPort(upstream);
        std::vector<std::string> arguments;
        for (const auto& argument : command)
            arguments.push_back(substituted(
                substituted(substituted(substituted(argument, "{upstream_host}", upstreamHost),
                                        "{upstream_port}", std::to_string(upstreamPort)),
                            "{host}", host),
                "{port}", std::to_string(port)));
        setState(shardServer(node, follower), follower, serverOf(conninfo),
                 "being rebuilt as a standby of " + serverOf(upstream));
        const FaultOutcome outcome = runFaultCommand(arguments, "", kRejoinTimeoutMs);
        if (!outcome.ok)
            throw Stop{"failed", "the shard rejoin command failed for " + node + " in " + follower +
                                     ": " + outcome.error};
        setState(shardServer(node, follower), follower, serverOf(conninfo),
                 "standby of " + serverOf(upstream));
        step("shard follows", node + "'s server in " + follower + " streams from " + leader, 0.1);
    }

    // Patroni demotes the fenced leader (with pg_rewind if its WAL went past the fork point)
    // and the region's replicas follow it. A replica that had replayed WAL the fenced leader
    // wrote after the fence (a checkpoint, the demotion's shutdown record) is past the fork
    // point of the new timeline and cannot follow it; Patroni rewinds only the demoted leader,
    // so such a replica is reinitialized from the standby leader (POST /reinitialize).
    std::string leaderName;
    std::int64_t leaderStreamingMs = 0;
    std::set<std::string> reinitialized;
    run_.waitFor(
        [&] {
            const HaRegion now = freshRegion(follower);
            const HaMember* standbyLeader = now.leaderMember();
            if (!standbyLeader || standbyLeader->role != "standby_leader" ||
                !standbyLeader->streaming)
                return false;
            if (!leaderStreamingMs)
                leaderStreamingMs = nowMs();
            leaderName = standbyLeader->name;
            bool all = true;
            for (const auto& member : now.members) {
                if (member.name == standbyLeader->name)
                    continue;
                const bool sameTimeline = member.timeline == standbyLeader->timeline;
                if (member.streaming && sameTimeline && member.state == "running")
                    continue;
                all = false;
                if (sameTimeline || reinitialized.count(member.name))
                    continue;
                // Past the point where its timeline ends in the new history: it can never
                // follow. Otherwise it may still be on its way; after the grace, rebuild anyway.
                const bool diverged = pastFork(member, leader);
                if (!diverged && nowMs() - leaderStreamingMs < kReplicaGrace.count())
                    continue;
                const PatroniReply reply =
                    monitor.patroni().post(member.apiUrl, "/reinitialize", json{{"force", true}});
                reinitialized.insert(member.name);
                step("reinitialize",
                     member.name + " stayed on timeline " + std::to_string(member.timeline) +
                         " (the standby leader's is " + std::to_string(standbyLeader->timeline) +
                         "): asked Patroni to reinitialize it from " + standbyLeader->name + ": " +
                         (reply.status ? "HTTP " + std::to_string(reply.status) : reply.error),
                     0.12);
            }
            return all;
        },
        kFollowLimit, follower + "'s standby leader and replicas streaming from " + leader);
    // Standbys now: the fence comes off, so that a later promotion is writable.
    const HaRegion now = freshRegion(follower);
    std::string unfenceErrors;
    for (const auto& member : now.members) {
        const std::string error = unfenceServer(monitor.conninfoOf(member), run_.timeoutMs_);
        setState(member.name, follower, member.host + ":" + std::to_string(member.port),
                 (member.name == leaderName ? "standby leader" : "replica") +
                     std::string(", streaming from ") + leader +
                     (error.empty() ? "" : "; still fenced: " + error));
        if (!error.empty())
            unfenceErrors += member.name + ": " + error + " ";
    }
    for (const auto& [node, conninfo] : followerConfig.shards) {
        const std::string error = unfenceServer(conninfo, run_.timeoutMs_);
        if (!error.empty())
            unfenceErrors += node + ": " + error + " ";
    }
    if (!unfenceErrors.empty())
        throw Stop{"failed", "could not lift the fence in " + follower + ": " + unfenceErrors};
    step("following", follower + " streams from " + leader + " (" + ms(nowMs() - started) + ")",
         0.15);
}

// Consistent: the standby region has replayed everything the active region had written when
// this step began (its leader's and each shard's WAL position then), while streaming. A lag of
// exactly 0 is not a condition to wait for while the backend keeps writing.
bool RegionDrill::pastFork(const HaMember& member, const std::string& leaderRegion) {
    const auto region = run_.monitor_.region(leaderRegion);
    if (!region)
        return false;
    for (const auto& change : region->history)
        if (change.timeline == member.timeline) {
            std::string error;
            const auto replayed =
                walPosition(run_.monitor_.conninfoOf(member), run_.timeoutMs_, error);
            return replayed && *replayed > change.lsn;
        }
    return false;
}

void RegionDrill::waitConsistent(const std::string& standby) {
    HaMonitor& monitor = run_.monitor_;
    const auto started = nowMs();
    const std::string active = monitor.activeRegion();
    const HaRegion activeRegion = freshRegion(active);
    const HaMember* leader = activeRegion.leaderMember();
    if (!leader)
        throw Stop{"failed", active + " has no leader after the switch"};
    std::string error;
    const auto leaderLsn = walPosition(monitor.conninfoOf(*leader), run_.timeoutMs_, error);
    if (!leaderLsn)
        throw Stop{"failed", "cannot read " + leader->name + "'s WAL position: " + error};
    std::map<std::string, std::int64_t> shardLsns;
    for (const auto& [node, conninfo] : regionConfig(active).shards) {
        const auto lsn = walPosition(conninfo, run_.timeoutMs_, error);
        if (!lsn)
            throw Stop{"failed",
                       "cannot read " + node + "'s WAL position in " + active + ": " + error};
        shardLsns[node] = *lsn;
    }
    std::string behind;
    try {
        run_.waitFor(
            [&] {
                monitor.refresh();
                const auto input =
                    readRegionPreflight(monitor, std::string(drill_kind::kRegionFailover), standby,
                                        run_.timeoutMs_, false);
                const RegionPreflight check = regionPreflight(input);
                if (!check.passed()) {
                    behind = failingChecks(check);
                    return false;
                }
                const HaMember* standbyLeader = input.target->leaderMember();
                std::string readError;
                const auto replayed =
                    walPosition(monitor.conninfoOf(*standbyLeader), run_.timeoutMs_, readError);
                if (!replayed || *replayed < *leaderLsn) {
                    behind =
                        standbyLeader->name + " has not replayed " + leader->name + "'s position";
                    return false;
                }
                for (const auto& [node, conninfo] : regionConfig(standby).shards) {
                    const auto position = walPosition(conninfo, run_.timeoutMs_, readError);
                    if (!position || *position < shardLsns[node]) {
                        behind = node + "'s standby has not replayed its primary's position";
                        return false;
                    }
                }
                return true;
            },
            kConsistentLimit, standby + " consistent with " + active);
    } catch (const Stop& stop) {
        throw Stop{stop.outcome, stop.error + (behind.empty() ? "" : ": " + behind)};
    }
    const auto lag = monitor.region(standby);
    step("consistent",
         standby + " streams from " + active + " and replayed everything " + active +
             " had written when the check began (shards too); cross-region lag now " +
             (lag && lag->crossRegionLagBytes ? std::to_string(*lag->crossRegionLagBytes) + " B"
                                              : std::string("unknown")) +
             " (" + ms(nowMs() - started) + ")",
         1.0);
}

} // namespace switchboard
