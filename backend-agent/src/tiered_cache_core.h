// The tiered cache's parts, for the agent's publisher and the invalidate action: the layers'
// counters, L1, the Redis pool and breaker, and the invalidation listener. See tiered_cache.h.
#pragma once

#include "cache_stats.h"
#include "invalidation_bus.h"
#include "l1_cache.h"
#include "redis_pool.h"
#include "single_flight.h"
#include "switchboard/tiered_cache.h"

namespace switchboard {

struct TieredCache::Core {
    Core(Options options, CircuitBreaker& breaker);

    struct Loaded {
        Value value;
        Layer layer = Layer::None;
    };

    Result get(const std::string& key, const Loader& loader, std::chrono::milliseconds ttl);
    // L2 then the loader, run once per key at a time.
    Loaded loadBelowL1(const std::string& key, const Loader& loader, std::chrono::milliseconds ttl,
                       PrefixCounters& prefix);
    enum class L2Outcome { Hit, Miss, Error, Skipped };
    L2Outcome readRedis(const std::string& key, Value& value);
    void writeRedis(const std::string& key, const std::string& value,
                    std::chrono::milliseconds ttl);
    void unlinkRedis(const std::string& key);
    // `ttl` +/- up to ttl_jitter_pct, at least 1 ms.
    std::chrono::milliseconds jittered(std::chrono::milliseconds ttl) const;
    std::size_t dropFromL1(const KeySelection& selection);

    const Options options;
    CircuitBreaker& breaker;
    CacheStats stats;
    L1Cache l1;
    SingleFlight<Loaded> flights;
    RedisPool pool;
    InvalidationBus bus;
};

} // namespace switchboard
