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
} // namespace path

// Query parameters of the stream: a reconnecting client sends the stream id and the last
// sequence number it saw, and receives only what it missed (or a fresh snapshot).
namespace query {
inline constexpr std::string_view kSince = "since";
inline constexpr std::string_view kStreamId = "stream";
} // namespace query

inline constexpr std::string_view kAuthorizationHeader = "Authorization";
inline constexpr std::string_view kBearerPrefix = "Bearer ";

// Field names of every JSON document the agent sends.
namespace field {
// /v1/info, and the "info" object of a snapshot
inline constexpr std::string_view kService = "service";
inline constexpr std::string_view kInstance = "instance";
inline constexpr std::string_view kRegion = "region";
inline constexpr std::string_view kAgentVersion = "agent_version";
inline constexpr std::string_view kProtocol = "protocol";
inline constexpr std::string_view kCapabilities = "capabilities";

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

// stream messages
inline constexpr std::string_view kType = "type";
inline constexpr std::string_view kSeq = "seq";
inline constexpr std::string_view kStreamId = "stream";
inline constexpr std::string_view kSnapshot = "snapshot";
inline constexpr std::string_view kEvent = "event";
inline constexpr std::string_view kData = "data";

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
} // namespace event

// Capabilities listed in /v1/info; the console enables views by them.
namespace capability {
inline constexpr std::string_view kProbes = "probes";
inline constexpr std::string_view kRequests = "requests";
inline constexpr std::string_view kStream = "stream";
inline constexpr std::string_view kMetrics = "metrics";
inline constexpr std::string_view kBreakers = "breakers";
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
