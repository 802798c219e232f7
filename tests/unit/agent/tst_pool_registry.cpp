// Connection pools the backend reports: one "pools" event per tick with every pool in name
// order (folded into the snapshot), gauges per pool, a reader that throws left out, forget()
// removing pool and gauges, and misuse refused at registration.
#include "pool_registry.h"
#include "stream_hub.h"

#include <QTest>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>
#include <stdexcept>

using nlohmann::json;
using switchboard::PoolRegistry;
using switchboard::PoolUsage;
using switchboard::StreamHub;

class TestPoolRegistry : public QObject {
    Q_OBJECT

    struct Rig {
        prometheus::Registry registry;
        StreamHub hub{{{"instance", "i"}}, 64, "s", [] {
                          return 0;
                      }};
        PoolRegistry pools{hub, registry};
        std::string metrics() {
            std::ostringstream text;
            prometheus::TextSerializer().Serialize(text, registry.Collect());
            return text.str();
        }
    };

private slots:
    void noSnapshotEntryBeforeTheFirstTick() {
        Rig rig;
        QVERIFY(!rig.hub.snapshot().contains("pools"));
        rig.pools.sample(); // no pool: an empty list, which says "reports pools, has none"
        QVERIFY(rig.hub.snapshot()["pools"] == json::array());
    }

    void reportsEveryPoolEachTick() {
        Rig rig;
        PoolUsage primary{3, 2, 10};
        rig.pools.add("postgres.primary", [&] { return primary; });
        rig.pools.add("redis.cache", [] { return PoolUsage{1, 0, 4}; });
        rig.pools.sample();
        json pools = rig.hub.snapshot()["pools"];
        QCOMPARE(pools.size(), 2u);
        QVERIFY((pools[0] ==
                 json{{"name", "postgres.primary"}, {"in_use", 2}, {"open", 3}, {"max", 10}}));
        QCOMPARE(pools[1]["name"].get<std::string>(), std::string("redis.cache"));
        QVERIFY(rig.metrics().find("switchboard_pool_in_use{pool=\"postgres.primary\"} 2") !=
                std::string::npos);

        primary = {8, 8, 10}; // the pool fills up: the next tick says so
        rig.pools.sample();
        QCOMPARE(rig.hub.snapshot()["pools"][0]["in_use"].get<int>(), 8);
        QVERIFY(rig.metrics().find("switchboard_pool_open{pool=\"postgres.primary\"} 8") !=
                std::string::npos);
    }

    void aThrowingReaderIsLeftOut() {
        Rig rig;
        rig.pools.add("broken", []() -> PoolUsage { throw std::runtime_error("oops"); });
        rig.pools.add("fine", [] { return PoolUsage{1, 1, 1}; });
        rig.pools.sample();
        json pools = rig.hub.snapshot()["pools"];
        QCOMPARE(pools.size(), 1u);
        QCOMPARE(pools[0]["name"].get<std::string>(), std::string("fine"));
    }

    void forgetRemovesPoolAndGauges() {
        Rig rig;
        rig.pools.add("gone", [] { return PoolUsage{1, 0, 2}; });
        rig.pools.sample();
        rig.pools.forget("gone");
        rig.pools.forget("never there");
        rig.pools.sample();
        QVERIFY(rig.hub.snapshot()["pools"] == json::array());
        QVERIFY(rig.metrics().find("pool=\"gone\"") == std::string::npos);
    }

    void aSecondReportReplacesTheReader() {
        Rig rig;
        rig.pools.add("p", [] { return PoolUsage{1, 1, 1}; });
        rig.pools.add("p", [] { return PoolUsage{5, 4, 6}; });
        rig.pools.sample();
        QCOMPARE(rig.hub.snapshot()["pools"].size(), 1u);
        QCOMPARE(rig.hub.snapshot()["pools"][0]["max"].get<int>(), 6);
    }

    void misuseIsRefused() {
        Rig rig;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 rig.pools.add("", [] { return PoolUsage{}; }));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rig.pools.add("p", nullptr));
    }
};

QTEST_GUILESS_MAIN(TestPoolRegistry)
#include "tst_pool_registry.moc"
