#pragma once

#include "TimelineAnnotation.h"

#include <QList>
#include <QObject>
#include <QSet>

namespace switchboard {

class ActionClient;
class BreakerTimelineModel;
class DrillHistoryModel;
class EventLogModel;
struct ActionJob;

// One timeline across concerns: the events the Metrics view's charts mark, gathered from the
// models that already keep them (breaker transitions, drills, the event log) and from the
// agents' action APIs (jobs confirmed and finished). Kept in time order, each event once (by
// its identity), and bounded: past `capacity` the oldest go, so a flapping breaker cannot grow
// it without end. GUI thread only, like the models it watches.
class TimelineAnnotations : public QObject {
    Q_OBJECT
public:
    explicit TimelineAnnotations(qsizetype capacity = 500, QObject* parent = nullptr);

    // The one entry point: adds in time order unless the identity is known; false when known.
    bool add(const TimelineAnnotation& annotation);
    void clear();

    const QList<TimelineAnnotation>& all() const { return m_items; } // oldest first
    // Those with fromMs <= time <= toMs, oldest first.
    QList<TimelineAnnotation> between(qint64 fromMs, qint64 toMs) const;
    qsizetype capacity() const { return m_capacity; }
    // Grows with every change, so a chart can skip redrawing when nothing moved.
    quint64 revision() const { return m_revision; }

    // Sources: what each holds now, then what each adds. The sources outlive this object or
    // are disconnected by Qt when they go.
    void watchBreakers(const BreakerTimelineModel* model);
    void watchDrills(const DrillHistoryModel* model);
    void watchEventLog(const EventLogModel* model);
    void watchActions(const ActionClient* client, const QString& agentId);

    // What a job is on the timeline: its start, and its end once final (two markers).
    static QList<TimelineAnnotation> fromJob(const ActionJob& job, const QString& agentId);

signals:
    void changed();

private:
    void addAll(const QList<TimelineAnnotation>& annotations);

    qsizetype m_capacity;
    QList<TimelineAnnotation> m_items; // by time, oldest first
    QSet<QString> m_identities;
    quint64 m_revision = 0;
};

} // namespace switchboard
