#pragma once

#include "RingBuffer.h"

#include <QList>

namespace switchboard {

// A breaker's failure rate over the last minutes, one value a second, for a sparkline. The
// value of a second is the highest reported in it: a tick and a transition in the same second
// make one point, and several instances of a breaker fed into one history make the worst of
// them. A silence of more than two seconds leaves a gap (-1), so a line never joins the minute
// before a disconnect to the one after it. Negative values mean "not measured". Bounded:
// `capacity` values, the oldest dropped first.
class BreakerHistory {
public:
    explicit BreakerHistory(qsizetype capacity);

    // `timeMs` on the reporting agent's clock; a report for a second before the newest one
    // (another agent's, late) counts towards the newest.
    void add(qint64 timeMs, double value);
    QList<double> values() const; // oldest first, at most capacity()
    qsizetype capacity() const { return m_done.capacity() + 1; }

private:
    RingBuffer<double> m_done; // finished seconds
    qint64 m_second = -1;      // the second still collecting, -1 before the first report
    double m_current = -1.0;
};

} // namespace switchboard
