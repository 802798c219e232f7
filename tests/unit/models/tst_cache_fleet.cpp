// Fleet feeds the cache model from a real stream (an in-process fake agent): the cache from
// the snapshot, then a cache event with Redis down, the agent going stale, and going away.
#include "FakeAgentServer.h"
#include "Fleet.h"
#include "StreamFrames.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;

QJsonObject cache(qint64 checkedMs, double hitRate, int redisStatus) {
    const QJsonObject l1{{"hits", 1000},         {"misses", 200},    {"hits_per_s", 80.0},
                         {"misses_per_s", 20.0}, {"hit_rate", 80.0}, {"entries", 500},
                         {"bytes", 65536},       {"evictions", 0}};
    const QJsonObject l2{{"hits", 150},      {"misses", 50},       {"errors", 0},
                         {"skipped", 0},     {"hits_per_s", 15.0}, {"misses_per_s", 5.0},
                         {"hit_rate", 75.0}, {"breaker", "closed"}};
    const QJsonArray prefixes{QJsonObject{{"prefix", "catalog:item"},
                                          {"l1_hits", 1000},
                                          {"l2_hits", 150},
                                          {"misses", 50},
                                          {"hit_rate", hitRate},
                                          {"keys", 2000},
                                          {"memory_bytes", 240000}}};
    const QJsonObject redis{{"status", redisStatus},
                            {"error", redisStatus == 2 ? "Connection refused" : ""},
                            {"target", "127.0.0.1:6379"},
                            {"used_memory", 1048576},
                            {"maxmemory", 0}};
    return {{"checked_ms", checkedMs},
            {"interval_ms", 1000},
            {"target_hit_rate", 70.0},
            {"hit_rate", hitRate},
            {"layers", QJsonObject{{"l1", l1}, {"l2", l2}}},
            {"prefixes", prefixes},
            {"redis", redis},
            {"invalidation", QJsonObject{{"channel", "switchboard:demo:cache"},
                                         {"subscribed", true},
                                         {"received", 0}}}};
}

QByteArray snapshotFrame() {
    return stream_frames::snapshotFrame(1, QStringLiteral("s1"), kT0,
                                        {{"cache", cache(kT0, 95.0, 1)}});
}

QByteArray eventFrame(qint64 seq, qint64 timeMs, const QJsonObject& data) {
    return stream_frames::eventFrame(seq, QStringLiteral("s1"), QStringLiteral("cache"), timeMs,
                                     data);
}

} // namespace

class TestCacheFleet : public QObject {
    Q_OBJECT

private slots:
    void streamFeedsCache() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        Fleet fleet;
        CacheModel* model = fleet.cache();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QTRY_VERIFY(server.connectionCount() > 0);
        server.send(snapshotFrame());
        QTRY_COMPARE(model->rowCount(), 2); // the instance and the totals
        QTRY_VERIFY(!model->current().stale);
        QCOMPARE(model->targetOf(id), QStringLiteral("127.0.0.1:6379"));
        QCOMPARE(model->current().reporters, QStringList{QStringLiteral("fake-1")});
        QCOMPARE(model->index(0, CacheModel::HitRateColumn).data().toString(),
                 QStringLiteral("95.0 %"));
        QCOMPARE(model->prefixes()->rowCount(), 1);
        QVERIFY(fleet.model()->snapshot(id)->cache.has_value());

        server.send(eventFrame(2, kT0 + 1000, cache(kT0 + 1000, 40.0, 2)));
        QTRY_COMPARE(model->current().now.hitRate, 40.0);
        QVERIFY(model->current().redis.isDown());
        QCOMPARE(model->index(0, CacheModel::HealthColumn).data().toString(),
                 QStringLiteral("Redis down"));
        QCOMPARE(model->history(QStringLiteral("127.0.0.1:6379"))->size(), 2);
        // The Overview's snapshot follows the events too.
        QCOMPARE(fleet.model()->snapshot(id)->cache->hitRate, 40.0);

        server.shutDown();
        QTRY_VERIFY(model->current().stale);
        QVERIFY(model->current().staleSince.isValid());

        fleet.removeAgent(id);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(model->current().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCacheFleet)
#include "tst_cache_fleet.moc"
