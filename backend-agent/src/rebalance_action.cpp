#include "rebalance_action.h"

#include "bucket_mover.h"
#include "pg_conninfo.h"
#include "rebalance_params.h"
#include "rebalance_planner.h"
#include "shard_catalog.h"
#include "switchboard/protocol.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace switchboard {

namespace field = protocol::field;
namespace verdict = protocol::verdict;
using nlohmann::json;

namespace {

std::string sizeText(std::int64_t bytes) {
    char buffer[32];
    if (bytes >= 1024 * 1024)
        std::snprintf(buffer, sizeof buffer, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
    else
        std::snprintf(buffer, sizeof buffer, "%.1f KiB", double(bytes) / 1024.0);
    return buffer;
}

json skewJson(const SkewFigures& figures) {
    return {{field::kMaxOverMean, figures.maxOverMean},
            {field::kCoefficientOfVariation, figures.coefficientOfVariation}};
}

// Skew of rows, bytes and load over the nodes, as the "shards" document has it, with the moves
// applied or not.
json skewByMeasure(const std::vector<BucketLoad>& loads, std::size_t nodeCount,
                   const std::vector<BucketMove>& moves) {
    std::vector<int> nodeOf(loads.size());
    for (std::size_t i = 0; i < loads.size(); ++i)
        nodeOf[i] = loads[i].node;
    for (const auto& move : moves)
        for (std::size_t i = 0; i < loads.size(); ++i)
            if (loads[i].bucket == move.bucket)
                nodeOf[i] = move.to;
    std::vector<double> rows(nodeCount, 0), bytes(nodeCount, 0), load(nodeCount, 0);
    for (std::size_t i = 0; i < loads.size(); ++i) {
        rows[nodeOf[i]] += double(loads[i].rows);
        bytes[nodeOf[i]] += double(loads[i].bytes);
        load[nodeOf[i]] += loads[i].opsPerSecond;
    }
    return {{field::kRows, skewJson(skew(rows))},
            {field::kBytes, skewJson(skew(bytes))},
            {field::kLoad, skewJson(skew(load))}};
}

} // namespace

RebalanceAction::RebalanceAction(ShardService& shards, int timeoutMs)
    : shards_(shards)
    , timeoutMs_(timeoutMs) {}

std::string_view RebalanceAction::kind() const {
    return protocol::action::kShardsRebalance;
}

ActionPlanBody RebalanceAction::plan(const ActionRequest& request) {
    ShardService::View view = shards_.view();
    if (!view.ok)
        throw ActionError(503, "not_ready",
                          "no shard statistics yet" +
                              (view.error.empty() ? std::string() : ": " + view.error));
    RebalanceParams parsed = parseRebalanceParams(request.params, view.map);
    double rate = measuredBytesPerSecond_.load();
    parsed.request.bytesPerSecond = rate > 0 ? rate : kAssumedBytesPerSecond;

    ActionPlanBody body;
    bool countsKnown = true;
    std::vector<BucketLoad> loads;
    for (std::size_t b = 0; b < view.map.bucketNodes.size(); ++b) {
        std::int64_t rows = view.stats.bucketRows.at(b), bytes = view.stats.bucketBytes.at(b);
        countsKnown = countsKnown && rows >= 0;
        loads.push_back(
            {static_cast<int>(b), view.map.bucketNodes[b], std::max<std::int64_t>(0, rows),
             std::max<std::int64_t>(0, bytes),
             view.stats.bucketWritesPerSecond.at(b) + view.stats.bucketReadsPerSecond.at(b)});
    }
    RebalancePlan planned;
    try {
        planned = planRebalance(loads, static_cast<int>(view.map.nodes.size()), parsed.request);
    } catch (const ConfigError& error) {
        throw ActionError(400, "bad_request", error.what());
    }

    for (const auto& node : view.stats.nodes)
        body.checks.push_back(
            {"node " + node.name + " answers",
             node.status == protocol::ProbeStatus::Up ? verdict::kPass : verdict::kFail,
             node.status == protocol::ProbeStatus::Up ? node.target : node.error});
    body.checks.push_back({"every bucket counted", countsKnown ? verdict::kPass : verdict::kFail,
                           countsKnown ? "rows and bytes known for every bucket"
                                       : "a node did not answer: its buckets' sizes are unknown"});
    try {
        pqxx::connection catalog(probeConninfo(shards_.catalogConninfo(), timeoutMs_));
        auto unfinished = unfinishedMoves(catalog);
        body.checks.push_back(
            {"no move left unfinished", unfinished.empty() ? verdict::kPass : verdict::kFail,
             unfinished.empty() ? "the catalog records none"
                                : std::to_string(unfinished.size()) +
                                      " unfinished; an agent settles them when it starts"});
    } catch (const std::exception& error) {
        body.checks.push_back({"catalog answers", verdict::kFail, pgErrorText(error)});
    }

    json moves = json::array();
    for (const auto& move : planned.moves) {
        const std::string& from = view.map.nodes.at(move.from);
        const std::string& to = view.map.nodes.at(move.to);
        body.changes.push_back(
            {{field::kWhat, "bucket " + std::to_string(move.bucket) + " (" +
                                std::to_string(move.rows) + " rows, " + sizeText(move.bytes) + ")"},
             {field::kFrom, from},
             {field::kTo, to}});
        moves.push_back({{field::kBucket, move.bucket},
                         {field::kFrom, from},
                         {field::kTo, to},
                         {field::kRows, move.rows},
                         {field::kBytes, move.bytes}});
    }
    char skew[96];
    std::snprintf(skew, sizeof skew, "%s skew (max/mean) %.2f → %.2f",
                  planned.balancedBucketCounts ? "bucket-count" : parsed.measure.c_str(),
                  planned.before.maxOverMean, planned.after.maxOverMean);
    body.summary = planned.moves.empty()
                       ? "Nothing to move: " + std::string(skew) + " is within the threshold"
                       : "Move " + std::to_string(planned.moves.size()) + " buckets (" +
                             std::to_string(planned.rowsMoved) + " rows, " +
                             sizeText(planned.bytesMoved) + "); " + skew;
    body.details = {
        {field::kMoves, std::move(moves)},
        {field::kEstimateSeconds, std::ceil(planned.estimatedSeconds)},
        {field::kSkewBefore, skewByMeasure(loads, view.map.nodes.size(), {})},
        {field::kSkewAfter, skewByMeasure(loads, view.map.nodes.size(), planned.moves)}};
    return body;
}

json RebalanceAction::execute(const ActionRequest& request, JobControl& control,
                              std::string& message) {
    const json planned = request.confirmedPlan.value(field::kMoves, json::array());
    ShardMap map = shards_.router().map();
    auto conninfoOf = [&](const std::string& name) {
        for (std::size_t i = 0; i < map.nodes.size(); ++i)
            if (map.nodes[i] == name)
                return map.nodeConninfos[i];
        throw std::runtime_error("node " + name + " is not in the map any more");
    };
    const std::string jobId = request.confirmedPlan.value(field::kPlanId, std::string("job"));
    std::vector<ShardMoveRecord> moves;
    json shown = json::array(); // the moves as last shown; the job's result keeps them
    for (const auto& entry : planned) {
        ShardMoveRecord move;
        move.jobId = jobId;
        move.bucket = entry.at(field::kBucket).get<std::uint32_t>();
        move.from = entry.at(field::kFrom).get<std::string>();
        move.to = entry.at(field::kTo).get<std::string>();
        move.rowsTotal = entry.value(field::kRows, std::int64_t(0));
        move.phase = move_phase::kPending;
        moves.push_back(move);
    }
    // The "shards" document names nodes by their index in its "nodes".
    auto indexOf = [&](const std::string& name) {
        for (std::size_t i = 0; i < map.nodes.size(); ++i)
            if (map.nodes[i] == name)
                return static_cast<int>(i);
        return -1;
    };
    auto show = [&](std::size_t current, double within) {
        json list = json::array();
        for (std::size_t i = 0; i < moves.size(); ++i) {
            const auto& move = moves[i];
            double progress = move.phase == move_phase::kDone ? 1.0 : i == current ? within : 0.0;
            list.push_back({{field::kBucket, move.bucket},
                            {field::kFrom, indexOf(move.from)},
                            {field::kTo, indexOf(move.to)},
                            {field::kPhase, move.phase},
                            {field::kRowsCopied, move.rowsCopied},
                            {field::kRowsTotal, move.rowsTotal},
                            {field::kProgress, progress}});
        }
        shown = list;
        shards_.setMoves(list);
    };
    struct ClearMoves {
        ShardService& shards;
        ~ClearMoves() { shards.setMoves(json::array()); }
    } clear{shards_};

    BucketMover mover(shards_.catalogConninfo(), shards_.config().tables,
                      std::max(timeoutMs_, 30000));
    std::int64_t rowsMoved = 0, bytesMoved = 0;
    json pauses = json::array();
    auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < moves.size(); ++i) {
        auto& move = moves[i];
        if (control.cancelled()) {
            message = "cancelled after " + std::to_string(i) + " of " +
                      std::to_string(moves.size()) + " moves";
            throw JobCancelled{};
        }
        BucketMover::Hooks hooks;
        hooks.cancelled = [&] {
            return control.cancelled();
        };
        hooks.progress = [&](const ShardMoveRecord& now) {
            move.phase = now.phase;
            move.rowsCopied = now.rowsCopied;
            move.rowsTotal = now.rowsTotal;
            double within = now.phase == move_phase::kDone ? 1.0
                            : now.rowsTotal > 0
                                ? 0.8 * double(now.rowsCopied) / double(now.rowsTotal)
                                : 0.0;
            show(i, within);
            double overall = (double(i) + within) / double(moves.size());
            double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            std::string eta = overall > 0.02
                                  ? ", about " +
                                        std::to_string(int(elapsed / overall - elapsed + 0.5)) +
                                        " s left"
                                  : "";
            control.progress(overall, "bucket " + std::to_string(move.bucket) + " " + move.from +
                                          " → " + move.to + ": " + now.phase + " (" +
                                          std::to_string(i + 1) + " of " +
                                          std::to_string(moves.size()) + eta + ")");
        };
        auto outcome = mover.run(move, conninfoOf(move.from), conninfoOf(move.to), hooks);
        if (outcome.cancelled) {
            show(i, 0.0);
            message = "cancelled during the move of bucket " + std::to_string(move.bucket) +
                      " (rolled back); " + std::to_string(i) + " of " +
                      std::to_string(moves.size()) + " moves done";
            throw JobCancelled{};
        }
        rowsMoved += outcome.rowsCopied;
        bytesMoved += planned[i].value(field::kBytes, std::int64_t(0));
        pauses.push_back(outcome.writePause.count());
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (bytesMoved > 0 && seconds > 0)
        measuredBytesPerSecond_ = double(bytesMoved) / seconds;
    message = "moved " + std::to_string(moves.size()) + " buckets (" + std::to_string(rowsMoved) +
              " rows) in " + std::to_string(int(seconds + 0.5)) + " s";
    show(moves.size(), 1.0);
    return {{"moved", moves.size()},
            {field::kMoves, shown},
            {field::kRows, rowsMoved},
            {"write_pauses_ms", std::move(pauses)}};
}

} // namespace switchboard
