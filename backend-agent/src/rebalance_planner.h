// The shard rebalance planner: which whole buckets move, from where to where, so the nodes even
// out, a new node gets its share, or a node empties. Pure logic on a snapshot of per-bucket
// figures; the rebalance action's plan step turns its answer into changes and checks, and the
// move runner carries it out. Stateless functions, safe to call from any thread.
#pragma once

#include <cstdint>
#include <vector>

namespace switchboard {

// One bucket's figures as counted on its node (rows, bytes) and seen by the routers (ops).
struct BucketLoad {
    int bucket = 0;
    int node = 0; // 0..nodeCount-1
    std::int64_t rows = 0;
    std::int64_t bytes = 0;
    double opsPerSecond = 0; // reads and writes
    bool operator==(const BucketLoad&) const = default;
};

// What "even" means: protocol param "by" ("rows", "bytes", "load").
enum class BalanceBy { Rows, Bytes, Load };

// Protocol param "goal" ("even", "add_node", "drain_node").
enum class RebalanceGoal { Even, AddNode, DrainNode };

struct RebalanceRequest {
    RebalanceGoal goal = RebalanceGoal::Even;
    BalanceBy by = BalanceBy::Rows;
    // AddNode: the new node's index (it may hold no bucket yet); DrainNode: the node to empty.
    // Ignored by Even.
    int node = -1;
    // Even and AddNode stop once the largest node is within this many percent of the mean;
    // nothing moves when it already is (except that an added node always gets its share).
    double thresholdPercent = 10;
    // Copy throughput for the time estimate; 0 means no estimate.
    double bytesPerSecond = 0;
};

struct BucketMove {
    int bucket = 0;
    int from = 0;
    int to = 0;
    std::int64_t rows = 0;
    std::int64_t bytes = 0;
    double opsPerSecond = 0;
    bool operator==(const BucketMove&) const = default;
};

// Over the nodes: largest / mean and population standard deviation / mean (0 and 0 when the
// mean is 0), and the figure per node they were computed from.
struct SkewFigures {
    double maxOverMean = 0;
    double coefficientOfVariation = 0;
    std::vector<double> perNode;
};

struct RebalancePlan {
    std::vector<BucketMove> moves; // in the order they were chosen; each bucket at most once
    // Per node, under the balanced measure, before and after every move.
    SkewFigures before;
    SkewFigures after;
    // True when every bucket weighed 0 under the chosen measure (empty tables), so bucket counts
    // were balanced instead and `before`/`after` are counts.
    bool balancedBucketCounts = false;
    std::int64_t rowsMoved = 0;
    std::int64_t bytesMoved = 0;
    double estimatedSeconds = 0; // bytesMoved / bytesPerSecond; 0 without a throughput
};

// Plans the fewest moves (greedy) toward the request's goal. Nodes are 0..nodeCount-1.
// Deterministic: ties go to the lower node index, then the lower bucket id.
// Throws ConfigError naming the bad input: "node", "threshold_pct", "goal", "by",
// "bytes_per_second" or "buckets" (a bucket on an unknown node, a duplicate or negative bucket
// id, a negative or unknown figure, nodeCount < 1).
RebalancePlan planRebalance(const std::vector<BucketLoad>& buckets, int nodeCount,
                            const RebalanceRequest& request);

// Skew of per-node figures, as in the "shards" document's "skew".
SkewFigures skew(const std::vector<double>& perNode);

} // namespace switchboard
