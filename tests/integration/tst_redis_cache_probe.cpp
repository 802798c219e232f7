// The cache probe against the stack's real Redis (nothing else uses it, so its counters move
// only with what this test does): per-prefix estimates from the SCAN sample match the exact
// MEMORY USAGE sums, with at most sampleKeysPerRun MEMORY USAGE calls a run and no KEYS; INFO
// figures; hit and miss rates that follow GETs exactly (the probe's own SCAN and MEMORY USAGE
// count neither); evictions under a small maxmemory with allkeys-lru; a stopped server is Down
// within the timeouts, a paused one too, and a server restarted on the same port is Up again
// with its rates and sample started afresh.
#include "LocalStack.h"
#include "redis_cache_probe.h"
#include "redis_connection.h"

#include <QProcess>
#include <QTest>
#include <csignal>
#include <hiredis/hiredis.h>
#include <map>

using switchboard::RedisCacheProbe;
using switchboard::RedisConnection;
using switchboard::RedisEndpoint;
using Report = RedisCacheProbe::Report;

namespace {

constexpr int kUp = 1;
constexpr int kDown = 2;
constexpr std::chrono::milliseconds kTimeout{300};

std::string key(const char* prefix, int i) {
    return std::string(prefix) + ":" + std::to_string(i);
}

// How many times the server ran a command (INFO commandstats), 0 if never.
std::int64_t calls(RedisConnection& redis, const std::string& command) {
    const std::string stats = redis.command({"INFO", "commandstats"}).string();
    const std::string field = "cmdstat_" + command + ":calls=";
    const std::size_t at = stats.find(field);
    return at == std::string::npos ? 0 : std::stoll(stats.substr(at + field.size()));
}

} // namespace

class TestRedisCacheProbe : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    RedisEndpoint endpoint_;
    std::unique_ptr<RedisConnection> admin_;

    RedisConnection& admin() {
        if (!admin_ || !admin_->ok())
            admin_ = std::make_unique<RedisConnection>(endpoint_);
        return *admin_;
    }

    // SETs count keys prefix:0.. with values of valueBytes, pipelined; true if all succeeded.
    bool fill(const char* prefix, int count, std::size_t valueBytes) {
        const std::string value(valueBytes, 'v');
        for (int first = 0; first < count; first += 1000) {
            std::vector<std::string> keys;
            for (int i = first; i < std::min(count, first + 1000); ++i)
                keys.push_back(key(prefix, i));
            std::vector<std::vector<std::string_view>> commands;
            for (const std::string& k : keys)
                commands.push_back({"SET", k, value});
            for (const auto& reply : admin().pipeline(commands))
                if (!reply.ok())
                    return false;
        }
        return true;
    }

    // MEMORY USAGE of prefix:0..count-1 summed: what the probe estimates.
    std::int64_t exactMemory(const char* prefix, int count) {
        std::vector<std::string> keys;
        for (int i = 0; i < count; ++i)
            keys.push_back(key(prefix, i));
        std::vector<std::vector<std::string_view>> commands;
        for (const std::string& k : keys)
            commands.push_back({"MEMORY", "USAGE", k, "SAMPLES", "0"});
        std::int64_t total = 0;
        for (const auto& reply : admin().pipeline(commands))
            total += reply.integer(0);
        return total;
    }

    void reset() {
        QVERIFY(admin().command({"FLUSHALL"}).ok());
        QVERIFY(admin().command({"CONFIG", "SET", "maxmemory", "0"}).ok());
        QVERIFY(admin().command({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).ok());
    }

    bool connectable() { return RedisConnection(endpoint_).ok(); }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        endpoint_.port = stack_->server(QStringLiteral("redis")).value("port").toInt();
        endpoint_.connectTimeout = kTimeout;
        endpoint_.commandTimeout = kTimeout;
        QVERIFY(admin().ok());
    }

    void cleanupTestCase() {
        admin_.reset();
        stack_.reset();
    }

    void estimatesPrefixesFromTheSample() {
        reset();
        QVERIFY(fill("a:x", 3000, 100));
        QVERIFY(fill("b:y", 1000, 1000));
        const double memoryA = static_cast<double>(exactMemory("a:x", 3000));
        const double memoryB = static_cast<double>(exactMemory("b:y", 1000));
        const std::int64_t usagesBefore = calls(admin(), "memory|usage");

        RedisCacheProbe probe(endpoint_, 1000);
        bool exactOnce = false;
        for (int run = 1; run <= 10; ++run) {
            const std::int64_t usages = calls(admin(), "memory|usage");
            Report report = probe.run();
            QVERIFY2(report.status == kUp, report.error.c_str());
            QVERIFY2(report.error.empty(), report.error.c_str());
            QCOMPARE(report.keys, std::int64_t(4000));
            // One INFO commandstats in between: its own MEMORY calls are none.
            QVERIFY(calls(admin(), "memory|usage") - usages <= 1000);
            if (run < 5)
                continue; // 4000 keys at 1000 a run: the first pass ends at run 4 or 5
            QCOMPARE(report.prefixes.size(), std::size_t(2));
            const auto& a = report.prefixes.at("a:x");
            const auto& b = report.prefixes.at("b:y");
            QVERIFY2(std::abs(a.keys - 3000) <= 300, std::to_string(a.keys).c_str());
            QVERIFY2(std::abs(b.keys - 1000) <= 100, std::to_string(b.keys).c_str());
            QVERIFY(std::abs(a.memoryBytes - memoryA) <= 0.3 * memoryA);
            QVERIFY(std::abs(b.memoryBytes - memoryB) <= 0.3 * memoryB);
            // When a pass has just ended, the estimate is its census.
            if (std::abs(a.keys - 3000) <= 30 && std::abs(a.memoryBytes - memoryA) <= memoryA / 100)
                exactOnce = true;
        }
        QVERIFY(exactOnce);
        QCOMPARE(calls(admin(), "keys"), std::int64_t(0));
        QVERIFY(calls(admin(), "scan") > 0);
        QVERIFY(calls(admin(), "memory|usage") - usagesBefore >= 4000);
    }

    void manyPrefixesEndInOther() {
        reset();
        for (int i = 0; i < 1100; ++i)
            QVERIFY(admin().command({"SET", key(("p" + std::to_string(i)).c_str(), 1), "v"}).ok());
        RedisCacheProbe probe(endpoint_, 2000); // the whole key space in one run
        Report report = probe.run();
        QVERIFY2(report.status == kUp, report.error.c_str());
        QCOMPARE(report.prefixes.size(), RedisCacheProbe::kMaxPrefixes + 1);
        const auto& other = report.prefixes.at(RedisCacheProbe::kOtherPrefix);
        QCOMPARE(other.keys, std::int64_t(1100 - RedisCacheProbe::kMaxPrefixes));
    }

    void infoAndRatesFollowTheGets() {
        reset();
        QVERIFY(fill("a:x", 2000, 50));
        RedisCacheProbe probe(endpoint_, 500); // still sampling while the GETs go on
        Report first = probe.run();
        QVERIFY2(first.status == kUp, first.error.c_str());
        QCOMPARE(first.target, endpoint_.text());
        QVERIFY(first.info.usedMemory > 0);
        QCOMPARE(first.info.maxmemory, std::int64_t(0));
        QVERIFY(first.info.connectedClients >= 2); // the probe and this test
        QVERIFY(first.info.totalCommands > 0);
        QVERIFY(first.info.evictedKeys >= 0);
        QVERIFY(first.info.fields.at("redis_version").starts_with("7."));
        QVERIFY(!first.info.runId().empty());
        QCOMPARE(first.rateIntervalS, 0.0); // no previous INFO: no rates yet
        QCOMPARE(first.rates.hitRate, -1.0);
        QVERIFY(first.checkedMs > 1'700'000'000'000);
        QVERIFY(first.durationMs > 0 && first.durationMs < 2 * kTimeout.count());

        for (int i = 0; i < 7; ++i)
            QVERIFY(!admin().command({"GET", key("a:x", i)}).isNil());
        for (int i = 0; i < 3; ++i)
            QVERIFY(admin().command({"GET", key("none", i)}).isNil());
        Report second = probe.run();
        QVERIFY2(second.status == kUp, second.error.c_str());
        QCOMPARE(second.info.keyspaceHits - first.info.keyspaceHits, std::int64_t(7));
        QCOMPARE(second.info.keyspaceMisses - first.info.keyspaceMisses, std::int64_t(3));
        QVERIFY(second.rateIntervalS > 0);
        QVERIFY(qFuzzyCompare(second.rates.keyspaceHitsPerS * second.rateIntervalS, 7.0));
        QVERIFY(qFuzzyCompare(second.rates.keyspaceMissesPerS * second.rateIntervalS, 3.0));
        QVERIFY(qFuzzyCompare(second.rates.hitRate, 70.0));

        // Nothing but the probe: its SCAN and MEMORY USAGE are neither hits nor misses.
        Report third = probe.run();
        QCOMPARE(third.info.keyspaceHits, second.info.keyspaceHits);
        QCOMPARE(third.info.keyspaceMisses, second.info.keyspaceMisses);
        QCOMPARE(third.rates.keyspaceHitsPerS, 0.0);
        QCOMPARE(third.rates.hitRate, -1.0);
        QCOMPARE(third.rates.evictionsPerS, 0.0);
    }

    void evictionsAreCounted() {
        reset();
        RedisCacheProbe probe(endpoint_);
        Report before = probe.run();
        QVERIFY2(before.status == kUp, before.error.c_str());
        // Room for a pipeline's query buffer (1000 SETs of 1 KB) above the keys' memory, or the
        // SETs fail with OOM once nothing is left to evict.
        const std::int64_t limit = before.info.usedMemory + 4'000'000;
        QVERIFY(admin().command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).ok());
        QVERIFY(admin().command({"CONFIG", "SET", "maxmemory", std::to_string(limit)}).ok());
        QVERIFY(fill("big", 10000, 1000)); // about 11 MB into 4 MB

        Report after = probe.run();
        QVERIFY2(after.status == kUp, after.error.c_str());
        QCOMPARE(after.info.maxmemory, limit);
        QCOMPARE(after.info.fields.at("maxmemory_policy"), std::string("allkeys-lru"));
        const std::int64_t evicted = after.info.evictedKeys - before.info.evictedKeys;
        QVERIFY2(evicted > 3000, std::to_string(evicted).c_str());
        // Not equal: over maxmemory Redis evicts before any command (the DBSIZE after INFO too),
        // a bounded time each, so it can still be evicting.
        QVERIFY(after.keys + evicted <= 10000);
        QVERIFY(after.keys > 0 && after.keys < 10000 - 3000);
        QVERIFY(qFuzzyCompare(after.rates.evictionsPerS * after.rateIntervalS, double(evicted)));
        reset();
    }

    // Last: it replaces the stack's Redis with one this test started (and stops).
    void downAndBackUp() {
        reset();
        QVERIFY(fill("a:x", 100, 10));
        RedisCacheProbe probe(endpoint_);
        Report up = probe.run();
        QVERIFY2(up.status == kUp, up.error.c_str());

        admin().command({"SHUTDOWN", "NOSAVE"}); // no reply: the server is gone
        QVERIFY(QTest::qWaitFor([&] { return !connectable(); }, 10000));
        for (int i = 0; i < 2; ++i) { // once losing the connection, once refused
            Report down = probe.run();
            QCOMPARE(down.status, kDown);
            QVERIFY(!down.error.empty());
            QCOMPARE(down.keys, std::int64_t(-1));
            QVERIFY(down.prefixes.empty());
            QVERIFY2(down.durationMs < 2 * kTimeout.count(),
                     std::to_string(down.durationMs).c_str());
        }

        // The same server again, in the foreground so this process owns and stops it.
        const QJsonObject redis = stack_->server(QStringLiteral("redis"));
        QProcess server;
        server.start(QStringLiteral("redis-server"),
                     {QStringLiteral("--port"), QString::number(endpoint_.port),
                      QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                      QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                      QStringLiteral("no"), QStringLiteral("--dir"),
                      redis.value("data_dir").toString(), QStringLiteral("--logfile"),
                      redis.value("log").toString()});
        QVERIFY(server.waitForStarted(5000));
        QVERIFY(QTest::qWaitFor([&] { return connectable(); }, 10000));

        Report again = probe.run();
        QVERIFY2(again.status == kUp, again.error.c_str());
        QVERIFY(again.info.runId() != up.info.runId());
        QCOMPARE(again.keys, std::int64_t(0)); // no persistence: a new, empty server
        QVERIFY(again.prefixes.empty());       // the old sample is forgotten
        QCOMPARE(again.rateIntervalS, 0.0);    // and the rates start afresh
        QCOMPARE(again.rates.hitRate, -1.0);
        QVERIFY(admin().command({"SET", "c:z:1", "v"}).ok());
        QVERIFY(!admin().command({"GET", "c:z:1"}).isNil());
        QVERIFY(admin().command({"GET", "c:z:2"}).isNil());
        Report next = probe.run();
        QVERIFY2(next.status == kUp, next.error.c_str());
        QVERIFY(qFuzzyCompare(next.rates.keyspaceHitsPerS * next.rateIntervalS, 1.0));
        QVERIFY(qFuzzyCompare(next.rates.hitRate, 50.0));
        QCOMPARE(next.prefixes.at("c:z").keys, std::int64_t(1));

        // Paused (accepts connections, answers nothing): Down after the command timeout.
        ::kill(static_cast<pid_t>(server.processId()), SIGSTOP);
        Report paused = probe.run();
        ::kill(static_cast<pid_t>(server.processId()), SIGCONT);
        QCOMPARE(paused.status, kDown);
        QCOMPARE(paused.error, std::string("INFO: timeout"));
        QVERIFY(paused.durationMs < 2 * kTimeout.count());
        Report resumed = probe.run(); // the same server: its rates go on over the pause
        QVERIFY2(resumed.status == kUp, resumed.error.c_str());
        QVERIFY(resumed.rateIntervalS >= paused.durationMs / 1000);
        QCOMPARE(resumed.prefixes.at("c:z").keys, std::int64_t(1));

        admin().command({"SHUTDOWN", "NOSAVE"});
        if (!server.waitForFinished(5000))
            server.kill();
    }
};

QTEST_GUILESS_MAIN(TestRedisCacheProbe)
#include "tst_redis_cache_probe.moc"
