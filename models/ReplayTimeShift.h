#pragma once

#include <QJsonObject>
#include <QtGlobal>

namespace switchboard {

// Moves a recording's wall-clock times so that a replay looks recent: charts show the last
// minutes, and "since 10:02" in a view should not read as yesterday. docs/recording.md.
//
// At a pace (speed > 0) the recording's start lands at the replay's start, and later times are
// compressed by the speed, so each message's times are about "now" when it is delivered. As fast
// as possible (speed 0) the recording's end lands at the replay's start: everything is in the
// recent past. Durations are never moved.
class ReplayTimeShift {
public:
    // Numbers under this (September 2001, in ms since the epoch) are durations, not times.
    static constexpr qint64 kEpochFloorMs = 1'000'000'000'000;

    ReplayTimeShift() = default; // times as recorded
    static ReplayTimeShift toNow(qint64 recordedStartMs, qint64 recordedLengthMs, qint64 nowMs,
                                 double speed);

    bool isIdentity() const { return m_identity; }
    qint64 map(qint64 timeMs) const;
    // Every number under a key ending in "_ms" that is a time (≥ kEpochFloorMs), at any depth.
    // The protocol names every time field that way (protocol.h: time_ms, since_ms, started_ms…),
    // so fields added later are shifted too without a list kept here.
    QJsonObject apply(const QJsonObject& object) const;

private:
    bool m_identity = true;
    qint64 m_from = 0; // a recorded time...
    qint64 m_to = 0;   // ...and where it lands
    double m_scale = 1.0;
};

} // namespace switchboard
