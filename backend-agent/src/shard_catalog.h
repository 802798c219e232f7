// The shard catalog on the core primary: the bucket count, the shard nodes (name, connection
// string, position = the router's node index) and the bucket → node map with its version. The
// map is the truth every instance's router follows; a change to it bumps the version and is
// announced on the NOTIFY channel kShardMapChannel with the new version as payload.
//
// Tables (created when missing; see docs/sharding.md):
//   switchboard_shard_meta    (id = 1, bucket_count, version)
//   switchboard_shard_nodes   (name PRIMARY KEY, conninfo, position UNIQUE)
//   switchboard_shard_buckets (bucket PRIMARY KEY, node → switchboard_shard_nodes)
#pragma once

#include "switchboard/agent_config.h"
#include "switchboard/shard_router.h"

#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace switchboard {

inline constexpr const char* kShardMapChannel = "switchboard_shard_map";

// Creates the catalog if it is missing, with the buckets spread round robin over `nodes` (in
// their order) at version 1; adds configured nodes the catalog does not list yet (with no
// buckets: a rebalance gives them some). Concurrent instances starting at once serialise on an
// advisory lock. Throws ConfigError("shards.buckets") when the catalog was made with another
// bucket count, ConfigError("shards.nodes") for no nodes or a node whose connection string
// differs from the catalog's.
void ensureShardCatalog(pqxx::connection& db, std::uint32_t bucketCount,
                        const std::vector<ShardNodeEndpoint>& nodes);

// The current map, read in one snapshot.
ShardMap loadShardMap(pqxx::connection& db);

} // namespace switchboard
