#include "tiered_cache_core.h"

#include <hiredis/hiredis.h>
#include <random>

namespace switchboard {

namespace {

RedisEndpoint endpointOf(const TieredCache::Options& options) {
    RedisEndpoint endpoint;
    endpoint.host = options.redisHost;
    endpoint.port = options.redisPort;
    endpoint.connectTimeout = std::chrono::milliseconds(options.config.redisTimeoutMs);
    endpoint.commandTimeout = std::chrono::milliseconds(options.config.redisTimeoutMs);
    return endpoint;
}

// The listener is not on a request path: it may wait longer for Redis than a get() may.
RedisEndpoint busEndpointOf(const TieredCache::Options& options) {
    RedisEndpoint endpoint = endpointOf(options);
    endpoint.connectTimeout = std::max(endpoint.connectTimeout, std::chrono::milliseconds(500));
    endpoint.commandTimeout = std::max(endpoint.commandTimeout, std::chrono::milliseconds(500));
    return endpoint;
}

L1Cache::Limits limitsOf(const CacheConfig& config) {
    L1Cache::Limits limits;
    limits.maxEntries = config.l1MaxEntries;
    limits.maxBytes = config.l1MaxBytes;
    return limits;
}

std::chrono::nanoseconds since(std::chrono::steady_clock::time_point start) {
    return std::chrono::steady_clock::now() - start;
}

} // namespace

TieredCache::Core::Core(Options optionsIn, CircuitBreaker& breakerIn)
    : options((optionsIn.config.enabled = true, optionsIn.config.validate(), std::move(optionsIn)))
    , breaker(breakerIn)
    , l1(limitsOf(options.config))
    , pool(endpointOf(options), static_cast<std::size_t>(options.config.poolSize))
    , bus(busEndpointOf(options), options.channel, options.instance,
          [this](const KeySelection& selection) { return dropFromL1(selection); }) {}

std::chrono::milliseconds TieredCache::Core::jittered(std::chrono::milliseconds ttl) const {
    const int pct = options.config.ttlJitterPct;
    if (pct == 0)
        return std::max(ttl, std::chrono::milliseconds(1));
    thread_local std::minstd_rand random{std::random_device{}()};
    std::uniform_real_distribution<double> spread(-pct / 100.0, pct / 100.0);
    const auto ms =
        static_cast<std::int64_t>(static_cast<double>(ttl.count()) * (1.0 + spread(random)));
    return std::chrono::milliseconds(std::max<std::int64_t>(ms, 1));
}

std::size_t TieredCache::Core::dropFromL1(const KeySelection& selection) {
    if (selection.match == KeySelection::Match::Key)
        return l1.erase(selection.value) ? 1 : 0;
    return l1.eraseIf([&](std::string_view key) { return selection.matches(key); });
}

TieredCache::Core::L2Outcome TieredCache::Core::readRedis(const std::string& key, Value& value) {
    if (!breaker.tryAcquire()) {
        stats.layers.l2Skipped.fetch_add(1, std::memory_order_relaxed);
        return L2Outcome::Skipped;
    }
    const auto started = std::chrono::steady_clock::now();
    RedisPool::Lease lease = pool.lease();
    RedisReply reply = lease ? lease->command({"GET", key}) : RedisReply(lease.error());
    if (!reply.ok()) {
        breaker.onFailure(since(started));
        stats.layers.l2Errors.fetch_add(1, std::memory_order_relaxed);
        return L2Outcome::Error;
    }
    breaker.onSuccess(since(started));
    if (reply.isNil()) {
        stats.layers.l2Misses.fetch_add(1, std::memory_order_relaxed);
        return L2Outcome::Miss;
    }
    value = std::make_shared<const std::string>(reply->str, reply->len);
    stats.layers.l2Hits.fetch_add(1, std::memory_order_relaxed);
    return L2Outcome::Hit;
}

void TieredCache::Core::writeRedis(const std::string& key, const std::string& value,
                                   std::chrono::milliseconds ttl) {
    if (!breaker.tryAcquire())
        return;
    const auto started = std::chrono::steady_clock::now();
    RedisPool::Lease lease = pool.lease();
    const std::string px = std::to_string(ttl.count());
    RedisReply reply =
        lease ? lease->command({"SET", key, value, "PX", px}) : RedisReply(lease.error());
    if (reply.ok()) {
        breaker.onSuccess(since(started));
    } else {
        breaker.onFailure(since(started));
        stats.layers.l2Errors.fetch_add(1, std::memory_order_relaxed);
    }
}

void TieredCache::Core::unlinkRedis(const std::string& key) {
    if (!breaker.tryAcquire())
        return;
    const auto started = std::chrono::steady_clock::now();
    RedisPool::Lease lease = pool.lease();
    RedisReply reply = lease ? lease->command({"UNLINK", key}) : RedisReply(lease.error());
    if (reply.ok())
        breaker.onSuccess(since(started));
    else
        breaker.onFailure(since(started));
}

TieredCache::Core::Loaded TieredCache::Core::loadBelowL1(const std::string& key,
                                                         const Loader& loader,
                                                         std::chrono::milliseconds ttl,
                                                         PrefixCounters& prefix) {
    Loaded loaded;
    if (readRedis(key, loaded.value) == L2Outcome::Hit) {
        prefix.l2Hits.fetch_add(1, std::memory_order_relaxed);
        l1.put(key, loaded.value, jittered(ttl));
        loaded.layer = Layer::L2;
        return loaded;
    }
    prefix.misses.fetch_add(1, std::memory_order_relaxed);
    stats.layers.loads.fetch_add(1, std::memory_order_relaxed);
    std::optional<std::string> value;
    try {
        value = loader(key);
    } catch (...) {
        stats.layers.loadErrors.fetch_add(1, std::memory_order_relaxed);
        throw;
    }
    loaded.layer = Layer::Loader;
    if (!value)
        return loaded; // nothing to cache: the next get asks the loader again
    loaded.value = std::make_shared<const std::string>(std::move(*value));
    const auto keep = jittered(ttl);
    l1.put(key, loaded.value, keep);
    writeRedis(key, *loaded.value, keep);
    return loaded;
}

TieredCache::Result TieredCache::Core::get(const std::string& key, const Loader& loader,
                                           std::chrono::milliseconds ttl) {
    PrefixCounters& prefix = stats.forKey(key);
    if (Value value = l1.get(key)) {
        stats.layers.l1Hits.fetch_add(1, std::memory_order_relaxed);
        prefix.l1Hits.fetch_add(1, std::memory_order_relaxed);
        return {std::move(value), Layer::L1};
    }
    stats.layers.l1Misses.fetch_add(1, std::memory_order_relaxed);
    auto outcome = flights.run(key, [&] { return loadBelowL1(key, loader, ttl, prefix); });
    if (outcome.shared)
        stats.layers.coalesced.fetch_add(1, std::memory_order_relaxed);
    return {std::move(outcome.value.value), outcome.value.layer};
}

// ---------------------------------------------------------------------------------------------

TieredCache::TieredCache(Options options, CircuitBreaker& redisBreaker)
    : core_(std::make_unique<Core>(std::move(options), redisBreaker)) {}

TieredCache::~TieredCache() {
    stop();
}

void TieredCache::start() {
    core_->bus.start();
}

void TieredCache::stop() noexcept {
    core_->bus.stop();
}

TieredCache::Result TieredCache::get(const std::string& key, const Loader& loader) {
    return core_->get(key, loader, std::chrono::milliseconds(core_->options.config.ttlMs));
}

TieredCache::Result TieredCache::get(const std::string& key, const Loader& loader,
                                     std::chrono::milliseconds ttl) {
    return core_->get(key, loader, ttl);
}

void TieredCache::put(const std::string& key, std::string value, std::chrono::milliseconds ttl) {
    const auto keep = core_->jittered(ttl);
    auto shared = std::make_shared<const std::string>(std::move(value));
    core_->l1.put(key, shared, keep);
    core_->writeRedis(key, *shared, keep);
}

void TieredCache::invalidate(const std::string& key) noexcept {
    try {
        core_->l1.erase(key);
        core_->unlinkRedis(key);
        core_->bus.broadcast(KeySelection{KeySelection::Match::Key, key},
                             std::chrono::milliseconds(0));
    } catch (...) {
        // Only allocation can fail here; the caller's write must not fail for its cache.
    }
}

TieredCache::Counts TieredCache::counts() const noexcept {
    const auto& l = core_->stats.layers;
    auto get = [](const std::atomic<std::uint64_t>& counter) {
        return counter.load(std::memory_order_relaxed);
    };
    return {get(l.l1Hits),    get(l.l1Misses), get(l.l2Hits),     get(l.l2Misses), get(l.l2Errors),
            get(l.l2Skipped), get(l.loads),    get(l.loadErrors), get(l.coalesced)};
}

std::size_t TieredCache::l1Entries() const {
    return core_->l1.entries();
}

} // namespace switchboard
