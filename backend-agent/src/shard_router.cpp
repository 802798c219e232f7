#include "switchboard/shard_router.h"

#include "switchboard/agent_config.h"

// Compiled into this file alone, so backends embedding the agent need no xxhash headers.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace switchboard {

// A node's name is written once, before nodeCount_ publishes it, and never changes; its
// connection string changes only by repointNode() (a region failover), under conninfoMutex_.
// route() touches neither.
struct ShardRouter::Node {
    std::string name;
    std::string conninfo;
};

ShardRouter::ShardRouter(std::uint32_t bucketCount)
    : bucketCount_(bucketCount) {
    if (bucketCount < 1 || bucketCount > kMaxBuckets)
        throw ConfigError("shards.buckets", "must be from 1 to " + std::to_string(kMaxBuckets) +
                                                ", got " + std::to_string(bucketCount));
    buckets_ = std::make_unique<std::atomic<std::uint16_t>[]>(bucketCount);
    nodes_ = std::make_unique<Node[]>(kMaxNodes);
    accesses_ = std::make_unique<std::atomic<std::uint64_t>[]>(2 * std::size_t(bucketCount));
}

ShardRouter::~ShardRouter() = default;

std::uint32_t ShardRouter::bucketOf(std::string_view key, std::uint32_t bucketCount) noexcept {
    return static_cast<std::uint32_t>(XXH3_64bits(key.data(), key.size()) % bucketCount);
}

std::uint32_t ShardRouter::bucketOf(std::int64_t key, std::uint32_t bucketCount) noexcept {
    // The key's 8 bytes, little-endian whatever the machine: the same bucket everywhere.
    unsigned char bytes[8];
    auto value = static_cast<std::uint64_t>(key);
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<unsigned char>(value >> (8 * i));
    return static_cast<std::uint32_t>(XXH3_64bits(bytes, sizeof bytes) % bucketCount);
}

ShardRouter::Route ShardRouter::routeBucket(std::uint32_t bucket, Access access) noexcept {
    if (bucket >= bucketCount_)
        return {bucket, -1, 0};
    accesses_[2 * std::size_t(bucket) + (access == Access::Read ? 1 : 0)].fetch_add(
        1, std::memory_order_relaxed);
    if (!mapped_.load(std::memory_order_acquire))
        return {bucket, -1, 0};
    return {bucket, buckets_[bucket].load(std::memory_order_relaxed),
            version_.load(std::memory_order_relaxed)};
}

ShardRouter::Route ShardRouter::route(std::string_view key, Access access) noexcept {
    return routeBucket(bucketOf(key, bucketCount_), access);
}

ShardRouter::Route ShardRouter::route(std::int64_t key, Access access) noexcept {
    return routeBucket(bucketOf(key, bucketCount_), access);
}

std::uint64_t ShardRouter::writes(std::uint32_t bucket) const noexcept {
    return bucket < bucketCount_
               ? accesses_[2 * std::size_t(bucket)].load(std::memory_order_relaxed)
               : 0;
}

std::uint64_t ShardRouter::reads(std::uint32_t bucket) const noexcept {
    return bucket < bucketCount_
               ? accesses_[2 * std::size_t(bucket) + 1].load(std::memory_order_relaxed)
               : 0;
}

bool ShardRouter::apply(const ShardMap& map) {
    std::lock_guard lock(applyMutex_);
    if (map.version <= version_.load(std::memory_order_relaxed))
        return false;
    if (map.bucketNodes.size() != bucketCount_)
        throw ConfigError("shards", "the catalog's map has " +
                                        std::to_string(map.bucketNodes.size()) +
                                        " buckets, this router " + std::to_string(bucketCount_));
    if (map.nodes.size() > kMaxNodes || map.nodeConninfos.size() != map.nodes.size())
        throw ConfigError("shards", "the map lists " + std::to_string(map.nodes.size()) +
                                        " nodes (at most " + std::to_string(kMaxNodes) +
                                        ", each with a connection string)");
    const std::size_t known = nodeCount_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < known && i < map.nodes.size(); ++i)
        if (nodes_[i].name != map.nodes[i])
            throw ConfigError("shards", "node " + std::to_string(i) + " was \"" + nodes_[i].name +
                                            "\", the map says \"" + map.nodes[i] + "\"");
    if (map.nodes.size() < known)
        throw ConfigError("shards", "the map drops nodes; nodes are only ever added");
    for (std::uint16_t node : map.bucketNodes)
        if (node >= map.nodes.size())
            throw ConfigError("shards", "a bucket is mapped to node " + std::to_string(node) +
                                            ", which the map does not list");
    // New nodes first, so no route() ever names a node whose name is not yet readable.
    {
        std::lock_guard conninfoLock(conninfoMutex_);
        for (std::size_t i = known; i < map.nodes.size(); ++i)
            nodes_[i] = {map.nodes[i], map.nodeConninfos[i]};
    }
    nodeCount_.store(map.nodes.size(), std::memory_order_release);
    for (std::uint32_t b = 0; b < bucketCount_; ++b)
        buckets_[b].store(map.bucketNodes[b], std::memory_order_relaxed);
    version_.store(map.version, std::memory_order_release);
    mapped_.store(true, std::memory_order_release);
    return true;
}

std::string_view ShardRouter::nodeName(int index) const noexcept {
    if (index < 0 || static_cast<std::size_t>(index) >= nodeCount())
        return {};
    return nodes_[index].name;
}

std::string ShardRouter::nodeConninfo(int index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= nodeCount())
        return {};
    std::lock_guard lock(conninfoMutex_);
    return nodes_[index].conninfo;
}

bool ShardRouter::repointNode(const std::string& name, const std::string& conninfo) {
    std::lock_guard lock(conninfoMutex_);
    for (std::size_t i = 0; i < nodeCount(); ++i)
        if (nodes_[i].name == name) {
            nodes_[i].conninfo = conninfo;
            return true;
        }
    return false;
}

ShardMap ShardRouter::map() const {
    std::lock_guard lock(applyMutex_);
    ShardMap map;
    map.version = version_.load(std::memory_order_acquire);
    {
        std::lock_guard conninfoLock(conninfoMutex_);
        for (std::size_t i = 0; i < nodeCount(); ++i) {
            map.nodes.push_back(nodes_[i].name);
            map.nodeConninfos.push_back(nodes_[i].conninfo);
        }
    }
    for (std::uint32_t b = 0; b < bucketCount_; ++b)
        map.bucketNodes.push_back(buckets_[b].load(std::memory_order_relaxed));
    return map;
}

} // namespace switchboard
