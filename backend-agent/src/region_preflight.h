// A region drill's preflight: whether the target region may take over every database the
// backend writes to, with the reason for each verdict, per database. Pure: the caller reads the
// regions (HaMonitor) and each shard standby (standbyStatus()) and passes what it read.
//
// region_failover: the target's standby leader streams from the active region (listed by the
// active leader, not merely running) within ha.max_lag_bytes; each shard's server in the target
// region is a standby whose WAL receiver streams from the shard's active server, within the same
// lag limit; no other drill. region_failback at plan time: what the drill needs before it can
// make the target follow the active region (both regions' standby_cluster, the shard rejoin
// command, a leader on each side); the streaming checks run again once the target follows.
#pragma once

#include "action.h"
#include "ha_monitor.h"

#include <optional>
#include <string>
#include <vector>

namespace switchboard {

// One shard node's pair: its server in the active region and the one in the target region.
struct ShardPairReading {
    std::string node;
    std::string activeConninfo;
    std::string targetConninfo;
    std::string error; // empty: the target's server answered
    bool inRecovery = false;
    bool streaming = false;               // its WAL receiver's status is "streaming"
    bool fromActive = false;              // ... and its sender is the active server's host and port
    std::optional<std::int64_t> lagBytes; // the active server's position minus its replay
};

struct RegionPreflightInput {
    std::string kind;               // region_failover | region_failback
    std::optional<HaRegion> active; // as the monitor read them; none: unknown
    std::optional<HaRegion> target;
    std::int64_t maxLagBytes = 0;
    bool otherDrillRunning = false;
    std::vector<ShardPairReading> shards;
    std::string shardsProblem; // why the regions' shard lists do not pair up; empty: they do
    // region_failback only: the configuration it needs.
    bool activeStandbyConfigured = false; // the active region's standby_cluster (to follow later)
    bool targetStandbyConfigured = false; // the target's standby_cluster (to follow now)
    bool rejoinCommandConfigured = false; // ha.shard_rejoin_command
};

struct RegionPreflight {
    std::vector<PreflightCheck> checks;
    bool passed() const;
};

RegionPreflight regionPreflight(const RegionPreflightInput& input);

// The host and port a conninfo names ("host=h port=5432 ..."); port 5432 when it names none.
std::pair<std::string, int> conninfoHostPort(const std::string& conninfo);

} // namespace switchboard
