#pragma once

#include "Health.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace switchboard {

// A region's health as the HA probe words it (docs/drills.md): a leader and every member
// running and streaming; a leader but a member down or not streaming; no leader or no answer;
// not probed yet.
enum class RegionHealth { Unknown, Ok, Degraded, Down };

// One PostgreSQL member of a region as Patroni reports it. -1: not reported (a null lag too).
struct RegionMember {
    QString name;
    QString role;  // "leader", "replica", "standby_leader", …
    QString state; // "running", "streaming", "stopped", …
    QString host;
    qint64 port = -1;
    qint64 timeline = -1;
    qint64 lagBytes = -1;
    bool streaming = false; // listed streaming by the leader (the leader itself: true)

    friend bool operator==(const RegionMember&, const RegionMember&) = default;
};

// One entry of a region's timeline history (Patroni's /history): when a timeline began.
struct RegionTimelineEntry {
    qint64 timeline = -1;
    qint64 lsn = -1;
    QString reason;
    QString time; // as Patroni wrote it (ISO 8601 with offset)
    QString leader;

    friend bool operator==(const RegionTimelineEntry&, const RegionTimelineEntry&) = default;
};

// One region: a Patroni cluster (or, provider "direct", PostgreSQL servers without Patroni),
// active (takes the writes) or standby.
struct RegionStatus {
    QString name;
    QString role; // "active" or "standby"
    QString cluster;
    QString provider; // "patroni" or "direct"; empty from an agent that does not say

    bool isDirect() const { return provider == QLatin1String("direct"); }
    RegionHealth health = RegionHealth::Unknown;
    QString leader;
    qint64 timeline = -1;
    // Standby regions: the active leader's WAL position minus this leader's replayed one;
    // -1 when unknown (and always for the active region).
    qint64 crossRegionLagBytes = -1;
    QString error; // why it is down
    QList<RegionMember> members;
    QList<RegionTimelineEntry> history;

    bool isActive() const;
    friend bool operator==(const RegionStatus&, const RegionStatus&) = default;
};

// One step of a drill's timeline, `tMs` after it started.
struct DrillTimelineStep {
    qint64 tMs = 0;
    QString step;
    QString detail;

    friend bool operator==(const DrillTimelineStep&, const DrillTimelineStep&) = default;
};

// A drill's result: the job's "result" and each entry of the regions document's "drills".
// Figures the agent did not give are -1; a verdict it did not give is nullopt.
struct DrillResult {
    QString id;
    QString kind; // protocol::drill_kind
    QString mode; // protocol::drill_mode
    QString region;
    QString from;    // the leader before
    QString to;      // the leader after (the candidate)
    QString outcome; // succeeded, failed, aborted, cancelled
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    qint64 rtoMs = -1;
    qint64 rpoWrites = -1;
    qint64 rpoBytes = -1;
    qint64 rpoMs = -1;
    qint64 writeGapMs = -1;
    qint64 writesChecked = -1;
    qint64 rtoTargetMs = -1;
    qint64 rpoTargetMs = -1;
    std::optional<bool> rtoMet;
    std::optional<bool> rpoMet;
    QList<DrillTimelineStep> timeline;
    QString error;

    bool succeeded() const;
    friend bool operator==(const DrillResult&, const DrillResult&) = default;
};

// What drills are judged against: the tier's targets or the configuration's tighter ones.
struct RegionsTargets {
    QString tier;
    qint64 rtoTargetMs = -1;
    qint64 rpoTargetMs = -1;

    friend bool operator==(const RegionsTargets&, const RegionsTargets&) = default;
};

// Where the backend's write router sends writes; `epoch` changes whenever the target does.
struct RegionsWriteTarget {
    QString name;
    qint64 epoch = -1;

    friend bool operator==(const RegionsWriteTarget&, const RegionsWriteTarget&) = default;
};

// An agent's "regions" document (snapshot "regions", event kind "regions").
struct RegionsStatus {
    qint64 checkedMs = 0;
    RegionsTargets targets;
    RegionsWriteTarget writeTarget;
    QList<RegionStatus> regions;
    QList<DrillResult> drills; // newest first, as the agent sends them

    // nullptr when there is no region of that name.
    const RegionStatus* region(const QString& name) const;
    // The newest drill of a region; nullptr when it has none.
    const DrillResult* lastDrillOf(const QString& region) const;

    friend bool operator==(const RegionsStatus&, const RegionsStatus&) = default;
};

// Tolerant, as parseCacheStatus: a missing field keeps its default and a field of the wrong
// type counts as missing, so one odd value never costs the whole document.
RegionsStatus parseRegionsStatus(const QJsonObject& object);
DrillResult parseDrillResult(const QJsonObject& object);

RegionHealth regionHealthFromName(const QString& name);
// "healthy", "degraded", "down", "not probed yet".
QString regionHealthText(RegionHealth health);
// Green, amber, red; amber for not probed yet.
Health regionHealthColour(RegionHealth health);
// "980 ms" below a second, "1.21 s" below a minute, "2 min 5 s" above; "–" when unknown.
QString drillDurationText(qint64 ms);
// "succeeded", "failed", … as words (unknown outcomes as sent).
QString drillOutcomeText(const QString& outcome);

} // namespace switchboard
