#include "rebalance_params.h"

#include "action.h"
#include "switchboard/protocol.h"

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

namespace {

ActionError badParam(const std::string& name, const std::string& message) {
    return ActionError(400, "bad_request", name + ": " + message);
}

std::string text(const json& params, const char* name, const std::string& fallback) {
    auto it = params.find(name);
    if (it == params.end())
        return fallback;
    if (!it->is_string())
        throw badParam(name, "expected a string");
    return it->get<std::string>();
}

} // namespace

RebalanceParams parseRebalanceParams(const json& params, const ShardMap& map) {
    if (!params.is_object())
        throw badParam("params", "expected an object");
    for (auto& [key, value] : params.items())
        if (key != field::kGoal && key != field::kBy && key != field::kNode &&
            key != field::kThresholdPercent)
            throw badParam(key, "unknown parameter");
    RebalanceParams parsed;
    std::string goal = text(params, "goal", "even");
    if (goal == "even")
        parsed.request.goal = RebalanceGoal::Even;
    else if (goal == "add_node")
        parsed.request.goal = RebalanceGoal::AddNode;
    else if (goal == "drain_node")
        parsed.request.goal = RebalanceGoal::DrainNode;
    else
        throw badParam("goal", "one of even, add_node, drain_node; got \"" + goal + "\"");
    parsed.measure = text(params, "by", "rows");
    if (parsed.measure == "rows")
        parsed.request.by = BalanceBy::Rows;
    else if (parsed.measure == "bytes")
        parsed.request.by = BalanceBy::Bytes;
    else if (parsed.measure == "load")
        parsed.request.by = BalanceBy::Load;
    else
        throw badParam("by", "one of rows, bytes, load; got \"" + parsed.measure + "\"");
    if (parsed.request.goal != RebalanceGoal::Even) {
        std::string node = text(params, "node", "");
        if (node.empty())
            throw badParam(
                "node",
                "name the node to " +
                    std::string(parsed.request.goal == RebalanceGoal::AddNode ? "add" : "drain"));
        for (std::size_t i = 0; i < map.nodes.size(); ++i)
            if (map.nodes[i] == node)
                parsed.request.node = static_cast<int>(i);
        if (parsed.request.node < 0)
            throw badParam("node", "no shard node \"" + node + "\" in the catalog");
    }
    if (auto it = params.find(field::kThresholdPercent); it != params.end()) {
        if (!it->is_number())
            throw badParam("threshold_pct", "expected a number");
        parsed.request.thresholdPercent = it->get<double>();
        if (!(parsed.request.thresholdPercent >= 0) || parsed.request.thresholdPercent > 1000)
            throw badParam("threshold_pct", "must be from 0 to 1000");
    }
    return parsed;
}

} // namespace switchboard
