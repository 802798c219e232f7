#include "DrillRequest.h"

#include "RegionsWireNames.h"
#include "TolerantJson.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace switchboard {

namespace wire = regions_wire;
namespace field = protocol::field;
using namespace tolerant;

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::DrillRequest", text);
}

QString withAgentMessage(const QString& sentence, const QString& message) {
    return message.isEmpty() ? sentence : tr("%1 (agent: %2)").arg(sentence, message);
}

} // namespace

bool DrillRequest::isLive() const {
    return mode == qtName(protocol::drill_mode::kLive);
}

bool DrillRequest::isConfirmed() const {
    return !isLive() || (!region.isEmpty() && confirmRegion == region);
}

QString DrillRequest::problem() const {
    if (region.isEmpty())
        return tr("Choose a region.");
    if (kind != qtName(protocol::drill_kind::kSwitchover) &&
        kind != qtName(protocol::drill_kind::kFailover) && !isRegionDrill())
        return tr("Choose switchover, failover, region failover or region failback.");
    if (mode != qtName(protocol::drill_mode::kPlan) &&
        mode != qtName(protocol::drill_mode::kSimulated) && !isLive())
        return tr("Choose plan, simulated or live.");
    if (!isConfirmed())
        return tr("A live drill changes the region's leader: type %1 to confirm.").arg(region);
    return {};
}

bool DrillRequest::isRegionDrill() const {
    return kind == qtName(protocol::drill_kind::kRegionFailover) ||
           kind == qtName(protocol::drill_kind::kRegionFailback);
}

QJsonObject DrillRequest::params() const {
    QJsonObject params{{qtName(field::kKind), kind}, {qtName(field::kMode), mode}};
    if (!candidate.isEmpty() && !isRegionDrill()) // a region drill promotes the target's leader
        params.insert(qtName(field::kCandidate), candidate);
    if (isLive())
        params.insert(qtName(field::kConfirmRegion), confirmRegion);
    return params;
}

DrillPlanDetails drillPlanDetails(const ActionPlan& plan) {
    DrillPlanDetails details;
    const QList<QJsonObject> objects = nestedThenDocument(plan.document, wire::kDetails);
    for (const QJsonObject& object : objects) {
        const QJsonValue candidates = at(object, wire::kCandidates);
        if (!candidates.isArray())
            continue;
        for (const QJsonValue& value : candidates.toArray()) {
            if (!value.isObject())
                continue;
            const QJsonObject candidate = value.toObject();
            details.candidates.append({text(at(candidate, field::kName)),
                                       integer(at(candidate, wire::kLagBytes), -1),
                                       integer(at(candidate, field::kTimeline), -1),
                                       boolean(at(candidate, wire::kStreaming), false),
                                       text(at(candidate, field::kVerdict))});
        }
        break;
    }
    for (const QJsonObject& object : objects) {
        if (details.candidate.isEmpty())
            details.candidate = text(at(object, field::kCandidate));
        if (details.leader.isEmpty())
            details.leader = text(at(object, wire::kLeader));
        const QJsonValue targets = at(object, field::kTargets);
        if (targets.isObject() && details.rtoTargetMs < 0) {
            details.rtoTargetMs = integer(at(targets.toObject(), wire::kRtoMs), -1);
            details.rpoTargetMs = integer(at(targets.toObject(), wire::kRpoMs), -1);
        }
        const QJsonValue steps = at(object, wire::kSteps);
        if (steps.isArray() && details.steps.isEmpty()) {
            for (const QJsonValue& step : steps.toArray()) {
                if (step.isString())
                    details.steps.append(step.toString());
            }
        }
    }
    return details;
}

std::optional<DrillResult> drillJobResult(const ActionJob& job) {
    const QJsonValue value = at(job.document, field::kResult);
    if (!value.isObject() || value.toObject().isEmpty())
        return std::nullopt;
    return parseDrillResult(value.toObject());
}

QString drillRefusalText(const ActionError& error) {
    if (error.reason == qtName(wire::kDrillRunning))
        return withAgentMessage(tr("Another drill is running: one drill at a time. Wait for it "
                                   "to end (its result appears in the drill history), then "
                                   "preflight again."),
                                error.message);
    if (error.reason == qtName(wire::kRegionNotConfirmed))
        return withAgentMessage(tr("The region's name was not confirmed: a live drill needs it "
                                   "typed exactly. Type it, then preflight again."),
                                error.message);
    if (error.reason == qtName(wire::kPreflightFailed))
        return withAgentMessage(tr("A preflight check fails now, so the drill did not start and "
                                   "nothing changed. The checks below are as they stand now."),
                                error.message);
    if (error.reason == qtName(wire::kUnknownRegion))
        return withAgentMessage(tr("The agent knows no such region: its ha configuration may "
                                   "have changed."),
                                error.message);
    if (error.reason == qtName(wire::kBadParams))
        return withAgentMessage(tr("The agent refused a parameter of the drill"), error.message);
    return error.text();
}

} // namespace switchboard
