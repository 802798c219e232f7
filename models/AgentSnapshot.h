#pragma once

#include "AgentInfo.h"
#include "ProbeResult.h"
#include "RequestStats.h"

#include <QList>

namespace switchboard {

// The whole state of one agent at one revision (/v1/snapshot, or the first stream message).
struct AgentSnapshot {
    qint64 revision = 0;
    qint64 timeMs = 0;
    AgentInfo info;
    QList<ProbeResult> probes;
    RequestStats requests;

    friend bool operator==(const AgentSnapshot&, const AgentSnapshot&) = default;
};

} // namespace switchboard
