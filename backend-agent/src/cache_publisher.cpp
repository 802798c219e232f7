#include "cache_publisher.h"

#include "clock.h"
#include "switchboard/protocol.h"
#include "tiered_cache_core.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

using nlohmann::json;

namespace {

CacheReading readingOf(TieredCache& cache) {
    return {cache.counts(), cache.core().stats.prefixes(), nowMs()};
}

RedisEndpoint probeEndpoint(TieredCache& cache, int timeoutMs) {
    RedisEndpoint endpoint = cache.core().pool.endpoint();
    endpoint.connectTimeout = std::chrono::milliseconds(timeoutMs);
    endpoint.commandTimeout = std::chrono::milliseconds(timeoutMs);
    return endpoint;
}

} // namespace

struct CachePublisher::Metrics {
    explicit Metrics(prometheus::Registry& registry) {
        auto& requests = prometheus::BuildCounter()
                             .Name("switchboard_cache_requests_total")
                             .Help("Tiered cache lookups by layer and result")
                             .Register(registry);
        l1Hit = &requests.Add({{"layer", "l1"}, {"result", "hit"}});
        l1Miss = &requests.Add({{"layer", "l1"}, {"result", "miss"}});
        l2Hit = &requests.Add({{"layer", "l2"}, {"result", "hit"}});
        l2Miss = &requests.Add({{"layer", "l2"}, {"result", "miss"}});
        l2Error = &requests.Add({{"layer", "l2"}, {"result", "error"}});
        l2Skipped = &requests.Add({{"layer", "l2"}, {"result", "skipped"}});
        auto& loads = prometheus::BuildCounter()
                          .Name("switchboard_cache_loads_total")
                          .Help("Loads from the source of truth by result; coalesced: gets "
                                "that shared another get's load")
                          .Register(registry);
        loadOk = &loads.Add({{"result", "ok"}});
        loadError = &loads.Add({{"result", "error"}});
        coalesced = &loads.Add({{"result", "coalesced"}});
        auto& gauges = prometheus::BuildGauge()
                           .Name("switchboard_cache_l1")
                           .Help("The in-process layer: entries and bytes")
                           .Register(registry);
        l1Entries = &gauges.Add({{"what", "entries"}});
        l1Bytes = &gauges.Add({{"what", "bytes"}});
        hitRatio = &prometheus::BuildGauge()
                        .Name("switchboard_cache_hit_ratio")
                        .Help("Share of gets answered by L1 or L2 over the last interval (0-1)")
                        .Register(registry)
                        .Add({});
        auto& redis = prometheus::BuildGauge()
                          .Name("switchboard_redis")
                          .Help("The cache's Redis from INFO: up, used and max memory (bytes), "
                                "evictions per second")
                          .Register(registry);
        redisUp = &redis.Add({{"what", "up"}});
        redisUsed = &redis.Add({{"what", "used_memory"}});
        redisMax = &redis.Add({{"what", "maxmemory"}});
        redisEvictions = &redis.Add({{"what", "evictions_per_s"}});
    }
    prometheus::Counter *l1Hit, *l1Miss, *l2Hit, *l2Miss, *l2Error, *l2Skipped;
    prometheus::Counter *loadOk, *loadError, *coalesced;
    prometheus::Gauge *l1Entries, *l1Bytes, *hitRatio;
    prometheus::Gauge *redisUp, *redisUsed, *redisMax, *redisEvictions;
};

CachePublisher::CachePublisher(TieredCache& cache, StreamHub& hub, prometheus::Registry& registry,
                               int intervalMs, int probeTimeoutMs)
    : cache_(cache)
    , hub_(hub)
    , intervalMs_(intervalMs)
    , probe_(probeEndpoint(cache, probeTimeoutMs))
    , previous_(readingOf(cache))
    , metrics_(std::make_unique<Metrics>(registry)) {}

CachePublisher::~CachePublisher() {
    stop();
}

void CachePublisher::start() {
    if (!thread_)
        thread_ = std::make_unique<PeriodicThread>(std::chrono::milliseconds(intervalMs_),
                                                   [this] { tick(); });
}

void CachePublisher::stop() noexcept {
    if (thread_)
        thread_->stop();
    thread_.reset();
}

json CachePublisher::redisSection(const RedisCacheProbe::Report& report) const {
    return {{"status", report.status},
            {"error", report.error},
            {"target", report.target},
            {"used_memory", report.info.usedMemory},
            {"maxmemory", report.info.maxmemory},
            {"evicted_keys", report.info.evictedKeys},
            {"evictions_per_s", report.rates.evictionsPerS},
            {"keyspace_hits_per_s", report.rates.keyspaceHitsPerS},
            {"keyspace_misses_per_s", report.rates.keyspaceMissesPerS},
            {"hit_rate", report.rates.hitRate},
            {"connected_clients", report.info.connectedClients},
            {"keys", report.keys}};
}

void CachePublisher::updateMetrics(const CacheReading& now, const RedisCacheProbe::Report& report) {
    const auto& b = now.counts;
    auto& p = published_;
    auto add = [](prometheus::Counter* counter, std::uint64_t& had, std::uint64_t has) {
        if (has > had)
            counter->Increment(static_cast<double>(has - had));
        had = has;
    };
    add(metrics_->l1Hit, p.l1Hits, b.l1Hits);
    add(metrics_->l1Miss, p.l1Misses, b.l1Misses);
    add(metrics_->l2Hit, p.l2Hits, b.l2Hits);
    add(metrics_->l2Miss, p.l2Misses, b.l2Misses);
    add(metrics_->l2Error, p.l2Errors, b.l2Errors);
    add(metrics_->l2Skipped, p.l2Skipped, b.l2Skipped);
    add(metrics_->loadOk, p.loads, b.loads);
    add(metrics_->loadError, p.loadErrors, b.loadErrors);
    add(metrics_->coalesced, p.coalesced, b.coalesced);
    metrics_->redisUp->Set(report.status == 1 ? 1 : 0);
    metrics_->redisUsed->Set(static_cast<double>(report.info.usedMemory));
    metrics_->redisMax->Set(static_cast<double>(report.info.maxmemory));
    metrics_->redisEvictions->Set(report.rates.evictionsPerS);
}

void CachePublisher::tick() {
    std::lock_guard lock(mutex_);
    const RedisCacheProbe::Report report = probe_.run();
    TieredCache::Core& core = cache_.core();
    const CacheReading now = readingOf(cache_);
    CacheLayerFacts facts;
    facts.l1Entries = core.l1.entries();
    facts.l1Bytes = core.l1.bytes();
    facts.l1Evictions = core.l1.evictions();
    facts.breakerState = CircuitBreaker::stateName(core.breaker.state());
    facts.targetHitRate = core.options.config.targetHitRate;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> estimates;
    for (const auto& [prefix, estimate] : report.prefixes)
        estimates[prefix] = {estimate.keys, estimate.memoryBytes};

    json document = cacheDocument(previous_, now, facts, estimates);
    document["redis"] = redisSection(report);
    document["invalidation"] = core.bus.status();
    const double hitRate = document["hit_rate"].get<double>();
    metrics_->l1Entries->Set(static_cast<double>(facts.l1Entries));
    metrics_->l1Bytes->Set(static_cast<double>(facts.l1Bytes));
    metrics_->hitRatio->Set(hitRate < 0 ? 0 : hitRate / 100.0);
    updateMetrics(now, report);
    previous_ = now;
    hub_.publish(protocol::event::kCache, std::move(document));
}

} // namespace switchboard
