#include "drill_preflight.h"

#include "drill_sql.h"
#include "switchboard/protocol.h"

#include <algorithm>
#include <limits>

namespace switchboard {

namespace verdict = protocol::verdict;
using nlohmann::json;

bool DrillPreflight::passed() const {
    return !chosen.empty() && std::none_of(checks.begin(), checks.end(), [](const auto& check) {
        return check.verdict == verdict::kFail;
    });
}

namespace {

std::string bytes(std::int64_t value) {
    return std::to_string(value) + " B";
}

// The four checks of one candidate; true when all pass.
bool checkCandidate(const DrillPreflightInput& input, const HaMember& member,
                    const HaMember* leader, std::vector<PreflightCheck>& checks) {
    const std::string who = member.name + ": ";
    bool ok = true;
    auto add = [&](const std::string& name, bool pass, const std::string& detail) {
        checks.push_back({who + name, pass ? verdict::kPass : verdict::kFail, detail});
        ok = ok && pass;
    };
    const std::string unreachable = input.reachable ? input.reachable(member) : std::string();
    add("reachable", unreachable.empty(),
        unreachable.empty()
            ? "PostgreSQL at " + member.host + ":" + std::to_string(member.port) + " answers"
            : unreachable);
    add("streaming", member.streaming,
        member.streaming
            ? "the leader lists it as streaming"
            : (input.region->provider == "direct" ? "its state is " : "Patroni says ") +
                  (member.state.empty() ? "nothing" : member.state) +
                  ", but the leader does not list it as streaming: a switchover now "
                  "could lose committed writes");
    if (member.lagBytes)
        add("lag", *member.lagBytes <= input.maxLagBytes,
            bytes(*member.lagBytes) + " behind the leader (limit " + bytes(input.maxLagBytes) +
                ")");
    else
        add("lag", false, "no lag is known for it (the leader has no walsender for it)");
    const std::int64_t leaderTimeline = leader ? leader->timeline : 0;
    add("timeline", leader && member.timeline == leaderTimeline,
        "timeline " + std::to_string(member.timeline) + ", the leader's " +
            std::to_string(leaderTimeline));
    return ok;
}

} // namespace

DrillPreflight drillPreflight(const DrillPreflightInput& input) {
    DrillPreflight result;
    const HaRegion& region = *input.region;
    const HaMember* leader = region.leaderMember();
    result.leader = leader ? leader->name : "";
    std::int64_t bestLag = std::numeric_limits<std::int64_t>::max();
    bool requestedFound = input.candidate.empty();
    for (const auto& member : region.members) {
        if (leader && member.name == leader->name)
            continue;
        if (!input.candidate.empty() && member.name != input.candidate)
            continue;
        requestedFound = true;
        const bool ok = checkCandidate(input, member, leader, result.checks);
        result.candidates.push_back(
            {{"name", member.name},
             {"role", member.role},
             {"state", member.state},
             {"lag_bytes", member.lagBytes ? json(*member.lagBytes) : json(nullptr)},
             {"timeline", member.timeline},
             {"streaming", member.streaming},
             {"verdict", ok ? verdict::kPass : verdict::kFail}});
        const std::int64_t lag = member.lagBytes.value_or(0);
        if (ok && lag < bestLag) {
            bestLag = lag;
            result.chosen = member.name;
        }
    }
    if (!requestedFound)
        result.checks.push_back(
            {"candidate", verdict::kFail, input.candidate + " is not a member of " + region.name});
    else if (result.candidates.empty())
        result.checks.push_back({"candidate", verdict::kFail,
                                 region.name + " has no member besides its leader to take over"});
    result.checks.push_back(
        {"leader", leader ? verdict::kPass : verdict::kFail,
         leader ? leader->name + " leads " + region.name + " on timeline " +
                      std::to_string(leader->timeline)
                : region.name + " has no leader now" +
                      (region.error.empty() ? std::string() : ": " + region.error)});
    if (input.kind == protocol::drill_kind::kFailover)
        result.checks.push_back({"fault_command",
                                 input.faultCommandConfigured ? verdict::kPass : verdict::kFail,
                                 input.faultCommandConfigured
                                     ? "the region's fault command crashes the leader"
                                     : "ha.regions[" + region.name +
                                           "].fault_command is not configured: an "
                                           "unplanned failover needs a way to crash the leader"});
    result.checks.push_back(
        {"no other drill", input.otherDrillRunning ? verdict::kFail : verdict::kPass,
         input.otherDrillRunning ? "another drill is running" : "no drill is running"});
    return result;
}

const HaRegionConfig* regionConfigOf(const HaConfig& config, const std::string& name) {
    for (const auto& configured : config.regions)
        if (configured.name == name)
            return &configured;
    return nullptr;
}

DrillPreflight memberPreflight(const HaMonitor& monitor, const HaRegion& region,
                               const std::string& kind, const std::string& candidate,
                               bool otherDrillRunning, int timeoutMs) {
    const HaRegionConfig* regionConfig = regionConfigOf(monitor.config(), region.name);
    DrillPreflightInput input;
    input.region = &region;
    input.kind = kind;
    input.candidate = candidate;
    input.maxLagBytes = monitor.config().maxLagBytes;
    input.faultCommandConfigured = regionConfig && !regionConfig->faultCommand.empty();
    input.otherDrillRunning = otherDrillRunning;
    input.reachable = [&monitor, timeoutMs](const HaMember& member) {
        std::string error;
        return acceptsWrites(monitor.conninfoOf(member), timeoutMs, error) ? std::string() : error;
    };
    return drillPreflight(input);
}

} // namespace switchboard
