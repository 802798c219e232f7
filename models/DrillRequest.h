#pragma once

#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "RegionsStatus.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace switchboard {

// The drill.run action's parameters (docs/drills.md, "Action drill.run"). The region is the
// plan's target.
struct DrillRequest {
    QString region;
    QString kind;          // protocol::drill_kind
    QString mode;          // protocol::drill_mode
    QString candidate;     // a member's name; empty: the agent picks the best passing one
    QString confirmRegion; // what the operator typed; a live drill needs the region's name

    bool isLive() const;
    // region_failover or region_failback: the region is the one that takes over, and the
    // candidate is its leader (none is chosen).
    bool isRegionDrill() const;
    // A live drill is confirmed once the region's name is typed exactly.
    bool isConfirmed() const;
    // Why the agent would refuse it, in words; empty when it would not.
    QString problem() const;
    // The plan's params, as POST /v1/plans takes them: confirm_region only for a live drill
    // (the agent checks it at plan time), candidate only when one is chosen.
    QJsonObject params() const;
};

// One member the agent considered for the new leader, with its preflight verdict.
struct DrillCandidate {
    QString name;
    qint64 lagBytes = -1;
    qint64 timeline = -1;
    bool streaming = false;
    QString verdict; // pass, warn, fail

    friend bool operator==(const DrillCandidate&, const DrillCandidate&) = default;
};

// What a drill plan carries beside the common plan (its "details"): the candidates, the one
// chosen, the leader, the targets and the steps the drill will take. Read tolerantly, from the
// plan's "details" object or, failing that, from the plan itself.
struct DrillPlanDetails {
    QList<DrillCandidate> candidates;
    QString candidate; // the chosen one; empty when none passes
    QString leader;
    qint64 rtoTargetMs = -1;
    qint64 rpoTargetMs = -1;
    QStringList steps;
};

DrillPlanDetails drillPlanDetails(const ActionPlan& plan);

// A finished drill job's result; nullopt while the job carries none.
std::optional<DrillResult> drillJobResult(const ActionJob& job);

// A refusal of drill.run for a person: what the agent refused and what to do (one drill at a
// time, the region's name, a preflight check that fails now, an unknown region), always with
// the agent's own words; any other refusal as ActionError::text() words it.
QString drillRefusalText(const ActionError& error);

} // namespace switchboard
