#include "direct_region.h"

#include "drill_sql.h"
#include "replication_probe.h"

#include <charconv>

namespace switchboard {

namespace {

using Status = protocol::ProbeStatus;

void setAddress(HaMember& member, const std::string& target) {
    const auto colon = target.rfind(':');
    member.host = target.substr(0, colon);
    if (colon != std::string::npos)
        std::from_chars(target.data() + colon + 1, target.data() + target.size(), member.port);
}

HaMember leaderMember(const std::string& name, const PrimaryReport& primary) {
    HaMember member;
    member.name = name;
    setAddress(member, primary.target);
    member.timeline = primary.timeline;
    if (primary.status != Status::Up) {
        // Not a leader while it does not answer: the region then has none (health down).
        member.role = "unknown";
        member.state = "down";
    } else if (primary.inRecovery) {
        member.role = "replica";
        member.state = "in recovery";
    } else {
        member.role = "leader";
        member.state = "running";
        member.streaming = true; // as markStreaming() has it for a Patroni leader
    }
    return member;
}

HaMember replicaMember(const ReplicaReport& replica) {
    HaMember member;
    member.name = replica.name;
    setAddress(member, replica.target);
    member.timeline = replica.timeline;
    const bool selfUp = replica.self.status == Status::Up;
    if (selfUp && !replica.self.inRecovery) {
        // Out of recovery but not the leader: a primary fenced by a drill, or a split brain.
        member.role = "detached";
        member.state = "out of recovery";
        return member;
    }
    member.role = "replica";
    member.state = replica.state.empty() ? "unknown" : replica.state;
    member.streaming = replica.state == "streaming";
    // Lag only where the leader has a walsender for it: elsewhere it is not known.
    if (replica.state == "streaming" || replica.state == "catchup" || replica.state == "startup" ||
        replica.state == "backup")
        member.lagBytes = replica.replayLagBytes;
    return member;
}

} // namespace

std::optional<std::int64_t> lsnBytes(const std::string& lsn) {
    const auto slash = lsn.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 >= lsn.size())
        return std::nullopt;
    std::uint64_t high = 0, low = 0;
    const char* end = lsn.data() + lsn.size();
    auto first = std::from_chars(lsn.data(), lsn.data() + slash, high, 16);
    auto second = std::from_chars(lsn.data() + slash + 1, end, low, 16);
    if (first.ec != std::errc() || first.ptr != lsn.data() + slash || second.ec != std::errc() ||
        second.ptr != end || high > 0xffffffffu || low > 0xffffffffu)
        return std::nullopt;
    return static_cast<std::int64_t>((high << 32) | low);
}

HaRegion directRegionFromReport(const HaRegionConfig& config,
                                const std::vector<DirectMember>& members, const std::string& leader,
                                const ReplicationReport& report) {
    HaRegion region;
    region.name = config.name;
    region.provider = config.provider;
    region.role = config.role;
    region.cluster = config.cluster.empty() ? config.name : config.cluster;
    region.checkedMs = report.checkedMs;
    // In the configuration's order whichever leads, so the members table does not reshuffle.
    for (const auto& configured : members) {
        if (configured.name == leader) {
            region.members.push_back(leaderMember(leader, report.primary));
            region.members.back().conninfo = configured.conninfo;
            if (report.primary.status == Status::Up && !report.primary.inRecovery)
                region.leaderWalLsn = lsnBytes(report.primary.currentLsn);
            else if (report.primary.status != Status::Up)
                region.error = leader + " does not answer: " + report.primary.error;
            continue;
        }
        for (const auto& replica : report.replicas)
            if (replica.name == configured.name) {
                region.members.push_back(replicaMember(replica));
                region.members.back().conninfo = configured.conninfo;
            }
    }
    return region;
}

DirectRegionProbe::DirectRegionProbe(HaRegionConfig config, std::vector<DirectMember> members,
                                     int timeoutMs)
    : config_(std::move(config))
    , members_(std::move(members))
    , timeoutMs_(timeoutMs) {
    if (!members_.empty())
        leader_ = members_.front().name;
}

ReplicationReport DirectRegionProbe::checkFrom(const std::string& leader) const {
    std::string leaderConninfo;
    std::vector<ReplicaEndpoint> others;
    for (const auto& member : members_) {
        if (member.name == leader)
            leaderConninfo = member.conninfo;
        else
            others.push_back({member.name, member.conninfo});
    }
    ReplicationReport report = ReplicationProbe(leaderConninfo, others, timeoutMs_).check();
    report.primary.name = leader;
    return report;
}

std::string DirectRegionProbe::conninfoOf(const std::string& name) const {
    for (const auto& member : members_)
        if (member.name == name)
            return member.conninfo;
    return {};
}

HaRegion DirectRegionProbe::probe() {
    const std::string current = leader();
    ReplicationReport report = checkFrom(current);
    const bool leading = report.primary.status == Status::Up && !report.primary.inRecovery;
    std::vector<std::string> primaries; // the other members out of recovery
    for (const auto& replica : report.replicas)
        if (replica.self.status == Status::Up && !replica.self.inRecovery)
            primaries.push_back(replica.name);
    std::string error;
    // The leader gives way to the one other member out of recovery when it is down or in
    // recovery (a replica promoted by hand), or fenced while that one is not (an agent restarted
    // after a direct switchover starts from primary_name, which the drill left fenced).
    const bool givesWay =
        primaries.size() == 1 &&
        (!leading || (fenced(conninfoOf(current), timeoutMs_, error).value_or(false) &&
                      !fenced(conninfoOf(primaries.front()), timeoutMs_, error).value_or(true)));
    if (givesWay) {
        setLeader(primaries.front());
        return directRegionFromReport(config_, members_, primaries.front(),
                                      checkFrom(primaries.front()));
    }
    return directRegionFromReport(config_, members_, current, report);
}

bool DirectRegionProbe::setLeader(const std::string& name) {
    for (const auto& member : members_)
        if (member.name == name) {
            std::lock_guard lock(mutex_);
            leader_ = name;
            return true;
        }
    return false;
}

std::string DirectRegionProbe::leader() const {
    std::lock_guard lock(mutex_);
    return leader_;
}

} // namespace switchboard
