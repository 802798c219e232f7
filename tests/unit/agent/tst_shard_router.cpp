// The shard router: keys hash to buckets with XXH3 (checked against the library itself, and an
// integer key is its 8 little-endian bytes), evenly; a map only replaces an older one; a map that
// does not fit is refused whole, naming "shards"; accesses are counted per bucket.
#include "switchboard/agent_config.h"
#include "switchboard/shard_router.h"

#include <QTest>
#include <cmath>
// The library itself, as the router uses it (inlined: no link dependency for the test).
#define XXH_INLINE_ALL
#include <xxhash.h>

using switchboard::ConfigError;
using switchboard::ShardMap;
using switchboard::ShardRouter;

namespace {

ShardMap roundRobin(std::int64_t version, std::uint32_t buckets, std::vector<std::string> nodes) {
    ShardMap map;
    map.version = version;
    for (const auto& node : nodes)
        map.nodeConninfos.push_back("host=127.0.0.1 dbname=" + node);
    map.nodes = std::move(nodes);
    for (std::uint32_t b = 0; b < buckets; ++b)
        map.bucketNodes.push_back(static_cast<std::uint16_t>(b % map.nodes.size()));
    return map;
}

} // namespace

class TestShardRouter : public QObject {
    Q_OBJECT

private slots:
    void bucketIsXxh3OfTheKey() {
        for (std::string key : {"", "customer-1", "customer-2", "a much longer customer key 42"}) {
            auto expected = static_cast<std::uint32_t>(XXH3_64bits(key.data(), key.size()) % 256);
            QCOMPARE(ShardRouter::bucketOf(key, 256), expected);
        }
        for (std::int64_t key :
             {std::int64_t(0), std::int64_t(1), std::int64_t(-7), std::int64_t(1) << 40}) {
            unsigned char bytes[8];
            for (int i = 0; i < 8; ++i)
                bytes[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(key) >> (8 * i));
            auto expected = static_cast<std::uint32_t>(XXH3_64bits(bytes, 8) % 1024);
            QCOMPARE(ShardRouter::bucketOf(key, 1024), expected);
        }
    }

    void keysSpreadEvenly() {
        constexpr int kKeys = 256 * 400;
        std::vector<int> counts(256, 0);
        for (std::int64_t key = 0; key < kKeys; ++key)
            ++counts[ShardRouter::bucketOf(key, 256)];
        // 400 expected per bucket; a fair hash stays well within ±25 % (σ = 20).
        auto [least, most] = std::minmax_element(counts.begin(), counts.end());
        QVERIFY2(*least > 300 && *most < 500,
                 qPrintable(QStringLiteral("%1..%2").arg(*least).arg(*most)));
    }

    void noMapRoutesNowhere() {
        ShardRouter router(16);
        auto route = router.route("k");
        QCOMPARE(route.node, -1);
        QCOMPARE(route.version, std::int64_t(0));
        QCOMPARE(router.nodeCount(), std::size_t(0));
    }

    void routesByTheMap() {
        ShardRouter router(16);
        QVERIFY(router.apply(roundRobin(1, 16, {"s1", "s2"})));
        for (std::int64_t key = 0; key < 200; ++key) {
            auto route = router.route(key);
            QCOMPARE(route.bucket, ShardRouter::bucketOf(key, 16));
            QCOMPARE(route.node, int(route.bucket % 2));
            QCOMPARE(route.version, std::int64_t(1));
        }
        QCOMPARE(router.nodeName(1), std::string_view("s2"));
        QCOMPARE(router.nodeConninfo(0), std::string("host=127.0.0.1 dbname=s1"));
        QCOMPARE(router.nodeName(2), std::string_view());
        QCOMPARE(router.routeBucket(16).node, -1); // beyond the bucket count
    }

    void newerMapsOnlyAndNodesAppended() {
        ShardRouter router(8);
        QVERIFY(router.apply(roundRobin(2, 8, {"s1", "s2"})));
        QVERIFY(!router.apply(roundRobin(2, 8, {"s1"}))); // same version: ignored
        QVERIFY(!router.apply(roundRobin(1, 8, {"s1"}))); // older: ignored
        ShardMap three = roundRobin(3, 8, {"s1", "s2", "s3"});
        QVERIFY(router.apply(three));
        QCOMPARE(router.version(), std::int64_t(3));
        QCOMPARE(router.nodeCount(), std::size_t(3));
        QCOMPARE(router.routeBucket(2).node, 2);
        ShardMap copy = router.map();
        QCOMPARE(copy.nodes, three.nodes);
        QCOMPARE(copy.bucketNodes, three.bucketNodes);
        QCOMPARE(copy.version, std::int64_t(3));
    }

    void badMapsAreRefusedWhole() {
        ShardRouter router(8);
        QVERIFY(router.apply(roundRobin(1, 8, {"s1", "s2"})));
        std::vector<ShardMap> bad = {roundRobin(2, 16, {"s1", "s2"}), // other bucket count
                                     roundRobin(2, 8, {"s2", "s1"}),  // renamed nodes
                                     roundRobin(2, 8, {"s1"})};       // a node dropped
        ShardMap dangling = roundRobin(2, 8, {"s1", "s2"});
        dangling.bucketNodes[3] = 5; // a node the map does not list
        bad.push_back(dangling);
        ShardMap noConninfo = roundRobin(2, 8, {"s1", "s2"});
        noConninfo.nodeConninfos.pop_back();
        bad.push_back(noConninfo);
        for (const auto& map : bad) {
            try {
                router.apply(map);
                QFAIL("a map that does not fit was applied");
            } catch (const ConfigError& error) {
                QCOMPARE(error.key(), std::string("shards"));
            }
            QCOMPARE(router.version(), std::int64_t(1));
            QCOMPARE(router.routeBucket(1).node, 1);
        }
        QVERIFY_THROWS_EXCEPTION(ConfigError, ShardRouter(0));
        QVERIFY_THROWS_EXCEPTION(ConfigError, ShardRouter(ShardRouter::kMaxBuckets + 1));
    }

    void countsAccessesPerBucket() {
        ShardRouter router(4);
        router.apply(roundRobin(1, 4, {"s1"}));
        router.routeBucket(3);
        router.routeBucket(3);
        router.routeBucket(3, ShardRouter::Access::Read);
        auto bucket = router.route("k", ShardRouter::Access::Read).bucket;
        QCOMPARE(router.writes(3), std::uint64_t(2));
        QCOMPARE(router.reads(3), std::uint64_t(bucket == 3 ? 2 : 1));
        QCOMPARE(router.reads(bucket), std::uint64_t(bucket == 3 ? 2 : 1));
        QCOMPARE(router.writes(9), std::uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestShardRouter)
#include "tst_shard_router.moc"
