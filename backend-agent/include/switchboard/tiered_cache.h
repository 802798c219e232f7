// The tiered cache (issue 7): L1 in this process, L2 in Redis, then the backend's loader.
//
//   auto& cache = agent.cache();                        // once, at start-up
//   auto item = cache.get("catalog:item:42", [&](const std::string& key) {
//       return loadItemFromPostgres(key);                // std::optional<std::string>
//   });                                                  // item.value, item.layer
//   cache.invalidate("catalog:item:42");                 // after a write: L2 and every L1
//
// get() asks L1, then Redis (with the agent's `cache.redis` circuit breaker in front and short
// timeouts), then the loader; what L2 or the loader gives is kept in the layers above with a TTL
// that is jittered, so keys loaded together do not expire together. N concurrent misses on one
// key cause one load (single flight): the others wait for it and share its value. With Redis
// down or slow the breaker opens and the cache serves from L1 and the loader, without errors to
// the caller. Hits and misses are counted per layer and per key prefix (the key up to its last
// ':'). Invalidations reach every instance's L1 over Redis pub/sub, and each instance
// acknowledges with its name. All member functions are thread-safe.
#pragma once

#include "switchboard/agent_config.h"
#include "switchboard/circuit_breaker.h"
#include "switchboard/export.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace switchboard {

class SWITCHBOARD_AGENT_API TieredCache {
public:
    using Value = std::shared_ptr<const std::string>;
    // The source of truth: the value, or nullopt when there is none (nothing is cached then).
    // May throw; the exception reaches every get() that waited for this load.
    using Loader = std::function<std::optional<std::string>(const std::string& key)>;

    // Which layer answered. Fixed numbers.
    enum class Layer : std::uint8_t { L1 = 0, L2 = 1, Loader = 2, None = 3 };

    struct Result {
        Value value; // null when the loader had nothing
        Layer layer = Layer::None;
    };

    struct Options {
        CacheConfig config;
        std::string redisHost = "127.0.0.1";
        int redisPort = 6379;
        std::string instance; // the name this instance acknowledges invalidations with
        std::string channel;  // the pub/sub channel shared by every instance of the service
    };

    // Counts since construction.
    struct Counts {
        std::uint64_t l1Hits = 0, l1Misses = 0;
        std::uint64_t l2Hits = 0, l2Misses = 0, l2Errors = 0, l2Skipped = 0;
        std::uint64_t loads = 0, loadErrors = 0, coalesced = 0;
    };

    // `redisBreaker` guards every Redis call of the cache and must outlive it. Nothing connects
    // until the first get() or start(). Throws ConfigError for a bad config.
    TieredCache(Options options, CircuitBreaker& redisBreaker);
    ~TieredCache(); // stops the invalidation listener
    TieredCache(const TieredCache&) = delete;
    TieredCache& operator=(const TieredCache&) = delete;

    // Starts listening for invalidations (a thread that reconnects by itself); idempotent.
    void start();
    void stop() noexcept;

    // With the configured TTL, or with `ttl`. Throws only what the loader throws.
    Result get(const std::string& key, const Loader& loader);
    Result get(const std::string& key, const Loader& loader, std::chrono::milliseconds ttl);
    // Write-through: L1 and (breaker permitting) Redis.
    void put(const std::string& key, std::string value, std::chrono::milliseconds ttl);
    // Drops the key from Redis and from every instance's L1 (this one at once, the others over
    // pub/sub, without waiting for their acknowledgements). Never throws.
    void invalidate(const std::string& key) noexcept;

    Counts counts() const noexcept;
    std::size_t l1Entries() const;

    struct Core; // the agent's internals (statistics, L1, the listener)
    Core& core() noexcept { return *core_; }

private:
    std::unique_ptr<Core> core_;
};

} // namespace switchboard
