// A region without Patroni ("provider": "direct", docs/drills.md): its members are
// postgres.primary and postgres.replicas, seen the way the replication probe sees them
// (pg_stat_replication on the leader, each replica's view of itself), asked from whichever
// member leads now. The leader is the configured primary until a direct drill promotes another
// (setLeader); a leader found down, in recovery or fenced (default_transaction_read_only) gives
// way to the one other member out of recovery and writable, when exactly one is (promoted by
// hand, or by a drill before this agent restarted), so the view follows an operator too.
#pragma once

#include "ha_monitor.h"
#include "replication_report.h"

#include <mutex>
#include <string>
#include <vector>

namespace switchboard {

// Pure: the region one replication report shows, checked from `leader` (the report's primary)
// with the other members as its replicas. Leader, timeline and health are left to
// assessHealth(), as for a Patroni region.
HaRegion directRegionFromReport(const HaRegionConfig& config,
                                const std::vector<DirectMember>& members, const std::string& leader,
                                const ReplicationReport& report);

// "16/B374D848" as a byte position; none for anything else.
std::optional<std::int64_t> lsnBytes(const std::string& lsn);

class DirectRegionProbe {
public:
    DirectRegionProbe(HaRegionConfig config, std::vector<DirectMember> members, int timeoutMs);

    // One reading (one connection per member, each with the probe's timeouts); never throws.
    HaRegion probe();
    // After a direct drill promoted `name`: the view is asked from it. False: no such member.
    bool setLeader(const std::string& name);
    std::string leader() const;
    const std::vector<DirectMember>& members() const noexcept { return members_; }

private:
    ReplicationReport checkFrom(const std::string& leader) const;
    std::string conninfoOf(const std::string& name) const;

    HaRegionConfig config_;
    std::vector<DirectMember> members_; // the configured primary first
    int timeoutMs_;
    mutable std::mutex mutex_;
    std::string leader_;
};

} // namespace switchboard
