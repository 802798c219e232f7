// MinMaxDecimator: every extreme survives (a spike of one sample, up or down, wherever it
// falls), the first and last points are kept, no pixel column gets more than two points, the
// output stays in time order, and gaps stay gaps.
#include "MinMaxDecimator.h"

#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using switchboard::MinMaxDecimator;
using switchboard::SeriesPoint;

namespace {

constexpr qint64 kSecond = 1000;
constexpr int kPoints = 3600; // an hour at 1 Hz
constexpr int kColumns = 100;

// An hour of a noisy-looking but bounded signal (between 40 and 60), one sample a second.
QList<SeriesPoint> hour() {
    QList<SeriesPoint> points;
    for (int i = 0; i < kPoints; ++i)
        points.append({i * kSecond, 50.0 + 10.0 * std::sin(i * 0.37)});
    return points;
}

bool contains(const QList<SeriesPoint>& points, const SeriesPoint& wanted) {
    return std::any_of(points.begin(), points.end(), [&](const SeriesPoint& p) {
        return p.timeMs == wanted.timeMs &&
               (p.value == wanted.value || (std::isnan(p.value) && std::isnan(wanted.value)));
    });
}

bool inTimeOrder(const QList<SeriesPoint>& points) {
    return std::is_sorted(
        points.begin(), points.end(),
        [](const SeriesPoint& a, const SeriesPoint& b) { return a.timeMs < b.timeMs; });
}

// Points per column, the first and last point not counted (they may ride along with a min/max).
QList<int> perColumn(const QList<SeriesPoint>& points, qint64 from, qint64 to, int columns) {
    QList<int> counts(columns, 0);
    for (qsizetype i = 1; i + 1 < points.size(); ++i)
        ++counts[int((points.at(i).timeMs - from) * columns / (to - from + 1))];
    return counts;
}

// The decimation written the slow, obvious way: group by column, keep each column's first
// minimum, first maximum and first NaN, plus the first and the last point.
QList<SeriesPoint> reference(const QList<SeriesPoint>& points, qint64 from, qint64 to,
                             int columns) {
    std::set<qsizetype> keep{0, points.size() - 1};
    qsizetype start = 0;
    while (start < points.size()) {
        const auto columnOf = [&](qsizetype i) {
            return std::clamp<qint64>((points.at(i).timeMs - from) * columns / (to - from + 1), 0,
                                      columns - 1);
        };
        qsizetype end = start;
        qsizetype lowest = -1, highest = -1, gap = -1;
        for (; end < points.size() && columnOf(end) == columnOf(start); ++end) {
            const double v = points.at(end).value;
            if (std::isnan(v)) {
                gap = gap < 0 ? end : gap;
                continue;
            }
            if (lowest < 0 || v < points.at(lowest).value)
                lowest = end;
            if (highest < 0 || v > points.at(highest).value)
                highest = end;
        }
        for (qsizetype i : {lowest, highest, gap}) {
            if (i >= 0)
                keep.insert(i);
        }
        start = end;
    }
    QList<SeriesPoint> result;
    for (qsizetype i : keep)
        result.append(points.at(i));
    return result;
}

} // namespace

class TestMinMaxDecimator : public QObject {
    Q_OBJECT

private slots:
    void keepsEveryExtreme_data() {
        QTest::addColumn<int>("upAt");
        QTest::addColumn<int>("downAt");
        QTest::newRow("inside columns") << 1234 << 2345;
        QTest::newRow("at column starts") << 36 * 10 << 36 * 50;
        QTest::newRow("at column ends") << 36 * 11 - 1 << 36 * 51 - 1;
        QTest::newRow("same column") << 1800 << 1801;
        QTest::newRow("at the ends") << 0 << kPoints - 1;
    }

    void keepsEveryExtreme() {
        QFETCH(int, upAt);
        QFETCH(int, downAt);
        QList<SeriesPoint> points = hour();
        points[upAt].value = 1000.0;
        points[downAt].value = -1000.0;

        const QList<SeriesPoint> few = MinMaxDecimator::decimate(points, kColumns);
        QVERIFY(contains(few, points.at(upAt)));
        QVERIFY(contains(few, points.at(downAt)));
        QCOMPARE(few.front(), points.front());
        QCOMPARE(few.back(), points.back());
        QVERIFY(inTimeOrder(few));
        QVERIFY2(few.size() <= 2 * kColumns + 2, qPrintable(QString::number(few.size())));
        const QList<int> counts =
            perColumn(few, points.front().timeMs, points.back().timeMs, kColumns);
        QVERIFY(*std::max_element(counts.begin(), counts.end()) <= 2);
        // The shape survives too: every column's own min and max of the bounded signal.
        QVERIFY(few.size() >= 2 * kColumns - 2);
    }

    void columnsFollowTheGivenRange() {
        // A chart showing the last hour when the data covers its second half: the data lands
        // in the right half of the columns, still at most two per column.
        const QList<SeriesPoint> points = hour();
        const qint64 from = -kPoints * kSecond;
        const qint64 to = (kPoints - 1) * kSecond;
        MinMaxDecimator decimator(from, to, kColumns);
        for (const SeriesPoint& point : points)
            decimator.add(point);
        const QList<SeriesPoint> few = decimator.take();
        QVERIFY(few.size() <= kColumns + 2);
        const QList<int> counts = perColumn(few, from, to, kColumns);
        QVERIFY(*std::max_element(counts.begin(), counts.end()) <= 2);
        QCOMPARE(std::count(counts.begin(), counts.begin() + kColumns / 2, 0), kColumns / 2);
    }

    void extremeRangesDoNotOverflow() {
        // The whole of time on 1000 columns: an hour falls in one column (128-bit arithmetic).
        MinMaxDecimator decimator(std::numeric_limits<qint64>::min(),
                                  std::numeric_limits<qint64>::max(), 1000);
        QList<SeriesPoint> points = hour();
        points[100].value = 99.0;
        points[200].value = 1.0;
        for (const SeriesPoint& point : points)
            decimator.add(point);
        const QList<SeriesPoint> few = decimator.take();
        QCOMPARE(few, (QList<SeriesPoint>{points.front(), points.at(100), points.at(200),
                                          points.back()}));
    }

    void matchesASimpleReference() {
        // Random gaps (columns skipped, many samples in one), random values and NaNs.
        QRandomGenerator random(9);
        for (int round = 0; round < 50; ++round) {
            QList<SeriesPoint> points;
            qint64 t = 0;
            for (int i = 0; i < 2000; ++i) {
                t += random.bounded(3) == 0 ? random.bounded(20000) : random.bounded(300);
                const double value = random.bounded(50) == 0
                                         ? std::numeric_limits<double>::quiet_NaN()
                                         : random.bounded(1000.0);
                points.append({t, value});
            }
            const int columns = 1 + random.bounded(400);
            const qint64 from = points.front().timeMs - random.bounded(100000);
            const qint64 to = points.back().timeMs + random.bounded(100000);
            MinMaxDecimator decimator(from, to, columns);
            for (const SeriesPoint& point : points)
                decimator.add(point);
            const QList<SeriesPoint> few = decimator.take();
            const QList<SeriesPoint> expected = reference(points, from, to, columns);
            QCOMPARE(few.size(), expected.size());
            for (qsizetype i = 0; i < few.size(); ++i) {
                QCOMPARE(few.at(i).timeMs, expected.at(i).timeMs);
                QVERIFY(few.at(i).value == expected.at(i).value ||
                        (std::isnan(few.at(i).value) && std::isnan(expected.at(i).value)));
            }
        }
    }

    void flatDataGivesFewPoints() {
        QList<SeriesPoint> points;
        for (int i = 0; i < kPoints; ++i)
            points.append({i * kSecond, 7.0});
        const QList<SeriesPoint> few = MinMaxDecimator::decimate(points, kColumns);
        // One point per column (min and max are the same sample), plus the last point.
        QCOMPARE(few.size(), kColumns + 1);
        QCOMPARE(few.back(), points.back());
    }

    void gapsStayGaps() {
        QList<SeriesPoint> points = hour();
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (int i = 2000; i < 2100; ++i)
            points[i].value = nan;
        const QList<SeriesPoint> few = MinMaxDecimator::decimate(points, kColumns);
        QVERIFY(contains(few, {2000 * kSecond, nan}));
        QVERIFY(inTimeOrder(few));
        // NaN is no extreme: the values around the gap still have their min and max.
        for (const SeriesPoint& point : few)
            QVERIFY(std::isnan(point.value) || (point.value >= 40.0 && point.value <= 60.0));
    }

    void smallInputsPassThrough() {
        const QList<SeriesPoint> points = hour().mid(0, 2 * kColumns);
        QCOMPARE(MinMaxDecimator::decimate(points, kColumns), points);
        QCOMPARE(MinMaxDecimator::decimate(hour(), 0), hour());
        QCOMPARE(MinMaxDecimator::decimate({}, kColumns), QList<SeriesPoint>{});
        MinMaxDecimator empty(0, 1000, kColumns);
        QVERIFY(empty.take().isEmpty());
    }

    void sameTimestampsStayInOrder() {
        // Two samples of one scrape time are legal in the store; the output must not reorder.
        QList<SeriesPoint> points;
        for (int i = 0; i < kPoints; ++i)
            points.append({(i / 2) * kSecond, double(i % 7)});
        const QList<SeriesPoint> few = MinMaxDecimator::decimate(points, kColumns);
        QVERIFY(inTimeOrder(few));
        QCOMPARE(few.back(), points.back());
    }
};

QTEST_GUILESS_MAIN(TestMinMaxDecimator)
#include "tst_min_max_decimator.moc"
