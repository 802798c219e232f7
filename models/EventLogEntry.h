#pragma once

#include "Health.h"

#include <QDateTime>
#include <QString>

namespace switchboard {

// One line of the console's event log: something an operator may want to look back at (a
// connection dropping, a probe going down, a circuit breaker opening), with when, where and how
// bad.
struct EventLogEntry {
    enum class Kind { Connection, Probe, Breaker };

    QDateTime time;
    QString agent; // the agent's display name at the time
    Kind kind = Kind::Connection;
    Health health = Health::Unknown;
    QString message;

    friend bool operator==(const EventLogEntry&, const EventLogEntry&) = default;
};

} // namespace switchboard
