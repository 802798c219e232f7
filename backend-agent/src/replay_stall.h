// How long a standby has replayed nothing while behind: what pg_stat_replication's replay_lag
// misses when replay stops dead. The primary's lag tracker only reports a growing lag for a stuck
// standby when it still holds an older sample; one caught up at the moment replay stopped keeps
// showing its last, tiny lag (seen on the full stack's Patroni replica with replay paused).
//
// observe() is given each sender's replay position and how far behind it is, every probe cycle.
// A standby caught up, or whose replay position moved, is not stalled; one behind at the same
// position is stalled since the last cycle it was caught up or moved (at most a cycle early).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace switchboard {

class ReplayStall {
public:
    // Seconds `standby` has been stalled (0 when it is not).
    double observe(const std::string& standby, std::int64_t replayLsn, std::int64_t behindBytes,
                   std::int64_t nowMs);

private:
    struct Progress {
        std::int64_t replayLsn = -1;
        std::int64_t sinceMs = 0;
    };
    std::map<std::string, Progress> progress_; // a handful of standbys
};

} // namespace switchboard
