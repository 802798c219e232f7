#include "ScaleMatrix.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <limits>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("ScaleMatrix", text);
}

// "1 shard node", "3 shard nodes".
QString count(int n, const char* one, const char* many) {
    return n == 1 ? tr(one) : tr(many).arg(n);
}

QString rate(double perSecond) {
    return QLocale().toString(perSecond, 'f', perSecond < 10 ? 1 : 0);
}

} // namespace

QString scaleStageName(ScaleStage stage) {
    switch (stage) {
    case ScaleStage::Monolith:
        return tr("monolith");
    case ScaleStage::ReadReplicas:
        return tr("read replicas");
    case ScaleStage::Sharding:
        return tr("sharding");
    case ScaleStage::MultiRegion:
        return tr("multi-region");
    }
    return {};
}

ScaleStage ScaleMatrix::stageFor(double requestsPerSecond, double users) const {
    for (const ScaleStageLimit& limit : stages)
        if (requestsPerSecond <= limit.maxRequestsPerSecond &&
            (users <= 0 || users <= limit.maxUsers))
            return limit.stage;
    return stages.isEmpty() ? ScaleStage::MultiRegion : stages.last().stage;
}

const ScaleStageLimit& ScaleMatrix::limitOf(ScaleStage stage) const {
    static const ScaleStageLimit none;
    for (const ScaleStageLimit& limit : stages)
        if (limit.stage == stage)
            return limit;
    return none;
}

ScaleStage DeployedArchitecture::stage() const {
    if (regions >= 2)
        return ScaleStage::MultiRegion;
    if (shardNodes >= 2)
        return ScaleStage::Sharding;
    if (readReplicas >= 1)
        return ScaleStage::ReadReplicas;
    return ScaleStage::Monolith;
}

QString DeployedArchitecture::text() const {
    QStringList parts;
    if (shardNodes > 0)
        parts.append(count(shardNodes, "1 shard node", "%1 shard nodes"));
    parts.append(count(readReplicas, "1 read replica", "%1 read replicas"));
    if (regions > 0)
        parts.append(count(regions, "1 region", "%1 regions"));
    return parts.join(QStringLiteral(", "));
}

ScalePlacement placeOnScale(const ScaleMatrix& matrix, const DeployedArchitecture& deployed,
                            double peakRequestsPerSecond, const CapacityPlan& plan) {
    ScalePlacement placement;
    placement.peakRequestsPerSecond = peakRequestsPerSecond;
    const double factor = plan.growth * plan.safetyMargin;
    placement.neededRequestsPerSecond = peakRequestsPerSecond * factor;
    placement.neededUsers = plan.users * factor;
    placement.deployed = deployed.stage();
    placement.loadNow = matrix.stageFor(peakRequestsPerSecond, plan.users);
    placement.loadPlanned =
        matrix.stageFor(placement.neededRequestsPerSecond, placement.neededUsers);
    placement.deployedCapacity = matrix.limitOf(placement.deployed).maxRequestsPerSecond;
    placement.headroom = placement.neededRequestsPerSecond > 0
                             ? placement.deployedCapacity / placement.neededRequestsPerSecond
                             : std::numeric_limits<double>::infinity();
    placement.why =
        tr("peak %1 requests/s × growth %2 × margin %3 = %4 requests/s needed; the built stage "
           "(%5) is good to about %6 requests/s on the scale matrix: headroom %7×")
            .arg(rate(peakRequestsPerSecond), QLocale().toString(plan.growth, 'g', 3),
                 QLocale().toString(plan.safetyMargin, 'g', 3),
                 rate(placement.neededRequestsPerSecond), scaleStageName(placement.deployed),
                 rate(placement.deployedCapacity),
                 std::isinf(placement.headroom) ? QStringLiteral("∞")
                                                : QLocale().toString(placement.headroom, 'f', 1));
    return placement;
}

} // namespace switchboard
