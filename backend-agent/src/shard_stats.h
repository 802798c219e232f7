// Rows and bytes per bucket, counted on each shard node over the sharded tables, and the
// "shards" document (docs/protocol.md) built from them, the map and the router's counters.
#pragma once

#include "switchboard/agent_config.h"
#include "switchboard/protocol.h"
#include "switchboard/shard_router.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchboard {

struct ShardNodeStats {
    std::string name;
    std::string target; // host:port
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    std::string error;
};

struct ShardStats {
    std::int64_t checkedMs = 0;
    std::vector<ShardNodeStats> nodes;                               // in the map's node order
    std::vector<std::int64_t> bucketRows;                            // -1: its node did not answer
    std::vector<std::int64_t> bucketBytes;                           // likewise
    std::vector<double> bucketWritesPerSecond, bucketReadsPerSecond; // this instance's router
};

// Counts rows and bytes per bucket on every node of the map (a fresh connection each, with the
// timeouts of `timeoutMs`). Never throws: a node that fails is a status and a cause, and its
// buckets' figures are -1.
void countShardRows(const ShardMap& map, const std::vector<ShardTable>& tables, int timeoutMs,
                    ShardStats& stats);

// The "shards" document. `catalogTarget` is the catalog's host:port (the console groups agents
// by it); `moves` is the rebalance's, an array (empty when none runs).
nlohmann::json shardsJson(const ShardMap& map, const ShardStats& stats,
                          const std::string& catalogTarget, protocol::ProbeStatus catalogStatus,
                          const std::string& catalogError, const nlohmann::json& moves);

} // namespace switchboard
