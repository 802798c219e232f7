// The action "drill.run" (docs/drills.md): a failover drill in one region, through Patroni, or a
// region drill (region_failover, region_failback: region_drill.h) that moves every database the
// backend writes to into another region.
//
// plan() refreshes the region from Patroni and runs the preflight (drill_preflight.h), changing
// nothing; execute() carries the drill out (drill_run.h) in the confirmed mode: plan only,
// simulated (the write router reconnects the backend, databases untouched) or live (a Patroni
// switchover, or the leader crashed by the region's fault command). One drill at a time in this
// agent, besides the pipeline's cluster lock.
#pragma once

#include "action.h"
#include "ha_monitor.h"

#include <atomic>

namespace switchboard {

class WriteRouterCore;
class ShardRouter;

class DrillAction : public Action {
public:
    struct Params {
        std::string kind;
        std::string mode;
        std::string candidate;
        std::string confirmRegion;
    };

    // `writes` may be null (no postgres.primary): the drill then cannot see the backend's
    // writes, and RTO and RPO are not measured.
    // `shards` may be null (no shard nodes): region drills then move the Patroni cluster alone.
    DrillAction(HaMonitor& monitor, WriteRouterCore* writes, int timeoutMs,
                ShardRouter* shards = nullptr);

    std::string_view kind() const override;
    Scope scope() const override { return Scope::Cluster; }
    ActionPlanBody plan(const ActionRequest& request) override;
    nlohmann::json execute(const ActionRequest& request, JobControl& control,
                           std::string& message) override;

    // Validates params (ActionError 400 naming the field) for a drill in `region`.
    static Params parse(const nlohmann::json& params, const std::string& region);

private:
    // region_failover / region_failback: the target is the region that takes over.
    ActionPlanBody planRegion(const Params& params, const std::string& target);

    HaMonitor& monitor_;
    WriteRouterCore* writes_;
    ShardRouter* shards_;
    int timeoutMs_;
    std::atomic<bool> running_{false};
};

} // namespace switchboard
