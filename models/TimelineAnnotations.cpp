#include "TimelineAnnotations.h"

#include "ActionClient.h"
#include "ActionJob.h"
#include "BreakerTimelineModel.h"
#include "DrillHistoryModel.h"
#include "EventLogModel.h"

#include <algorithm>
#include <optional>

namespace switchboard {

namespace {

TimelineAnnotation fromBreaker(const BreakerTransitionEntry& entry) {
    return {
        entry.timeMs, TimelineAnnotation::Kind::Breaker,
        QStringLiteral("%1 %2: %3 → %4").arg(entry.instance, entry.breaker, entry.from, entry.to),
        entry.agentId,
        QStringLiteral("breaker:%1:%2:%3:%4")
            .arg(entry.agentId, entry.breaker, QString::number(entry.timeMs), entry.to)};
}

QList<TimelineAnnotation> fromDrill(const DrillResult& drill) {
    QList<TimelineAnnotation> out;
    const QString what =
        QStringLiteral("%1 drill (%2) in %3").arg(drill.kind, drill.mode, drill.region);
    if (drill.startedMs > 0)
        out.append({drill.startedMs, TimelineAnnotation::Kind::Drill,
                    QStringLiteral("%1 started").arg(what), QString(),
                    QStringLiteral("drill:%1:start").arg(drill.id)});
    if (drill.finishedMs > 0)
        out.append({drill.finishedMs, TimelineAnnotation::Kind::Drill,
                    QStringLiteral("%1 %2").arg(what, drill.outcome), QString(),
                    QStringLiteral("drill:%1:end").arg(drill.id)});
    return out;
}

// Breaker lines of the event log are the breaker timeline's, which has the agent's own time.
std::optional<TimelineAnnotation> fromLogEntry(const EventLogEntry& entry) {
    if (entry.kind == EventLogEntry::Kind::Breaker || !entry.time.isValid())
        return std::nullopt;
    const qint64 timeMs = entry.time.toMSecsSinceEpoch();
    return TimelineAnnotation{
        timeMs, TimelineAnnotation::Kind::Connection,
        QStringLiteral("%1: %2").arg(entry.agent, entry.message), QString(),
        QStringLiteral("log:%1:%2:%3").arg(QString::number(timeMs), entry.agent, entry.message)};
}

} // namespace

TimelineAnnotations::TimelineAnnotations(qsizetype capacity, QObject* parent)
    : QObject(parent)
    , m_capacity(std::max<qsizetype>(1, capacity)) {}

bool TimelineAnnotations::add(const TimelineAnnotation& annotation) {
    if (m_identities.contains(annotation.identity))
        return false;
    // After those of the same time: they came first.
    const auto at = std::upper_bound(
        m_items.begin(), m_items.end(), annotation.timeMs,
        [](qint64 timeMs, const TimelineAnnotation& item) { return timeMs < item.timeMs; });
    if (at == m_items.begin() && m_items.size() >= m_capacity)
        return false; // older than everything a full timeline keeps
    m_items.insert(at, annotation);
    m_identities.insert(annotation.identity);
    while (m_items.size() > m_capacity)
        m_identities.remove(m_items.takeFirst().identity);
    ++m_revision;
    emit changed();
    return true;
}

void TimelineAnnotations::addAll(const QList<TimelineAnnotation>& annotations) {
    for (const TimelineAnnotation& annotation : annotations)
        add(annotation);
}

void TimelineAnnotations::clear() {
    m_items.clear();
    m_identities.clear();
    ++m_revision;
    emit changed();
}

QList<TimelineAnnotation> TimelineAnnotations::between(qint64 fromMs, qint64 toMs) const {
    const auto first = std::lower_bound(
        m_items.cbegin(), m_items.cend(), fromMs,
        [](const TimelineAnnotation& item, qint64 timeMs) { return item.timeMs < timeMs; });
    const auto last = std::upper_bound(
        first, m_items.cend(), toMs,
        [](qint64 timeMs, const TimelineAnnotation& item) { return timeMs < item.timeMs; });
    return QList<TimelineAnnotation>(first, last);
}

void TimelineAnnotations::watchBreakers(const BreakerTimelineModel* model) {
    const auto read = [this, model](int first, int last) {
        for (int row = first; row <= last; ++row)
            add(fromBreaker(model->entry(row)));
    };
    read(0, model->rowCount() - 1);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [read](const QModelIndex&, int first, int last) { read(first, last); });
}

void TimelineAnnotations::watchDrills(const DrillHistoryModel* model) {
    // Fed whole lists: identities keep each drill's markers single.
    const auto read = [this, model] {
        for (const DrillResult& drill : model->drills())
            addAll(fromDrill(drill));
    };
    read();
    connect(model, &QAbstractItemModel::modelReset, this, read);
    connect(model, &QAbstractItemModel::rowsInserted, this, read);
}

void TimelineAnnotations::watchEventLog(const EventLogModel* model) {
    const auto read = [this, model](int first, int last) {
        for (int row = first; row <= last; ++row)
            if (const auto annotation = fromLogEntry(model->entry(row)))
                add(*annotation);
    };
    read(0, model->rowCount() - 1);
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [read](const QModelIndex&, int first, int last) { read(first, last); });
}

void TimelineAnnotations::watchActions(const ActionClient* client, const QString& agentId) {
    const auto read = [this, agentId](quint64, const ActionJob& job) {
        addAll(fromJob(job, agentId));
    };
    connect(client, &ActionClient::confirmed, this, read);
    connect(client, &ActionClient::jobFetched, this, read);
    connect(client, &ActionClient::jobsFetched, this,
            [this, agentId](quint64, const QList<ActionJob>& jobs) {
                for (const ActionJob& job : jobs)
                    addAll(fromJob(job, agentId));
            });
}

QList<TimelineAnnotation> TimelineAnnotations::fromJob(const ActionJob& job,
                                                       const QString& agentId) {
    QList<TimelineAnnotation> out;
    const QString what =
        job.target.isEmpty() ? job.kind : QStringLiteral("%1 %2").arg(job.kind, job.target);
    if (job.startedMs > 0)
        out.append({job.startedMs, TimelineAnnotation::Kind::Action,
                    QStringLiteral("%1 started").arg(what), agentId,
                    QStringLiteral("job:%1:%2:start").arg(agentId, job.id)});
    if (job.isFinal() && job.finishedMs > 0)
        out.append({job.finishedMs, TimelineAnnotation::Kind::Action,
                    QStringLiteral("%1 %2").arg(what, job.state), agentId,
                    QStringLiteral("job:%1:%2:end").arg(agentId, job.id)});
    return out;
}

} // namespace switchboard
