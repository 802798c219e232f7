// CacheModel: two instances sharing one Redis (a row each and the totals, hit rates weighted by
// gets, prefixes summed with Redis's keys from the freshest report), health against the target
// and with Redis down, an instance joining and leaving, stale instances, the hit-rate history
// per layer, and a second Redis target. Runs under QAbstractItemModelTester throughout, the
// prefix table too.
#include "CacheModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;
const QString kRedis = QStringLiteral("127.0.0.1:6379");

CachePrefixStats prefix(const QString& name, qint64 l1, qint64 l2, qint64 misses, double rate,
                        qint64 keys) {
    CachePrefixStats p;
    p.prefix = name;
    p.l1Hits = l1;
    p.l2Hits = l2;
    p.misses = misses;
    p.hitRate = rate;
    p.keys = keys;
    p.memoryBytes = keys * 100;
    return p;
}

// `gets` per second, `hitRate` percent of them answered by L1 or L2.
CacheStatus report(qint64 checkedMs, double hitRate, double gets,
                   const QList<CachePrefixStats>& prefixes = {}, const QString& redis = kRedis) {
    CacheStatus c;
    c.checkedMs = checkedMs;
    c.intervalMs = 1000;
    c.targetHitRate = 70.0;
    c.hitRate = hitRate;
    c.l1.hitsPerSecond = gets * 0.5;
    c.l1.missesPerSecond = gets * 0.5;
    c.l1.hitRate = 50.0;
    c.l1.entries = 1000;
    c.l1.bytes = 1024 * 1024;
    c.l2.hitsPerSecond = gets * 0.5 * (hitRate - 50.0) / 50.0;
    c.l2.missesPerSecond = gets * 0.5 - c.l2.hitsPerSecond;
    c.l2.hitRate = c.l2.hitsPerSecond * 100.0 / (gets * 0.5);
    c.l2.errors = 1;
    c.l2.skipped = 2;
    c.loader.loadsPerSecond = c.l2.missesPerSecond;
    c.prefixes = prefixes;
    c.redis.status = protocol::ProbeStatus::Up;
    c.redis.target = redis;
    c.redis.usedMemory = 5 * 1024 * 1024;
    c.redis.maxMemory = 64 * 1024 * 1024;
    c.invalidation.channel = QStringLiteral("switchboard:demo:cache");
    c.invalidation.subscribed = true;
    return c;
}

AgentSnapshot snapshot(const QString& instance, const CacheStatus& cache) {
    AgentSnapshot s;
    s.timeMs = cache.checkedMs;
    s.info.instance = instance;
    s.cache = cache;
    return s;
}

QString cell(const QAbstractItemModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}

// demo-1: 90 % of 300 gets/s; demo-2 (a second later): 60 % of 100 gets/s.
void feedTwo(CacheModel& model) {
    model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
    model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
    model.updateAgent(
        QStringLiteral("a"),
        snapshot(QStringLiteral("demo-1"),
                 report(kT0, 90.0, 300.0,
                        {prefix(QStringLiteral("catalog:item"), 100, 10, 10, 90.0, 500)})));
    model.updateAgent(
        QStringLiteral("b"),
        snapshot(QStringLiteral("demo-2"),
                 report(kT0 + 1000, 60.0, 100.0,
                        {prefix(QStringLiteral("user:session"), 1, 1, 8, 20.0, 40),
                         prefix(QStringLiteral("catalog:item"), 50, 5, 5, 80.0, 520)})));
}

} // namespace

class TestCacheModel : public QObject {
    Q_OBJECT

private slots:
    void twoInstancesOneRedis() {
        CacheModel model;
        QAbstractItemModelTester tester(&model);
        QAbstractItemModelTester prefixTester(model.prefixes());
        QSignalSpy changed(&model, &CacheModel::cacheChanged);
        feedTwo(model);
        QVERIFY(changed.count() > 0);

        // A row per instance, then the totals.
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 0, CacheModel::InstanceColumn), QStringLiteral("demo-1"));
        QCOMPARE(cell(model, 1, CacheModel::InstanceColumn), QStringLiteral("demo-2"));
        QCOMPARE(cell(model, 2, CacheModel::InstanceColumn), QStringLiteral("All instances (2)"));
        QVERIFY(model.index(2, 0).data(CacheModel::TotalRole).toBool());
        QCOMPARE(model.index(0, 0).data(CacheModel::AgentIdRole).toString(), QStringLiteral("a"));
        QCOMPARE(cell(model, 0, CacheModel::HitRateColumn), QStringLiteral("90.0 %"));
        // Weighted by gets: (90 × 300 + 60 × 100) / 400.
        QCOMPARE(cell(model, 2, CacheModel::HitRateColumn), QStringLiteral("82.5 %"));
        QCOMPARE(model.totals().hitRate, 82.5);
        QCOMPARE(cell(model, 2, CacheModel::GetsColumn), QStringLiteral("400 /s"));
        QCOMPARE(cell(model, 2, CacheModel::L1EntriesColumn), QStringLiteral("2,000"));
        QCOMPARE(cell(model, 2, CacheModel::L1MemoryColumn), QStringLiteral("2.0 MiB"));
        QCOMPARE(cell(model, 2, CacheModel::L2ErrorsColumn), QStringLiteral("2 / 4"));
        QCOMPARE(cell(model, 0, CacheModel::RedisColumn), kRedis);
        QCOMPARE(cell(model, 2, CacheModel::RedisColumn), kRedis);
        QCOMPARE(cell(model, 0, CacheModel::InvalidationColumn),
                 QStringLiteral("listening (0 received)"));
        QCOMPARE(cell(model, 2, CacheModel::InvalidationColumn),
                 QStringLiteral("2 of 2 listening"));

        // The target: Redis from the freshest report, prefixes summed over both instances.
        const CacheTargetSummary& current = model.current();
        QCOMPARE(current.key, kRedis);
        QCOMPARE(model.targetOf(QStringLiteral("a")), kRedis);
        QCOMPARE(current.sourceAgentId, QStringLiteral("b"));
        QCOMPARE(current.reporters,
                 (QStringList{QStringLiteral("demo-2"), QStringLiteral("demo-1")}));
        QCOMPARE(current.subscribed, 2);
        QCOMPARE(current.now.hitRate, 82.5);
        QCOMPARE(current.targetHitRate, 70.0);
        QVERIFY(!current.stale);
        QCOMPARE(current.health(), CacheHealth::Healthy);
        QCOMPARE(current.prefixes.size(), 2);
        // The freshest report's order; keys from it, hits summed, the rate weighted by gets.
        const CachePrefixSummary& item = current.prefixes.at(1);
        QCOMPARE(item.prefix, QStringLiteral("catalog:item"));
        QCOMPARE(item.l1Hits, qint64(150));
        QCOMPARE(item.l2Hits, qint64(15));
        QCOMPARE(item.misses, qint64(15));
        QCOMPARE(item.keys, qint64(520));
        QVERIFY(qAbs(item.hitRate - (90.0 * 120 + 80.0 * 60) / 180.0) < 1e-9);
        QCOMPARE(model.prefixes()->rowCount(), 2);
        const QAbstractItemModel& prefixes = *model.prefixes();
        QCOMPARE(cell(prefixes, 1, CachePrefixModel::HitsColumn), QStringLiteral("165"));
        QCOMPARE(cell(prefixes, 1, CachePrefixModel::KeysColumn), QStringLiteral("≈ 520"));
        QCOMPARE(cell(prefixes, 1, CachePrefixModel::HitRateColumn), QStringLiteral("86.7 %"));
        // Against the 70 % target: catalog:item meets it, user:session (20 %) does not.
        QCOMPARE(prefixes.index(1, CachePrefixModel::HitRateColumn)
                     .data(CachePrefixModel::HealthRole)
                     .value<Health>(),
                 Health::Up);
        QCOMPARE(prefixes.index(0, CachePrefixModel::HitRateColumn)
                     .data(CachePrefixModel::HealthRole)
                     .value<Health>(),
                 Health::Unknown);
        QVERIFY(!prefixes.index(0, CachePrefixModel::PrefixColumn)
                     .data(CachePrefixModel::HealthRole)
                     .isValid());
    }

    void healthAgainstTargetAndRedisDown() {
        CacheModel model;
        QAbstractItemModelTester tester(&model);
        feedTwo(model);
        // demo-2 answers 60 % of its gets: below the 70 % target.
        QCOMPARE(cell(model, 1, CacheModel::HealthColumn), QStringLiteral("below target"));
        QCOMPARE(
            model.index(1, CacheModel::HealthColumn).data(CacheModel::HealthRole).value<Health>(),
            Health::Unknown);
        QCOMPARE(cell(model, 0, CacheModel::HealthColumn), QStringLiteral("healthy"));
        QCOMPARE(
            model.index(0, CacheModel::HealthColumn).data(CacheModel::HealthRole).value<Health>(),
            Health::Up);
        QCOMPARE(cell(model, 2, CacheModel::HealthColumn), QStringLiteral("healthy")); // 82.5 %

        CacheStatus down = report(kT0 + 2000, 50.0, 100.0);
        down.redis.status = protocol::ProbeStatus::Down;
        down.redis.error = QStringLiteral("Connection refused");
        model.applyCache(QStringLiteral("b"), down);
        QCOMPARE(cell(model, 1, CacheModel::HealthColumn), QStringLiteral("Redis down"));
        QCOMPARE(
            model.index(1, CacheModel::HealthColumn).data(CacheModel::HealthRole).value<Health>(),
            Health::Down);
        QCOMPARE(cell(model, 1, CacheModel::RedisColumn), kRedis + QStringLiteral(" — down"));
        QCOMPARE(model.index(1, CacheModel::RedisColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Connection refused"));
        QCOMPARE(model.health(2), CacheHealth::RedisDown);
        QCOMPARE(model.current().health(), CacheHealth::RedisDown); // b is the freshest
        QCOMPARE(
            static_cast<CacheHealth>(model.index(2, 0).data(CacheModel::CacheHealthRole).toInt()),
            CacheHealth::RedisDown);
    }

    void instancesJoinAndLeave() {
        CacheModel model;
        QAbstractItemModelTester tester(&model);
        feedTwo(model);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setConnectionState(QStringLiteral("c"), ConnectionState::Live);
        QCOMPARE(model.rowCount(), 3); // connected, no cache yet: no row
        model.updateAgent(QStringLiteral("c"),
                          snapshot(QStringLiteral("demo-3"), report(kT0 + 1500, 80.0, 100.0)));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(cell(model, 3, CacheModel::InstanceColumn), QStringLiteral("All instances (3)"));
        QCOMPARE(model.current().reporters.size(), 3);
        // (90 × 300 + 60 × 100 + 80 × 100) / 500
        QCOMPARE(model.totals().hitRate, 82.0);

        model.removeAgent(QStringLiteral("a"));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 0, CacheModel::InstanceColumn), QStringLiteral("demo-2"));
        QCOMPARE(model.totals().hitRate, 70.0);
        // catalog:item is only demo-2's now.
        QCOMPARE(model.current().prefixes.at(1).l1Hits, qint64(50));

        // A snapshot without a cache (reconfigured): its row goes.
        AgentSnapshot plain;
        plain.info.instance = QStringLiteral("demo-3");
        model.updateAgent(QStringLiteral("c"), plain);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.targetOf(QStringLiteral("c")).isEmpty());

        model.removeAgent(QStringLiteral("b"));
        QCOMPARE(model.rowCount(), 0); // no totals row without instances
        QVERIFY(model.current().isEmpty());
        QCOMPARE(model.prefixes()->rowCount(), 0);
    }

    void staleInstances() {
        CacheModel model;
        QAbstractItemModelTester tester(&model);
        feedTwo(model);
        const QDateTime since = QDateTime::fromMSecsSinceEpoch(kT0 + 5000);
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Stale, since);
        QCOMPARE(cell(model, 1, CacheModel::HealthColumn),
                 QStringLiteral("stale since ") + since.toString(QStringLiteral("HH:mm:ss")));
        // The totals and "now" count the live instance only; its report is the one shown.
        QCOMPARE(model.totals().hitRate, 90.0);
        QCOMPARE(model.current().now.hitRate, 90.0);
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a"));
        QVERIFY(!model.current().stale);
        QCOMPARE(model.health(2), CacheHealth::Healthy);

        model.setConnectionState(QStringLiteral("a"), ConnectionState::Stale, since.addSecs(-2));
        // Every instance stale: the last figures of all, said to be stale.
        QVERIFY(model.current().stale);
        QCOMPARE(model.current().staleSince, since); // the freshest report's agent
        QCOMPARE(model.current().health(), CacheHealth::Stale);
        QCOMPARE(model.health(2), CacheHealth::Stale);
        QCOMPARE(model.totals().hitRate, 82.5);
        QCOMPARE(cell(model, 2, CacheModel::HealthColumn), QStringLiteral("stale"));

        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        QVERIFY(!model.current().stale);
    }

    void historyPerLayer() {
        CacheModel model;
        QSignalSpy appended(&model, &CacheModel::historyChanged);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        for (int i = 0; i < 5; ++i)
            model.applyCache(QStringLiteral("a"), report(kT0 + i * 1000, 60.0 + i * 5, 100.0));
        QCOMPARE(appended.count(), 5);
        const RingBuffer<CacheHitRatePoint>* history = model.history(kRedis);
        QVERIFY(history);
        QCOMPARE(history->size(), 5);
        QCOMPARE(history->front().timeMs, kT0);
        QCOMPARE(history->back().hitRate, 80.0);
        QCOMPARE(history->back().l1HitRate, 50.0);
        QCOMPARE(history->back().l2HitRate, 60.0);
        // An older report (another instance's, late) does not step the line back in time.
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        model.applyCache(QStringLiteral("b"), report(kT0 + 2500, 90.0, 100.0));
        QCOMPARE(history->size(), 5);
        // The next point counts both instances.
        model.applyCache(QStringLiteral("a"), report(kT0 + 5000, 70.0, 100.0));
        QCOMPARE(history->size(), 6);
        QCOMPARE(history->back().hitRate, 80.0);

        // An interval without gets: no rate, and the point says so.
        CacheStatus idle = report(kT0 + 6000, -1.0, 0.0);
        idle.l1.hitRate = idle.l2.hitRate = -1.0;
        model.removeAgent(QStringLiteral("b"));
        model.applyCache(QStringLiteral("a"), idle);
        QCOMPARE(history->back().hitRate, -1.0);
        QCOMPARE(history->back().l1HitRate, -1.0);

        model.removeAgent(QStringLiteral("a"));
        QVERIFY(!model.history(kRedis)); // nobody reports it: its history goes
    }

    void secondRedisTarget() {
        CacheModel model;
        QAbstractItemModelTester tester(&model);
        feedTwo(model);
        const QString other = QStringLiteral("127.0.0.1:6380");
        model.setConnectionState(QStringLiteral("c"), ConnectionState::Live);
        model.updateAgent(
            QStringLiteral("c"),
            snapshot(QStringLiteral("billing-1"),
                     report(kT0, 75.0, 50.0, {prefix(QStringLiteral("invoice"), 5, 5, 5, 66.0, 9)},
                            other)));
        QCOMPARE(model.targetKeys(), (QStringList{kRedis, other}));
        QCOMPARE(model.currentTarget(), kRedis);
        QCOMPARE(cell(model, 3, CacheModel::RedisColumn), QStringLiteral("2 targets"));
        model.setCurrentTarget(other);
        QCOMPARE(model.current().key, other);
        QCOMPARE(model.current().reporters, QStringList{QStringLiteral("billing-1")});
        QCOMPARE(model.prefixes()->rowCount(), 1);
        QCOMPARE(cell(*model.prefixes(), 0, CachePrefixModel::PrefixColumn),
                 QStringLiteral("invoice"));
        QVERIFY(model.history(other));
        QCOMPARE(model.subscribers(other),
                 (QList<QPair<QString, bool>>{{QStringLiteral("billing-1"), true}}));
        // The chosen target gone: back to the first.
        model.removeAgent(QStringLiteral("c"));
        QCOMPARE(model.currentTarget(), kRedis);
    }

    void figuresAndTexts() {
        // No gets anywhere: the rates are unknown, not 0 %.
        CacheStatus idle = report(kT0, -1.0, 0.0);
        idle.l1.hitRate = -1.0;
        QCOMPARE(cacheFiguresOf({&idle}).hitRate, -1.0);
        // Known rates without gets to weigh them by: their plain mean.
        CacheStatus a = report(kT0, 80.0, 0.0);
        CacheStatus b = report(kT0, 60.0, 0.0);
        QCOMPARE(cacheFiguresOf({&a, &b}).hitRate, 70.0);
        QCOMPARE(cacheMemoryText(5 * 1024 * 1024, 64 * 1024 * 1024),
                 QStringLiteral("5.0 MiB of 64.0 MiB (7.8 %)"));
        QCOMPARE(cacheMemoryText(5 * 1024 * 1024, 0), QStringLiteral("5.0 MiB (no limit)"));
        QCOMPARE(cacheMemoryText(-1, 0), QStringLiteral("–"));
        QCOMPARE(cacheHealthColour(CacheHealth::RedisDown), Health::Down);
        QCOMPARE(cacheHealthText(CacheHealth::BelowTarget), QStringLiteral("below target"));
    }
};

QTEST_GUILESS_MAIN(TestCacheModel)
#include "tst_cache_model.moc"
