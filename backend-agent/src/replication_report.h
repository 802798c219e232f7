// One replication probe cycle's findings, as C++ values: what the probe (replication_probe.h)
// produces, what the read router (read_router.h) decides from, and what becomes the
// "replication" document of docs/protocol.md.
#pragma once

#include "switchboard/protocol.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchboard {

struct ReplicationSlot {
    std::string name;
    bool active = false;
    std::int64_t retainedWalBytes = 0;
};

// The replica's own view of itself (its own connection).
struct ReplicaSelfView {
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    std::string error;
    bool inRecovery = false;
    std::string receiveLsn;
    std::string replayLsn;
    bool replayPaused = false;
    double replayLagSeconds = 0; // now() - last replayed commit, while behind; else 0
};

struct ReplicaReport {
    std::string name;   // the configured name (= application_name on the primary)
    std::string target; // host:port
    std::string state;  // walsender state, "not_connected" or "down"
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    std::string error;
    std::string syncState;
    std::int64_t timeline = 0;
    std::int64_t writeLagBytes = 0, flushLagBytes = 0, replayLagBytes = 0;
    double writeLagSeconds = 0, flushLagSeconds = 0;
    double replayLagSeconds = 0; // the larger of the primary's view and the replica's own
    std::optional<ReplicationSlot> slot;
    ReplicaSelfView self;
};

struct PrimaryReport {
    std::string name = "primary";
    std::string target;
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    std::string error;
    std::int64_t timeline = 0;
    std::string currentLsn;
    bool inRecovery = false;
};

struct ReplicationReport {
    std::int64_t checkedMs = 0;
    PrimaryReport primary;
    std::vector<ReplicaReport> replicas; // in configuration order, then unconfigured ones
};

} // namespace switchboard
