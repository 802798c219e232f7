// Latency percentiles from the per-interval histogram: bucket bounds, known distributions
// within the documented precision, the max as a ceiling, drain() starting a new interval.
#include "latency_summary.h"
#include "switchboard/latency_histogram.h"

#include <QTest>
#include <random>
#include <thread>
#include <vector>

using switchboard::LatencyHistogram;
using switchboard::summarize;

class TestLatencyHistogram : public QObject {
    Q_OBJECT

    // Within the documented 3.2 % (plus half a microsecond for rounding).
    static bool near(double got, double want) {
        return std::abs(got - want) <= want * 0.032 + 0.0005;
    }

private slots:
    void bucketsTileTheRange() {
        // Every bucket starts where the previous one ends, so each value has exactly one.
        for (std::size_t i = 1; i < LatencyHistogram::kBuckets; ++i)
            QCOMPARE(LatencyHistogram::lowerBound(i), LatencyHistogram::upperBound(i - 1));
        for (std::uint64_t v : {0ull, 1ull, 15ull, 16ull, 17ull, 31ull, 32ull, 1000ull, 4095ull,
                                123456789ull, (1ull << 32) - 1}) {
            const std::size_t b = LatencyHistogram::bucketOf(v);
            QVERIFY2(LatencyHistogram::lowerBound(b) <= v && v < LatencyHistogram::upperBound(b),
                     qPrintable(QString::number(v)));
            // At most 1/16 of the lower bound wide: the documented precision.
            QVERIFY(LatencyHistogram::upperBound(b) - LatencyHistogram::lowerBound(b) <=
                    std::max<std::uint64_t>(1, LatencyHistogram::lowerBound(b) / 16));
        }
        QCOMPARE(LatencyHistogram::bucketOf(1ull << 40), LatencyHistogram::kBuckets - 1);
    }

    void constantDurations() {
        LatencyHistogram histogram;
        for (int i = 0; i < 1000; ++i)
            histogram.record(0.004); // 4 ms
        const auto summary = summarize(histogram.drain());
        QVERIFY(summary);
        QCOMPARE(summary->count, 1000u);
        QVERIFY(std::abs(summary->maxMs - 4.0) <= 0.001); // to the microsecond
        // All in one bucket, whose middle is above 4 ms: the max caps it.
        QCOMPARE(summary->p50Ms, summary->maxMs);
        QCOMPARE(summary->p99Ms, summary->maxMs);
    }

    void uniformDurations() {
        LatencyHistogram histogram;
        for (int ms = 1; ms <= 1000; ++ms) // 1..1000 ms once each
            histogram.record(ms / 1000.0);
        const auto summary = summarize(histogram.drain());
        QVERIFY(summary);
        QVERIFY2(near(summary->p50Ms, 500), qPrintable(QString::number(summary->p50Ms)));
        QVERIFY2(near(summary->p95Ms, 950), qPrintable(QString::number(summary->p95Ms)));
        QVERIFY2(near(summary->p99Ms, 990), qPrintable(QString::number(summary->p99Ms)));
        QVERIFY(std::abs(summary->maxMs - 1000.0) <= 0.001);
    }

    void aLongTail() {
        // 98 % fast (2 ms), 2 % slow (800 ms): p50 and p95 see the fast ones, p99 the tail.
        LatencyHistogram histogram;
        for (int i = 0; i < 9800; ++i)
            histogram.record(0.002);
        for (int i = 0; i < 200; ++i)
            histogram.record(0.8);
        const auto summary = summarize(histogram.drain());
        QVERIFY(near(summary->p50Ms, 2));
        QVERIFY(near(summary->p95Ms, 2));
        QVERIFY(near(summary->p99Ms, 800));
        QVERIFY(summary->p99Ms <= summary->maxMs);
    }

    void exponentialAgainstExactPercentiles() {
        std::mt19937 random(7);
        std::exponential_distribution<double> duration(1 / 0.05); // mean 50 ms
        std::vector<double> values;
        LatencyHistogram histogram;
        for (int i = 0; i < 20000; ++i) {
            values.push_back(duration(random));
            histogram.record(values.back());
        }
        std::sort(values.begin(), values.end());
        auto exact = [&](double q) {
            return values[static_cast<std::size_t>(std::ceil(q * values.size())) - 1] * 1000;
        };
        const auto summary = summarize(histogram.drain());
        QVERIFY2(near(summary->p50Ms, exact(0.50)), qPrintable(QString::number(summary->p50Ms)));
        QVERIFY2(near(summary->p95Ms, exact(0.95)), qPrintable(QString::number(summary->p95Ms)));
        QVERIFY2(near(summary->p99Ms, exact(0.99)), qPrintable(QString::number(summary->p99Ms)));
    }

    void drainStartsANewInterval() {
        LatencyHistogram histogram;
        histogram.record(0.010);
        QVERIFY(summarize(histogram.drain()));
        QVERIFY(!summarize(histogram.drain())); // nothing since: no figures, not zeros
        QVERIFY(switchboard::latencyDocument(std::nullopt).is_null());
    }

    void oddValuesAreBounded() {
        LatencyHistogram histogram;
        histogram.record(-1);
        histogram.record(std::nan(""));
        histogram.record(1e12); // far past 71 minutes: the last bucket
        const auto interval = histogram.drain();
        QCOMPARE(interval.counts[0], 2u);
        QCOMPARE(interval.counts[LatencyHistogram::kBuckets - 1], 1u);
    }

    void concurrentRecordsAreAllCounted() {
        LatencyHistogram histogram;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&histogram, t] {
                for (int i = 0; i < 10000; ++i)
                    histogram.record((t + 1) / 1000.0);
            });
        for (auto& thread : threads)
            thread.join();
        const auto summary = summarize(histogram.drain());
        QCOMPARE(summary->count, 40000u);
        QVERIFY(std::abs(summary->maxMs - 4.0) <= 0.001);
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latency_histogram.moc"
