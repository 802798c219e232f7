#pragma once

#include "BreakerHistory.h"
#include "BreakerStatus.h"

#include <QString>

namespace switchboard {

// What the console knows of one breaker on one agent, built from its reports: the last status,
// the call rates (from the cumulative counters: the difference to a baseline report over the
// agent's time between them), the failure-rate history and the last transition.
class BreakerInstanceState {
public:
    static constexpr qsizetype kHistoryLength = 120; // two minutes at one report a second
    // A transition event right after a tick must not turn a 5 ms gap into a calls/s figure.
    static constexpr qint64 kMinRateIntervalMs = 500;

    // Folds one report in; `reportMs` is the agent's time of it (0: unknown, values only).
    void record(const BreakerStatus& breaker, qint64 reportMs);

    const BreakerStatus& status() const { return m_status; }
    qint64 reportMs() const { return m_reportMs; }
    // Permitted calls (successful + failed) per second; -1 until two reports are far enough
    // apart, and again after the counters went back (the agent restarted).
    double callsPerSecond() const { return m_callsPerSecond; }
    double notPermittedPerSecond() const { return m_notPermittedPerSecond; }
    // How long it has been in its state, on the agent's clock; -1 when not known.
    qint64 timeInStateMs() const;
    // "forced open by alice · 4 min left" (time left on the agent's clock), or empty when no
    // override is in force.
    QString overrideText() const;
    const BreakerHistory& history() const { return m_history; }
    // "Closed → Open, failure rate over threshold", or empty before the first transition.
    QString lastTransition() const { return m_lastTransition; }
    qint64 lastTransitionMs() const { return m_lastTransitionMs; }

private:
    void setBaseline(qint64 atMs, qint64 calls, qint64 refused);

    BreakerStatus m_status;
    qint64 m_reportMs = 0;
    qint64 m_baseMs = 0; // the report the rates are measured from
    qint64 m_baseCalls = -1;
    qint64 m_baseNotPermitted = -1;
    double m_callsPerSecond = -1.0;
    double m_notPermittedPerSecond = -1.0;
    BreakerHistory m_history{kHistoryLength};
    QString m_lastTransition;
    qint64 m_lastTransitionMs = 0;
};

} // namespace switchboard
