// A drill's preflight: for each candidate of a region (every member but the leader), whether it
// may take over, with the reason for each verdict: reachable (its PostgreSQL answers), streaming
// (listed streaming by the leader, not merely running: Patroni 3.0.2 accepts a switchover to a
// replica that is not streaming yet and loses committed rows), lag within ha.max_lag_bytes, same
// timeline as the leader. Then the region-wide checks. Pure but for `reachable`, which the
// caller supplies (so a unit test needs no server).
#pragma once

#include "action.h"
#include "ha_monitor.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace switchboard {

struct DrillPreflightInput {
    const HaRegion* region = nullptr;
    std::string kind;      // protocol::drill_kind
    std::string candidate; // requested; empty: the best passing one
    std::int64_t maxLagBytes = 0;
    bool faultCommandConfigured = false;
    bool otherDrillRunning = false;
    // Empty when the member's PostgreSQL answered, else why not.
    std::function<std::string(const HaMember&)> reachable;
};

struct DrillPreflight {
    std::vector<PreflightCheck> checks;
    nlohmann::json candidates = nlohmann::json::array(); // [{name, lag_bytes, ..., verdict}]
    std::string chosen;                                  // empty: none passes
    std::string leader;
    bool passed() const;
};

DrillPreflight drillPreflight(const DrillPreflightInput& input);

// The configured region of that name, or null.
const HaRegionConfig* regionConfigOf(const HaConfig& config, const std::string& name);

// The preflight of a drill in `region` as the agent runs it, at planning and again at
// execution: the region's configuration from the monitor, each candidate's PostgreSQL asked
// (within `timeoutMs`) whether it answers.
DrillPreflight memberPreflight(const HaMonitor& monitor, const HaRegion& region,
                               const std::string& kind, const std::string& candidate,
                               bool otherDrillRunning, int timeoutMs);

} // namespace switchboard
