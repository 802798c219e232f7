// The drills of a region without Patroni ("provider": "direct", docs/drills.md): the drill
// itself is the failover's automation.
//
// Switchover: fence the leader (default_transaction_read_only through ALTER SYSTEM, every
// client session ended: region_fence.h), wait until the candidate has replayed the leader's
// final WAL position (so no acknowledged write is lost), pg_promote() it, make it the region's
// leader in the HA monitor and repoint the write router. Failover: the leader is crashed by the
// region's fault command, then the candidate is promoted at once. RTO and RPO are measured as
// for every drill. The old leader stays out: fenced (switchover) or down (failover); it rejoins
// only when rebuilt as a standby of the new leader. Before the promotion a failure or an abort
// unfences the leader, so a drill that stops early leaves the region as it found it.
#pragma once

#include "drill_run.h"

#include <functional>
#include <string>

namespace switchboard {

class DirectDrill {
public:
    explicit DirectDrill(DrillRun& run);

    // After the preflight chose `next` to take over from `leader`. Throws DrillRun::Stop on
    // failure, abort or cancel.
    void live(const std::string& kind, const HaRegion& region, const HaMember& leader,
              const HaMember& next);

private:
    // Fences the leader; returns where its WAL ended.
    std::int64_t fence(const HaMember& leader, const std::string& conninfo);
    // Waits until `next` replayed `lsn`; unfences the leader if it does not.
    void catchUp(const HaMember& next, const std::string& conninfo, std::int64_t lsn,
                 const HaMember& leader, const std::string& leaderConninfo);
    // pg_promote(); returns the candidate's replayed position just before it (the new
    // timeline's fork point). `leaderConninfo` empty: nothing to unfence if it fails.
    std::int64_t promote(const HaMember& next, const std::string& conninfo,
                         const std::string& leaderConninfo);
    // Runs `stage`; a Stop or an exception thrown from it unfences the leader first.
    void unfenceOnFailure(const std::string& leaderConninfo, const std::function<void()>& stage);

    DrillRun& run_;
};

} // namespace switchboard
