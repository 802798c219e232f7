#pragma once

#include "ActionJob.h"
#include "ActionPlan.h"
#include "ShardsStatus.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace switchboard {

// The shards.rebalance action's parameters (docs/protocol.md, "Action shards.rebalance").
struct RebalanceRequest {
    enum class Goal { Even, AddNode, DrainNode };
    enum class By { Rows, Bytes, Load };

    Goal goal = Goal::Even;
    By by = By::Rows;
    QString node; // for AddNode and DrainNode
    double thresholdPercent = 10.0;

    static QString goalName(Goal goal); // "even", "add_node", "drain_node"
    static QString byName(By by);       // "rows", "bytes", "load"
    bool needsNode() const { return goal != Goal::Even; }
    // The plan's params, as POST /v1/plans takes them.
    QJsonObject params() const;
};

// What a rebalance plan carries beside the common plan: the estimate and the skew before and
// after. Read tolerantly: absent or odd fields leave them unset.
struct RebalancePlanDetails {
    double estimateSeconds = -1.0; // -1: no estimate
    std::optional<ShardSkew> skewBefore;
    std::optional<ShardSkew> skewAfter;
};

RebalancePlanDetails rebalancePlanDetails(const ActionPlan& plan);
// The moves a rebalance job's document carries ("moves", or "result.moves" once it finished);
// nullopt when it carries none.
std::optional<QList<ShardMove>> rebalanceJobMoves(const ActionJob& job);
// "about 2 min 5 s", "about 40 s", "under a second"
QString rebalanceDurationText(double seconds);

} // namespace switchboard
