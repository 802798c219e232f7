#include "ShardsRebalance.h"

#include "ProtocolNames.h"

#include <QCoreApplication>
#include <cmath>

namespace switchboard {

namespace field = protocol::field;

QString RebalanceRequest::goalName(Goal goal) {
    switch (goal) {
    case Goal::Even:
        return QStringLiteral("even");
    case Goal::AddNode:
        return QStringLiteral("add_node");
    case Goal::DrainNode:
        return QStringLiteral("drain_node");
    }
    return {};
}

QString RebalanceRequest::byName(By by) {
    switch (by) {
    case By::Rows:
        return QStringLiteral("rows");
    case By::Bytes:
        return QStringLiteral("bytes");
    case By::Load:
        return QStringLiteral("load");
    }
    return {};
}

QJsonObject RebalanceRequest::params() const {
    QJsonObject params{{qtName(field::kGoal), goalName(goal)},
                       {qtName(field::kBy), byName(by)},
                       {qtName(field::kThresholdPercent), thresholdPercent}};
    if (needsNode())
        params.insert(qtName(field::kNode), node);
    return params;
}

RebalancePlanDetails rebalancePlanDetails(const ActionPlan& plan) {
    RebalancePlanDetails details;
    const QJsonObject& document = plan.document;
    const QJsonValue estimate = document.value(qtName(field::kEstimateSeconds));
    if (estimate.isDouble() && std::isfinite(estimate.toDouble()) && estimate.toDouble() >= 0)
        details.estimateSeconds = estimate.toDouble();
    const QJsonValue before = document.value(qtName(field::kSkewBefore));
    if (before.isObject())
        details.skewBefore = parseShardSkew(before.toObject());
    const QJsonValue after = document.value(qtName(field::kSkewAfter));
    if (after.isObject())
        details.skewAfter = parseShardSkew(after.toObject());
    return details;
}

std::optional<QList<ShardMove>> rebalanceJobMoves(const ActionJob& job) {
    for (const QJsonObject& holder :
         {job.document, job.document.value(qtName(field::kResult)).toObject()}) {
        const QJsonValue moves = holder.value(qtName(field::kMoves));
        if (moves.isArray())
            return parseShardMoves(moves);
    }
    return std::nullopt;
}

QString rebalanceDurationText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    if (seconds < 1.0)
        return QCoreApplication::translate("Shards", "under a second");
    const long whole = std::lround(seconds);
    if (whole < 60)
        return QCoreApplication::translate("Shards", "about %1 s").arg(whole);
    if (whole < 3600)
        return QCoreApplication::translate("Shards", "about %1 min %2 s")
            .arg(whole / 60)
            .arg(whole % 60);
    return QCoreApplication::translate("Shards", "about %1 h %2 min")
        .arg(whole / 3600)
        .arg(whole % 3600 / 60);
}

} // namespace switchboard
