// Puts the tiered cache on the stream and in /metrics: every cache.stats_interval_ms, on its
// own thread, it probes Redis (INFO deltas, a SCAN sample per prefix), reads the cache's
// counters, publishes the "cache" document (docs/protocol.md) and brings the Prometheus
// families switchboard_cache_* and switchboard_redis_* up to date. Never throws into the host.
#pragma once

#include "cache_document.h"
#include "periodic_thread.h"
#include "redis_cache_probe.h"
#include "stream_hub.h"
#include "switchboard/tiered_cache.h"

#include <memory>
#include <mutex>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
} // namespace prometheus

namespace switchboard {

class CachePublisher {
public:
    CachePublisher(TieredCache& cache, StreamHub& hub, prometheus::Registry& registry,
                   int intervalMs, int probeTimeoutMs);
    ~CachePublisher();

    void start();
    void stop() noexcept;
    // One round now (the thread's work): probe, read, publish.
    void tick();

private:
    nlohmann::json redisSection(const RedisCacheProbe::Report& report) const;
    void updateMetrics(const CacheReading& now, const RedisCacheProbe::Report& report);

    TieredCache& cache_;
    StreamHub& hub_;
    const int intervalMs_;
    RedisCacheProbe probe_;
    std::mutex mutex_; // one tick at a time
    CacheReading previous_;
    TieredCache::Counts published_; // what the Prometheus counters hold

    struct Metrics;
    std::unique_ptr<Metrics> metrics_;
    std::unique_ptr<PeriodicThread> thread_;
};

} // namespace switchboard
