#include "BreakerHistory.h"

#include <algorithm>

namespace switchboard {

BreakerHistory::BreakerHistory(qsizetype capacity)
    : m_done(std::max<qsizetype>(capacity, 2) - 1) {}

void BreakerHistory::add(qint64 timeMs, double value) {
    const qint64 second = timeMs / 1000;
    if (m_second < 0) {
        m_second = second;
        m_current = value;
        return;
    }
    if (second <= m_second) {
        m_current = std::max(m_current, value);
        return;
    }
    m_done.push_back(m_current);
    if (second > m_second + 2)
        m_done.push_back(-1.0);
    m_second = second;
    m_current = value;
}

QList<double> BreakerHistory::values() const {
    QList<double> result;
    result.reserve(m_done.size() + 1);
    for (qsizetype i = 0; i < m_done.size(); ++i)
        result.append(m_done.at(i));
    if (m_second >= 0)
        result.append(m_current);
    return result;
}

} // namespace switchboard
