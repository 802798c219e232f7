#include "workload.h"

#include "pg_timeouts.h"
#include "pricing_client.h"

#include <cmath>
#include <hiredis/hiredis.h>
#include <iostream>
#include <memory>
#include <pqxx/pqxx>
#include <random>

namespace demo {

namespace {

using Clock = std::chrono::steady_clock;

// Every kBulkEvery-th write also inserts kBulkRows rows in one statement (~1 MiB of WAL): at the
// default 20 writes/s, one batch every 5 s, enough for the replicas' replay lag to show on the
// board now and then, little enough for a 2-core machine running the whole stack.
constexpr long kBulkEvery = 100;
constexpr int kBulkRows = 5000;

// The read router's targets in its order: the primary, then the replicas as main.cpp configures
// them (stack.all("replica")).
std::vector<std::string> readTargets(const StackFile& stack) {
    std::vector<std::string> targets = {withTimeouts(stack.first("primary").conninfo)};
    for (const auto& replica : stack.all("replica"))
        targets.push_back(withTimeouts(replica.conninfo));
    return targets;
}

} // namespace

Workload::Workload(switchboard::Agent& agent, const StackFile& stack, std::string instance,
                   double ratePerRoute, std::string pricingUrl, std::function<double()> hotTenant,
                   const std::string& ackedFile)
    : agent_(agent)
    , primary_(withTimeouts(stack.first("primary").conninfo))
    , readTargets_(readTargets(stack))
    , redisHost_(stack.first("cache").host)
    , redisPort_(stack.first("cache").port)
    , pricingUrl_(std::move(pricingUrl))
    , instance_(std::move(instance))
    , rate_(ratePerRoute)
    , hotTenant_(std::move(hotTenant))
    , shardWriter_(agent, stack, ackedFile) {}

Workload::~Workload() {
    stop();
}

void Workload::start() {
    threads_.emplace_back([this] { writeLoop(); });
    threads_.emplace_back([this] { readLoop(); });
    threads_.emplace_back([this] { cacheLoop(); });
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
    std::unique_ptr<pqxx::connection> db;
    std::mt19937 random(std::random_device{}());
    long written = 0;
    pace(agent_.route("orders.write"), breakerFor("postgres.primary"), [&] {
        try {
            if (!db) {
                db = std::make_unique<pqxx::connection>(primary_);
                pqxx::work setup(*db);
                // Two demo instances may start at once: one creates the table.
                setup.exec("SELECT pg_advisory_xact_lock(7464)");
                setup.exec0("CREATE TABLE IF NOT EXISTS demo_orders (id bigserial PRIMARY KEY, "
                            "instance text NOT NULL, amount numeric(10,2) NOT NULL, "
                            "created_at timestamptz NOT NULL DEFAULT now())");
                setup.commit();
            }
            pqxx::work tx(*db);
            tx.exec_params0("INSERT INTO demo_orders (instance, amount) VALUES ($1, $2)", instance_,
                            std::uniform_int_distribution<int>(100, 99999)(random) / 100.0);
            if (++written % kBulkEvery == 0) {
                tx.exec_params0("INSERT INTO demo_orders (instance, amount) SELECT $1, "
                                "(random() * 999)::numeric(10,2) FROM generate_series(1, $2::int)",
                                instance_, kBulkRows);
                // Keep the table bounded: the newest 40 000 orders.
                tx.exec_params0("DELETE FROM demo_orders WHERE instance = $1 AND id < "
                                "(SELECT max(id) - 40000 FROM demo_orders)",
                                instance_);
            }
            tx.commit();
            return true;
        } catch (const std::exception&) {
            db.reset();
            throw;
        }
    });
}

void Workload::readLoop() {
    switchboard::ReadRouter& router = agent_.readRouter();
    std::vector<std::unique_ptr<pqxx::connection>> connections(readTargets_.size());
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
        auto& db = connections.at(static_cast<std::size_t>(target.index));
        try {
            if (!db)
                db = std::make_unique<pqxx::connection>(readTargets_.at(target.index));
            pqxx::read_transaction tx(*db);
            tx.exec("SELECT id, amount FROM demo_orders ORDER BY id DESC LIMIT 10");
            return true;
        } catch (const pqxx::undefined_table&) {
            // The table may not have reached the replica yet: no rows, not a failure.
            db.reset();
            return true;
        } catch (const std::exception&) {
            db.reset();
            throw;
        }
    });
}

void Workload::cacheLoop() {
    std::unique_ptr<redisContext, decltype(&redisFree)> redis(nullptr, &redisFree);
    std::mt19937 random(std::random_device{}());
    auto command = [&](const char* format, const std::string& key) {
        return std::unique_ptr<redisReply, decltype(&freeReplyObject)>(
            static_cast<redisReply*>(redisCommand(redis.get(), format, key.c_str())),
            &freeReplyObject);
    };
    pace(agent_.route("cache.get"), breakerFor("redis"), [&] {
        if (!redis || redis->err) {
            timeval timeout{1, 0};
            redis.reset(redisConnectWithTimeout(redisHost_.c_str(), redisPort_, timeout));
            if (!redis || redis->err) {
                std::string why = redis ? redis->errstr : "out of memory";
                redis.reset();
                throw std::runtime_error("Redis: " + why);
            }
            redisSetTimeout(redis.get(), timeout);
        }
        std::string key =
            "demo:product:" + std::to_string(std::uniform_int_distribution<int>(1, 500)(random));
        auto reply = command("GET %s", key);
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            std::string why = reply ? std::string(reply->str, reply->len) : redis->errstr;
            redis.reset();
            throw std::runtime_error("Redis GET: " + why);
        }
        if (reply->type == REDIS_REPLY_NIL) {
            auto set = command("SET %s cached EX 30", key);
            if (!set || set->type == REDIS_REPLY_ERROR) {
                std::string why = set ? std::string(set->str, set->len) : redis->errstr;
                redis.reset();
                throw std::runtime_error("Redis SET: " + why);
            }
        }
        return true;
    });
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
