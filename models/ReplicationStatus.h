#pragma once

#include "Health.h"
#include "ReadRouterStatus.h"

#include <QList>
#include <QString>
#include <optional>
#include <switchboard/protocol.h>

namespace switchboard {

// A replica's replication slot, as the primary sees it; absent when the replica uses none.
struct ReplicaSlot {
    QString name;
    bool active = false;
    qint64 retainedWalBytes = 0; // WAL the slot keeps on the primary

    friend bool operator==(const ReplicaSlot&, const ReplicaSlot&) = default;
};

// What a replica says about itself over its own connection ("self" in the document).
struct ReplicaSelfView {
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    QString error;
    bool inRecovery = false;
    QString receiveLsn;
    QString replayLsn;
    bool replayPaused = false;
    double replayLagSeconds = 0.0;

    friend bool operator==(const ReplicaSelfView&, const ReplicaSelfView&) = default;
};

// One configured replica: a row even when it is gone (state "down" or "not_connected").
struct ReplicaStatus {
    QString name;
    QString target;
    QString stateName; // as sent: "streaming", "catchup", "not_connected", "down", ...
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown; // as the primary sees it
    QString error;
    QString syncState; // "async", "sync", "potential", "quorum"; empty when not connected
    qint64 timeline = 0;
    qint64 writeLagBytes = 0;
    qint64 flushLagBytes = 0;
    qint64 replayLagBytes = 0;
    double writeLagSeconds = 0.0;
    double flushLagSeconds = 0.0;
    double replayLagSeconds = 0.0; // the larger of the primary's view and the replica's own
    std::optional<ReplicaSlot> slot;
    std::optional<ReplicaSelfView> self;

    friend bool operator==(const ReplicaStatus&, const ReplicaStatus&) = default;
};

// The primary as the replication probe saw it.
struct PrimaryStatus {
    QString name;
    QString target;
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    QString error;
    qint64 timeline = 0;
    QString currentLsn;
    bool inRecovery = false; // true would mean the "primary" is itself a standby

    friend bool operator==(const PrimaryStatus&, const PrimaryStatus&) = default;
};

// One run of an agent's replication probe ("replication" in a snapshot or event).
struct ReplicationStatus {
    qint64 checkedMs = 0;
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown; // the probe's primary side
    QString error;
    PrimaryStatus primary;
    QList<ReplicaStatus> replicas;

    friend bool operator==(const ReplicationStatus&, const ReplicationStatus&) = default;
};

// "8.0 KiB", "2.5 MiB", "512 B": lag and retained WAL for people, binary units as PostgreSQL's
// pg_size_pretty uses.
QString replicationBytesText(qint64 bytes);
// "12 ms" below a second, "2.4 s" above, "3 min 5 s" above a minute.
QString replicationLagText(double seconds);
// A walsender state as words: "streaming", "catching up", "not connected", ...
QString replicationStateLabel(const QString& stateName);

// How a node's replication should worry an operator. Ordered from best to worst.
enum class ReplicationHealth {
    Healthy = 0, // up, and (for a replica) within the read router's lag limits
    Lagging = 1, // up, but replay lag over the router's max_lag_ms or max_lag_bytes
    Stale = 2,   // what is shown is old: the agent's data is stale or its probe failed
    Down = 3,    // not connected, or not answering
};

// A replica's health from one report: Stale when the probe's primary side failed (the
// replica's figures are then the last ones seen), Down when the replica is not replicating,
// Lagging past the router's thresholds (no router: never lagging).
ReplicationHealth replicaHealth(const ReplicationStatus& replication, const ReplicaStatus& replica,
                                const std::optional<ReadRouterStatus>& router);
// The primary's: Down when the probe could not reach it.
ReplicationHealth primaryHealth(const ReplicationStatus& replication);
// "healthy", "lagging", "stale", "down".
QString replicationHealthText(ReplicationHealth health);
// Green, amber (lagging or stale, as stale agents are elsewhere), red.
Health replicationHealthColour(ReplicationHealth health);
// The Overview's one-line summary: "pg-replica-1 streaming, 12 ms", "pg-replica-1 lagging
// 2.4 s", "pg-replica-1 down", one part per replica; "primary down: <cause>" when the probe
// failed; "no replicas" when none is configured.
QString replicationSummaryText(const ReplicationStatus& replication,
                               const std::optional<ReadRouterStatus>& router);
// The worst health of the primary and every replica.
ReplicationHealth replicationWorstHealth(const ReplicationStatus& replication,
                                         const std::optional<ReadRouterStatus>& router);

} // namespace switchboard
