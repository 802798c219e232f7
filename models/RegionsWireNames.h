// The names of the regions document and the drill.run action (docs/drills.md) that protocol.h
// does not carry (it names the top-level keys and the params: field::kRegions, kDrills,
// kWriteTarget, kRtoTargetMs, kRpoTargetMs, kCandidate, kConfirmRegion). Until it names the rest
// they live here, on the console's side only, in a namespace of their own so the header's
// constants can replace them one for one, as CacheWireNames.h does for the cache.
#pragma once

#include <string_view>

namespace switchboard::regions_wire {

// The regions document.
inline constexpr std::string_view kTier = "tier";
inline constexpr std::string_view kEpoch = "epoch";
inline constexpr std::string_view kCluster = "cluster";
inline constexpr std::string_view kProvider = "provider";
inline constexpr std::string_view kHealth = "health";
inline constexpr std::string_view kLeader = "leader";
inline constexpr std::string_view kCrossRegionLagBytes = "cross_region_lag_bytes";
inline constexpr std::string_view kMembers = "members";
inline constexpr std::string_view kHost = "host";
inline constexpr std::string_view kPort = "port";
inline constexpr std::string_view kLagBytes = "lag_bytes";
inline constexpr std::string_view kStreaming = "streaming";
inline constexpr std::string_view kHistory = "history";
inline constexpr std::string_view kLsn = "lsn";
inline constexpr std::string_view kTime = "time";

// Region roles and health words.
inline constexpr std::string_view kRoleActive = "active";
inline constexpr std::string_view kRoleStandby = "standby";
inline constexpr std::string_view kHealthOk = "ok";
inline constexpr std::string_view kHealthDegraded = "degraded";
inline constexpr std::string_view kHealthDown = "down";
inline constexpr std::string_view kHealthUnknown = "unknown";

// A drill's result (the job's "result", and each entry of "drills").
inline constexpr std::string_view kId = "id";
inline constexpr std::string_view kRegion = "region";
inline constexpr std::string_view kRtoMs = "rto_ms";
inline constexpr std::string_view kRpoWrites = "rpo_writes";
inline constexpr std::string_view kRpoBytes = "rpo_bytes";
inline constexpr std::string_view kRpoMs = "rpo_ms";
inline constexpr std::string_view kWriteGapMs = "write_gap_ms";
inline constexpr std::string_view kWritesChecked = "writes_checked";
inline constexpr std::string_view kMet = "met";
inline constexpr std::string_view kRto = "rto";
inline constexpr std::string_view kRpo = "rpo";
inline constexpr std::string_view kTimeline = "timeline";
inline constexpr std::string_view kTMs = "t_ms";
inline constexpr std::string_view kStep = "step";
inline constexpr std::string_view kDetail = "detail";

// Drill outcomes.
inline constexpr std::string_view kSucceeded = "succeeded";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kAborted = "aborted";
inline constexpr std::string_view kCancelled = "cancelled";

// The plan's details.
inline constexpr std::string_view kDetails = "details";
inline constexpr std::string_view kCandidates = "candidates";
inline constexpr std::string_view kSteps = "steps";

// Refusals of drill.run (docs/drills.md).
inline constexpr std::string_view kDrillRunning = "drill_running";
inline constexpr std::string_view kRegionNotConfirmed = "region_not_confirmed";
inline constexpr std::string_view kPreflightFailed = "preflight_failed";
inline constexpr std::string_view kUnknownRegion = "unknown_region";
inline constexpr std::string_view kBadParams = "bad_params";

} // namespace switchboard::regions_wire
