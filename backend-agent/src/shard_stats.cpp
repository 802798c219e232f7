#include "shard_stats.h"

#include "pg_conninfo.h"
#include "postgres_probe.h"    // postgresTarget
#include "rebalance_planner.h" // skew

#include <algorithm>
#include <pqxx/pqxx>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

void countShardRows(const ShardMap& map, const std::vector<ShardTable>& tables, int timeoutMs,
                    ShardStats& stats) {
    const std::size_t buckets = map.bucketNodes.size();
    stats.bucketRows.assign(buckets, 0);
    stats.bucketBytes.assign(buckets, 0);
    stats.nodes.clear();
    for (std::size_t index = 0; index < map.nodes.size(); ++index) {
        ShardNodeStats node;
        node.name = map.nodes[index];
        node.target = postgresTarget(map.nodeConninfos[index]);
        try {
            pqxx::connection db(probeConninfo(map.nodeConninfos[index], timeoutMs));
            pqxx::read_transaction tx(db);
            for (const auto& table : tables) {
                // Names are plain identifiers (ShardsConfig::validate); a table not created yet
                // counts as empty.
                if (tx.exec_params1("SELECT to_regclass($1) IS NOT NULL", table.name)[0]
                        .as<bool>() == false)
                    continue;
                for (const auto& row : tx.exec("SELECT " + table.bucketColumn +
                                               ", count(*), "
                                               "sum(pg_column_size(t.*))::bigint FROM " +
                                               table.name + " t GROUP BY 1")) {
                    auto bucket = row[0].as<std::int64_t>();
                    if (bucket < 0 || static_cast<std::size_t>(bucket) >= buckets)
                        continue; // a row outside the map: not ours to count
                    stats.bucketRows[bucket] += row[1].as<std::int64_t>();
                    stats.bucketBytes[bucket] += row[2].is_null() ? 0 : row[2].as<std::int64_t>();
                }
            }
            node.status = protocol::ProbeStatus::Up;
        } catch (const std::exception& error) {
            node.status = protocol::ProbeStatus::Down;
            node.error = pgErrorText(error);
            for (std::size_t b = 0; b < buckets; ++b)
                if (map.bucketNodes[b] == index)
                    stats.bucketRows[b] = stats.bucketBytes[b] = -1;
        }
        stats.nodes.push_back(std::move(node));
    }
}

namespace {

json skewJson(const std::vector<double>& perNode) {
    SkewFigures figures = skew(perNode);
    return {{field::kMaxOverMean, figures.maxOverMean},
            {field::kCoefficientOfVariation, figures.coefficientOfVariation}};
}

} // namespace

json shardsJson(const ShardMap& map, const ShardStats& stats, const std::string& catalogTarget,
                protocol::ProbeStatus catalogStatus, const std::string& catalogError,
                const json& moves) {
    const std::size_t nodeCount = map.nodes.size(), buckets = map.bucketNodes.size();
    std::vector<double> rows(nodeCount, 0), bytes(nodeCount, 0), load(nodeCount, 0);
    std::vector<double> writes(nodeCount, 0), reads(nodeCount, 0);
    std::vector<int> owned(nodeCount, 0);
    json bucketNode = json::array(), bucketRows = json::array(), bucketBytes = json::array(),
         bucketWrites = json::array(), bucketReads = json::array();
    for (std::size_t b = 0; b < buckets; ++b) {
        auto node = map.bucketNodes[b];
        std::int64_t r = b < stats.bucketRows.size() ? stats.bucketRows[b] : -1;
        std::int64_t y = b < stats.bucketBytes.size() ? stats.bucketBytes[b] : -1;
        double w = b < stats.bucketWritesPerSecond.size() ? stats.bucketWritesPerSecond[b] : 0;
        double d = b < stats.bucketReadsPerSecond.size() ? stats.bucketReadsPerSecond[b] : 0;
        bucketNode.push_back(node);
        bucketRows.push_back(r);
        bucketBytes.push_back(y);
        bucketWrites.push_back(w);
        bucketReads.push_back(d);
        if (node < nodeCount) {
            ++owned[node];
            rows[node] += double(std::max<std::int64_t>(r, 0));
            bytes[node] += double(std::max<std::int64_t>(y, 0));
            writes[node] += w;
            reads[node] += d;
            load[node] += w + d;
        }
    }
    json nodes = json::array();
    for (std::size_t i = 0; i < nodeCount; ++i) {
        const ShardNodeStats* node = i < stats.nodes.size() ? &stats.nodes[i] : nullptr;
        bool up = node && node->status == protocol::ProbeStatus::Up;
        nodes.push_back({{field::kName, map.nodes[i]},
                         {field::kTarget, node ? node->target : std::string()},
                         {field::kStatus, node ? static_cast<int>(node->status) : 0},
                         {field::kError, node ? node->error : std::string()},
                         {field::kBuckets, owned[i]},
                         {field::kRows, up ? std::int64_t(rows[i]) : -1},
                         {field::kBytes, up ? std::int64_t(bytes[i]) : -1},
                         {field::kWritesPerSecond, writes[i]},
                         {field::kReadsPerSecond, reads[i]}});
    }
    return {{field::kCheckedMs, stats.checkedMs},
            {field::kStatus, static_cast<int>(catalogStatus)},
            {field::kError, catalogError},
            {field::kCatalog, catalogTarget},
            {field::kVersion, map.version},
            {field::kBucketCount, buckets},
            {field::kNodes, std::move(nodes)},
            {field::kBuckets,
             {{field::kNode, std::move(bucketNode)},
              {field::kRows, std::move(bucketRows)},
              {field::kBytes, std::move(bucketBytes)},
              {field::kWritesPerSecond, std::move(bucketWrites)},
              {field::kReadsPerSecond, std::move(bucketReads)}}},
            {field::kSkew,
             {{field::kRows, skewJson(rows)},
              {field::kBytes, skewJson(bytes)},
              {field::kLoad, skewJson(load)}}},
            {field::kMoves, moves.is_array() ? moves : json::array()}};
}

} // namespace switchboard
