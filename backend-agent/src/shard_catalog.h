// The shard catalog on the core primary: the bucket count, the shard nodes (name, connection
// string, position = the router's node index) and the bucket → node map with its version. The
// map is the truth every instance's router follows; a change to it bumps the version and is
// announced on the NOTIFY channel kShardMapChannel with the new version as payload.
//
// Tables (created when missing; see docs/sharding.md):
//   switchboard_shard_meta    (id = 1, bucket_count, version)
//   switchboard_shard_nodes   (name PRIMARY KEY, conninfo, position UNIQUE)
//   switchboard_shard_buckets (bucket PRIMARY KEY, node → switchboard_shard_nodes)
//   switchboard_shard_moves   (job_id, bucket, from_node, to_node, phase, rows): every move of a
//                              rebalance, so an agent killed mid-move resumes or rolls back
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

// One bucket's move as the catalog keeps it. Phases, in order: copying, catching_up, flipping
// (the source's ownership goes, then the target's comes), deleting (the map names the target;
// the source's rows go), then done; or rolled_back / failed.
struct ShardMoveRecord {
    std::string jobId;
    std::uint32_t bucket = 0;
    std::string from, to; // node names
    std::string phase;
    std::int64_t rowsCopied = 0, rowsTotal = 0;
};

namespace move_phase {
inline constexpr const char* kPending = "pending";
inline constexpr const char* kCopying = "copying";
inline constexpr const char* kCatchingUp = "catching_up";
inline constexpr const char* kVerifying = "verifying";
inline constexpr const char* kFlipping = "flipping";
inline constexpr const char* kDeleting = "deleting";
inline constexpr const char* kDone = "done";
inline constexpr const char* kRolledBack = "rolled_back";
inline constexpr const char* kFailed = "failed";
} // namespace move_phase

// Inserts or updates the move's row (one per job and bucket).
void recordMove(pqxx::connection& db, const ShardMoveRecord& move);
// Moves of any job that neither finished nor rolled back: what a restart must settle.
std::vector<ShardMoveRecord> unfinishedMoves(pqxx::connection& db);
// Maps `bucket` to `to` (it must be on `from`), bumps the version, records the move's phase as
// deleting and NOTIFYs, in one transaction. Returns the new version.
std::int64_t flipBucket(pqxx::connection& db, const ShardMoveRecord& move);

} // namespace switchboard
