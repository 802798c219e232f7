// The params of "shards.rebalance" (docs/protocol.md) checked against the shard map: pure
// validation, apart from the action, so that the request fuzz target compiles it alone.
#pragma once

#include "rebalance_planner.h"
#include "switchboard/shard_router.h"

#include <nlohmann/json.hpp>
#include <string>

namespace switchboard {

struct RebalanceParams {
    RebalanceRequest request;
    std::string measure; // "rows", "bytes" or "load", as asked
};

// Throws ActionError 400 naming the parameter: unknown keys, a goal or measure not in the
// protocol, a node not in `map`, a threshold outside 0..1000 percent.
RebalanceParams parseRebalanceParams(const nlohmann::json& params, const ShardMap& map);

} // namespace switchboard
