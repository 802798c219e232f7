// The shard rebalance planner: evening out, adding and draining a node, the threshold, hot
// buckets, empty tables, the totals and estimate, the skew figures and every bad input.
#include "rebalance_planner.h"
#include "switchboard/agent_config.h"

#include <QElapsedTimer>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>

using switchboard::BalanceBy;
using switchboard::BucketLoad;
using switchboard::BucketMove;
using switchboard::ConfigError;
using switchboard::planRebalance;
using switchboard::RebalanceGoal;
using switchboard::RebalancePlan;
using switchboard::RebalanceRequest;

namespace {

BucketLoad bucket(int id, int node, std::int64_t rows, std::int64_t bytes = -1, double ops = 0) {
    return {id, node, rows, bytes < 0 ? rows * 100 : bytes, ops};
}

// `perNode` buckets of `rows` rows on each of `nodes` nodes, ids in node order.
std::vector<BucketLoad> uniform(int nodes, int perNode, std::int64_t rows) {
    std::vector<BucketLoad> buckets;
    for (int n = 0; n < nodes; ++n)
        for (int i = 0; i < perNode; ++i)
            buckets.push_back(bucket(int(buckets.size()), n, rows));
    return buckets;
}

// Buckets spread round robin over the nodes with uneven sizes; std::minstd_rand is specified
// exactly, so every platform plans the same.
std::vector<BucketLoad> uneven(int bucketCount, int nodes, unsigned seed, int skewedNode = -1) {
    std::minstd_rand random(seed);
    std::vector<BucketLoad> buckets;
    for (int b = 0; b < bucketCount; ++b) {
        int node = (skewedNode >= 0 && b % 3 == 0) ? skewedNode : b % nodes;
        std::int64_t rows = 500 + std::int64_t(random() % 1000);
        buckets.push_back(
            {b, node, rows, rows * 80 + std::int64_t(random() % 4096), double(random() % 50) / 10});
    }
    return buckets;
}

RebalanceRequest request(RebalanceGoal goal, int node = -1, double threshold = 10) {
    RebalanceRequest r;
    r.goal = goal;
    r.node = node;
    r.thresholdPercent = threshold;
    return r;
}

std::map<int, int> originalNodes(const std::vector<BucketLoad>& buckets) {
    std::map<int, int> nodes;
    for (const auto& b : buckets)
        nodes[b.bucket] = b.node;
    return nodes;
}

double mean(const std::vector<double>& values) {
    double sum = 0;
    for (double v : values)
        sum += v;
    return sum / double(values.size());
}

// No bucket moves twice, each move starts where the bucket was and goes somewhere else.
bool movesAreConsistent(const std::vector<BucketLoad>& buckets, const RebalancePlan& plan) {
    auto nodes = originalNodes(buckets);
    std::set<int> seen;
    for (const auto& move : plan.moves) {
        if (!seen.insert(move.bucket).second || nodes.at(move.bucket) != move.from ||
            move.from == move.to)
            return false;
    }
    return true;
}

// perNode after the plan, recomputed from the moves (checks the planner's own bookkeeping).
std::vector<double> rowsAfter(const std::vector<BucketLoad>& buckets, int nodeCount,
                              const RebalancePlan& plan) {
    auto nodes = originalNodes(buckets);
    for (const auto& move : plan.moves)
        nodes[move.bucket] = move.to;
    std::vector<double> rows(std::size_t(nodeCount), 0.0);
    for (const auto& b : buckets)
        rows[std::size_t(nodes[b.bucket])] += double(b.rows);
    return rows;
}

} // namespace

class TestRebalancePlanner : public QObject {
    Q_OBJECT

private slots:
    void skewFigures() {
        auto figures = switchboard::skew({10, 20, 30});
        QCOMPARE(figures.maxOverMean, 1.5);
        QVERIFY(std::abs(figures.coefficientOfVariation - std::sqrt(200.0 / 3) / 20) < 1e-12);
        QCOMPARE(figures.perNode, (std::vector<double>{10, 20, 30}));
        auto even = switchboard::skew({7, 7});
        QCOMPARE(even.maxOverMean, 1.0);
        QCOMPARE(even.coefficientOfVariation, 0.0);
        auto empty = switchboard::skew({0, 0, 0});
        QCOMPARE(empty.maxOverMean, 0.0);
        QCOMPARE(empty.coefficientOfVariation, 0.0);
        QCOMPARE(switchboard::skew({}).maxOverMean, 0.0);
    }

    void evenClusterMovesNothing() {
        auto buckets = uniform(4, 64, 100);
        auto plan = planRebalance(buckets, 4, request(RebalanceGoal::Even));
        QVERIFY(plan.moves.empty());
        QCOMPARE(plan.rowsMoved, std::int64_t(0));
        QCOMPARE(plan.before.maxOverMean, 1.0);
        QCOMPARE(plan.after.perNode, plan.before.perNode);
        QCOMPARE(plan.after.perNode, (std::vector<double>(4, 6400.0)));
        QVERIFY(!plan.balancedBucketCounts);
    }

    void addingAThirdNodeGivesItAThird() {
        auto buckets = uneven(128, 2, 7);
        auto plan = planRebalance(buckets, 3, request(RebalanceGoal::AddNode, 2));
        QVERIFY(!plan.moves.empty());
        QVERIFY(movesAreConsistent(buckets, plan));
        for (const auto& move : plan.moves) {
            QCOMPARE(move.to, 2);
            QVERIFY(move.from == 0 || move.from == 1);
        }
        QCOMPARE(plan.before.perNode[2], 0.0);
        const double third = mean(plan.after.perNode);
        for (double rows : plan.after.perNode)
            QVERIFY2(std::abs(rows / third - 1) <= 0.10 + 1e-9, qPrintable(QString::number(rows)));
        QCOMPARE(plan.after.perNode, rowsAfter(buckets, 3, plan));
        QVERIFY(plan.after.maxOverMean < plan.before.maxOverMean);
    }

    void addedNodeGetsItsShareWhenTheOthersLookEven() {
        // Ten equal nodes and an empty eleventh: the largest is exactly 10% over the mean.
        auto buckets = uniform(10, 22, 100);
        auto plan = planRebalance(buckets, 11, request(RebalanceGoal::AddNode, 10));
        QCOMPARE(plan.before.maxOverMean, 1.1);
        QVERIFY(!plan.moves.empty());
        QVERIFY(plan.after.perNode[10] >= 0.9 * mean(plan.after.perNode) - 1e-9);
        QVERIFY(std::all_of(plan.moves.begin(), plan.moves.end(),
                            [](const BucketMove& m) { return m.to == 10; }));
    }

    void hotBucketStaysAndTheSmallOnesMove() {
        // Node 0: one bucket of 900 and nine of 10; node 1: ten of 10. Moving the hot bucket
        // would only make node 1 the hot one, so the small ones leave node 0 instead.
        std::vector<BucketLoad> buckets{bucket(0, 0, 900)};
        for (int b = 1; b < 10; ++b)
            buckets.push_back(bucket(b, 0, 10));
        for (int b = 10; b < 20; ++b)
            buckets.push_back(bucket(b, 1, 10));
        auto plan = planRebalance(buckets, 2, request(RebalanceGoal::Even));
        QCOMPARE(plan.moves.size(), std::size_t(9));
        QVERIFY(movesAreConsistent(buckets, plan));
        for (const auto& move : plan.moves) {
            QVERIFY(move.bucket != 0);
            QCOMPARE(move.to, 1);
        }
        QCOMPARE(plan.after.perNode, (std::vector<double>{900, 190}));
        QVERIFY(plan.after.maxOverMean < plan.before.maxOverMean);
    }

    void aBucketLargerThanTheGapStays() {
        // Node 0 holds a 300 and a 100, the others 100 each (mean 200). The 100 leaves; the 300
        // stays, since wherever it went that node would be at least as loaded as node 0 was.
        std::vector<BucketLoad> buckets{bucket(0, 0, 300), bucket(1, 0, 100), bucket(2, 1, 100),
                                        bucket(3, 2, 100)};
        auto plan = planRebalance(buckets, 3, request(RebalanceGoal::Even));
        QCOMPARE(plan.moves.size(), std::size_t(1));
        QCOMPARE(plan.moves[0], (BucketMove{1, 0, 1, 100, 10000, 0}));
        QCOMPARE(plan.after.perNode, (std::vector<double>{300, 200, 100}));
    }

    void drainEmptiesTheNodeLargestFirst() {
        auto buckets = uneven(256, 8, 11);
        auto plan = planRebalance(buckets, 8, request(RebalanceGoal::DrainNode, 3));
        const auto leaving = std::count_if(buckets.begin(), buckets.end(),
                                           [](const BucketLoad& b) { return b.node == 3; });
        QCOMPARE(plan.moves.size(), std::size_t(leaving));
        QVERIFY(movesAreConsistent(buckets, plan));
        for (std::size_t i = 0; i < plan.moves.size(); ++i) {
            QCOMPARE(plan.moves[i].from, 3);
            QVERIFY(plan.moves[i].to != 3);
            if (i > 0)
                QVERIFY(plan.moves[i - 1].rows >= plan.moves[i].rows);
        }
        QCOMPARE(plan.after.perNode[3], 0.0);
        QCOMPARE(plan.after.perNode, rowsAfter(buckets, 8, plan));
        // Spread over the seven others, each taking some.
        std::set<int> receivers;
        for (const auto& move : plan.moves)
            receivers.insert(move.to);
        QCOMPARE(receivers.size(), std::size_t(7));
    }

    void withinTheThresholdNothingMoves() {
        // Buckets of 5 rows: 105, 100 and 95 rows on the nodes, 5% over the mean.
        std::vector<BucketLoad> buckets;
        for (int n = 0, id = 0; n < 3; ++n)
            for (int i = 0; i < 21 - n; ++i)
                buckets.push_back(bucket(id++, n, 5));
        QVERIFY(planRebalance(buckets, 3, request(RebalanceGoal::Even, -1, 10)).moves.empty());
        QVERIFY(planRebalance(buckets, 3, request(RebalanceGoal::Even, -1, 5)).moves.empty());
        auto tight = planRebalance(buckets, 3, request(RebalanceGoal::Even, -1, 2));
        QCOMPARE(tight.moves.size(), std::size_t(1));
        QCOMPARE(tight.moves[0].from, 0);
        QCOMPARE(tight.moves[0].to, 2);
        QCOMPARE(tight.after.maxOverMean, 1.0);
    }

    void evenStopsAtTheThreshold() {
        auto buckets = uneven(256, 8, 3, 0);
        for (double threshold : {20.0, 10.0, 5.0}) {
            auto plan = planRebalance(buckets, 8, request(RebalanceGoal::Even, -1, threshold));
            QVERIFY(!plan.moves.empty());
            QVERIFY(movesAreConsistent(buckets, plan));
            QVERIFY(plan.after.maxOverMean - 1 <= threshold / 100 + 1e-9);
            QVERIFY(plan.before.maxOverMean - 1 > threshold / 100);
        }
        auto loose = planRebalance(buckets, 8, request(RebalanceGoal::Even, -1, 20));
        auto tight = planRebalance(buckets, 8, request(RebalanceGoal::Even, -1, 5));
        QVERIFY(loose.moves.size() < tight.moves.size());
    }

    void eachBucketMovesAtMostOnce() {
        // A cluster the greedy cannot fully even out keeps trying with other buckets, never a
        // bucket it already moved.
        for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
            auto buckets = uneven(256, 8, seed, int(seed % 8));
            buckets[0].rows = 200'000; // a hot bucket
            for (auto goal : {RebalanceGoal::Even, RebalanceGoal::AddNode}) {
                auto plan = planRebalance(buckets, 9, request(goal, 8, 1));
                QVERIFY(movesAreConsistent(buckets, plan));
                QVERIFY(plan.moves.size() <= buckets.size());
            }
        }
    }

    void balancesTheChosenMeasure() {
        // Equal rows, but node 0's rows are ten times wider and node 1's ten times busier.
        std::vector<BucketLoad> buckets;
        for (int b = 0; b < 16; ++b)
            buckets.push_back(
                bucket(b, b % 2, 100, b % 2 == 0 ? 10'000 : 1'000, b % 2 == 1 ? 10.0 : 1.0));
        QVERIFY(planRebalance(buckets, 2, request(RebalanceGoal::Even)).moves.empty());
        auto byBytes = request(RebalanceGoal::Even);
        byBytes.by = BalanceBy::Bytes;
        auto bytesPlan = planRebalance(buckets, 2, byBytes);
        QVERIFY(!bytesPlan.moves.empty());
        QCOMPARE(bytesPlan.moves.front().from, 0);
        QCOMPARE(bytesPlan.before.perNode, (std::vector<double>{80'000, 8'000}));
        auto byLoad = request(RebalanceGoal::Even);
        byLoad.by = BalanceBy::Load;
        auto loadPlan = planRebalance(buckets, 2, byLoad);
        QVERIFY(!loadPlan.moves.empty());
        QCOMPARE(loadPlan.moves.front().from, 1);
        QCOMPARE(loadPlan.before.perNode, (std::vector<double>{8, 80}));
    }

    void emptyTablesBalanceBucketCounts() {
        auto buckets = uniform(2, 128, 0);
        for (auto& b : buckets)
            b.bytes = 0;
        auto plan = planRebalance(buckets, 3, request(RebalanceGoal::AddNode, 2));
        QVERIFY(plan.balancedBucketCounts);
        QCOMPARE(plan.before.perNode, (std::vector<double>{128, 128, 0}));
        QVERIFY(plan.after.perNode[2] >= 77); // within 10% of 85.3
        QCOMPARE(plan.after.perNode[0] + plan.after.perNode[1] + plan.after.perNode[2], 256.0);
        QVERIFY(std::all_of(plan.moves.begin(), plan.moves.end(),
                            [](const BucketMove& m) { return m.to == 2; }));
        QCOMPARE(plan.rowsMoved, std::int64_t(0));
    }

    void totalsAndEstimate() {
        auto buckets = uneven(64, 2, 5, 0);
        auto req = request(RebalanceGoal::AddNode, 2);
        req.bytesPerSecond = 1000;
        auto plan = planRebalance(buckets, 3, req);
        QVERIFY(!plan.moves.empty());
        std::int64_t rows = 0, bytes = 0;
        for (const auto& move : plan.moves) {
            const auto& original = buckets[std::size_t(move.bucket)];
            QCOMPARE(move.rows, original.rows);
            QCOMPARE(move.bytes, original.bytes);
            QCOMPARE(move.opsPerSecond, original.opsPerSecond);
            rows += move.rows;
            bytes += move.bytes;
        }
        QCOMPARE(plan.rowsMoved, rows);
        QCOMPARE(plan.bytesMoved, bytes);
        QCOMPARE(plan.estimatedSeconds, double(bytes) / 1000);
        req.bytesPerSecond = 0;
        auto noEstimate = planRebalance(buckets, 3, req);
        QCOMPARE(noEstimate.estimatedSeconds, 0.0);
        QCOMPARE(noEstimate.bytesMoved, bytes);
    }

    void deterministic() {
        auto buckets = uneven(256, 8, 21, 2);
        auto first = planRebalance(buckets, 9, request(RebalanceGoal::AddNode, 8, 3));
        std::reverse(buckets.begin(), buckets.end());
        auto second = planRebalance(buckets, 9, request(RebalanceGoal::AddNode, 8, 3));
        QVERIFY(!first.moves.empty());
        QCOMPARE(first.moves, second.moves);
        // Equal buckets: the lower id goes first.
        auto ties = planRebalance(uniform(2, 4, 10), 3, request(RebalanceGoal::AddNode, 2));
        QVERIFY(!ties.moves.empty());
        QCOMPARE(ties.moves[0].bucket, 0);
    }

    void badInputsNameTheField() {
        struct Case {
            const char* name;
            std::function<void(std::vector<BucketLoad>&, int&, RebalanceRequest&)> spoil;
            std::string key;
        };
        const std::vector<Case> cases{
            {"add_node without node",
             [](auto&, auto&, auto& r) { r.goal = RebalanceGoal::AddNode; }, "node"},
            {"drain_node without node",
             [](auto&, auto&, auto& r) { r.goal = RebalanceGoal::DrainNode; }, "node"},
            {"unknown node",
             [](auto&, auto&, auto& r) {
                 r.goal = RebalanceGoal::AddNode;
                 r.node = 3;
             },
             "node"},
            {"draining the only node",
             [](auto& b, auto& n, auto& r) {
                 for (auto& bucket : b)
                     bucket.node = 0;
                 n = 1;
                 r.goal = RebalanceGoal::DrainNode;
                 r.node = 0;
             },
             "node"},
            {"negative threshold", [](auto&, auto&, auto& r) { r.thresholdPercent = -1; },
             "threshold_pct"},
            {"NaN threshold", [](auto&, auto&, auto& r) { r.thresholdPercent = std::nan(""); },
             "threshold_pct"},
            {"unknown goal", [](auto&, auto&, auto& r) { r.goal = RebalanceGoal(7); }, "goal"},
            {"unknown measure", [](auto&, auto&, auto& r) { r.by = BalanceBy(9); }, "by"},
            {"negative throughput", [](auto&, auto&, auto& r) { r.bytesPerSecond = -1; },
             "bytes_per_second"},
            {"bucket on an unknown node", [](auto& b, auto&, auto&) { b[4].node = 3; }, "buckets"},
            {"bucket on a negative node", [](auto& b, auto&, auto&) { b[4].node = -1; }, "buckets"},
            {"duplicate bucket", [](auto& b, auto&, auto&) { b[5].bucket = 2; }, "buckets"},
            {"negative bucket id", [](auto& b, auto&, auto&) { b[5].bucket = -5; }, "buckets"},
            {"no nodes", [](auto&, auto& n, auto&) { n = 0; }, "buckets"},
            {"unknown rows", [](auto& b, auto&, auto&) { b[1].rows = -1; }, "buckets"},
            {"unknown bytes", [](auto& b, auto&, auto&) { b[1].bytes = -1; }, "buckets"},
            {"NaN load", [](auto& b, auto&, auto&) { b[1].opsPerSecond = std::nan(""); },
             "buckets"},
        };
        for (const auto& c : cases) {
            auto buckets = uneven(12, 3, 9);
            int nodeCount = 3;
            RebalanceRequest req;
            c.spoil(buckets, nodeCount, req);
            const auto bucketsBefore = buckets;
            try {
                planRebalance(buckets, nodeCount, req);
                QFAIL(qPrintable(QString("accepted: ") + c.name));
            } catch (const ConfigError& error) {
                QVERIFY2(error.key() == c.key, qPrintable(QString(c.name) + ": named " +
                                                          QString::fromStdString(error.key())));
                QVERIFY(std::string(error.what()).starts_with(c.key + ": "));
            }
            QVERIFY2(std::equal(
                         buckets.begin(), buckets.end(), bucketsBefore.begin(), bucketsBefore.end(),
                         [](const BucketLoad& a, const BucketLoad& b) {
                             // NaN never equals itself: two NaNs count as unchanged.
                             return a.bucket == b.bucket && a.node == b.node && a.rows == b.rows &&
                                    a.bytes == b.bytes &&
                                    (a.opsPerSecond == b.opsPerSecond ||
                                     (std::isnan(a.opsPerSecond) && std::isnan(b.opsPerSecond)));
                         }),
                     c.name);
        }
        // The unspoilt input plans.
        QVERIFY(planRebalance(uneven(12, 3, 9), 3, RebalanceRequest{}).before.perNode.size() == 3);
    }

    void aFullSizedClusterPlansQuickly() {
        auto buckets = uneven(256, 8, 42, 5);
        QElapsedTimer timer;
        timer.start();
        auto even = planRebalance(buckets, 8, request(RebalanceGoal::Even, -1, 1));
        auto add = planRebalance(buckets, 9, request(RebalanceGoal::AddNode, 8, 1));
        auto drain = planRebalance(buckets, 8, request(RebalanceGoal::DrainNode, 5));
        qInfo("256 buckets x 8 nodes: three plans in %lld ms (%zu, %zu and %zu moves)",
              qint64(timer.elapsed()), even.moves.size(), add.moves.size(), drain.moves.size());
        QVERIFY(even.after.maxOverMean < even.before.maxOverMean);
        QVERIFY(add.after.maxOverMean < add.before.maxOverMean);
        QCOMPARE(drain.after.perNode[5], 0.0);
    }
};

QTEST_GUILESS_MAIN(TestRebalancePlanner)
#include "tst_rebalance_planner.moc"
