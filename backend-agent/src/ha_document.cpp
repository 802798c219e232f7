// The "regions" document of docs/drills.md, built from the HA probe's last reading. Every
// configured region is listed, in the configuration's order, probed or not (health "unknown"
// until the first reading), so the console can lay out its view before Patroni answers.
#include "ha_monitor.h"
#include "switchboard/protocol.h"

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

namespace {

json optionalNumber(const std::optional<std::int64_t>& value) {
    return value ? json(*value) : json(nullptr);
}

json memberDocument(const HaMember& member) {
    return {{field::kName, member.name},
            {field::kRole, member.role},
            {field::kState, member.state},
            {field::kHost, member.host},
            {field::kPort, member.port},
            {field::kTimeline, member.timeline},
            {field::kLagBytes, optionalNumber(member.lagBytes)},
            {field::kStreaming, member.streaming}};
}

json historyDocument(const HaTimelineSwitch& entry) {
    return {{field::kTimeline, entry.timeline},
            {field::kLsn, entry.lsn},
            {field::kReason, entry.reason},
            {field::kTime, entry.time},
            {field::kLeader, entry.leader}};
}

json regionDocument(const HaRegion& region) {
    json members = json::array();
    for (const auto& member : region.members)
        members.push_back(memberDocument(member));
    json history = json::array();
    for (const auto& entry : region.history)
        history.push_back(historyDocument(entry));
    return {{field::kName, region.name},
            {field::kRole, region.role},
            {field::kCluster, region.cluster},
            {field::kProvider, region.provider},
            {field::kHealth, region.health},
            {field::kLeader, region.leader},
            {field::kTimeline, region.timeline},
            {field::kCrossRegionLagBytes, optionalNumber(region.crossRegionLagBytes)},
            {field::kError, region.error},
            {field::kMembers, std::move(members)},
            {field::kHistory, std::move(history)}};
}

} // namespace

json regionsDocument(const HaConfig& config, const std::vector<HaRegion>& regions,
                     const json& writeTarget, const json& drills, std::int64_t nowMs) {
    json list = json::array();
    auto find = [&regions](const std::string& name) -> const HaRegion* {
        for (const auto& region : regions)
            if (region.name == name)
                return &region;
        return nullptr;
    };
    for (const auto& configured : config.regions) {
        if (const HaRegion* region = find(configured.name)) {
            list.push_back(regionDocument(*region));
        } else {
            HaRegion unprobed;
            unprobed.name = configured.name;
            unprobed.role = configured.role;
            unprobed.provider = configured.provider;
            unprobed.cluster = configured.cluster.empty() ? configured.name : configured.cluster;
            list.push_back(regionDocument(unprobed));
        }
    }
    // A reading of a region the configuration does not name (a test's hand-made one) still shows.
    for (const auto& region : regions) {
        bool configured = false;
        for (const auto& entry : config.regions)
            configured = configured || entry.name == region.name;
        if (!configured)
            list.push_back(regionDocument(region));
    }
    return {{field::kCheckedMs, nowMs},
            {field::kTier, config.tier},
            {field::kRtoTargetMs, config.rtoTarget()},
            {field::kRpoTargetMs, config.rpoTarget()},
            {field::kWriteTarget, writeTarget.is_object() ? writeTarget : json(nullptr)},
            {field::kRegions, std::move(list)},
            {field::kDrills, drills.is_array() ? drills : json::array()}};
}

} // namespace switchboard
