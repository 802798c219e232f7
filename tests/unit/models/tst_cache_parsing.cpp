// The parser's cache document: the snapshot's "cache" object and the "cache" event, as
// docs/protocol.md shows them; missing fields keep their defaults and fields of the wrong type
// are ignored, never a failed message or a crash.
#include "StreamMessageParser.h"

#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using protocol::ProbeStatus;

namespace {

// docs/protocol.md's example, with a second prefix.
const QByteArray kCache = R"json({
  "checked_ms": 1795000000000, "interval_ms": 1000, "target_hit_rate": 70.0,
  "hit_rate": 83.5,
  "layers": {
    "l1": {"hits": 120400, "misses": 20100, "hits_per_s": 950.0, "misses_per_s": 170.0,
           "hit_rate": 84.8, "entries": 9876, "bytes": 1843200, "evictions": 12},
    "l2": {"hits": 15000, "misses": 5100, "errors": 3, "skipped": 0, "hits_per_s": 120.0,
           "misses_per_s": 50.0, "hit_rate": 70.6, "breaker": "closed"},
    "loader": {"loads": 5100, "errors": 0, "coalesced": 42, "loads_per_s": 50.0}
  },
  "prefixes": [
    {"prefix": "catalog:item", "l1_hits": 120000, "l2_hits": 14900, "misses": 5000,
     "hit_rate": 83.7, "keys": 20000, "memory_bytes": 2400000},
    {"prefix": "(other)", "l1_hits": 400, "l2_hits": 100, "misses": 100,
     "hit_rate": -1, "keys": -1, "memory_bytes": -1}],
  "redis": {"status": 1, "error": "", "target": "127.0.0.1:6379", "used_memory": 5242880,
            "maxmemory": 0, "evicted_keys": 0, "evictions_per_s": 0.0,
            "keyspace_hits_per_s": 120.0, "keyspace_misses_per_s": 50.0, "hit_rate": 70.6,
            "connected_clients": 7, "keys": 20000},
  "invalidation": {"channel": "switchboard:demo:cache", "subscribed": true,
                   "received": 3, "last": {"id": "i-7", "match": "prefix",
                   "value": "catalog:item:", "removed": 17, "from": "demo-1"}}
})json";

// Every field of the wrong type: strings for numbers, numbers for strings, arrays for objects.
const QByteArray kOdd = R"({"checked_ms":"soon","interval_ms":[1],"target_hit_rate":"70",
  "hit_rate":250,"layers":{"l1":"fast","l2":{"hits":"many","hit_rate":-1,"breaker":4},
  "loader":[]},"prefixes":[{"prefix":7,"l1_hits":"x","keys":2.5},"junk"],
  "redis":{"status":9,"target":["x"],"used_memory":"5 MB","maxmemory":1024},
  "invalidation":{"channel":3,"subscribed":"yes","last":"never"}})";

QByteArray snapshotFrame(const QByteArray& cache) {
    return R"({"type":"snapshot","seq":7,"stream":"9f","protocol":1,"snapshot":{"revision":7,)"
           R"("time_ms":1795000000000,"info":{"instance":"demo-1","protocol":1},"cache":)" +
           cache + "}}";
}

QByteArray eventFrame(const QByteArray& data) {
    return R"({"type":"event","seq":8,"stream":"9f","time_ms":1795000001000,"kind":"cache",)"
           R"("data":)" +
           data + "}";
}

const QByteArray kWithoutCache =
    R"({"type":"snapshot","seq":7,"stream":"9f","protocol":1,"snapshot":{"revision":7,)"
    R"("time_ms":1795000000000,"info":{"instance":"demo-1","protocol":1}}})";

std::optional<CacheStatus> parsedSnapshot(const QByteArray& frame, bool* ok) {
    const auto result = StreamMessageParser::parse(frame);
    *ok = result.ok();
    if (!result.ok())
        return std::nullopt;
    return std::get<SnapshotMessage>(*result.message).snapshot.cache;
}

} // namespace

class TestCacheParsing : public QObject {
    Q_OBJECT

private slots:
    void snapshotAsDocumented() {
        bool ok = false;
        const std::optional<CacheStatus> parsed = parsedSnapshot(snapshotFrame(kCache), &ok);
        QVERIFY(ok);
        QVERIFY(parsed.has_value());
        const CacheStatus& cache = *parsed;
        QCOMPARE(cache.checkedMs, qint64(1795000000000));
        QCOMPARE(cache.intervalMs, qint64(1000));
        QCOMPARE(cache.targetHitRate, 70.0);
        QCOMPARE(cache.hitRate, 83.5);
        QCOMPARE(cache.l1.hits, qint64(120400));
        QCOMPARE(cache.l1.misses, qint64(20100));
        QCOMPARE(cache.l1.hitsPerSecond, 950.0);
        QCOMPARE(cache.l1.hitRate, 84.8);
        QCOMPARE(cache.l1.entries, qint64(9876));
        QCOMPARE(cache.l1.bytes, qint64(1843200));
        QCOMPARE(cache.l1.evictions, qint64(12));
        QCOMPARE(cache.l2.errors, qint64(3));
        QCOMPARE(cache.l2.skipped, qint64(0));
        QCOMPARE(cache.l2.hitRate, 70.6);
        QCOMPARE(cache.l2.breaker, QStringLiteral("closed"));
        QCOMPARE(cache.loader.loads, qint64(5100));
        QCOMPARE(cache.loader.coalesced, qint64(42));
        QCOMPARE(cache.loader.loadsPerSecond, 50.0);
        QCOMPARE(cache.getsPerSecond(), 1120.0);
        QCOMPARE(cache.l2GetsPerSecond(), 170.0);

        QCOMPARE(cache.prefixes.size(), 2);
        const CachePrefixStats& item = cache.prefixes.at(0);
        QCOMPARE(item.prefix, QStringLiteral("catalog:item"));
        QCOMPARE(item.l1Hits, qint64(120000));
        QCOMPARE(item.l2Hits, qint64(14900));
        QCOMPARE(item.misses, qint64(5000));
        QCOMPARE(item.gets(), qint64(139900));
        QCOMPARE(item.hitRate, 83.7);
        QCOMPARE(item.keys, qint64(20000));
        QCOMPARE(item.memoryBytes, qint64(2400000));
        QCOMPARE(cache.prefixes.at(1).hitRate, -1.0);    // no gets in the interval
        QCOMPARE(cache.prefixes.at(1).keys, qint64(-1)); // before the first probe

        QCOMPARE(cache.redis.status, ProbeStatus::Up);
        QVERIFY(!cache.redis.isDown());
        QCOMPARE(cache.redis.target, QStringLiteral("127.0.0.1:6379"));
        QCOMPARE(cache.redis.usedMemory, qint64(5242880));
        QCOMPARE(cache.redis.maxMemory, qint64(0));
        QCOMPARE(cache.redis.evictedKeys, qint64(0));
        QCOMPARE(cache.redis.keyspaceHitsPerSecond, 120.0);
        QCOMPARE(cache.redis.connectedClients, qint64(7));
        QCOMPARE(cache.redis.keys, qint64(20000));

        QCOMPARE(cache.invalidation.channel, QStringLiteral("switchboard:demo:cache"));
        QVERIFY(cache.invalidation.subscribed);
        QCOMPARE(cache.invalidation.received, qint64(3));
        QVERIFY(cache.invalidation.last.has_value());
        QCOMPARE(cache.invalidation.last->match, QStringLiteral("prefix"));
        QCOMPARE(cache.invalidation.last->value, QStringLiteral("catalog:item:"));
        QCOMPARE(cache.invalidation.last->removed, qint64(17));
        QCOMPARE(cache.invalidation.last->from, QStringLiteral("demo-1"));
    }

    void eventAsDocumented() {
        const auto result = StreamMessageParser::parse(eventFrame(kCache));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const StreamEvent& event = std::get<StreamEvent>(*result.message);
        QCOMPARE(event.kind, StreamEvent::Kind::Cache);
        QCOMPARE(event.seq, qint64(8));
        QCOMPARE(event.cache,
                 StreamMessageParser::parseCache(QJsonDocument::fromJson(kCache).object()));
        QCOMPARE(event.cache.redis.target, QStringLiteral("127.0.0.1:6379"));
    }

    void absentWithoutCache() {
        bool ok = false;
        QVERIFY(!parsedSnapshot(kWithoutCache, &ok).has_value());
        QVERIFY(ok);
        // A cache of the wrong type counts as absent; the rest of the snapshot stands.
        QVERIFY(!parsedSnapshot(snapshotFrame("[1,2]"), &ok).has_value());
        QVERIFY(ok);
    }

    void oddFieldsKeepDefaults() {
        bool ok = false;
        const std::optional<CacheStatus> parsed = parsedSnapshot(snapshotFrame(kOdd), &ok);
        QVERIFY(ok);
        QVERIFY(parsed.has_value());
        const CacheStatus& cache = *parsed;
        QCOMPARE(cache.checkedMs, qint64(0));
        QCOMPARE(cache.intervalMs, qint64(0));
        QCOMPARE(cache.targetHitRate, -1.0);
        QCOMPARE(cache.hitRate, -1.0); // 250 % is no percentage
        QCOMPARE(cache.l1, CacheL1Layer());
        QCOMPARE(cache.l2.hits, qint64(-1));
        QCOMPARE(cache.l2.hitRate, -1.0);
        QVERIFY(cache.l2.breaker.isEmpty());
        QCOMPARE(cache.getsPerSecond(), -1.0);
        QCOMPARE(cache.prefixes.size(), 1);
        QVERIFY(cache.prefixes.at(0).prefix.isEmpty());
        QCOMPARE(cache.prefixes.at(0).l1Hits, qint64(0));
        QCOMPARE(cache.prefixes.at(0).keys, qint64(-1)); // 2.5 keys is not a count
        QCOMPARE(cache.redis.status, ProbeStatus::Unknown);
        QVERIFY(cache.redis.target.isEmpty());
        QCOMPARE(cache.redis.usedMemory, qint64(-1));
        QCOMPARE(cache.redis.maxMemory, qint64(1024));
        QVERIFY(cache.invalidation.channel.isEmpty());
        QVERIFY(!cache.invalidation.subscribed);
        QVERIFY(!cache.invalidation.last.has_value());
    }

    void texts() {
        QCOMPARE(cachePercentText(83.46), QStringLiteral("83.5 %"));
        QCOMPARE(cachePercentText(-1), QStringLiteral("–"));
        QCOMPARE(cacheRateText(950.0), QStringLiteral("950 /s"));
        QCOMPARE(cacheRateText(2.5), QStringLiteral("2.5 /s"));
        QCOMPARE(cacheRateText(-1), QStringLiteral("–"));
    }
};

QTEST_GUILESS_MAIN(TestCacheParsing)
#include "tst_cache_parsing.moc"
