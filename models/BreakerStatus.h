#pragma once

#include "Health.h"

#include <QString>
#include <optional>
#include <switchboard/protocol.h>

namespace switchboard {

// A state change the agent reports with a breaker event: state names and the reason as sent
// ("closed", "open", "failure_rate", ...), so a newer agent's names still show.
struct BreakerTransition {
    QString from;
    QString to;
    QString reason;

    friend bool operator==(const BreakerTransition&, const BreakerTransition&) = default;
};

// An operator's override of a breaker, as the agent reports it ("override" in its document).
struct BreakerOverride {
    QString mode;         // as sent: "force_open", "disable", "metrics_only"
    qint64 expiresMs = 0; // when it runs out, on the agent's clock; 0: no expiry
    QString by;           // the name of the token that set it

    friend bool operator==(const BreakerOverride&, const BreakerOverride&) = default;
};

// One circuit breaker of one agent, as the agent reported it. The call counters are cumulative
// since the agent started; rates come from the difference between two reports.
struct BreakerStatus {
    QString name;
    protocol::BreakerState state = protocol::BreakerState::Closed;
    QString stateName;          // as sent, e.g. "half_open"
    double failureRate = -1.0;  // percent of the window; -1 below the minimum number of calls
    double slowCallRate = -1.0; // likewise
    qint64 bufferedCalls = 0;
    qint64 successfulCalls = 0;
    qint64 failedCalls = 0;
    qint64 notPermittedCalls = 0;
    qint64 sinceMs = 0; // when it entered its state, on the agent's clock; 0 when not sent
    // Its configured thresholds, percent; -1 when not sent (agents before they were).
    double failureRateThreshold = -1.0;
    double slowCallRateThreshold = -1.0;
    // The operator override in force; none when not sent or null.
    std::optional<BreakerOverride> override;
    // Only on the event sent at the moment of a transition.
    std::optional<BreakerTransition> transition;

    friend bool operator==(const BreakerStatus&, const BreakerStatus&) = default;
};

// "Open", "Half-open", "Forced open", ... for labels next to a state's colour.
QString breakerStateLabel(protocol::BreakerState state);
// A wire name ("half_open") as a label; an unknown name is shown as sent.
QString breakerStateLabel(const QString& stateName);
// The wire name of a state ("half_open"), as the agent's CircuitBreaker::stateName() spells it.
QString breakerStateName(protocol::BreakerState state);
// The state for a wire name, if it is one this console knows.
std::optional<protocol::BreakerState> breakerStateFromName(const QString& stateName);
// How much a state should worry an operator, higher is worse: open, forced open, half-open,
// disabled (calls pass unprotected), metrics only, closed. Sorting and "worst state" use it.
int breakerStateSeverity(protocol::BreakerState state);
// Green closed, red open or forced open, amber for the states in between or not protecting.
Health breakerHealth(protocol::BreakerState state);
// A reason as a short phrase ("failure rate over threshold"); an unknown one as sent.
QString breakerReasonText(const QString& reason);
// A duration for "in state" cells: "45 s", "3 min 12 s", "2 h 5 min", "3 d 4 h".
QString breakerDurationText(qint64 ms);
// An override for a tile or tooltip: "forced open by alice · 4 min left", "disabled by bob · no
// expiry"; `nowMs` is the agent's time of the report the override came with (0: unknown, no
// time left shown).
QString breakerOverrideText(const BreakerOverride& override, qint64 nowMs);
// A percentage cell: "12.5 %", or "–" when the window has too few calls (negative).
QString breakerPercentText(double percent);

} // namespace switchboard
