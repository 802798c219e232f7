// Reading Patroni's REST answers (GET /cluster, /patroni, /history) into HaMember and
// HaTimelineSwitch, and a region's health from them. Pure: the probe and its unit tests share it.
// Patroni's answers vary by version (3.0.2 says "master" and "running" where later ones say
// "primary" and "streaming"), so every field is read defensively: a missing or odd-typed value
// is left at its default, never an exception.
#include "ha_monitor.h"

namespace switchboard {

using nlohmann::json;

namespace {

std::string stringAt(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> integerAt(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return std::nullopt; // Patroni says "lag": "unknown" when it cannot tell
    return it->is_number_float() ? static_cast<std::int64_t>(it->get<double>())
                                 : it->get<std::int64_t>();
}

// /cluster gives each member's api_url as "http://h:p/patroni"; the REST base is without it.
std::string restBase(std::string apiUrl) {
    constexpr std::string_view suffix = "/patroni";
    if (apiUrl.ends_with(suffix))
        apiUrl.erase(apiUrl.size() - suffix.size());
    while (!apiUrl.empty() && apiUrl.back() == '/')
        apiUrl.pop_back();
    return apiUrl;
}

// A member whose PostgreSQL is up: 3.0.2 reports replicas "running", later versions
// "streaming" (and "in archive recovery" when not).
bool isRunning(const HaMember& member) {
    return member.state == "running" || member.state == "streaming";
}

} // namespace

const HaMember* HaRegion::member(const std::string& memberName) const {
    for (const auto& candidate : members)
        if (candidate.name == memberName)
            return &candidate;
    return nullptr;
}

const HaMember* HaRegion::leaderMember() const {
    for (const auto& candidate : members)
        if (candidate.isLeader() || candidate.role == "standby_leader")
            return &candidate;
    return nullptr;
}

std::vector<HaMember> parseClusterMembers(const json& cluster) {
    std::vector<HaMember> members;
    if (!cluster.is_object() || !cluster.contains("members") || !cluster["members"].is_array())
        return members;
    for (const json& entry : cluster["members"]) {
        if (!entry.is_object())
            continue;
        HaMember member;
        member.name = stringAt(entry, "name");
        if (member.name.empty())
            continue;
        member.role = stringAt(entry, "role");
        member.state = stringAt(entry, "state");
        member.host = stringAt(entry, "host");
        member.port = static_cast<int>(integerAt(entry, "port").value_or(0));
        member.apiUrl = restBase(stringAt(entry, "api_url"));
        member.timeline = integerAt(entry, "timeline").value_or(0);
        member.lagBytes = integerAt(entry, "lag");
        members.push_back(std::move(member));
    }
    return members;
}

// Only ever sets streaming to true, so that the probe can apply two upstreams' lists to one
// region: its own leader's (its replicas) and, for a standby region, the active leader's (the
// standby leader).
void markStreaming(std::vector<HaMember>& members, const json& leaderPatroni) {
    for (auto& member : members)
        if (member.isLeader())
            member.streaming = true;
    if (!leaderPatroni.is_object() || !leaderPatroni.contains("replication") ||
        !leaderPatroni["replication"].is_array())
        return;
    for (const json& connection : leaderPatroni["replication"]) {
        if (!connection.is_object() || stringAt(connection, "state") != "streaming")
            continue;
        const std::string name = stringAt(connection, "application_name");
        for (auto& member : members)
            if (member.name == name)
                member.streaming = true;
    }
}

std::vector<HaTimelineSwitch> parseHistory(const json& history) {
    std::vector<HaTimelineSwitch> switches;
    if (!history.is_array())
        return switches;
    for (const json& row : history) {
        // [timeline, lsn, reason, time, new_leader?]
        if (!row.is_array() || row.size() < 2 || !row[0].is_number() || !row[1].is_number())
            continue;
        HaTimelineSwitch entry;
        entry.timeline = row[0].get<std::int64_t>();
        entry.lsn = row[1].get<std::int64_t>();
        if (row.size() > 2 && row[2].is_string())
            entry.reason = row[2].get<std::string>();
        if (row.size() > 3 && row[3].is_string())
            entry.time = row[3].get<std::string>();
        if (row.size() > 4 && row[4].is_string())
            entry.leader = row[4].get<std::string>();
        switches.push_back(std::move(entry));
    }
    return switches;
}

std::optional<std::int64_t> walPosition(const json& patroni) {
    if (!patroni.is_object() || !patroni.contains("xlog") || !patroni["xlog"].is_object())
        return std::nullopt;
    const json& xlog = patroni["xlog"];
    if (auto location = integerAt(xlog, "location"))
        return location;
    return integerAt(xlog, "replayed_location");
}

void assessHealth(HaRegion& region) {
    const HaMember* leader = region.leaderMember();
    if (!leader) {
        region.leader.clear();
        region.health = "down";
        if (region.error.empty())
            region.error = region.members.empty() ? "no members" : "no leader";
        return;
    }
    region.leader = leader->name;
    region.timeline = leader->timeline;
    std::string problems;
    for (const auto& member : region.members) {
        std::string problem;
        if (!isRunning(member))
            problem = member.name + " is " + (member.state.empty() ? "unknown" : member.state);
        else if (!member.streaming)
            problem = member.name + " is not streaming";
        if (!problem.empty())
            problems += (problems.empty() ? "" : "; ") + problem;
    }
    region.health = problems.empty() ? "ok" : "degraded";
    region.error = problems;
}

} // namespace switchboard
