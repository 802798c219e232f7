#include "rebalance_planner.h"

#include "switchboard/agent_config.h"
#include "switchboard/protocol.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>
#include <string>

namespace switchboard {

namespace {

namespace field = protocol::field;

// Sums of doubles drift in the last bits; without slack a cluster sitting exactly on the
// threshold would get one pointless move.
constexpr double kSlack = 1e-9;

std::string nodeName(int node) {
    return "node " + std::to_string(node);
}

void validateRequest(const RebalanceRequest& request, int nodeCount) {
    switch (request.by) {
    case BalanceBy::Rows:
    case BalanceBy::Bytes:
    case BalanceBy::Load:
        break;
    default:
        throw ConfigError(std::string(field::kBy), "must be rows, bytes or load");
    }
    if (std::isnan(request.thresholdPercent) || request.thresholdPercent < 0)
        throw ConfigError(std::string(field::kThresholdPercent), "must be a number >= 0");
    if (std::isnan(request.bytesPerSecond) || request.bytesPerSecond < 0)
        throw ConfigError("bytes_per_second", "must be a number >= 0 (0: no estimate)");
    switch (request.goal) {
    case RebalanceGoal::Even:
        return; // no node involved
    case RebalanceGoal::AddNode:
    case RebalanceGoal::DrainNode:
        break;
    default:
        throw ConfigError(std::string(field::kGoal), "must be even, add_node or drain_node");
    }
    if (request.node < 0)
        throw ConfigError(std::string(field::kNode), "required for add_node and drain_node");
    if (request.node >= nodeCount)
        throw ConfigError(std::string(field::kNode), "unknown " + nodeName(request.node) +
                                                         " (there are " +
                                                         std::to_string(nodeCount) + ")");
    if (request.goal == RebalanceGoal::DrainNode && nodeCount < 2)
        throw ConfigError(std::string(field::kNode), "cannot drain the only node");
}

void validateBucket(const BucketLoad& bucket, int nodeCount, std::set<int>& seen) {
    const std::string which = "bucket " + std::to_string(bucket.bucket);
    const std::string key(field::kBuckets);
    if (bucket.bucket < 0)
        throw ConfigError(key, which + ": a bucket id is >= 0");
    if (!seen.insert(bucket.bucket).second)
        throw ConfigError(key, which + " is listed twice");
    if (bucket.node < 0 || bucket.node >= nodeCount)
        throw ConfigError(key, which + " is on unknown " + nodeName(bucket.node));
    // Negative figures are how the statistics say "its node did not answer": planning on
    // them would move buckets by guesswork.
    if (bucket.rows < 0 || bucket.bytes < 0)
        throw ConfigError(key, which + ": rows and bytes unknown (did its node answer?)");
    if (!std::isfinite(bucket.opsPerSecond) || bucket.opsPerSecond < 0)
        throw ConfigError(key, which + ": operations per second must be a number >= 0");
}

void validateBuckets(const std::vector<BucketLoad>& buckets, int nodeCount) {
    if (nodeCount < 1)
        throw ConfigError(std::string(field::kBuckets), "there must be at least one node");
    std::set<int> seen;
    for (const auto& bucket : buckets)
        validateBucket(bucket, nodeCount, seen);
}

double measure(const BucketLoad& bucket, BalanceBy by) {
    switch (by) {
    case BalanceBy::Rows:
        return double(bucket.rows);
    case BalanceBy::Bytes:
        return double(bucket.bytes);
    case BalanceBy::Load:
        return bucket.opsPerSecond;
    }
    return 0;
}

// The working state of one planning run: each bucket's weight, where it is, each node's load.
struct Cluster {
    const std::vector<BucketLoad>& buckets;
    std::vector<double> weight; // per bucket (index into `buckets`)
    std::vector<int> node;      // per bucket, as moves are planned
    std::vector<bool> moved;    // per bucket: each moves at most once
    std::vector<double> load;   // per node
    bool countsOnly = false;
    double mean = 0;

    Cluster(const std::vector<BucketLoad>& input, int nodeCount, BalanceBy by)
        : buckets(input)
        , weight(input.size())
        , node(input.size())
        , moved(input.size(), false)
        , load(std::size_t(nodeCount), 0.0) {
        for (std::size_t i = 0; i < input.size(); ++i) {
            weight[i] = measure(input[i], by);
            node[i] = input[i].node;
        }
        // Empty tables weigh nothing, yet a new node must still get its buckets so the rows
        // written later spread: balance the bucket counts then.
        countsOnly = !input.empty() &&
                     std::all_of(weight.begin(), weight.end(), [](double w) { return w == 0; });
        if (countsOnly)
            std::fill(weight.begin(), weight.end(), 1.0);
        for (std::size_t i = 0; i < input.size(); ++i)
            load[std::size_t(node[i])] += weight[i];
        mean = std::accumulate(load.begin(), load.end(), 0.0) / double(nodeCount);
    }

    int nodeCount() const { return int(load.size()); }
};

void move(Cluster& cluster, std::size_t index, int to, RebalancePlan& plan) {
    const BucketLoad& bucket = cluster.buckets[index];
    const int from = cluster.node[index];
    cluster.load[std::size_t(from)] -= cluster.weight[index];
    cluster.load[std::size_t(to)] += cluster.weight[index];
    cluster.node[index] = to;
    cluster.moved[index] = true;
    plan.moves.push_back({bucket.bucket, from, to, bucket.rows, bucket.bytes, bucket.opsPerSecond});
    plan.rowsMoved += bucket.rows;
    plan.bytesMoved += bucket.bytes;
}

// The first node with the largest (or smallest) load, skipping `excluded`.
int extremeNode(const Cluster& cluster, bool largest, int excluded = -1) {
    int best = -1;
    for (int n = 0; n < cluster.nodeCount(); ++n) {
        if (n == excluded)
            continue;
        const double l = cluster.load[std::size_t(n)];
        if (best < 0 ||
            (largest ? l > cluster.load[std::size_t(best)] : l < cluster.load[std::size_t(best)]))
            best = n;
    }
    return best;
}

bool withinThreshold(const Cluster& cluster, const RebalanceRequest& request) {
    if (cluster.mean <= 0)
        return true;
    const double threshold = request.thresholdPercent / 100 + kSlack;
    const double largest = cluster.load[std::size_t(extremeNode(cluster, true))];
    if (largest / cluster.mean - 1 > threshold)
        return false;
    // An added node short of its share is the point of the request, even when the others are
    // already even enough (eleven equal nodes and an empty one are within 10%).
    if (request.goal == RebalanceGoal::AddNode)
        return 1 - cluster.load[std::size_t(request.node)] / cluster.mean <= threshold;
    return true;
}

// While the added node is below the mean it takes every move, so buckets land where capacity
// was added rather than shuffling between the old nodes.
int receiverFor(const Cluster& cluster, const RebalanceRequest& request) {
    if (request.goal == RebalanceGoal::AddNode &&
        cluster.load[std::size_t(request.node)] < cluster.mean)
        return request.node;
    return extremeNode(cluster, false);
}

// The bucket of `donor` that brings it closest to the mean without leaving `receiver` further
// above the mean than the donor stays from it. Only moves that lower the larger of the two
// loads count: anything else cannot lower the maximum.
std::optional<std::size_t> bestBucket(const Cluster& cluster, int donor, int receiver) {
    const double donorLoad = cluster.load[std::size_t(donor)];
    const double receiverLoad = cluster.load[std::size_t(receiver)];
    const double excess = donorLoad - cluster.mean;
    const double room = cluster.mean - receiverLoad;
    std::optional<std::size_t> best;
    double bestCost = 0;
    for (std::size_t i = 0; i < cluster.buckets.size(); ++i) {
        const double w = cluster.weight[i];
        if (cluster.node[i] != donor || cluster.moved[i] || w <= 0 || receiverLoad + w >= donorLoad)
            continue;
        const double cost = std::max(std::abs(excess - w), w - room);
        if (!best || cost < bestCost ||
            (cost == bestCost && cluster.buckets[i].bucket < cluster.buckets[*best].bucket)) {
            best = i;
            bestCost = cost;
        }
    }
    return best;
}

void planEven(Cluster& cluster, const RebalanceRequest& request, RebalancePlan& plan) {
    // Each pass moves a bucket never moved before, so this ends after at most every bucket.
    while (!withinThreshold(cluster, request)) {
        const int donor = extremeNode(cluster, true);
        const int receiver = receiverFor(cluster, request);
        if (receiver == donor)
            return;
        const auto index = bestBucket(cluster, donor, receiver);
        if (!index)
            return;
        move(cluster, *index, receiver, plan);
    }
}

void planDrain(Cluster& cluster, int drained, RebalancePlan& plan) {
    std::vector<std::size_t> leaving;
    for (std::size_t i = 0; i < cluster.buckets.size(); ++i)
        if (cluster.node[i] == drained)
            leaving.push_back(i);
    // Largest first, so the small ones can fill in the gaps the large ones leave.
    std::sort(leaving.begin(), leaving.end(), [&](std::size_t a, std::size_t b) {
        if (cluster.weight[a] != cluster.weight[b])
            return cluster.weight[a] > cluster.weight[b];
        return cluster.buckets[a].bucket < cluster.buckets[b].bucket;
    });
    for (auto index : leaving)
        move(cluster, index, extremeNode(cluster, false, drained), plan);
}

} // namespace

SkewFigures skew(const std::vector<double>& perNode) {
    SkewFigures figures;
    figures.perNode = perNode;
    if (perNode.empty())
        return figures;
    const double n = double(perNode.size());
    const double mean = std::accumulate(perNode.begin(), perNode.end(), 0.0) / n;
    if (mean == 0)
        return figures;
    double squares = 0;
    for (double value : perNode)
        squares += (value - mean) * (value - mean);
    figures.maxOverMean = *std::max_element(perNode.begin(), perNode.end()) / mean;
    figures.coefficientOfVariation = std::sqrt(squares / n) / mean;
    return figures;
}

RebalancePlan planRebalance(const std::vector<BucketLoad>& buckets, int nodeCount,
                            const RebalanceRequest& request) {
    validateBuckets(buckets, nodeCount);
    validateRequest(request, nodeCount);
    Cluster cluster(buckets, nodeCount, request.by);
    RebalancePlan plan;
    plan.balancedBucketCounts = cluster.countsOnly;
    plan.before = skew(cluster.load);
    if (request.goal == RebalanceGoal::DrainNode)
        planDrain(cluster, request.node, plan);
    else
        planEven(cluster, request, plan);
    plan.after = skew(cluster.load);
    if (request.bytesPerSecond > 0)
        plan.estimatedSeconds = double(plan.bytesMoved) / request.bytesPerSecond;
    return plan;
}

} // namespace switchboard
