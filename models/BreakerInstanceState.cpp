#include "BreakerInstanceState.h"

#include <algorithm>

namespace switchboard {

void BreakerInstanceState::record(const BreakerStatus& breaker, qint64 reportMs) {
    const qint64 calls = breaker.successfulCalls + breaker.failedCalls;
    const qint64 refused = breaker.notPermittedCalls;
    if (reportMs > 0) {
        const bool restarted = m_baseCalls < 0 || calls < m_baseCalls ||
                               refused < m_baseNotPermitted || reportMs < m_baseMs;
        if (restarted) {
            // The first report, or counters that went back: a baseline, no rate yet.
            setBaseline(reportMs, calls, refused);
            m_callsPerSecond = -1.0;
            m_notPermittedPerSecond = -1.0;
        } else if (const qint64 elapsed = reportMs - m_baseMs; elapsed >= kMinRateIntervalMs) {
            const double seconds = static_cast<double>(elapsed) / 1000.0;
            m_callsPerSecond = static_cast<double>(calls - m_baseCalls) / seconds;
            m_notPermittedPerSecond = static_cast<double>(refused - m_baseNotPermitted) / seconds;
            setBaseline(reportMs, calls, refused);
        }
        m_reportMs = reportMs;
        m_history.add(reportMs, breaker.failureRate);
    }
    if (breaker.transition) {
        m_lastTransition = QStringLiteral("%1 → %2, %3")
                               .arg(breakerStateLabel(breaker.transition->from),
                                    breakerStateLabel(breaker.transition->to),
                                    breakerReasonText(breaker.transition->reason));
        m_lastTransitionMs = reportMs;
    }
    m_status = breaker;
}

qint64 BreakerInstanceState::timeInStateMs() const {
    if (m_status.sinceMs <= 0 || m_reportMs <= 0)
        return -1;
    return std::max<qint64>(0, m_reportMs - m_status.sinceMs);
}

QString BreakerInstanceState::overrideText() const {
    return m_status.override ? breakerOverrideText(*m_status.override, m_reportMs) : QString();
}

void BreakerInstanceState::setBaseline(qint64 atMs, qint64 calls, qint64 refused) {
    m_baseMs = atMs;
    m_baseCalls = calls;
    m_baseNotPermitted = refused;
}

} // namespace switchboard
