#include "drill_action.h"

#include "drill_preflight.h"
#include "drill_run.h"
#include "drill_sql.h"
#include "region_drill.h"
#include "switchboard/protocol.h"

namespace switchboard {

namespace drill_kind = protocol::drill_kind;
namespace drill_mode = protocol::drill_mode;
using nlohmann::json;

namespace {

json stepsOf(const DrillAction::Params& params, const std::string& leader,
             const std::string& candidate, bool direct) {
    if (params.mode == drill_mode::kPlan)
        return {"record this plan as a report; nothing changes"};
    if (params.mode == drill_mode::kSimulated)
        return {"repoint the backend's writes to " + leader + " under a new epoch (it reconnects)",
                "measure the time to its first acknowledged write", "databases untouched"};
    json steps = {"check the preflight again"};
    const bool switchover = params.kind == drill_kind::kSwitchover;
    if (direct && switchover) {
        steps.push_back("fence " + leader + ": read-only, its client sessions ended");
        steps.push_back("wait until " + candidate + " has replayed " + leader + "'s last WAL");
        steps.push_back("promote " + candidate + " with pg_promote()");
    } else if (direct) {
        steps.push_back("crash " + leader + " with the region's fault command");
        steps.push_back("promote " + candidate + " with pg_promote() once " + leader +
                        " no longer answers");
    } else if (switchover)
        steps.push_back("ask Patroni to switch " + leader + " over to " + candidate);
    else
        steps.push_back("crash " + leader + " with the region's fault command");
    steps.push_back("repoint the backend's writes the moment the new leader accepts them");
    steps.push_back("measure RTO (to the backend's first acknowledged write) and RPO "
                    "(acknowledged writes missing on the new leader)");
    if (direct)
        steps.push_back(leader + (switchover ? " stays fenced" : " stays down") +
                        ": rebuild it as a standby of " + candidate + " to rejoin");
    else if (switchover)
        steps.push_back("wait for " + leader + " to stream from the new leader");
    return steps;
}

} // namespace

DrillAction::DrillAction(HaMonitor& monitor, WriteRouterCore* writes, int timeoutMs,
                         ShardRouter* shards)
    : monitor_(monitor)
    , writes_(writes)
    , shards_(shards)
    , timeoutMs_(timeoutMs) {}

std::string_view DrillAction::kind() const {
    return protocol::action::kDrillRun;
}

ActionPlanBody DrillAction::plan(const ActionRequest& request) {
    const Params params = parse(request.params, request.target);
    if (running_)
        throw ActionError(409, "drill_running", "another drill is running; one at a time");
    monitor_.refresh();
    const auto region = monitor_.region(request.target);
    if (!region)
        throw ActionError(404, "unknown_region",
                          "no region named \"" + request.target + "\" in ha.regions");
    if (params.kind == drill_kind::kRegionFailover || params.kind == drill_kind::kRegionFailback)
        return planRegion(params, request.target);
    const DrillPreflight preflight =
        memberPreflight(monitor_, *region, params.kind, params.candidate, running_, timeoutMs_);

    ActionPlanBody body;
    const std::string to = preflight.chosen.empty() ? "(no candidate)" : preflight.chosen;
    body.summary = params.mode + " " + params.kind + " drill in " + region->name + ": " +
                   (preflight.leader.empty() ? "(no leader)" : preflight.leader) + " → " + to;
    body.checks = preflight.checks;
    if (params.mode == drill_mode::kLive)
        body.changes.push_back(
            {{"what", "leader of " + region->name}, {"from", preflight.leader}, {"to", to}});
    else if (params.mode == drill_mode::kSimulated)
        body.changes.push_back({{"what", "the backend's write connections"},
                                {"from", "open"},
                                {"to", "reconnected to " + preflight.leader}});
    const HaConfig& config = monitor_.config();
    body.details = {{"kind", params.kind},
                    {"mode", params.mode},
                    {"region", region->name},
                    {"leader", preflight.leader},
                    {"candidate", preflight.chosen},
                    {"candidates", preflight.candidates},
                    {"targets", {{"rto_ms", config.rtoTarget()}, {"rpo_ms", config.rpoTarget()}}},
                    {"steps", stepsOf(params, preflight.leader, to, region->provider == "direct")}};
    return body;
}

ActionPlanBody DrillAction::planRegion(const Params& params, const std::string& target) {
    const std::string active = monitor_.activeRegion();
    const RegionPreflightInput input =
        readRegionPreflight(monitor_, params.kind, target, timeoutMs_, running_);
    const RegionPreflight preflight = regionPreflight(input);
    const bool failback = params.kind == drill_kind::kRegionFailback;

    json steps = json::array();
    if (params.mode == drill_mode::kPlan)
        steps.push_back("record this plan as a report; nothing changes");
    else if (params.mode == drill_mode::kSimulated)
        steps = {"repoint the backend's writes to the active leader under a new epoch (it "
                 "reconnects)",
                 "measure the time to its first acknowledged write",
                 "databases untouched, no region changes role"};
    else {
        steps.push_back("check the preflight again");
        if (failback)
            steps.push_back("make " + target + " follow " + active +
                            ": its Patroni cluster a standby cluster, its shard servers "
                            "rebuilt as standbys; lift its fence once it streams");
        steps.push_back("fence every database of " + active +
                        " (read-only, client sessions ended) and read each primary's final WAL "
                        "position");
        steps.push_back("wait until each standby in " + target + " has replayed that position");
        steps.push_back("promote " + target +
                        " (Patroni: standby_cluster removed; shards: "
                        "pg_promote)");
        steps.push_back("repoint the write router and the shard router to " + target +
                        "; make it the active region");
        steps.push_back("write and read back a canary row on each promoted database");
        steps.push_back("measure RTO (fence to the backend's first acknowledged write) and RPO "
                        "(acknowledged writes missing in " +
                        target + ")");
        if (failback)
            steps.push_back("make " + active + " follow " + target +
                            " again and wait until it has replayed everything");
        else
            steps.push_back(active + " stays fenced until a region_failback");
    }

    ActionPlanBody body;
    body.summary = params.mode + " " + params.kind + ": " + active + " → " + target;
    body.checks = preflight.checks;
    if (params.mode == drill_mode::kLive)
        body.changes.push_back({{"what", "active region"}, {"from", active}, {"to", target}});
    else if (params.mode == drill_mode::kSimulated)
        body.changes.push_back(
            {{"what", "the backend's write connections"}, {"from", "open"}, {"to", "reconnected"}});
    json shards = json::array();
    for (const auto& shard : input.shards)
        shards.push_back({{"node", shard.node},
                          {"active", shard.activeConninfo},
                          {"target", shard.targetConninfo},
                          {"streaming", shard.streaming && shard.fromActive},
                          {"lag_bytes", shard.lagBytes ? json(*shard.lagBytes) : json(nullptr)}});
    const HaConfig& config = monitor_.config();
    body.details = {{"kind", params.kind},
                    {"mode", params.mode},
                    {"region", target},
                    {"from_region", active},
                    {"leader", input.active ? input.active->leader : ""},
                    {"candidate", input.target ? input.target->leader : ""},
                    {"shards", shards},
                    {"targets", {{"rto_ms", config.rtoTarget()}, {"rpo_ms", config.rpoTarget()}}},
                    {"steps", steps}};
    return body;
}

json DrillAction::execute(const ActionRequest& request, JobControl& control, std::string& message) {
    const Params params = parse(request.params, request.target);
    if (running_.exchange(true))
        throw std::runtime_error("another drill is running; one at a time");
    struct Release {
        std::atomic<bool>& flag;
        ~Release() { flag = false; }
    } release{running_};
    DrillRun run(monitor_, writes_, timeoutMs_, control, shards_);
    json result = run.carryOut(params.kind, params.mode, request.target,
                               request.confirmedPlan.value("candidate", std::string()));
    monitor_.addDrill(result);
    message = result.value("summary", std::string());
    const std::string outcome = result.value("outcome", std::string());
    if (outcome == "cancelled")
        throw JobCancelled{result};
    if (outcome != "succeeded")
        throw std::runtime_error(message);
    return result;
}

} // namespace switchboard
