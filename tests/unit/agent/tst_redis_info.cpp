// The pure side of the cache probe: INFO text parsed, rates between two INFOs (restarts and
// CONFIG RESETSTAT included), key prefixes, and per-prefix estimates from a SCAN sample.
//
// The INFO texts are replies of this machine's redis-server (Debian 12, Redis 7.0.15), CRLF and
// all, captured with redis-cli and abridged to the sections and lines the probe reads (the whole
// reply is parsed live in tst_redis_cache_probe): a fresh server after a few GETs, the same after
// 20 more hits, 5 misses and 20 000 SETs into maxmemory 2mb with allkeys-lru, the same after
// CONFIG RESETSTAT, and a new server process on the same port after one missed GET.
#include "cache_stats.h"
#include "redis_info.h"

#include <QTest>

using switchboard::cachePrefixOf;
using switchboard::estimatePrefixes;
using switchboard::parseRedisInfo;
using switchboard::PrefixSamples;
using switchboard::ratesBetween;
using switchboard::RedisInfo;
using I64 = std::int64_t;

namespace {

// Fresh: 2 hits, 1 miss, one key, no limit.
constexpr const char* kFresh = "# Server\r\n"
                               "run_id:f5becba243309c48a4e8a5b7d47015944378830c\r\n"
                               "uptime_in_seconds:202\r\n"
                               "\r\n"
                               "# Clients\r\n"
                               "connected_clients:1\r\n"
                               "\r\n"
                               "# Memory\r\n"
                               "used_memory:1065296\r\n"
                               "used_memory_human:1.02M\r\n"
                               "used_memory_peak_perc:100.16%\r\n"
                               "maxmemory:0\r\n"
                               "maxmemory_human:0B\r\n"
                               "maxmemory_policy:noeviction\r\n"
                               "mem_fragmentation_ratio:6.86\r\n"
                               "\r\n"
                               "# Stats\r\n"
                               "total_commands_processed:13\r\n"
                               "evicted_keys:0\r\n"
                               "keyspace_hits:2\r\n"
                               "keyspace_misses:1\r\n"
                               "\r\n"
                               "# Keyspace\r\n"
                               "db0:keys=1,expires=0,avg_ttl=0\r\n";

// After 20 hits, 5 misses, and 20 000 SETs of 100 bytes into 2 MB with allkeys-lru.
constexpr const char* kEvicting = "# Server\r\n"
                                  "run_id:f5becba243309c48a4e8a5b7d47015944378830c\r\n"
                                  "uptime_in_seconds:202\r\n"
                                  "\r\n"
                                  "# Clients\r\n"
                                  "connected_clients:1\r\n"
                                  "\r\n"
                                  "# Memory\r\n"
                                  "used_memory:2098896\r\n"
                                  "used_memory_human:2.00M\r\n"
                                  "used_memory_peak_perc:98.92%\r\n"
                                  "maxmemory:2097152\r\n"
                                  "maxmemory_human:2.00M\r\n"
                                  "maxmemory_policy:allkeys-lru\r\n"
                                  "mem_fragmentation_ratio:3.92\r\n"
                                  "\r\n"
                                  "# Stats\r\n"
                                  "total_commands_processed:20042\r\n"
                                  "evicted_keys:14780\r\n"
                                  "keyspace_hits:22\r\n"
                                  "keyspace_misses:6\r\n"
                                  "\r\n"
                                  "# Keyspace\r\n"
                                  "db0:keys=5221,expires=0,avg_ttl=0\r\n";

// CONFIG RESETSTAT on that server: same run_id, counters back to zero, keys kept.
constexpr const char* kResetStat = "# Server\r\n"
                                   "run_id:f5becba243309c48a4e8a5b7d47015944378830c\r\n"
                                   "uptime_in_seconds:202\r\n"
                                   "\r\n"
                                   "# Clients\r\n"
                                   "connected_clients:1\r\n"
                                   "\r\n"
                                   "# Memory\r\n"
                                   "used_memory:1926048\r\n"
                                   "used_memory_human:1.84M\r\n"
                                   "used_memory_peak_perc:90.78%\r\n"
                                   "maxmemory:2097152\r\n"
                                   "maxmemory_human:2.00M\r\n"
                                   "maxmemory_policy:allkeys-lru\r\n"
                                   "mem_fragmentation_ratio:3.92\r\n"
                                   "\r\n"
                                   "# Stats\r\n"
                                   "total_commands_processed:1\r\n"
                                   "evicted_keys:0\r\n"
                                   "keyspace_hits:0\r\n"
                                   "keyspace_misses:0\r\n"
                                   "\r\n"
                                   "# Keyspace\r\n"
                                   "db0:keys=5221,expires=0,avg_ttl=0\r\n";

// SHUTDOWN NOSAVE and a new redis-server on the same port, then one GET of a missing key.
constexpr const char* kRestarted = "# Server\r\n"
                                   "run_id:2fb2417d2e5589d2047a12883d64832b48d87ed8\r\n"
                                   "uptime_in_seconds:1\r\n"
                                   "\r\n"
                                   "# Clients\r\n"
                                   "connected_clients:1\r\n"
                                   "\r\n"
                                   "# Memory\r\n"
                                   "used_memory:941784\r\n"
                                   "used_memory_human:919.71K\r\n"
                                   "used_memory_peak_perc:100.26%\r\n"
                                   "maxmemory:0\r\n"
                                   "maxmemory_human:0B\r\n"
                                   "maxmemory_policy:noeviction\r\n"
                                   "mem_fragmentation_ratio:7.61\r\n"
                                   "\r\n"
                                   "# Stats\r\n"
                                   "total_commands_processed:1\r\n"
                                   "evicted_keys:0\r\n"
                                   "keyspace_hits:0\r\n"
                                   "keyspace_misses:1\r\n"
                                   "\r\n"
                                   "# Keyspace\r\n";

// A capture without its Server section: no run_id, as INFO memory stats clients gives.
std::string withoutServerSection(const char* text) {
    std::string info(text);
    return info.substr(info.find("# Clients"));
}

} // namespace

Q_DECLARE_METATYPE(std::string)

class TestRedisInfo : public QObject {
    Q_OBJECT

private slots:
    void parsesTheFigures_data() {
        QTest::addColumn<std::string>("text");
        QTest::addColumn<qint64>("usedMemory");
        QTest::addColumn<qint64>("maxmemory");
        QTest::addColumn<qint64>("evictedKeys");
        QTest::addColumn<qint64>("hits");
        QTest::addColumn<qint64>("misses");
        QTest::addColumn<qint64>("clients");
        QTest::addColumn<qint64>("commands");
        QTest::addColumn<std::string>("runId");

        const std::string first = "f5becba243309c48a4e8a5b7d47015944378830c";
        QTest::newRow("fresh") << std::string(kFresh) << 1065296LL << 0LL << 0LL << 2LL << 1LL
                               << 1LL << 13LL << first;
        // used_memory above maxmemory: Redis evicts after the write that went over.
        QTest::newRow("evicting") << std::string(kEvicting) << 2098896LL << 2097152LL << 14780LL
                                  << 22LL << 6LL << 1LL << 20042LL << first;
        QTest::newRow("reset stat") << std::string(kResetStat) << 1926048LL << 2097152LL << 0LL
                                    << 0LL << 0LL << 1LL << 1LL << first;
        QTest::newRow("restarted")
            << std::string(kRestarted) << 941784LL << 0LL << 0LL << 0LL << 1LL << 1LL << 1LL
            << std::string("2fb2417d2e5589d2047a12883d64832b48d87ed8");
        QTest::newRow("no server section") << withoutServerSection(kFresh) << 1065296LL << 0LL
                                           << 0LL << 2LL << 1LL << 1LL << 13LL << std::string();
        // Bare LF line ends, no final line end, a line without ':', non-integer values.
        QTest::newRow("odd text") << std::string("# Memory\nused_memory:12K\nmaxmemory:-\n"
                                                 "garbage\n:novalue\nevicted_keys:7 \n"
                                                 "keyspace_hits:5\nkeyspace_misses:3")
                                  << -1LL << -1LL << -1LL << 5LL << 3LL << -1LL << -1LL
                                  << std::string();
        QTest::newRow("empty") << std::string() << -1LL << -1LL << -1LL << -1LL << -1LL << -1LL
                               << -1LL << std::string();
    }

    void parsesTheFigures() {
        QFETCH(std::string, text);
        RedisInfo info = parseRedisInfo(text);
        QTEST(qint64(info.usedMemory), "usedMemory");
        QTEST(qint64(info.maxmemory), "maxmemory");
        QTEST(qint64(info.evictedKeys), "evictedKeys");
        QTEST(qint64(info.keyspaceHits), "hits");
        QTEST(qint64(info.keyspaceMisses), "misses");
        QTEST(qint64(info.connectedClients), "clients");
        QTEST(qint64(info.totalCommands), "commands");
        QTEST(info.runId(), "runId");
    }

    void keepsEveryFieldAsText() {
        RedisInfo info = parseRedisInfo(kEvicting);
        QCOMPARE(info.fields.at("maxmemory_policy"), std::string("allkeys-lru"));
        QCOMPARE(info.fields.at("used_memory_peak_perc"), std::string("98.92%"));
        // Everything after the first ':' (the keyspace line holds '=' and ',').
        QCOMPARE(info.fields.at("db0"), std::string("keys=5221,expires=0,avg_ttl=0"));
        QVERIFY(!info.fields.contains("# Memory"));
        QVERIFY(!info.fields.contains(""));
        QCOMPARE(parseRedisInfo("a:b:c\r\n").fields.at("a"), std::string("b:c"));
    }

    void ratesBetweenTwoInfos_data() {
        QTest::addColumn<std::string>("before");
        QTest::addColumn<std::string>("after");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("evictionsPerS");
        QTest::addColumn<double>("hitsPerS");
        QTest::addColumn<double>("missesPerS");
        QTest::addColumn<double>("hitRate");

        // 20 hits, 5 misses, 14 780 evictions in 10 s.
        QTest::newRow("same server") << std::string(kFresh) << std::string(kEvicting) << 10.0
                                     << 1478.0 << 2.0 << 0.5 << 80.0;
        QTest::newRow("nothing happened")
            << std::string(kFresh) << std::string(kFresh) << 1.0 << 0.0 << 0.0 << 0.0 << -1.0;
        // RESETSTAT: counters down, same run_id; after's counters are since the reset (zero).
        QTest::newRow("reset stat") << std::string(kEvicting) << std::string(kResetStat) << 2.0
                                    << 0.0 << 0.0 << 0.0 << -1.0;
        // A restart: counters down and a new run_id; one miss since.
        QTest::newRow("restarted") << std::string(kEvicting) << std::string(kRestarted) << 4.0
                                   << 0.0 << 0.0 << 0.25 << 0.0;
        // A new run_id alone is a restart too, even with counters above the old ones.
        QTest::newRow("restarted, counters above")
            << std::string(kRestarted) << std::string(kEvicting) << 2.0 << 7390.0 << 11.0 << 3.0
            << 100.0 * 22 / 28;
        // Without run_id only the counters going down tell the restart.
        QTest::newRow("restarted, no run_id")
            << withoutServerSection(kEvicting) << withoutServerSection(kRestarted) << 1.0 << 0.0
            << 0.0 << 1.0 << 0.0;
        QTest::newRow("no baseline")
            << std::string() << std::string(kFresh) << 1.0 << 0.0 << 0.0 << 0.0 << -1.0;
        QTest::newRow("no interval")
            << std::string(kFresh) << std::string(kEvicting) << 0.0 << 0.0 << 0.0 << 0.0 << -1.0;
    }

    void ratesBetweenTwoInfos() {
        QFETCH(std::string, before);
        QFETCH(std::string, after);
        QFETCH(double, seconds);
        auto rates = ratesBetween(parseRedisInfo(before), parseRedisInfo(after), seconds);
        QTEST(rates.evictionsPerS, "evictionsPerS");
        QTEST(rates.keyspaceHitsPerS, "hitsPerS");
        QTEST(rates.keyspaceMissesPerS, "missesPerS");
        QTEST(rates.hitRate, "hitRate");
    }

    void keyPrefixes_data() {
        QTest::addColumn<std::string>("key");
        QTest::addColumn<std::string>("prefix");
        QTest::newRow("protocol's example")
            << std::string("catalog:item:42") << std::string("catalog:item");
        QTest::newRow("one colon") << std::string("a:x") << std::string("a");
        QTest::newRow("no colon: its own prefix") << std::string("plain") << std::string("plain");
        QTest::newRow("trailing colon") << std::string("a:b:") << std::string("a:b");
        QTest::newRow("leading colon") << std::string(":x") << std::string();
        QTest::newRow("empty") << std::string() << std::string();
        QTest::newRow("binary") << std::string("k\0y:1", 5) << std::string("k\0y", 3);
    }

    void keyPrefixes() {
        QFETCH(std::string, key);
        QTEST(std::string(cachePrefixOf(key)), "prefix");
    }

    void aCompletePassIsTheCensus() {
        // 3000 keys of 80 bytes in a:x, 1000 of 120 in b:y, all sampled in the last pass.
        const PrefixSamples pass{{"a:x", {3000, 240000}}, {"b:y", {1000, 120000}}};
        auto estimates = estimatePrefixes({}, pass, 4000);
        QCOMPARE(estimates.size(), std::size_t(2));
        QCOMPARE(estimates["a:x"].keys, I64(3000));
        QCOMPARE(estimates["a:x"].memoryBytes, I64(240000));
        QCOMPARE(estimates["b:y"].keys, I64(1000));
        QCOMPARE(estimates["b:y"].memoryBytes, I64(120000));
        // The key space doubled since: the same shares of twice as many keys.
        estimates = estimatePrefixes({}, pass, 8000);
        QCOMPARE(estimates["a:x"].keys, I64(6000));
        QCOMPARE(estimates["b:y"].memoryBytes, I64(240000));
    }

    void aPassUnderWayBlendsWithThePreviousOne() {
        // The previous pass saw only a:x; the current one, a quarter through, sees only b:y
        // (a:x was replaced by b:y). The previous pass counts with three quarters.
        const PrefixSamples previous{{"a:x", {4000, 400000}}};
        const PrefixSamples current{{"b:y", {1000, 200000}}};
        auto estimates = estimatePrefixes(current, previous, 4000);
        QCOMPARE(estimates["a:x"].keys, I64(3000));
        QCOMPARE(estimates["a:x"].memoryBytes, I64(300000));
        QCOMPARE(estimates["b:y"].keys, I64(1000));
        QCOMPARE(estimates["b:y"].memoryBytes, I64(200000));
        // The current pass as long as the previous one: the previous counts no more.
        const PrefixSamples whole{{"b:y", {4000, 800000}}};
        estimates = estimatePrefixes(whole, previous, 4000);
        QCOMPARE(estimates.size(), std::size_t(1));
        QCOMPARE(estimates["b:y"].keys, I64(4000));
        // Before any pass completed: the current one alone, scaled to DBSIZE.
        estimates = estimatePrefixes(current, {}, 3000);
        QCOMPARE(estimates["b:y"].keys, I64(3000));
        QCOMPARE(estimates["b:y"].memoryBytes, I64(600000));
    }

    void nothingToEstimate() {
        QVERIFY(estimatePrefixes({}, {}, 100).empty());
        QVERIFY(estimatePrefixes({}, {{"a", {10, 100}}}, 0).empty());  // emptied since
        QVERIFY(estimatePrefixes({{"a", {10, 100}}}, {}, -1).empty()); // DBSIZE unknown
    }
};

QTEST_GUILESS_MAIN(TestRedisInfo)
#include "tst_redis_info.moc"
