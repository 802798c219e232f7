// The tiered cache against a real Redis (issue 7): a known sequence of gets gives exactly the
// expected counts per layer and per prefix; 100 concurrent misses on one key cause one load;
// TTLs are jittered; Redis killed mid-run: gets go on from L1 and the loader without an error,
// the breaker opens, and L2 is used again once Redis is back; an invalidation reaches both
// instances' L1 over pub/sub, and each acknowledges with its name and what it removed.
#include "LocalStack.h"
#include "redis_connection.h"
#include "tiered_cache_core.h"

#include <QElapsedTimer>
#include <QTest>
#include <atomic>
#include <csignal>
#include <memory>
#include <set>
#include <thread>

using switchboard::BreakerConfig;
using switchboard::CircuitBreaker;
using switchboard::KeySelection;
using switchboard::RedisConnection;
using switchboard::RedisEndpoint;
using switchboard::TieredCache;
using Layer = TieredCache::Layer;

namespace {

BreakerConfig redisBreakerConfig() {
    BreakerConfig config;
    config.windowSize = 10;
    config.minimumCalls = 5;
    config.failureRateThreshold = 50;
    config.slowCallRateThreshold = 100;
    config.waitInOpen = std::chrono::milliseconds(500);
    config.permittedCallsInHalfOpen = 2;
    return config;
}

// One instance of a backend: its breaker and its cache.
struct Instance {
    Instance(const std::string& name, int port, int ttlJitterPct = 0)
        : breaker("cache.redis", redisBreakerConfig())
        , cache(options(name, port, ttlJitterPct), breaker) {}

    static TieredCache::Options options(const std::string& name, int port, int ttlJitterPct) {
        TieredCache::Options options;
        options.config.enabled = true;
        options.config.ttlMs = 60000;
        options.config.ttlJitterPct = ttlJitterPct;
        options.config.redisTimeoutMs = 200;
        options.redisPort = port;
        options.instance = name;
        options.channel = "test:cache";
        return options;
    }

    CircuitBreaker breaker;
    TieredCache cache;
};

} // namespace

class TestTieredCache : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    int port_ = 0;

    RedisConnection redis() const {
        RedisEndpoint endpoint;
        endpoint.port = port_;
        return RedisConnection(endpoint);
    }
    void flush() {
        RedisConnection connection = redis();
        QVERIFY2(connection.command({"FLUSHALL"}).ok(), connection.error().c_str());
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        port_ = stack_->server(QStringLiteral("redis")).value("port").toInt();
        QVERIFY(port_ > 0);
    }
    void cleanupTestCase() { stack_.reset(); }
    void init() { flush(); }

    void knownSequenceGivesExactCountsPerLayer() {
        Instance a("a", port_), b("b", port_);
        int loads = 0;
        auto loader = [&](const std::string& key) -> std::optional<std::string> {
            ++loads;
            if (key.rfind("catalog:missing", 0) == 0)
                return std::nullopt;
            return "value of " + key;
        };
        QCOMPARE(int(a.cache.get("catalog:item:1", loader).layer), int(Layer::Loader));
        QCOMPARE(int(a.cache.get("catalog:item:1", loader).layer), int(Layer::L1));
        auto fromRedis = b.cache.get("catalog:item:1", loader); // b's L1 is empty: Redis has it
        QCOMPARE(int(fromRedis.layer), int(Layer::L2));
        QCOMPARE(*fromRedis.value, std::string("value of catalog:item:1"));
        QCOMPARE(int(b.cache.get("catalog:item:1", loader).layer), int(Layer::L1));
        // Nothing to cache: every get asks the loader again, and the value is null.
        QVERIFY(!a.cache.get("catalog:missing:7", loader).value);
        QCOMPARE(int(a.cache.get("catalog:missing:7", loader).layer), int(Layer::Loader));
        QCOMPARE(int(a.cache.get("user:9", loader).layer), int(Layer::Loader));
        QCOMPARE(loads, 4);

        const auto ca = a.cache.counts();
        QCOMPARE(ca.l1Hits, std::uint64_t(1));
        QCOMPARE(ca.l1Misses, std::uint64_t(4));
        QCOMPARE(ca.l2Hits, std::uint64_t(0));
        QCOMPARE(ca.l2Misses, std::uint64_t(4));
        QCOMPARE(ca.loads, std::uint64_t(4));
        QCOMPARE(ca.l2Errors + ca.l2Skipped + ca.loadErrors + ca.coalesced, std::uint64_t(0));
        const auto cb = b.cache.counts();
        QCOMPARE(cb.l1Hits, std::uint64_t(1));
        QCOMPARE(cb.l1Misses, std::uint64_t(1));
        QCOMPARE(cb.l2Hits, std::uint64_t(1));
        QCOMPARE(cb.l2Misses + cb.loads + cb.l2Errors, std::uint64_t(0));

        // Per prefix: the key up to its last ':'.
        std::map<std::string, std::array<std::uint64_t, 3>> rows;
        for (const auto& row : a.cache.core().stats.prefixes())
            rows[row.prefix] = {row.l1Hits, row.l2Hits, row.misses};
        QCOMPARE(rows.size(), std::size_t(3));
        QVERIFY((rows["catalog:item"] == std::array<std::uint64_t, 3>{1, 0, 1}));
        QVERIFY((rows["catalog:missing"] == std::array<std::uint64_t, 3>{0, 0, 2}));
        QVERIFY((rows["user"] == std::array<std::uint64_t, 3>{0, 0, 1}));
        // What the loader gave is in Redis, with a TTL.
        RedisConnection connection = redis();
        QCOMPARE(connection.command({"GET", "catalog:item:1"}).string(),
                 std::string("value of catalog:item:1"));
        QVERIFY(connection.command({"PTTL", "catalog:item:1"}).integer() > 50000);
        QVERIFY(connection.command({"GET", "catalog:missing:7"}).isNil());
    }

    void hundredConcurrentMissesCauseOneLoad() {
        Instance a("a", port_);
        std::atomic<int> loads{0};
        auto slowLoader = [&](const std::string& key) -> std::optional<std::string> {
            loads.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return "loaded " + key;
        };
        std::atomic<int> ready{0}, right{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 100; ++i)
            threads.emplace_back([&] {
                ready.fetch_add(1);
                while (ready.load() < 100)
                    std::this_thread::yield();
                if (auto got = a.cache.get("hot:key", slowLoader);
                    got.value && *got.value == "loaded hot:key")
                    right.fetch_add(1);
            });
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(loads.load(), 1);
        QCOMPARE(right.load(), 100);
        const auto counts = a.cache.counts();
        QCOMPARE(counts.loads, std::uint64_t(1));
        QCOMPARE(counts.l2Misses, std::uint64_t(1)); // the load's single look in Redis
        QCOMPARE(counts.l1Misses + counts.l1Hits, std::uint64_t(100));
        QCOMPARE(counts.coalesced, counts.l1Misses - 1); // every miss but the leader's waited
    }

    void ttlsAreJittered() {
        Instance a("a", port_, 20);
        auto loader = [](const std::string& key) -> std::optional<std::string> {
            return key;
        };
        std::set<long long> ttls;
        RedisConnection connection = redis();
        for (int i = 0; i < 40; ++i) {
            const std::string key = "jitter:" + std::to_string(i);
            a.cache.get(key, loader, std::chrono::milliseconds(10000));
            const long long ttl = connection.command({"PTTL", key}).integer();
            QVERIFY2(ttl >= 7900 && ttl <= 12000, qPrintable(QString::number(ttl)));
            ttls.insert(ttl / 100);
        }
        QVERIFY2(ttls.size() >= 10, "forty keys loaded together should not expire together");
    }

    void invalidationReachesEveryInstanceWithAcknowledgements() {
        Instance a("a", port_), b("b", port_);
        a.cache.start();
        b.cache.start();
        QTRY_VERIFY_WITH_TIMEOUT(a.cache.core().bus.subscribed() && b.cache.core().bus.subscribed(),
                                 5000);
        auto loader = [](const std::string& key) -> std::optional<std::string> {
            return key;
        };
        for (int i = 0; i < 10; ++i) {
            a.cache.get("inv:x:" + std::to_string(i), loader);
            b.cache.get("inv:x:" + std::to_string(i), loader);
            b.cache.get("inv:y:" + std::to_string(i), loader);
        }
        QCOMPARE(a.cache.l1Entries(), std::size_t(10));
        QCOMPARE(b.cache.l1Entries(), std::size_t(20));

        const auto broadcast = a.cache.core().bus.broadcast(
            KeySelection::parse("pattern", "inv:x:*"), std::chrono::milliseconds(2000));
        QCOMPARE(broadcast.receivers, 2LL);
        std::map<std::string, std::uint64_t> removed;
        for (const auto& ack : broadcast.acked)
            removed[ack.instance] = ack.removed;
        QCOMPARE(removed.size(), std::size_t(2));
        QCOMPARE(removed["a"], std::uint64_t(10));
        QCOMPARE(removed["b"], std::uint64_t(10));
        QVERIFY(broadcast.ackMs >= 0 && broadcast.ackMs < 2000);
        QCOMPARE(a.cache.l1Entries(), std::size_t(0));
        QCOMPARE(b.cache.l1Entries(), std::size_t(10)); // inv:y untouched

        // A write's invalidate(): Redis and the other instance's L1, without waiting.
        b.cache.invalidate("inv:y:3");
        QVERIFY(redis().command({"GET", "inv:y:3"}).isNil());
        a.cache.get("inv:y:4", loader); // a caches one of b's keys too
        a.cache.invalidate("inv:y:4");
        QTRY_COMPARE_WITH_TIMEOUT(b.cache.l1Entries(), std::size_t(8), 2000);
        QTRY_COMPARE_WITH_TIMEOUT(a.cache.l1Entries(), std::size_t(0), 2000);
    }

    // Last: it restarts the stack's Redis itself.
    void redisKilledMidRunServesFromL1AndTheLoader() {
        Instance a("a", port_);
        std::atomic<int> loads{0};
        auto loader = [&](const std::string& key) -> std::optional<std::string> {
            loads.fetch_add(1);
            return key;
        };
        for (int i = 0; i < 20; ++i)
            a.cache.get("warm:" + std::to_string(i), loader);
        const int pid = stack_->server(QStringLiteral("redis")).value("pid").toInt();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGKILL), 0);

        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 200; ++i) {
            // Cached keys from L1; new keys from the loader; never an exception or a null.
            auto warm = a.cache.get("warm:" + std::to_string(i % 20), loader);
            QCOMPARE(int(warm.layer), int(Layer::L1));
            auto fresh = a.cache.get("fresh:" + std::to_string(i), loader);
            QVERIFY(fresh.value);
            QCOMPARE(int(fresh.layer), int(Layer::Loader));
        }
        QVERIFY2(clock.elapsed() < 5000, "a dead Redis must not slow every get down");
        QCOMPARE(a.breaker.state(), CircuitBreaker::State::Open);
        const auto down = a.cache.counts();
        QVERIFY(down.l2Errors >= 5);
        QVERIFY(down.l2Skipped > 100); // the breaker kept gets away from Redis

        QVERIFY(stack_->restartRedis());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                a.cache.get("back:" + std::to_string(loads.load()), loader);
                return a.breaker.state() == CircuitBreaker::State::Closed;
            }(),
            10000);
        a.cache.get("again:1", loader); // written to Redis once more
        QCOMPARE(redis().command({"GET", "again:1"}).string(), std::string("again:1"));
    }
};

QTEST_GUILESS_MAIN(TestTieredCache)
#include "tst_tiered_cache.moc"
