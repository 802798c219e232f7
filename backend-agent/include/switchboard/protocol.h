// The wire protocol between the Switchboard agent and the console.
//
// One header, shared by both sides (the agent is Qt-free, so this header is plain C++20 with no
// third-party types). Every field name, path and enum value the two sides exchange is here; enum
// values carry explicit numbers because they cross the wire. docs/protocol.md describes the
// messages these names make up.
#pragma once

#include <cstdint>
#include <string_view>

namespace switchboard::protocol {

// Bumped on any change a peer of the previous version would misread. The console refuses a
// stream whose version differs and says so; it never guesses.
inline constexpr int kVersion = 1;

// HTTP and WebSocket paths, all on the agent's one port.
namespace path {
inline constexpr std::string_view kHealthz = "/healthz";
inline constexpr std::string_view kMetrics = "/metrics";
inline constexpr std::string_view kInfo = "/v1/info";
inline constexpr std::string_view kSnapshot = "/v1/snapshot";
inline constexpr std::string_view kStream = "/v1/stream";
// The action pipeline: POST a plan, confirm it by id, follow or cancel the job, read the audit.
inline constexpr std::string_view kPlans = "/v1/plans";        // POST; /v1/plans/<id>[/confirm]
inline constexpr std::string_view kJobs = "/v1/jobs";          // GET; /v1/jobs/<id>[/cancel]
inline constexpr std::string_view kAudit = "/v1/audit";        // GET, paged
inline constexpr std::string_view kConfirmSuffix = "/confirm"; // POST /v1/plans/<id>/confirm
inline constexpr std::string_view kCancelSuffix = "/cancel";   // POST /v1/jobs/<id>/cancel
} // namespace path

// Query parameters of the stream: a reconnecting client sends the stream id and the last
// sequence number it saw, and receives only what it missed (or a fresh snapshot).
namespace query {
inline constexpr std::string_view kSince = "since";
inline constexpr std::string_view kStreamId = "stream";
// /v1/audit paging: entries after (older than: before) a sequence number, at most limit of them.
inline constexpr std::string_view kAfter = "after";
inline constexpr std::string_view kBefore = "before";
inline constexpr std::string_view kLimit = "limit";
} // namespace query

inline constexpr std::string_view kAuthorizationHeader = "Authorization";
inline constexpr std::string_view kBearerPrefix = "Bearer ";
// A client's key for one intended action: a request repeated with the same key (and body) gets
// the first answer again and acts once.
inline constexpr std::string_view kIdempotencyKeyHeader = "Idempotency-Key";

// Field names of every JSON document the agent sends.
namespace field {
// /v1/info, and the "info" object of a snapshot
inline constexpr std::string_view kService = "service";
inline constexpr std::string_view kInstance = "instance";
inline constexpr std::string_view kRegion = "region";
inline constexpr std::string_view kAgentVersion = "agent_version";
inline constexpr std::string_view kProtocol = "protocol";
inline constexpr std::string_view kCapabilities = "capabilities";
inline constexpr std::string_view kTls = "tls"; // true: the port serves only HTTPS and WSS

// snapshot
inline constexpr std::string_view kRevision = "revision";
inline constexpr std::string_view kTimeMs = "time_ms";
inline constexpr std::string_view kInfo = "info";
inline constexpr std::string_view kProbes = "probes";
inline constexpr std::string_view kRequests = "requests";
inline constexpr std::string_view kBreakers = "breakers";

// one circuit breaker
inline constexpr std::string_view kState = "state"; // BreakerState's number
inline constexpr std::string_view kStateName = "state_name";
inline constexpr std::string_view kFailureRate = "failure_rate";     // percent, -1: not evaluated
inline constexpr std::string_view kSlowCallRate = "slow_call_rate";  // percent, -1: not evaluated
inline constexpr std::string_view kBufferedCalls = "buffered_calls"; // calls in the window
inline constexpr std::string_view kSuccessfulCalls = "successful_calls";
inline constexpr std::string_view kFailedCalls = "failed_calls";
inline constexpr std::string_view kNotPermittedCalls = "not_permitted_calls";
// the breaker's configured thresholds, percent; at or above either it opens
inline constexpr std::string_view kFailureRateThreshold = "failure_rate_threshold";
inline constexpr std::string_view kSlowCallRateThreshold = "slow_call_rate_threshold";
inline constexpr std::string_view kSinceMs = "since_ms"; // when it entered its state
inline constexpr std::string_view kTransition = "transition";
inline constexpr std::string_view kFrom = "from";
inline constexpr std::string_view kTo = "to";

// one probe result
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kKind = "kind";
inline constexpr std::string_view kTarget = "target";
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kLatencyMs = "latency_ms";
inline constexpr std::string_view kError = "error";
inline constexpr std::string_view kCheckedMs = "checked_ms";
inline constexpr std::string_view kDetail = "detail";

// request statistics (one object, per route and in total)
inline constexpr std::string_view kRoutes = "routes";
inline constexpr std::string_view kRoute = "route";
inline constexpr std::string_view kTotal = "total";
inline constexpr std::string_view kErrors = "errors";
inline constexpr std::string_view kRatePerSecond = "rate_per_s";
inline constexpr std::string_view kIntervalMs = "interval_ms";
// request latency over the same interval as the rate, in milliseconds (an object under
// kLatencyMs in "requests" and in each route; null when the interval had no request)
inline constexpr std::string_view kCount = "count"; // requests the percentiles are over
inline constexpr std::string_view kP50 = "p50";
inline constexpr std::string_view kP95 = "p95";
inline constexpr std::string_view kP99 = "p99";
inline constexpr std::string_view kMax = "max";

// connection pools (snapshot "pools": an array; event kind "pools", data {"pools": [...]})
inline constexpr std::string_view kPools = "pools";
inline constexpr std::string_view kInUse = "in_use"; // connections leased out now
inline constexpr std::string_view kOpen = "open";    // connections open now (idle + in use)
// kMax: the most the pool will open (0: no limit)

// the host process (snapshot "process", event kind "process")
inline constexpr std::string_view kProcess = "process";
inline constexpr std::string_view kCpuPercent = "cpu_percent"; // of one core; -1: unmeasured
inline constexpr std::string_view kCpuCount = "cpu_count";     // cores the process may use
inline constexpr std::string_view kRssBytes = "rss_bytes";     // resident set; -1: unmeasured

// stream messages
inline constexpr std::string_view kType = "type";
inline constexpr std::string_view kSeq = "seq";
inline constexpr std::string_view kStreamId = "stream";
inline constexpr std::string_view kSnapshot = "snapshot";
inline constexpr std::string_view kEvent = "event";
inline constexpr std::string_view kData = "data";

// replication (snapshot "replication", event kind "replication"; docs/protocol.md)
inline constexpr std::string_view kReplication = "replication";
inline constexpr std::string_view kPrimary = "primary";
inline constexpr std::string_view kReplicas = "replicas";
inline constexpr std::string_view kRole = "role"; // also the caller's role in audit entries
inline constexpr std::string_view kReplicationState = "state_name"; // "streaming", "down", ...
inline constexpr std::string_view kSyncState = "sync_state";
inline constexpr std::string_view kTimeline = "timeline";
inline constexpr std::string_view kCurrentLsn = "current_lsn";
inline constexpr std::string_view kInRecovery = "in_recovery";
inline constexpr std::string_view kWriteLagBytes = "write_lag_bytes";
inline constexpr std::string_view kFlushLagBytes = "flush_lag_bytes";
inline constexpr std::string_view kReplayLagBytes = "replay_lag_bytes";
inline constexpr std::string_view kWriteLagSeconds = "write_lag_s";
inline constexpr std::string_view kFlushLagSeconds = "flush_lag_s";
inline constexpr std::string_view kReplayLagSeconds = "replay_lag_s";
inline constexpr std::string_view kSlot = "slot";
inline constexpr std::string_view kActive = "active";
inline constexpr std::string_view kRetainedWalBytes = "retained_wal_bytes";
inline constexpr std::string_view kSelf = "self"; // the replica's own view of itself
inline constexpr std::string_view kReceiveLsn = "receive_lsn";
inline constexpr std::string_view kReplayLsn = "replay_lsn";
inline constexpr std::string_view kReplayPaused = "replay_paused";
// the read router (snapshot "read_router")
inline constexpr std::string_view kReadRouter = "read_router";
inline constexpr std::string_view kTargets = "targets";
inline constexpr std::string_view kEligible = "eligible";
inline constexpr std::string_view kWhyNot = "why_not"; // "replay lag 2.4 s > 100 ms"
inline constexpr std::string_view kReads = "reads";    // cumulative reads routed to the target
inline constexpr std::string_view kMaxLagMs = "max_lag_ms";
inline constexpr std::string_view kMaxLagBytes = "max_lag_bytes";

// shards (snapshot "shards", event kind "shards"; docs/protocol.md)
inline constexpr std::string_view kShards = "shards";
inline constexpr std::string_view kCatalog = "catalog";
inline constexpr std::string_view kVersion = "version";
inline constexpr std::string_view kBucketCount = "bucket_count";
inline constexpr std::string_view kNodes = "nodes";
inline constexpr std::string_view kBuckets = "buckets"; // a node's count; the per-bucket columns
inline constexpr std::string_view kNode = "node";

// cache (snapshot "cache", event kind "cache"; docs/protocol.md)
inline constexpr std::string_view kCache = "cache";
inline constexpr std::string_view kRows = "rows";
inline constexpr std::string_view kBytes = "bytes";
inline constexpr std::string_view kWritesPerSecond = "writes_per_s";
inline constexpr std::string_view kReadsPerSecond = "reads_per_s";
inline constexpr std::string_view kSkew = "skew";
inline constexpr std::string_view kMaxOverMean = "max_over_mean";
inline constexpr std::string_view kCoefficientOfVariation = "cv";
inline constexpr std::string_view kLoad = "load";
inline constexpr std::string_view kMoves = "moves";
inline constexpr std::string_view kBucket = "bucket";
inline constexpr std::string_view kPhase = "phase";
inline constexpr std::string_view kRowsCopied = "rows_copied";
inline constexpr std::string_view kRowsTotal = "rows_total";
// the rebalance action's params and plan
inline constexpr std::string_view kGoal = "goal"; // "even" | "add_node" | "drain_node"
inline constexpr std::string_view kBy = "by";     // "rows" | "bytes" | "load"
inline constexpr std::string_view kThresholdPercent = "threshold_pct";
inline constexpr std::string_view kEstimateSeconds = "estimate_s";
inline constexpr std::string_view kSkewBefore = "skew_before";
inline constexpr std::string_view kSkewAfter = "skew_after";

// regions and drills (snapshot "regions", event kind "regions"; docs/drills.md)
inline constexpr std::string_view kRegions = "regions";
inline constexpr std::string_view kDrills = "drills";
inline constexpr std::string_view kWriteTarget = "write_target";
inline constexpr std::string_view kRtoTargetMs = "rto_target_ms";
inline constexpr std::string_view kRpoTargetMs = "rpo_target_ms";
inline constexpr std::string_view kCandidate = "candidate";
inline constexpr std::string_view kConfirmRegion = "confirm_region";
// one region of the "regions" document, its members and its timeline history
inline constexpr std::string_view kTier = "tier";
inline constexpr std::string_view kEpoch = "epoch"; // the write target's
inline constexpr std::string_view kCluster = "cluster";
inline constexpr std::string_view kProvider = "provider";
inline constexpr std::string_view kHealth = "health"; // ok | degraded | down | unknown
inline constexpr std::string_view kLeader = "leader";
inline constexpr std::string_view kCrossRegionLagBytes = "cross_region_lag_bytes";
inline constexpr std::string_view kMembers = "members";
inline constexpr std::string_view kHistory = "history";
inline constexpr std::string_view kHost = "host";
inline constexpr std::string_view kPort = "port";
inline constexpr std::string_view kLagBytes = "lag_bytes";
inline constexpr std::string_view kStreaming = "streaming";
inline constexpr std::string_view kLsn = "lsn";
inline constexpr std::string_view kTime = "time";

// the action pipeline: plans, jobs and audit entries
inline constexpr std::string_view kPlanId = "plan_id";
inline constexpr std::string_view kJobId = "job_id";
inline constexpr std::string_view kParams = "params";
inline constexpr std::string_view kSummary = "summary";
inline constexpr std::string_view kChanges = "changes"; // [{what, from, to}]
inline constexpr std::string_view kWhat = "what";
inline constexpr std::string_view kChecks = "checks"; // [{name, verdict, detail}]
inline constexpr std::string_view kVerdict = "verdict";
inline constexpr std::string_view kExecutable = "executable"; // no check failed
inline constexpr std::string_view kCreatedMs = "created_ms";
inline constexpr std::string_view kExpiresMs = "expires_ms";
inline constexpr std::string_view kCreatedBy = "created_by";
inline constexpr std::string_view kScope = "scope";       // "instance" | "cluster"
inline constexpr std::string_view kProgress = "progress"; // 0..1
inline constexpr std::string_view kStartedMs = "started_ms";
inline constexpr std::string_view kFinishedMs = "finished_ms";
inline constexpr std::string_view kResult = "result";
inline constexpr std::string_view kJobs = "jobs";
inline constexpr std::string_view kEntries = "entries";
inline constexpr std::string_view kNextBefore = "next_before"; // older page, null at the start
inline constexpr std::string_view kToken = "token";            // the caller's token name
inline constexpr std::string_view kOutcome = "outcome";
inline constexpr std::string_view kMode = "mode";              // breaker override
inline constexpr std::string_view kExpirySeconds = "expiry_s"; // breaker override, optional
inline constexpr std::string_view kOverride = "override";      // a breaker's active override

// the audit log's hash chain (each entry; GET /v1/audit "chain"; docs/protocol.md)
inline constexpr std::string_view kHash = "hash";          // SHA-256 of the entry without it
inline constexpr std::string_view kPrevHash = "prev_hash"; // SHA-256 of the previous line
inline constexpr std::string_view kChain = "chain";
inline constexpr std::string_view kIntact = "intact";
inline constexpr std::string_view kLegacyEntries = "legacy_entries"; // before the chain began
inline constexpr std::string_view kLastHash = "last_hash";           // the next entry's prev_hash
inline constexpr std::string_view kFirstBreak = "first_break";
inline constexpr std::string_view kLine = "line";
inline constexpr std::string_view kAfterSeq = "after_seq";

// error documents: {"error": {"code": 401, "reason": "...", "message": "..."}}
inline constexpr std::string_view kCode = "code";
inline constexpr std::string_view kReason = "reason";
inline constexpr std::string_view kMessage = "message";
} // namespace field

// Values of the "type" field of a stream message.
namespace message {
inline constexpr std::string_view kSnapshot = "snapshot"; // the whole state; seq is its position
inline constexpr std::string_view kEvent = "event";       // one change, seq = previous + 1
} // namespace message

// Values of an event's "kind" field.
namespace event {
inline constexpr std::string_view kProbe = "probe";       // data: one probe result
inline constexpr std::string_view kRequests = "requests"; // data: request statistics, each tick
inline constexpr std::string_view kBreaker = "breaker";   // data: one breaker, each tick and
                                                          // at once on a transition
inline constexpr std::string_view kJob = "job";           // data: one job, on every change
inline constexpr std::string_view kReplication = "replication"; // data: the replication object,
                                                                // every probe interval
inline constexpr std::string_view kReadRouter = "read_router";  // data: the router, each tick
inline constexpr std::string_view kShards = "shards";   // data: the shards object, each stats
                                                        // interval and on a map or move change
inline constexpr std::string_view kCache = "cache";     // data: the cache object, each interval
inline constexpr std::string_view kRegions = "regions"; // data: the regions object, each HA
                                                        // probe interval and drill step
inline constexpr std::string_view kPools = "pools";     // data: {"pools": [...]}, each tick
inline constexpr std::string_view kProcess = "process"; // data: the process object, each tick
} // namespace event

// Kinds of action, the "kind" of a plan and a job.
namespace action {
inline constexpr std::string_view kBreakerOverride = "breaker.override";
inline constexpr std::string_view kShardsRebalance = "shards.rebalance";
inline constexpr std::string_view kCacheInvalidate = "cache.invalidate";
inline constexpr std::string_view kDrillRun = "drill.run";
} // namespace action

// A drill's "kind" and "mode" params (docs/drills.md).
namespace drill_kind {
inline constexpr std::string_view kSwitchover = "switchover";
inline constexpr std::string_view kFailover = "failover";
// Region drills: target = the region that takes over (docs/drills.md).
inline constexpr std::string_view kRegionFailover = "region_failover";
inline constexpr std::string_view kRegionFailback = "region_failback";
} // namespace drill_kind
namespace drill_mode {
inline constexpr std::string_view kPlan = "plan";
inline constexpr std::string_view kSimulated = "simulated";
inline constexpr std::string_view kLive = "live";
} // namespace drill_mode

// A breaker override's "mode".
namespace override_mode {
inline constexpr std::string_view kForceOpen = "force_open";
inline constexpr std::string_view kDisable = "disable";
inline constexpr std::string_view kMetricsOnly = "metrics_only";
inline constexpr std::string_view kReset = "reset";
} // namespace override_mode

// A job's "state".
namespace job_state {
inline constexpr std::string_view kRunning = "running";
inline constexpr std::string_view kCancelling = "cancelling";
inline constexpr std::string_view kSucceeded = "succeeded";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kCancelled = "cancelled";
} // namespace job_state

// A preflight check's "verdict": fail makes the plan not executable.
namespace verdict {
inline constexpr std::string_view kPass = "pass";
inline constexpr std::string_view kWarn = "warn";
inline constexpr std::string_view kFail = "fail";
} // namespace verdict

// An audit entry's "event".
namespace audit_event {
inline constexpr std::string_view kPlan = "plan";
inline constexpr std::string_view kConfirm = "confirm";
inline constexpr std::string_view kCancel = "cancel";
inline constexpr std::string_view kResult = "result";
inline constexpr std::string_view kRefused = "refused";
inline constexpr std::string_view kExpired = "expired"; // an override's expiry reverted it
} // namespace audit_event

// Capabilities listed in /v1/info; the console enables views by them.
namespace capability {
inline constexpr std::string_view kProbes = "probes";
inline constexpr std::string_view kRequests = "requests";
inline constexpr std::string_view kStream = "stream";
inline constexpr std::string_view kMetrics = "metrics";
inline constexpr std::string_view kBreakers = "breakers";
inline constexpr std::string_view kActions = "actions"; // the action pipeline and audit
inline constexpr std::string_view kReplication = "replication";
inline constexpr std::string_view kReadRouter = "read_router";
inline constexpr std::string_view kShards = "shards";
inline constexpr std::string_view kCache = "cache";
inline constexpr std::string_view kRegions = "regions"; // the HA probe and drill.run
} // namespace capability

// Values of a probe's "kind" field.
namespace probe_kind {
inline constexpr std::string_view kPostgres = "postgres";
inline constexpr std::string_view kRedis = "redis";
} // namespace probe_kind

// A probe's health, as the number in its "status" field.
enum class ProbeStatus : std::int32_t {
    Unknown = 0, // not checked yet
    Up = 1,      // answered within its timeout
    Down = 2,    // refused, timed out or failed; "error" says why
};
static_assert(static_cast<int>(ProbeStatus::Unknown) == 0);
static_assert(static_cast<int>(ProbeStatus::Up) == 1);
static_assert(static_cast<int>(ProbeStatus::Down) == 2);

// A circuit breaker's state, as the number in its "state" field.
enum class BreakerState : std::int32_t {
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
    ForcedOpen = 3,
    Disabled = 4,
    MetricsOnly = 5,
};
static_assert(static_cast<int>(BreakerState::Closed) == 0);
static_assert(static_cast<int>(BreakerState::Open) == 1);
static_assert(static_cast<int>(BreakerState::HalfOpen) == 2);
static_assert(static_cast<int>(BreakerState::ForcedOpen) == 3);
static_assert(static_cast<int>(BreakerState::Disabled) == 4);
static_assert(static_cast<int>(BreakerState::MetricsOnly) == 5);

// The two roles a token carries. Viewer reads; operator also acts.
enum class Role : std::int32_t {
    Viewer = 1,
    Operator = 2,
};
static_assert(static_cast<int>(Role::Viewer) == 1);
static_assert(static_cast<int>(Role::Operator) == 2);

inline constexpr std::string_view roleName(Role role) {
    return role == Role::Operator ? "operator" : "viewer";
}

} // namespace switchboard::protocol
