// The shard rebalance action ("shards.rebalance", docs/protocol.md): plan the fewest bucket moves
// toward a goal (even out, add a node, drain a node) by rows, bytes or load, show them with
// their sizes, the skew before and after and an estimate; then run the confirmed moves one by
// one with BucketMover, with progress per move and overall, cancel between and within moves.
// Cluster-wide: one rebalance at a time, whichever instance runs it.
#pragma once

#include "action.h"
#include "shard_service.h"

namespace switchboard {

class RebalanceAction : public Action {
public:
    // Before any move is measured, the copy rate the estimate assumes.
    static constexpr double kAssumedBytesPerSecond = 8.0 * 1024 * 1024;

    RebalanceAction(ShardService& shards, int timeoutMs);

    std::string_view kind() const override;
    Scope scope() const override { return Scope::Cluster; }
    ActionPlanBody plan(const ActionRequest& request) override;
    nlohmann::json execute(const ActionRequest& request, JobControl& control,
                           std::string& message) override;

private:
    ShardService& shards_;
    int timeoutMs_;
    std::atomic<double> measuredBytesPerSecond_{0};
};

} // namespace switchboard
