#pragma once

#include "AgentInfo.h"
#include "BreakerStatus.h"
#include "CacheStatus.h"
#include "PoolStatus.h"
#include "ProbeResult.h"
#include "ProcessStatus.h"
#include "ReadRouterStatus.h"
#include "RegionsStatus.h"
#include "ReplicationStatus.h"
#include "RequestStats.h"
#include "ShardsStatus.h"

#include <QList>
#include <optional>

namespace switchboard {

// The whole state of one agent at one revision (/v1/snapshot, or the first stream message).
struct AgentSnapshot {
    qint64 revision = 0;
    qint64 timeMs = 0;
    AgentInfo info;
    QList<ProbeResult> probes;
    RequestStats requests;
    QList<BreakerStatus> breakers;
    // Absent from agents without a postgres primary, and from agents before replication.
    std::optional<ReplicationStatus> replication;
    std::optional<ReadRouterStatus> readRouter;
    // Absent from agents without shard nodes configured, and from agents before sharding.
    std::optional<ShardsStatus> shards;
    // Absent from agents without a cache configured, and from agents before the tiered cache.
    std::optional<CacheStatus> cache;
    // Absent from agents without ha configured, and from agents before regions and drills.
    std::optional<RegionsStatus> regions;
    // The backend's connection pools; empty from agents before pool reporting (and from one
    // that reports none).
    QList<PoolStatus> pools;
    // The host process's CPU and memory; absent from agents before process reporting.
    std::optional<ProcessStatus> process;

    friend bool operator==(const AgentSnapshot&, const AgentSnapshot&) = default;
};

} // namespace switchboard
