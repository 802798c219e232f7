#pragma once

#include <QString>

namespace switchboard {

// One state change of one breaker on one instance, for the timeline. States and reason are the
// agent's wire names ("closed", "failure_rate"); the timeline shows them as words.
struct BreakerTransitionEntry {
    // The reason of a change the console did not hear as it happened: a new snapshot (after a
    // reconnect or an agent restart) showed another state than the last one seen.
    static constexpr const char* kMissedReason = "missed";

    qint64 timeMs = 0; // the agent's time of the change
    QString agentId;
    QString instance; // "service/instance" at the time
    QString breaker;
    QString from;
    QString to;
    QString reason;

    friend bool operator==(const BreakerTransitionEntry&, const BreakerTransitionEntry&) = default;
};

} // namespace switchboard
