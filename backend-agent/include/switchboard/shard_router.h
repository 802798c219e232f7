// The shard router (issue 6): which shard node holds a key.
//
//   auto& shards = agent.shardRouter();           // once, at start-up
//   auto where = shards.route(customerId);        // per query: {bucket, node, version}
//   connections[where.node].exec(...);            // node i = shards.nodeName(i)
//
// Keys hash (XXH3, 64 bits, stable across versions and machines) to one of a fixed number of
// buckets; a versioned map in the catalog assigns each bucket to a node. A rebalance moves whole
// buckets, so only the rows of the buckets it moves change node. Store the bucket with each row
// (route().bucket): a move copies a bucket by that column.
//
// route() is a hash and one relaxed atomic load: no lock, no allocation, no exception. The map is
// replaced off the hot path by apply(), which the agent calls when the catalog announces a new
// version (LISTEN/NOTIFY) or its periodic check finds one. Thread-safe. While apply() runs, a
// route() may see some buckets at the old node and some at the new: the map alone never makes
// a write safe; a bucket's move holds its writes on the shard nodes while it flips.
#pragma once

#include "switchboard/export.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

// One version of the bucket → node map, as the catalog holds it.
struct SWITCHBOARD_AGENT_API ShardMap {
    std::int64_t version = 0;
    std::vector<std::string> nodes;         // node index → name; nodes are only ever appended
    std::vector<std::string> nodeConninfos; // node index → libpq connection string
    std::vector<std::uint16_t> bucketNodes; // bucket → node index; size = the bucket count
};

class SWITCHBOARD_AGENT_API ShardRouter {
public:
    static constexpr std::size_t kMaxNodes = 256;
    static constexpr std::uint32_t kMaxBuckets = 65536;
    // The first statement of every write transaction on a shard node, with the route's bucket as
    // $1: it waits while the bucket flips to another node, and fails with SQLSTATE kNotOwner
    // once it has (then reload the map with the agent's refreshShards() and retry there).
    static constexpr const char* kClaimSql = "SELECT switchboard_claim_bucket($1)";
    static constexpr const char* kNotOwner = "SB001";

    enum class Access { Write, Read }; // counted per bucket, for the shards view's ops/s

    struct Route {
        std::uint32_t bucket = 0;
        int node = -1;            // -1 only before the first map
        std::int64_t version = 0; // the map version this answer comes from
    };

    // Throws ConfigError("shards.buckets") unless 1 ≤ bucketCount ≤ kMaxBuckets.
    explicit ShardRouter(std::uint32_t bucketCount);
    ~ShardRouter();
    ShardRouter(const ShardRouter&) = delete;
    ShardRouter& operator=(const ShardRouter&) = delete;

    // The bucket of a key: XXH3-64 of its bytes modulo the bucket count.
    static std::uint32_t bucketOf(std::string_view key, std::uint32_t bucketCount) noexcept;
    static std::uint32_t bucketOf(std::int64_t key, std::uint32_t bucketCount) noexcept;

    // The hot path; each call counts one access to the key's bucket.
    Route route(std::string_view key, Access access = Access::Write) noexcept;
    Route route(std::int64_t key, Access access = Access::Write) noexcept;
    Route routeBucket(std::uint32_t bucket, Access access = Access::Write) noexcept;
    // Accesses routed to a bucket since the start (cumulative).
    std::uint64_t writes(std::uint32_t bucket) const noexcept;
    std::uint64_t reads(std::uint32_t bucket) const noexcept;

    // Installs a newer map. Returns false (and changes nothing) for a version not newer than
    // the current one; throws ConfigError("shards") for a map that does not fit: another
    // bucket count, a bucket on a node it does not list, a renamed node, too many nodes.
    bool apply(const ShardMap& map);

    std::uint32_t bucketCount() const noexcept { return bucketCount_; }
    std::int64_t version() const noexcept { return version_.load(std::memory_order_acquire); }
    std::size_t nodeCount() const noexcept { return nodeCount_.load(std::memory_order_acquire); }
    // Valid for index < nodeCount(); the string lives as long as the router.
    std::string_view nodeName(int index) const noexcept;
    std::string nodeConninfo(int index) const;
    // Points the node named `name` at another server, e.g. its promoted standby after a region
    // failover: the next connection to the node goes there (open ones stay where they are; the
    // drill ends them). The bucket map and the catalog are unchanged. False: no such node.
    bool repointNode(const std::string& name, const std::string& conninfo);
    // The current map, as a value (for the snapshot and the rebalance planner).
    ShardMap map() const;

private:
    struct Node;
    std::uint32_t bucketCount_;
    std::unique_ptr<std::atomic<std::uint16_t>[]> buckets_;
    std::unique_ptr<Node[]> nodes_;
    // Writes and reads per bucket, interleaved (2 per bucket): two threads contend only when
    // they hit buckets whose counters share a cache line.
    std::unique_ptr<std::atomic<std::uint64_t>[]> accesses_;
    std::atomic<std::size_t> nodeCount_{0};
    std::atomic<std::int64_t> version_{0};
    std::atomic<bool> mapped_{false};
    // apply() is rare and may come from two threads (the map listener and a rebalance).
    mutable std::mutex applyMutex_;
    // A node's conninfo changes only by repointNode(); readers copy it under this lock.
    mutable std::mutex conninfoMutex_;
};

} // namespace switchboard
