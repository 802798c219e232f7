#pragma once

#include "Health.h"

#include <QString>
#include <QVariantMap>
#include <switchboard/protocol.h>

namespace switchboard {

// One probe's latest check, as the agent reported it.
struct ProbeResult {
    QString name;
    QString kind;
    QString target;
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    double latencyMs = 0.0;
    QString error;
    qint64 checkedMs = 0;
    // Kind-specific extras (e.g. "in_recovery"), already converted from JSON so views never
    // see a JSON type.
    QVariantMap detail;

    friend bool operator==(const ProbeResult&, const ProbeResult&) = default;
};

// Green, red, or amber for "not checked yet".
Health probeHealth(protocol::ProbeStatus status);
// "up", "down: <cause>" or "not checked yet", for tables and the event log.
QString probeStatusText(const ProbeResult& probe);
// When a probe started failing, for "stale since": `downSinceMs` as it stands (0 while up) after
// a report of `status` checked at `checkedMs`. Kept while the probe stays down; the check time
// (now, without one) when it goes down; 0 once it is up again.
qint64 probeDownSinceMs(qint64 downSinceMs, protocol::ProbeStatus status, qint64 checkedMs);

} // namespace switchboard
