#include "RegionsStatus.h"

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
    return QCoreApplication::translate("switchboard::RegionsStatus", text);
}

// Sizes, counts and durations: negative is as meaningless as absent.
qint64 count(const QJsonValue& value) {
    const qint64 n = integer(value, -1);
    return n >= 0 ? n : -1;
}

std::optional<bool> verdict(const QJsonValue& value) {
    if (!value.isBool())
        return std::nullopt;
    return value.toBool();
}

RegionMember parseMember(const QJsonObject& object) {
    RegionMember member;
    member.name = text(at(object, field::kName));
    member.role = text(at(object, field::kRole));
    member.state = text(at(object, field::kState));
    member.host = text(at(object, wire::kHost));
    member.port = count(at(object, wire::kPort));
    member.timeline = count(at(object, field::kTimeline));
    member.lagBytes = count(at(object, wire::kLagBytes));
    member.streaming = boolean(at(object, wire::kStreaming), false);
    return member;
}

RegionTimelineEntry parseHistoryEntry(const QJsonObject& object) {
    RegionTimelineEntry entry;
    entry.timeline = count(at(object, field::kTimeline));
    entry.lsn = count(at(object, wire::kLsn));
    entry.reason = text(at(object, field::kReason));
    entry.time = text(at(object, wire::kTime));
    entry.leader = text(at(object, wire::kLeader));
    return entry;
}

RegionStatus parseRegion(const QJsonObject& object) {
    RegionStatus region;
    region.name = text(at(object, field::kName));
    region.role = text(at(object, field::kRole));
    region.cluster = text(at(object, wire::kCluster));
    region.provider = text(at(object, wire::kProvider));
    region.health = regionHealthFromName(text(at(object, wire::kHealth)));
    region.leader = text(at(object, wire::kLeader));
    region.timeline = count(at(object, field::kTimeline));
    region.crossRegionLagBytes = count(at(object, wire::kCrossRegionLagBytes));
    region.error = text(at(object, field::kError));
    for (const QJsonValue& member : at(object, wire::kMembers).toArray()) {
        if (member.isObject())
            region.members.append(parseMember(member.toObject()));
    }
    for (const QJsonValue& entry : at(object, wire::kHistory).toArray()) {
        if (entry.isObject())
            region.history.append(parseHistoryEntry(entry.toObject()));
    }
    return region;
}

} // namespace

bool RegionStatus::isActive() const {
    return role == qtName(wire::kRoleActive);
}

bool DrillResult::succeeded() const {
    return outcome == qtName(wire::kSucceeded);
}

const RegionStatus* RegionsStatus::region(const QString& name) const {
    for (const RegionStatus& region : regions) {
        if (region.name == name)
            return &region;
    }
    return nullptr;
}

const DrillResult* RegionsStatus::lastDrillOf(const QString& region) const {
    for (const DrillResult& drill : drills) {
        if (drill.region == region)
            return &drill;
    }
    return nullptr;
}

DrillResult parseDrillResult(const QJsonObject& object) {
    DrillResult drill;
    drill.id = text(at(object, wire::kId));
    drill.kind = text(at(object, field::kKind));
    drill.mode = text(at(object, field::kMode));
    drill.region = text(at(object, wire::kRegion));
    drill.from = text(at(object, field::kFrom));
    drill.to = text(at(object, field::kTo));
    drill.outcome = text(at(object, field::kOutcome));
    drill.startedMs = integer(at(object, field::kStartedMs), 0);
    drill.finishedMs = integer(at(object, field::kFinishedMs), 0);
    drill.rtoMs = count(at(object, wire::kRtoMs));
    drill.rpoWrites = count(at(object, wire::kRpoWrites));
    drill.rpoBytes = count(at(object, wire::kRpoBytes));
    drill.rpoMs = count(at(object, wire::kRpoMs));
    drill.writeGapMs = count(at(object, wire::kWriteGapMs));
    drill.writesChecked = count(at(object, wire::kWritesChecked));
    const QJsonObject targets = at(object, field::kTargets).toObject();
    drill.rtoTargetMs = count(at(targets, wire::kRtoMs));
    drill.rpoTargetMs = count(at(targets, wire::kRpoMs));
    const QJsonObject met = at(object, wire::kMet).toObject();
    drill.rtoMet = verdict(at(met, wire::kRto));
    drill.rpoMet = verdict(at(met, wire::kRpo));
    for (const QJsonValue& value : at(object, wire::kTimeline).toArray()) {
        if (!value.isObject())
            continue;
        const QJsonObject step = value.toObject();
        drill.timeline.append({std::max<qint64>(0, integer(at(step, wire::kTMs), 0)),
                               text(at(step, wire::kStep)), text(at(step, wire::kDetail))});
    }
    drill.error = text(at(object, field::kError));
    return drill;
}

RegionsStatus parseRegionsStatus(const QJsonObject& object) {
    RegionsStatus status;
    status.checkedMs = integer(at(object, field::kCheckedMs), 0);
    status.targets.tier = text(at(object, wire::kTier));
    status.targets.rtoTargetMs = count(at(object, field::kRtoTargetMs));
    status.targets.rpoTargetMs = count(at(object, field::kRpoTargetMs));
    const QJsonObject writeTarget = at(object, field::kWriteTarget).toObject();
    status.writeTarget.name = text(at(writeTarget, field::kName));
    status.writeTarget.epoch = count(at(writeTarget, wire::kEpoch));
    for (const QJsonValue& region : at(object, field::kRegions).toArray()) {
        if (region.isObject())
            status.regions.append(parseRegion(region.toObject()));
    }
    for (const QJsonValue& drill : at(object, field::kDrills).toArray()) {
        if (drill.isObject())
            status.drills.append(parseDrillResult(drill.toObject()));
    }
    return status;
}

RegionHealth regionHealthFromName(const QString& name) {
    if (name == qtName(wire::kHealthOk))
        return RegionHealth::Ok;
    if (name == qtName(wire::kHealthDegraded))
        return RegionHealth::Degraded;
    if (name == qtName(wire::kHealthDown))
        return RegionHealth::Down;
    return RegionHealth::Unknown;
}

QString regionHealthText(RegionHealth health) {
    switch (health) {
    case RegionHealth::Ok:
        return tr("healthy");
    case RegionHealth::Degraded:
        return tr("degraded");
    case RegionHealth::Down:
        return tr("down");
    case RegionHealth::Unknown:
        break;
    }
    return tr("not probed yet");
}

Health regionHealthColour(RegionHealth health) {
    switch (health) {
    case RegionHealth::Ok:
        return Health::Up;
    case RegionHealth::Down:
        return Health::Down;
    case RegionHealth::Degraded:
    case RegionHealth::Unknown:
        break;
    }
    return Health::Unknown;
}

QString drillDurationText(qint64 ms) {
    if (ms < 0)
        return QStringLiteral("–");
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    // Two decimals where a drill's RTO lives (a second or two), one above ten seconds.
    if (ms < 60000)
        return tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10000 ? 2 : 1);
    return tr("%1 min %2 s").arg(ms / 60000).arg((ms % 60000) / 1000);
}

QString drillOutcomeText(const QString& outcome) {
    if (outcome == qtName(wire::kSucceeded))
        return tr("succeeded");
    if (outcome == qtName(wire::kFailed))
        return tr("failed");
    if (outcome == qtName(wire::kAborted))
        return tr("aborted");
    if (outcome == qtName(wire::kCancelled))
        return tr("cancelled");
    return outcome.isEmpty() ? tr("unknown") : outcome;
}

} // namespace switchboard
