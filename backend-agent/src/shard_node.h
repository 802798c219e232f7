// What the agent keeps on each shard node so that no write lands on a node that no longer holds
// its bucket: a table of the buckets the node owns, and a function every write transaction calls
// first (ShardRouter::kClaimSql):
//
//   switchboard_bucket_owner (bucket int PRIMARY KEY)
//   switchboard_claim_bucket(bucket int): locks the bucket's row FOR SHARE; raises SQLSTATE SB001
//   ("bucket 17 is not on this node") when the node does not own it.
//
// A rebalance's flip deletes the owner row on the source (waiting for the writers holding it,
// and making new ones wait), so a writer that lost the race gets SB001, reloads the map and
// writes to the new node. At most one node owns a bucket at any time.
#pragma once

#include "switchboard/shard_router.h"

#include <cstdint>
#include <pqxx/pqxx>
#include <set>

namespace switchboard {

// Creates the owner table and the claim function when missing.
void prepareShardNode(pqxx::connection& node);

// Makes the node's owner rows match the map for node `index`, leaving the buckets in `skip`
// (those of a move in flight) alone. Call only while no rebalance can start (its lock held).
// Returns how many rows it inserted or deleted.
int reconcileBucketOwners(pqxx::connection& node, int index, const ShardMap& map,
                          const std::set<std::uint32_t>& skip);

} // namespace switchboard
