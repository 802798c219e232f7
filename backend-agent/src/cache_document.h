// The "cache" document of docs/protocol.md from two readings of the cache's counters an
// interval apart. Pure: the publisher feeds it, tests check it with figures they chose.
#pragma once

#include "cache_stats.h"
#include "switchboard/tiered_cache.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchboard {

struct CacheReading {
    TieredCache::Counts counts;
    std::vector<CacheStats::PrefixRow> prefixes;
    std::int64_t atMs = 0;
};

struct CacheLayerFacts {
    std::size_t l1Entries = 0, l1Bytes = 0;
    std::uint64_t l1Evictions = 0;
    std::string breakerState; // of cache.redis
    double targetHitRate = 70.0;
};

// Percent of `part` in `whole`, -1 without a whole.
double percentOf(double part, double whole);

// Layers, prefixes and the top-level hit rate. `previous` may be the same reading (no rates
// yet: every rate -1 or 0). Keys and memory per prefix come from `prefixEstimates` (prefix ->
// {keys, bytes}); prefixes without one show -1.
nlohmann::json
cacheDocument(const CacheReading& previous, const CacheReading& now, const CacheLayerFacts& facts,
              const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& prefixEstimates);

} // namespace switchboard
