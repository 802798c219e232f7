// RateSeriesStore: the window and the point cap bound every series, points stay in time order,
// range queries and the min/max decimation return what the chart needs.
#include "RateSeriesStore.h"
#include "RingBuffer.h"

#include <QTest>

using switchboard::RatePoint;
using switchboard::RateSeriesStore;
using switchboard::RingBuffer;
using namespace std::chrono_literals;

class TestRateSeriesStore : public QObject {
    Q_OBJECT

private slots:
    void ringBufferDropsTheOldest() {
        RingBuffer<int> ring(3);
        QVERIFY(ring.isEmpty());
        for (int i = 1; i <= 5; ++i)
            ring.push_back(i);
        QCOMPARE(ring.size(), 3);
        QCOMPARE(ring.front(), 3);
        QCOMPARE(ring.back(), 5);
        ring.pop_front();
        QCOMPARE(ring.front(), 4);
        ring.push_back(6);
        ring.push_back(7);
        QCOMPARE(ring.at(0), 5);
        QCOMPARE(ring.at(2), 7);
        ring.clear();
        QCOMPARE(ring.size(), 0);
    }

    void windowTrimsOldPoints() {
        RateSeriesStore store(10s, 1000);
        for (qint64 t = 0; t <= 30000; t += 1000)
            QVERIFY(store.append(QStringLiteral("a"), t, double(t)));
        const QList<RatePoint> points = store.points(QStringLiteral("a"));
        // 20 s .. 30 s inclusive: the window is measured back from the newest point.
        QCOMPARE(points.size(), 11);
        QCOMPARE(points.front().timeMs, 20000);
        QCOMPARE(points.back().timeMs, 30000);
        QCOMPARE(store.latestTimeMs(), 30000);
    }

    void pointCapBoundsMemory() {
        RateSeriesStore store(1h, 5);
        for (qint64 t = 0; t < 100; ++t)
            store.append(QStringLiteral("a"), t, 1.0);
        QCOMPARE(store.size(QStringLiteral("a")), 5);
        QCOMPARE(store.points(QStringLiteral("a")).front().timeMs, 95);
    }

    void outOfOrderPointsAreRefused() {
        RateSeriesStore store;
        QVERIFY(store.append(QStringLiteral("a"), 2000, 1.0));
        const quint64 revision = store.revision();
        QVERIFY(!store.append(QStringLiteral("a"), 1000, 2.0));
        QCOMPARE(store.revision(), revision);
        QVERIFY(store.append(QStringLiteral("a"), 2000, 3.0)); // same time is fine
        QCOMPARE(store.size(QStringLiteral("a")), 2);
        QVERIFY(store.append(QStringLiteral("b"), 1000, 2.0)); // series are independent
    }

    void rangeQuery_data() {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<int>("count");
        QTest::newRow("all") << qint64(0) << qint64(9000) << 10;
        QTest::newRow("inclusive ends") << qint64(2000) << qint64(4000) << 3;
        QTest::newRow("before") << qint64(-5000) << qint64(-1) << 0;
        QTest::newRow("after") << qint64(9001) << qint64(20000) << 0;
        QTest::newRow("inverted") << qint64(5000) << qint64(1000) << 0;
    }

    void rangeQuery() {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(int, count);
        RateSeriesStore store;
        for (qint64 t = 0; t < 10000; t += 1000)
            store.append(QStringLiteral("a"), t, 1.0);
        QCOMPARE(store.points(QStringLiteral("a"), from, to).size(), count);
        QCOMPARE(store.points(QStringLiteral("unknown"), from, to).size(), 0);
    }

    void decimationKeepsSpikes() {
        QList<RatePoint> points;
        for (qint64 t = 0; t < 1000; ++t)
            points.append({t, t == 517 ? 1000.0 : (t == 300 ? -5.0 : 10.0)});
        const QList<RatePoint> few = RateSeriesStore::decimate(points, 50);
        QVERIFY(few.size() <= 101);
        QVERIFY(std::is_sorted(few.begin(), few.end(), [](const RatePoint& a, const RatePoint& b) {
            return a.timeMs < b.timeMs;
        }));
        const auto has = [&](qint64 time) {
            return std::any_of(few.begin(), few.end(),
                               [&](const RatePoint& p) { return p.timeMs == time; });
        };
        QVERIFY(has(517));
        QVERIFY(has(300));
        QCOMPARE(few.back().timeMs, 999);
        // Small inputs pass through untouched.
        QCOMPARE(RateSeriesStore::decimate(points.mid(0, 10), 50), points.mid(0, 10));
    }

    void removeAndClear() {
        RateSeriesStore store;
        store.append(QStringLiteral("b"), 1, 1.0);
        store.append(QStringLiteral("a"), 1, 1.0);
        QCOMPARE(store.seriesIds(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        store.remove(QStringLiteral("a"));
        QCOMPARE(store.seriesIds(), QStringList{QStringLiteral("b")});
        store.clear();
        QVERIFY(store.seriesIds().isEmpty());
        QCOMPARE(store.latestTimeMs(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRateSeriesStore)
#include "tst_rate_series_store.moc"
