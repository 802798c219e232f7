#pragma once

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

#include <QString>

namespace switchboard {

// One change on an agent's stream. Only the member named by `kind` is filled in; an event of a
// kind this console does not know still carries its seq, so gaps are detected across it.
struct StreamEvent {
    enum class Kind {
        Unknown,
        Probe,
        Requests,
        Breaker,
        Replication,
        ReadRouter,
        Shards,
        Cache,
        Regions,
        Pools,
        Process
    };

    Kind kind = Kind::Unknown;
    QString kindName; // as sent, for the event log when the kind is unknown
    qint64 seq = 0;
    QString streamId;
    qint64 timeMs = 0;
    ProbeResult probe;
    RequestStats requests;
    BreakerStatus breaker;
    ReplicationStatus replication;
    ReadRouterStatus readRouter;
    ShardsStatus shards;
    CacheStatus cache;
    RegionsStatus regions;
    QList<PoolStatus> pools;
    ProcessStatus process;

    friend bool operator==(const StreamEvent&, const StreamEvent&) = default;
};

} // namespace switchboard
