// The region drills (docs/drills.md): region_failover moves every database the backend writes
// to (the Patroni cluster and each shard node) to a standby region; region_failback makes the
// old region follow the new one again and moves everything back.
//
// A takeover fences the active region's databases (region_fence.h), waits until each standby
// has replayed its primary's final WAL position (so nothing acknowledged is lost), promotes the
// standbys (Patroni: the standby cluster's standby_cluster section removed; shards:
// pg_promote), repoints the write router and the shard router, writes a canary on each promoted
// database, measures RTO and RPO as the other drills do, and swaps the regions' roles in the
// HA monitor. Before anything is promoted, a failure unfences what it fenced; after, nothing is
// undone and the result's "databases" says what each one is.
#pragma once

#include "drill_run.h"
#include "region_preflight.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace switchboard {

class ShardRouter;

// What the preflight needs, read now: the regions from the monitor, each shard's standby in
// the target region from the server itself. `kind` is region_failover or region_failback.
RegionPreflightInput readRegionPreflight(const HaMonitor& monitor, const std::string& kind,
                                         const std::string& target, int timeoutMs,
                                         bool otherDrillRunning);

class RegionDrill {
public:
    RegionDrill(DrillRun& run, ShardRouter* shards);

    // Throws DrillRun::Stop (or an exception) on failure; records the databases' states in the
    // run's result either way.
    void live(const std::string& kind, const std::string& target);

private:
    struct Database {
        std::string name; // the Patroni member or the shard node
        std::string region;
        std::string server; // host:port
        std::string state;  // what the drill knows it is now
    };

    // Fence `from`, promote `to`, repoint, canary, RTO and RPO, roles swapped.
    void takeOver(const std::string& from, const std::string& to);
    // Makes `follower` a standby region of `leader`: its Patroni cluster a standby cluster, its
    // shard servers rebuilt as standbys; returns once they stream, then unfences them.
    void follow(const std::string& follower, const std::string& leader);
    // Waits until the `standby` region has replayed what the active one had written when the
    // wait began (its leader's and each shard's position), while streaming.
    void waitConsistent(const std::string& standby);
    // A member that replayed WAL past the point where its timeline ends in `leaderRegion`'s
    // history (Patroni's /history): it cannot follow the new timeline.
    bool pastFork(const HaMember& member, const std::string& leaderRegion);

    void step(const std::string& name, const std::string& detail, double fraction);
    void setState(const std::string& name, const std::string& region, const std::string& server,
                  const std::string& state);
    std::string statesText() const;
    void recordStates();
    // PATCH /config on the first of the region's Patroni APIs that answers 200.
    void patchConfig(const std::string& region, const nlohmann::json& body);
    const HaRegionConfig& regionConfig(const std::string& name) const;
    HaRegion freshRegion(const std::string& name);

    DrillRun& run_;
    ShardRouter* shards_;
    std::map<std::string, Database> databases_;
};

} // namespace switchboard
