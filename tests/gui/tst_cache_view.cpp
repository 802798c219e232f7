// CacheView with canned instances: the hit-rate chart has a line per layer and the dashed
// target at 70 %, the rates now with the verdict in words, Redis up (memory against maxmemory,
// evictions) and down (in words and red), the instance and prefix tables, the stale banner, the
// empty label and Invalidate…. With SWITCHBOARD_SCREENSHOT_DIR set it saves cache.png.
#include "CacheHitRateChart.h"
#include "CacheModel.h"
#include "CacheNowPanel.h"
#include "CacheRedisPanel.h"
#include "CacheView.h"
#include "GuiTestHelpers.h"
#include "Theme.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
#include <cmath>

using namespace gui_test;
using namespace switchboard;

namespace {

const QString kRedis = QStringLiteral("127.0.0.1:6379");
constexpr int kPoints = 150;

CachePrefixStats prefix(const QString& name, qint64 gets, double rate, qint64 keys,
                        qint64 bytesPerKey) {
    CachePrefixStats p;
    p.prefix = name;
    p.l1Hits = qint64(double(gets) * rate / 100.0 * 0.8);
    p.l2Hits = qint64(double(gets) * rate / 100.0) - p.l1Hits;
    p.misses = gets - p.l1Hits - p.l2Hits;
    p.hitRate = rate;
    p.keys = keys;
    p.memoryBytes = keys * bytesPerKey;
    return p;
}

// One instance's report at `i` seconds into the canned story: a steady cache around 90 %, an
// invalidation at 60 % of the way that empties it, and the climb back.
CacheStatus report(qint64 timeMs, int i, double gets, int instance) {
    const double t = double(i) / kPoints;
    const double dip = t < 0.6 ? 0.0 : std::exp(-(t - 0.6) * 14.0);
    const double wobble = std::sin(i * 0.7 + instance) * 1.5;
    CacheStatus c;
    c.checkedMs = timeMs;
    c.intervalMs = 1000;
    c.targetHitRate = 70.0;
    c.l1.hitRate = std::clamp(78.0 - 60.0 * dip + wobble, 0.0, 100.0);
    c.l2.hitRate = std::clamp(62.0 - 45.0 * dip - wobble, 0.0, 100.0);
    c.hitRate = c.l1.hitRate + (100.0 - c.l1.hitRate) * c.l2.hitRate / 100.0;
    c.l1.hitsPerSecond = gets * c.l1.hitRate / 100.0;
    c.l1.missesPerSecond = gets - c.l1.hitsPerSecond;
    c.l2.hitsPerSecond = c.l1.missesPerSecond * c.l2.hitRate / 100.0;
    c.l2.missesPerSecond = c.l1.missesPerSecond - c.l2.hitsPerSecond;
    c.l1.entries = 9876 + instance * 120;
    c.l1.bytes = 1843200 + instance * 40960;
    c.l1.evictions = 12;
    c.l2.errors = instance;
    c.l2.skipped = 0;
    c.l2.breaker = QStringLiteral("closed");
    c.loader.loadsPerSecond = c.l2.missesPerSecond;
    c.prefixes = {prefix(QStringLiteral("catalog:item"), 140000, 91.2, 20000, 120),
                  prefix(QStringLiteral("catalog:price"), 52000, 88.4, 20000, 48),
                  prefix(QStringLiteral("user:session"), 31000, 64.0, 3100, 512),
                  prefix(QStringLiteral("search:result"), 9000, 41.5, 850, 2048),
                  prefix(QStringLiteral("(other)"), 700, 70.3, 120, 300)};
    c.redis.status = protocol::ProbeStatus::Up;
    c.redis.target = kRedis;
    c.redis.usedMemory = 41 * 1024 * 1024;
    c.redis.maxMemory = 64 * 1024 * 1024;
    c.redis.evictedKeys = 0;
    c.redis.evictionsPerSecond = 0.0;
    c.redis.keyspaceHitsPerSecond = c.l2.hitsPerSecond * 2;
    c.redis.keyspaceMissesPerSecond = c.l2.missesPerSecond * 2;
    c.redis.hitRate = c.l2.hitRate;
    c.redis.connectedClients = 14;
    c.redis.keys = 44070;
    c.invalidation.channel = QStringLiteral("switchboard:demo:cache");
    c.invalidation.subscribed = true;
    c.invalidation.received = 3;
    return c;
}

// Two instances of one backend, `kPoints` seconds of history ending now.
void feed(CacheModel& model) {
    model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
    model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < kPoints; ++i) {
        const qint64 t = now - qint64(kPoints - i) * 1000;
        AgentSnapshot a;
        a.info.instance = QStringLiteral("demo-1");
        a.cache = report(t, i, 1120.0, 1);
        model.updateAgent(QStringLiteral("a"), a);
        AgentSnapshot b;
        b.info.instance = QStringLiteral("demo-2");
        b.cache = report(t + 400, i, 860.0, 2);
        model.updateAgent(QStringLiteral("b"), b);
    }
}

} // namespace

class TestCacheView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::load(Theme::Kind::Light).palette());
    }

    void chartNowRedisAndTables() {
        CacheModel model;
        feed(model);
        CacheView view(&model);
        view.resize(1280, 820);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!view.emptyLabel()->isVisible());
        QVERIFY(!view.staleBanner()->isVisible());
        QVERIFY2(
            view.titleLabel()->text().contains(QStringLiteral("Cache on Redis 127.0.0.1:6379")),
            qPrintable(view.titleLabel()->text()));
        QVERIFY(view.titleLabel()->text().contains(QStringLiteral("reported by demo-2 (+1)")));

        // The chart: a line per layer over the history, the target dashed at 70 %.
        CacheHitRateChart* chart = view.chart();
        chart->refreshNow();
        using Layer = CacheHitRateChart::Layer;
        QCOMPARE(chart->series(Layer::Overall)->count(), 2 * kPoints);
        QCOMPARE(chart->series(Layer::L1)->count(), 2 * kPoints);
        QCOMPARE(chart->series(Layer::L2)->count(), 2 * kPoints);
        QVERIFY(chart->targetSeries()->isVisible());
        QCOMPARE(chart->targetSeries()->name(), QStringLiteral("target (70 %)"));
        QCOMPARE(chart->targetSeries()->at(0).y(), 70.0);
        QCOMPARE(chart->targetSeries()->pen().style(), Qt::DashLine);
        // The dip after the invalidation goes below the line, and the lines climb back.
        double lowest = 100.0;
        for (const QPointF& p : chart->series(Layer::Overall)->points())
            lowest = std::min(lowest, p.y());
        QVERIFY(lowest < 70.0);

        // Now: the combined rate large, the verdict in words, the layers and the traffic.
        const CacheTargetSummary& current = model.current();
        QCOMPARE(view.nowPanel()->hitRateLabel()->text(), cachePercentText(current.now.hitRate));
        QVERIFY(current.now.hitRate > 70.0);
        QCOMPARE(view.nowPanel()->verdictLabel()->text(), QStringLiteral("meets the 70 % target"));
        QVERIFY(view.nowPanel()->layersLabel()->text().contains(
            cachePercentText(current.now.l1HitRate)));
        QVERIFY(view.nowPanel()->trafficLabel()->text().contains(QStringLiteral("1980 /s gets")));

        // Redis: up, memory against maxmemory with its bar, evictions, the channel.
        CacheRedisPanel* redis = view.redisPanel();
        QCOMPARE(redis->title(), QStringLiteral("Redis 127.0.0.1:6379"));
        QCOMPARE(redis->statusLabel()->text(), QStringLiteral("● up"));
        QCOMPARE(redis->memoryLabel()->text(), QStringLiteral("41.0 MiB of 64.0 MiB (64.1 %)"));
        QVERIFY(redis->memoryBar()->isVisible());
        QCOMPARE(redis->memoryBar()->value(), 640);
        QCOMPARE(redis->evictionsLabel()->text(), QStringLiteral("0 evicted keys, 0.0 /s now"));
        QCOMPARE(redis->channelLabel()->text(),
                 QStringLiteral("switchboard:demo:cache — 2 of 2 instances listening"));

        QCOMPARE(view.instancesTable()->model()->rowCount(), 3);
        QCOMPARE(view.prefixesTable()->model()->rowCount(), 5);
        QCOMPARE(view.prefixesTable()->model()->index(0, CachePrefixModel::PrefixColumn).data(),
                 QVariant(QStringLiteral("catalog:item")));
        // Every column readable: none squeezed to nothing.
        for (int column = 0; column < CacheModel::ColumnCount; ++column)
            QVERIFY2(view.instancesTable()->columnWidth(column) > 20,
                     qPrintable(QString::number(column)));

        QTest::qWait(100);
        saveScreenshot(view, QStringLiteral("cache.png"));

        // Evictions: Redis is full, said in words.
        CacheStatus full = report(QDateTime::currentMSecsSinceEpoch() + 1000, kPoints, 860.0, 2);
        full.redis.usedMemory = full.redis.maxMemory;
        full.redis.evictedKeys = 5120;
        full.redis.evictionsPerSecond = 85.0;
        model.applyCache(QStringLiteral("b"), full);
        QVERIFY2(redis->evictionsLabel()->text().contains(QStringLiteral("Redis is full")),
                 qPrintable(redis->evictionsLabel()->text()));
    }

    void redisDownAndBelowTarget() {
        CacheModel model;
        feed(model);
        CacheView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const Theme theme = Theme::load(Theme::Kind::Light);

        CacheStatus down = report(QDateTime::currentMSecsSinceEpoch() + 1000, 0, 860.0, 2);
        down.hitRate = 42.0;
        down.l2.hitRate = -1.0;
        down.redis.status = protocol::ProbeStatus::Down;
        down.redis.error = QStringLiteral("Connection refused");
        model.applyCache(QStringLiteral("b"), down);
        CacheRedisPanel* redis = view.redisPanel();
        QCOMPARE(redis->statusLabel()->text(),
                 QStringLiteral("✖ DOWN (Connection refused): L2 is skipped and every L1 miss "
                                "goes to the loader"));
        QCOMPARE(redis->statusLabel()->palette().color(QPalette::Window),
                 theme.healthColor(Health::Down));
        QCOMPARE(redis->memoryLabel()->text(), QStringLiteral("–"));
        QVERIFY(!redis->memoryBar()->isVisible());
        QCOMPARE(view.nowPanel()->verdictLabel()->text(),
                 QStringLiteral("Redis is down: every L1 miss goes to the loader"));
        QCOMPARE(view.nowPanel()->verdictLabel()->palette().color(QPalette::Window),
                 theme.healthColor(Health::Down));

        // Redis back, the rate under the target: amber, and said.
        CacheStatus low = report(QDateTime::currentMSecsSinceEpoch() + 2000, 0, 860.0, 2);
        low.hitRate = 40.0;
        CacheStatus lowA = report(QDateTime::currentMSecsSinceEpoch() + 2000, 0, 1120.0, 1);
        lowA.hitRate = 50.0;
        model.applyCache(QStringLiteral("a"), lowA);
        model.applyCache(QStringLiteral("b"), low);
        QCOMPARE(view.nowPanel()->verdictLabel()->text(), QStringLiteral("below the 70 % target"));
        QCOMPARE(view.nowPanel()->verdictLabel()->palette().color(QPalette::Window),
                 theme.healthColor(Health::Unknown));
        QCOMPARE(redis->statusLabel()->text(), QStringLiteral("● up"));
    }

    void staleBannerAndInvalidate() {
        CacheModel model;
        feed(model);
        CacheView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy invalidate(&view, &CacheView::requestInvalidate);
        QVERIFY(view.invalidateButton()->isEnabled());
        QTest::mouseClick(view.invalidateButton(), Qt::LeftButton);
        QCOMPARE(invalidate.count(), 1);
        QCOMPARE(invalidate.at(0).at(0).toString(), QStringLiteral("b")); // the freshest report

        const QDateTime since = QDateTime::currentDateTime();
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Stale, since);
        QVERIFY(!view.staleBanner()->isVisible()); // demo-2 still reports
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Stale, since);
        QVERIFY(view.staleBanner()->isVisible());
        QVERIFY(view.staleBanner()->text().contains(since.toString(QStringLiteral("HH:mm:ss"))));
        QCOMPARE(view.nowPanel()->verdictLabel()->text(),
                 QStringLiteral("stale: the last figures seen"));
        QCOMPARE(view.redisPanel()->statusLabel()->text(), QStringLiteral("● up when last seen"));
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        QVERIFY(!view.staleBanner()->isVisible());
    }

    void emptyWithoutCache() {
        CacheModel model;
        CacheView view(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.emptyLabel()->isVisible());
        QVERIFY(view.emptyLabel()->text().startsWith(QStringLiteral("No agent reports a cache")));
        QVERIFY(!view.invalidateButton()->isVisible());
        QCOMPARE(view.chart()->series(CacheHitRateChart::Layer::Overall)->count(), 0);
    }
};

QTEST_MAIN(TestCacheView)
#include "tst_cache_view.moc"
