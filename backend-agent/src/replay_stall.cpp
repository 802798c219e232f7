#include "replay_stall.h"

#include <algorithm>

namespace switchboard {

double ReplayStall::observe(const std::string& standby, std::int64_t replayLsn,
                            std::int64_t behindBytes, std::int64_t nowMs) {
    Progress& progress = progress_[standby];
    if (behindBytes <= 0 || replayLsn != progress.replayLsn) {
        progress = {replayLsn, nowMs};
        return 0.0;
    }
    return std::max<std::int64_t>(0, nowMs - progress.sinceMs) / 1000.0;
}

} // namespace switchboard
