#include "workload.h"

#include "pg_timeouts.h"
#include "pricing_client.h"
#include "zipf_keys.h"

#include <cmath>
#include <iostream>
#include <memory>
#include <pqxx/pqxx>
#include <random>

namespace demo {

namespace {

using Clock = std::chrono::steady_clock;

// The read router's targets in its order: the primary, then the replicas, as the agent has
// them.
std::vector<std::string> readTargets(const switchboard::AgentConfig& config) {
    std::vector<std::string> targets = {withTimeouts(config.postgresPrimary)};
    for (const auto& replica : config.postgresReplicas)
        targets.push_back(withTimeouts(replica.conninfo));
    return targets;
}

// Each pool holds a few connections: the reads and the cache's loads share the primary's.
constexpr std::size_t kPoolSize = 4;
constexpr std::chrono::milliseconds kPoolWait{2000};

} // namespace

Workload::Workload(switchboard::Agent& agent, const switchboard::AgentConfig& config,
                   const StackFile& stack, std::string instance, double ratePerRoute,
                   std::string pricingUrl, std::function<double()> hotTenant,
                   const std::string& ackedFile, const std::string& ackedWritesFile,
                   std::function<std::pair<int, double>()> catalogKnobs)
    : agent_(agent)
    , readTargets_(readTargets(config))
    , pricingUrl_(std::move(pricingUrl))
    , instance_(std::move(instance))
    , rate_(ratePerRoute)
    , hotTenant_(std::move(hotTenant))
    , catalogKnobs_(std::move(catalogKnobs))
    , shardWriter_(agent, stack, ackedFile)
    , sequencedOrders_(agent.writes(), instance_, ackedWritesFile) {
    poolNames_.push_back("postgres.primary");
    for (const auto& replica : config.postgresReplicas)
        poolNames_.push_back("postgres." + replica.name);
    for (std::size_t i = 0; i < readTargets_.size(); ++i) {
        readPools_.push_back(std::make_unique<PgPool>(readTargets_[i], kPoolSize, kPoolWait));
        agent_.reportPool(poolNames_[i],
                          [pool = readPools_.back().get()] { return pool->usage(); });
    }
}

Workload::~Workload() {
    stop();
    // The agent outlives the workload: it must not read the pools once they are gone.
    for (const auto& name : poolNames_)
        agent_.forgetPool(name);
}

void Workload::start() {
    threads_.emplace_back([this] { writeLoop(); });
    threads_.emplace_back([this] { readLoop(); });
    threads_.emplace_back([this] { cachedCatalogLoop(); });
    threads_.emplace_back([this] { pricingLoop(); });
    threads_.emplace_back([this] { shardedWriteLoop(); });
    threads_.emplace_back([this] { shardedReadLoop(); });
}

void Workload::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable())
            thread.join();
    threads_.clear();
}

bool Workload::sleepUntil(Clock::time_point when) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_until(lock, when, [this] { return stopping_; });
}

switchboard::CircuitBreaker& Workload::breakerFor(const std::string& dependency) {
    switchboard::BreakerConfig config;
    config.windowSize = 20;
    config.minimumCalls = 10;
    config.failureRateThreshold = 50;
    config.slowCallRateThreshold = 50;
    config.slowCallDuration = std::chrono::milliseconds(250);
    config.waitInOpen = std::chrono::seconds(3);
    config.permittedCallsInHalfOpen = 3;
    return agent_.breaker(dependency, config);
}

void Workload::pace(switchboard::RouteStats& stats, switchboard::CircuitBreaker& breaker,
                    const std::function<bool()>& request) {
    pace(
        stats, [&]() -> switchboard::CircuitBreaker& { return breaker; }, request);
}

void Workload::pace(switchboard::RouteStats& stats,
                    const std::function<switchboard::CircuitBreaker&()>& pickBreaker,
                    const std::function<bool()>& request, double share) {
    auto started = Clock::now();
    auto next = started;
    int failuresInRow = 0;
    bool failureSaid = false;
    auto lastSaid = started - std::chrono::hours(1);
    while (sleepUntil(next)) {
        auto begin = Clock::now();
        bool ok = false;
        std::string error = "failed";
        switchboard::CircuitBreaker& breaker = pickBreaker();
        if (!breaker.tryAcquire()) {
            error = "circuit breaker " + breaker.name() + " is " +
                    switchboard::CircuitBreaker::stateName(breaker.state());
        } else {
            try {
                ok = request();
            } catch (const std::exception& failure) {
                error = failure.what();
            }
            auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin);
            ok ? breaker.onSuccess(took) : breaker.onFailure(took);
        }
        // Say why once when a route starts failing, not at every retry; and at most every 10 s,
        // since a flaky dependency (pricing at an error rate of 0.3) fails and recovers many
        // times a second.
        if (!ok && failuresInRow == 0 && begin - lastSaid >= std::chrono::seconds(10)) {
            std::cerr << "switchboard-demo " << instance_ << ": " << stats.route() << ": " << error
                      << std::endl;
            failureSaid = true;
            lastSaid = begin;
        }
        if (ok && failureSaid) {
            std::cerr << "switchboard-demo " << instance_ << ": " << stats.route() << ": recovered"
                      << std::endl;
            failureSaid = false;
        }
        stats.record(ok, std::chrono::duration<double>(Clock::now() - begin).count());
        failuresInRow = ok ? 0 : failuresInRow + 1;
        // The rate drifts ±30 % over two minutes, so a chart of it is not a flat line.
        double seconds = std::chrono::duration<double>(begin - started).count();
        double rate = share * rate_ * (1.0 + 0.3 * std::sin(seconds * 2 * M_PI / 120.0));
        next += std::chrono::microseconds(static_cast<long>(1e6 / rate));
        if (next < Clock::now() - std::chrono::seconds(1))
            next = Clock::now(); // do not burst to catch up after a stall
    }
}

void Workload::writeLoop() {
    // The breaker is per write target ("postgres.primary", then "postgres.<leader>" once the
    // agent follows a Patroni leader): after a failover the new primary starts with a closed
    // breaker instead of waiting out the old one's open state.
    pace(
        agent_.route("orders.write"),
        [this]() -> switchboard::CircuitBreaker& {
            return breakerFor("postgres." + sequencedOrders_.targetName());
        },
        [this] { return sequencedOrders_.write(); });
}

void Workload::readLoop() {
    switchboard::ReadRouter& router = agent_.readRouter();
    // A read to the primary shares the writes' breaker; a dead replica's breaker opens without
    // refusing the reads the router sends the primary once its probe has excluded the replica.
    switchboard::CircuitBreaker& primaryBreaker = breakerFor("postgres.primary");
    switchboard::CircuitBreaker& replicaBreaker = breakerFor("postgres.replica");
    switchboard::ReadRouter::Route target;
    auto pickTarget = [&]() -> switchboard::CircuitBreaker& {
        // Each read asks the router: a replica within the lag limits, else the primary.
        target = router.route();
        return target.index == 0 ? primaryBreaker : replicaBreaker;
    };
    pace(agent_.route("catalog.read"), pickTarget, [&] {
        PgPool::Lease db = readPools_.at(static_cast<std::size_t>(target.index))->lease();
        try {
            pqxx::read_transaction tx(*db);
            tx.exec("SELECT id, amount FROM demo_orders ORDER BY id DESC LIMIT 10");
            return true;
        } catch (const pqxx::undefined_table&) {
            // The table may not have reached the replica yet: no rows, not a failure.
            db.discard();
            return true;
        } catch (const std::exception&) {
            db.discard();
            throw;
        }
    });
}

void Workload::cachedCatalogLoop() {
    switchboard::TieredCache& cache = agent_.cache();
    PgPool& primaryPool = *readPools_.front();
    ZipfKeys ids;
    // What a catalog service would read from its database on a miss: one round trip per item.
    auto loader = [&](const std::string& key) -> std::optional<std::string> {
        PgPool::Lease db = primaryPool.lease();
        try {
            pqxx::read_transaction tx(*db);
            const std::string id = key.substr(key.rfind(':') + 1);
            return tx
                .exec_params1("SELECT format('{\"id\": %s, \"name\": \"item %s\", "
                              "\"price_cents\": %s}', $1::bigint, $1::bigint, "
                              "($1::bigint * 37) % 10000)",
                              id)[0]
                .as<std::string>();
        } catch (const std::exception&) {
            db.discard();
            throw;
        }
    };
    // The cache has its own breaker in front of Redis; this one is around the whole read.
    pace(
        agent_.route("catalog.cached"),
        [&]() -> switchboard::CircuitBreaker& { return breakerFor("catalog.cache"); },
        [&] {
            const auto [keys, skew] = catalogKnobs_();
            const std::string key = "catalog:item:" + std::to_string(ids.next(keys, skew));
            return cache.get(key, loader).value != nullptr;
        },
        10.0);
}

void Workload::pricingLoop() {
    // Its breaker opens when quotes fail (5xx, a timeout past PricingClient::kTimeoutMs) or take
    // longer than the breaker's slow-call threshold, as the dependency's knobs decide.
    PricingClient pricing(pricingUrl_);
    pace(agent_.route("pricing.quote"), breakerFor("pricing"), [&] {
        pricing.quote();
        return true;
    });
}

bool Workload::awaitShardMap() {
    switchboard::ShardRouter& router = agent_.shardRouter();
    while (router.version() < 1)
        if (!sleepUntil(Clock::now() + std::chrono::milliseconds(100)))
            return false;
    return true;
}

switchboard::CircuitBreaker&
Workload::shardBreaker(std::vector<switchboard::CircuitBreaker*>& cache, int index) {
    auto slot = static_cast<std::size_t>(index);
    if (cache.size() <= slot)
        cache.resize(slot + 1, nullptr);
    if (!cache[slot])
        cache[slot] = &breakerFor("shards." + std::string(agent_.shardRouter().nodeName(index)));
    return *cache[slot];
}

void Workload::shardedWriteLoop() {
    // A breaker per node, picked by the write's first route: one node down fails fast without
    // refusing the writes the others could take. Nodes are never removed from the map, so a
    // node index keeps its meaning (and its connection).
    if (!awaitShardMap())
        return;
    switchboard::ShardRouter& router = agent_.shardRouter();
    std::vector<switchboard::CircuitBreaker*> breakers;
    CustomerPicker customers;
    std::int64_t customer = 0;
    switchboard::ShardRouter::Route route;
    auto pickBreaker = [&]() -> switchboard::CircuitBreaker& {
        customer = customers.next(hotTenant_());
        route = router.route(customer);
        return shardBreaker(breakers, route.node);
    };
    pace(agent_.route("orders.sharded"), pickBreaker,
         [&] { return shardWriter_.write(customer, route); });
}

void Workload::shardedReadLoop() {
    if (!awaitShardMap())
        return;
    switchboard::ShardRouter& router = agent_.shardRouter();
    ShardConnections nodes(router);
    std::vector<switchboard::CircuitBreaker*> breakers;
    CustomerPicker customers;
    std::int64_t customer = 0;
    switchboard::ShardRouter::Route route;
    auto pickBreaker = [&]() -> switchboard::CircuitBreaker& {
        customer = customers.next(hotTenant_());
        route = router.route(customer, switchboard::ShardRouter::Access::Read);
        return shardBreaker(breakers, route.node);
    };
    // Fewer reads than writes: the orders are mostly written, and looked up now and then.
    pace(
        agent_.route("orders.sharded.read"), pickBreaker,
        [&] { return readRecentOrders(nodes, route, customer); }, 0.25);
}

} // namespace demo
