#pragma once

#include <QString>

namespace switchboard {

// One event drawn on every chart of the Metrics view as a vertical marker at its time: a breaker
// flip, an action, a drill, a connection or probe change. `identity` makes one event one marker
// however often its source reports it (a drill list is re-sent whole).
struct TimelineAnnotation {
    enum class Kind { Breaker, Action, Drill, Connection };

    qint64 timeMs = 0;
    Kind kind = Kind::Connection;
    QString text;
    QString agentId; // empty when the source does not say (a drill is the region's)
    QString identity;

    friend bool operator==(const TimelineAnnotation&, const TimelineAnnotation&) = default;
};

} // namespace switchboard
