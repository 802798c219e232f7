// TimeSeriesStore: series keys, the window and the point cap bound every series, points stay in
// time order, range queries find their edges (also after the ring wrapped), the decimated view
// keeps spikes, memory stops growing at its computed bound and the budget holds, a reloaded
// range replaces its points, and a network thread may append while the GUI thread reads.
#include "TimeSeriesStore.h"

#include <QTest>
#include <atomic>
#include <thread>

using switchboard::SeriesKey;
using switchboard::SeriesPoint;
using switchboard::TimeSeriesStore;
using namespace std::chrono_literals;
using Result = TimeSeriesStore::AppendResult;

namespace {

constexpr qint64 kSecond = 1000;

SeriesKey key(const QString& name, const QString& agent = QStringLiteral("a")) {
    return SeriesKey(name, {{QStringLiteral("agent"), agent}});
}

const SeriesKey kRate = key(QStringLiteral("rate"));

QList<qint64> times(const QList<SeriesPoint>& points) {
    QList<qint64> result;
    for (const SeriesPoint& point : points)
        result.append(point.timeMs);
    return result;
}

} // namespace

class TestTimeSeriesStore : public QObject {
    Q_OBJECT

private slots:
    void keysAreCanonical() {
        const SeriesKey a(QStringLiteral("http_requests_total"),
                          {{QStringLiteral("route"), QStringLiteral("/users")},
                           {QStringLiteral("code"), QStringLiteral("200")}});
        const SeriesKey b(QStringLiteral("http_requests_total"),
                          {{QStringLiteral("code"), QStringLiteral("200")},
                           {QStringLiteral("route"), QStringLiteral("/users")}});
        QCOMPARE(a, b);
        QCOMPARE(qHash(a), qHash(b));
        QCOMPARE(a.canonical(),
                 QStringLiteral("http_requests_total{code=\"200\",route=\"/users\"}"));
        QCOMPARE(a.label(QStringLiteral("code")), QStringLiteral("200"));
        QCOMPARE(a.label(QStringLiteral("nope")), QString());
        QCOMPARE(SeriesKey(QStringLiteral("up")).canonical(), QStringLiteral("up"));
        // A value that looks like two labels is escaped, so it cannot pass for them.
        const SeriesKey tricky(QStringLiteral("m"),
                               {{QStringLiteral("a"), QStringLiteral("x\",b=\"y")}});
        const SeriesKey two(QStringLiteral("m"), {{QStringLiteral("a"), QStringLiteral("x")},
                                                  {QStringLiteral("b"), QStringLiteral("y")}});
        QVERIFY(tricky != two);
        QCOMPARE(tricky.canonical(), QStringLiteral("m{a=\"x\\\",b=\\\"y\"}"));
    }

    void windowTrimsOldPoints() {
        TimeSeriesStore store({10s, 1000});
        for (qint64 t = 0; t <= 30 * kSecond; t += kSecond)
            QCOMPARE(store.append(kRate, t, double(t)), Result::Appended);
        const QList<SeriesPoint> points = store.points(kRate);
        // 20 s .. 30 s inclusive: the window is measured back from the newest point.
        QCOMPARE(points.size(), 11);
        QCOMPARE(points.front().timeMs, 20 * kSecond);
        QCOMPARE(points.back().timeMs, 30 * kSecond);
        QCOMPARE(store.latestTimeMs(), 30 * kSecond);
    }

    void pointCapBoundsEverySeries() {
        TimeSeriesStore store({1h, 5});
        for (qint64 t = 0; t < 100; ++t)
            store.append(kRate, t, 1.0);
        QCOMPARE(store.size(kRate), 5);
        QCOMPARE(times(store.points(kRate)), (QList<qint64>{95, 96, 97, 98, 99}));
        // A series of its own limits.
        const SeriesKey slow = key(QStringLiteral("slow"));
        QVERIFY(store.addSeries(slow, {1h, 2}));
        QVERIFY(!store.addSeries(slow, {1h, 50})); // exists: left as it is
        for (qint64 t = 0; t < 10; ++t)
            store.append(slow, t, 1.0);
        QCOMPARE(store.size(slow), 2);
        QCOMPARE(store.limits(slow).pointCap, 2);
    }

    void outOfOrderPointsAreRefused() {
        TimeSeriesStore store;
        QCOMPARE(store.append(kRate, 2000, 1.0), Result::Appended);
        const quint64 revision = store.revision();
        QCOMPARE(store.append(kRate, 1000, 2.0), Result::OutOfOrder);
        QCOMPARE(store.revision(), revision);
        QCOMPARE(store.append(kRate, 2000, 3.0), Result::Appended); // same time is fine
        QCOMPARE(store.size(kRate), 2);
        QCOMPARE(store.append(key(QStringLiteral("b")), 1000, 2.0), Result::Appended);
    }

    void rangeQuery_data() {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<QList<qint64>>("expected"); // seconds
        // The ring holds 85 s .. 94 s and has wrapped (head in the middle of its storage).
        QTest::newRow("all") << qint64(0) << qint64(1000 * kSecond)
                             << QList<qint64>{85, 86, 87, 88, 89, 90, 91, 92, 93, 94};
        QTest::newRow("exact ends")
            << 87 * kSecond << 90 * kSecond << QList<qint64>{87, 88, 89, 90};
        QTest::newRow("between samples")
            << 87 * kSecond + 1 << 90 * kSecond - 1 << QList<qint64>{88, 89};
        QTest::newRow("first only") << 85 * kSecond << 85 * kSecond << QList<qint64>{85};
        QTest::newRow("last only") << 94 * kSecond << 94 * kSecond << QList<qint64>{94};
        QTest::newRow("starts before first") << qint64(0) << 86 * kSecond << QList<qint64>{85, 86};
        QTest::newRow("ends after last") << 93 * kSecond << 500 * kSecond << QList<qint64>{93, 94};
        QTest::newRow("before first") << qint64(-5000) << 85 * kSecond - 1 << QList<qint64>{};
        QTest::newRow("after last") << 94 * kSecond + 1 << 200 * kSecond << QList<qint64>{};
        QTest::newRow("inverted") << 90 * kSecond << 87 * kSecond << QList<qint64>{};
    }

    void rangeQuery() {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(QList<qint64>, expected);
        TimeSeriesStore store({1h, 10});
        QVERIFY(store.points(kRate, from, to).isEmpty()); // empty store
        for (qint64 s = 0; s < 95; ++s)
            store.append(kRate, s * kSecond, double(s));
        QList<qint64> expectedMs;
        for (qint64 s : expected)
            expectedMs.append(s * kSecond);
        QCOMPARE(times(store.points(kRate, from, to)), expectedMs);
        QCOMPARE(times(store.decimated(kRate, from, to, 100)), expectedMs);
        QVERIFY(store.points(key(QStringLiteral("unknown")), from, to).isEmpty());
    }

    void decimatedViewKeepsSpikes() {
        TimeSeriesStore store;                  // 1 h, 3600 points
        const qint64 start = 1'700'000'000'000; // a real epoch time: the ring wraps below
        for (qint64 i = 0; i < 3600 + 777; ++i) {
            const double value = i == 1234 + 777 ? 1e6 : (i == 2345 + 777 ? -1e6 : 5.0);
            store.append(kRate, start + i * kSecond, value);
        }
        QCOMPARE(store.size(kRate), 3600);
        const qint64 from = start + 777 * kSecond;
        const qint64 to = start + (3600 + 776) * kSecond;
        const QList<SeriesPoint> view = store.decimated(kRate, from, to, 100);
        QVERIFY(view.size() <= 2 * 100 + 2);
        QCOMPARE(view.front().timeMs, from);
        QCOMPARE(view.back().timeMs, to);
        QVERIFY(view.contains(SeriesPoint{start + (1234 + 777) * kSecond, 1e6}));
        QVERIFY(view.contains(SeriesPoint{start + (2345 + 777) * kSecond, -1e6}));
        QVERIFY(store.decimated(key(QStringLiteral("unknown")), from, to, 100).isEmpty());
    }

    void memoryStopsAtItsBoundUnderALongRun() {
        constexpr int kSeries = 200;
        constexpr qsizetype kCap = 300;
        TimeSeriesStore store({24h, kCap});
        QList<SeriesKey> keys;
        qsizetype bound = qsizetype(sizeof(TimeSeriesStore));
        for (int s = 0; s < kSeries; ++s) {
            keys.append(key(QStringLiteral("m"), QString::number(s)));
            bound += TimeSeriesStore::seriesBytes(keys.back(), store.defaultLimits());
        }
        qsizetype previous = 0;
        for (qint64 t = 0; t < 20 * kCap; ++t) {
            for (const SeriesKey& k : std::as_const(keys))
                store.append(k, t * kSecond, 1.0);
            const qsizetype used = store.bytesUsed();
            QVERIFY(used >= previous);
            QVERIFY2(used <= bound, qPrintable(QStringLiteral("%1 > %2").arg(used).arg(bound)));
            previous = used;
        }
        // Full rings hold exactly what was reserved for them, and not a byte more.
        QCOMPARE(store.bytesUsed(), bound);
        QCOMPARE(store.bytesReserved() + qsizetype(sizeof(TimeSeriesStore)), bound);
        const SeriesKey& one = keys.at(7);
        QCOMPARE(store.bytesUsed(one), TimeSeriesStore::seriesBytes(one, store.defaultLimits()));
        QCOMPARE(store.size(one), kCap);
    }

    void youngSeriesHoldLittle() {
        TimeSeriesStore store({1h, 3600});
        store.append(kRate, 0, 1.0);
        const qsizetype full = TimeSeriesStore::seriesBytes(kRate, store.defaultLimits());
        QVERIFY(store.bytesUsed(kRate) < full / 10);
        QCOMPARE(store.bytesReserved(), full); // the budget counts it full all the same
    }

    void budgetRefusesThenEvictsStaleSeries() {
        const TimeSeriesStore::Limits limits{10s, 100};
        // Room for five series (keys differ in size by a few bytes: five of the largest).
        qsizetype largest = 0;
        for (int s = 0; s < 10; ++s)
            largest = std::max(largest, TimeSeriesStore::seriesBytes(
                                            key(QStringLiteral("m"), QString::number(s)), limits));
        const qsizetype budget = 5 * largest;
        TimeSeriesStore store(limits, budget);
        for (int s = 0; s < 5; ++s)
            QCOMPARE(store.append(key(QStringLiteral("m"), QString::number(s)), 0, 1.0),
                     Result::Appended);
        // All five are live: a sixth is refused, nothing evicted.
        QCOMPARE(store.append(key(QStringLiteral("m"), QStringLiteral("5")), 0, 1.0),
                 Result::OverBudget);
        QCOMPARE(store.refusedSeriesCount(), 1u);
        QCOMPARE(store.seriesCount(), 5);
        QVERIFY(!store.addSeries(key(QStringLiteral("m"), QStringLiteral("5")), limits));
        // Series 0 goes quiet at 0 s, series 1 at 5 s; the others carry on past their window.
        store.append(key(QStringLiteral("m"), QStringLiteral("1")), 5 * kSecond, 1.0);
        for (int s = 2; s < 5; ++s)
            store.append(key(QStringLiteral("m"), QString::number(s)), 30 * kSecond, 1.0);
        // Two new series: the longest quiet goes first, then the next.
        QCOMPARE(store.append(key(QStringLiteral("m"), QStringLiteral("5")), 30 * kSecond, 1.0),
                 Result::Appended);
        QVERIFY(!store.contains(key(QStringLiteral("m"), QStringLiteral("0"))));
        QVERIFY(store.contains(key(QStringLiteral("m"), QStringLiteral("1"))));
        QCOMPARE(store.append(key(QStringLiteral("m"), QStringLiteral("6")), 30 * kSecond, 1.0),
                 Result::Appended);
        QVERIFY(!store.contains(key(QStringLiteral("m"), QStringLiteral("1"))));
        QCOMPARE(store.evictedSeriesCount(), 2u);
        // No stale series left: refused again. The budget held throughout.
        QCOMPARE(store.append(key(QStringLiteral("m"), QStringLiteral("7")), 30 * kSecond, 1.0),
                 Result::OverBudget);
        QVERIFY(store.bytesReserved() <= store.byteBudget());
        QVERIFY(store.bytesUsed() - qsizetype(sizeof(TimeSeriesStore)) <= store.byteBudget());
    }

    void listingAndRemoval() {
        TimeSeriesStore store;
        store.append(key(QStringLiteral("b"), QStringLiteral("x")), 1, 1.0);
        store.append(key(QStringLiteral("a"), QStringLiteral("y")), 2, 1.0);
        store.append(key(QStringLiteral("a"), QStringLiteral("x")), 3, 1.0);
        QCOMPARE(store.metricNames(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(store.seriesOf(QStringLiteral("a")),
                 (QList<SeriesKey>{key(QStringLiteral("a"), QStringLiteral("x")),
                                   key(QStringLiteral("a"), QStringLiteral("y"))}));
        QCOMPARE(store.seriesKeys().size(), 3);
        QCOMPARE(store.latestTimeMs(), 3);

        // An agent goes: every series of it goes, and the newest time follows.
        QCOMPARE(store.removeWhere(QStringLiteral("agent"), QStringLiteral("x")), 2);
        QCOMPARE(store.removeWhere(QStringLiteral("agent"), QString()), 0);
        QCOMPARE(store.seriesKeys(),
                 QList<SeriesKey>{key(QStringLiteral("a"), QStringLiteral("y"))});
        QCOMPARE(store.latestTimeMs(), 2);
        const qsizetype reserved = store.bytesReserved();
        QVERIFY(store.remove(key(QStringLiteral("a"), QStringLiteral("y"))));
        QVERIFY(!store.remove(key(QStringLiteral("a"), QStringLiteral("y"))));
        QVERIFY(store.bytesReserved() < reserved);
        QCOMPARE(store.bytesReserved(), 0);
        QCOMPARE(store.latestTimeMs(), 0);

        store.append(kRate, 1, 1.0);
        store.clear();
        QCOMPARE(store.seriesCount(), 0);
        QCOMPARE(store.bytesReserved(), 0);
        QCOMPARE(store.latestTimeMs(), 0);
    }

    // A history range loaded again (PrometheusHistory) replaces its points: the points outside
    // stay, nothing repeats, and order, window and the newest time hold.
    void replaceRangeReplacesOnlyTheRange() {
        TimeSeriesStore store({1h, 3600});
        for (qint64 t = 0; t <= 10; ++t)
            store.append(kRate, t * kSecond, 1.0);
        const QList<SeriesPoint> again{
            {3 * kSecond, 2.0}, {5 * kSecond, 2.0}, {7 * kSecond, 2.0}, {9 * kSecond, 2.0}};
        QCOMPARE(store.replaceRange(kRate, 3 * kSecond, 7 * kSecond, again), Result::Appended);
        // 9 s lies past the range: left out; 8, 9 and 10 s stay as they were.
        QCOMPARE(times(store.points(kRate)),
                 (QList<qint64>{0, 1000, 2000, 3000, 5000, 7000, 8000, 9000, 10000}));
        QCOMPARE(store.points(kRate, 5 * kSecond, 5 * kSecond).first().value, 2.0);
        QCOMPARE(store.points(kRate, 8 * kSecond, 8 * kSecond).first().value, 1.0);
        // Loading the same range again changes nothing.
        QCOMPARE(store.replaceRange(kRate, 3 * kSecond, 7 * kSecond, again), Result::Appended);
        QCOMPARE(store.size(kRate), 9);
        // A reload of the tail with newer points extends the series.
        const QList<SeriesPoint> tail{{9 * kSecond, 3.0}, {12 * kSecond, 3.0}};
        store.replaceRange(kRate, 9 * kSecond, 12 * kSecond, tail);
        QCOMPARE(times(store.points(kRate, 8 * kSecond, 20 * kSecond)),
                 (QList<qint64>{8000, 9000, 12000}));
        QCOMPARE(store.latestTimeMs(), 12 * kSecond);
    }

    void replaceRangeSkipsDisorderAndKeepsBounds() {
        TimeSeriesStore store({10s, 5});
        // A new series; out-of-order points are skipped, the cap keeps the newest five.
        const QList<SeriesPoint> points{{1 * kSecond, 1}, {3 * kSecond, 3}, {2 * kSecond, 2},
                                        {4 * kSecond, 4}, {5 * kSecond, 5}, {6 * kSecond, 6},
                                        {7 * kSecond, 7}};
        QCOMPARE(store.replaceRange(kRate, 0, 10 * kSecond, points), Result::Appended);
        QCOMPARE(times(store.points(kRate)), (QList<qint64>{3000, 4000, 5000, 6000, 7000}));
        // The window counts back from the newest point: 30 s drops everything before 20 s.
        store.replaceRange(kRate, 30 * kSecond, 30 * kSecond, {{30 * kSecond, 1}});
        QCOMPARE(times(store.points(kRate)), QList<qint64>{30000});
        // An empty answer empties the range; the store's newest time follows it back.
        store.append(key(QStringLiteral("other")), 20 * kSecond, 1);
        store.replaceRange(kRate, 25 * kSecond, 35 * kSecond, {});
        QCOMPARE(store.size(kRate), 0);
        QCOMPARE(store.latestTimeMs(), 20 * kSecond);
    }

    void replaceRangeRespectsTheBudget() {
        const TimeSeriesStore::Limits limits{10s, 100};
        TimeSeriesStore store(limits, TimeSeriesStore::seriesBytes(kRate, limits));
        QCOMPARE(store.replaceRange(kRate, 0, kSecond, {{0, 1}}), Result::Appended);
        QCOMPARE(store.replaceRange(key(QStringLiteral("rate2")), 0, kSecond, {{0, 1}}),
                 Result::OverBudget);
        QCOMPARE(store.seriesCount(), 1);
    }

    void appendAndReadFromTwoThreads() {
        // A network thread appends to a few series while this (GUI) thread reads them; every
        // read sees a consistent, time-ordered series. Bounded: the writer stops on its own.
        TimeSeriesStore store({1h, 500});
        constexpr int kSeries = 4;
        constexpr qint64 kAppends = 20000;
        std::atomic<bool> done{false};
        std::thread writer([&] {
            for (qint64 t = 0; t < kAppends; ++t)
                store.append(key(QStringLiteral("m"), QString::number(t % kSeries)), t, double(t));
            done = true;
        });
        int reads = 0;
        bool ordered = true;
        while (!done.load() || reads == 0) {
            for (int s = 0; s < kSeries; ++s) {
                const SeriesKey k = key(QStringLiteral("m"), QString::number(s));
                const QList<SeriesPoint> view = store.decimated(k, 0, kAppends, 50);
                const QList<SeriesPoint> all = store.points(k);
                const QList<qint64> viewTimes = times(view);
                ordered = ordered && std::is_sorted(viewTimes.begin(), viewTimes.end()) &&
                          all.size() <= 500 && view.size() <= 102;
                store.bytesUsed();
                store.seriesKeys();
            }
            ++reads;
        }
        writer.join();
        QVERIFY(ordered);
        QVERIFY(reads > 0);
        QCOMPARE(store.size(key(QStringLiteral("m"), QStringLiteral("0"))), 500);
        QCOMPARE(store.latestTimeMs(), kAppends - 1);
    }
};

QTEST_GUILESS_MAIN(TestTimeSeriesStore)
#include "tst_time_series_store.moc"
