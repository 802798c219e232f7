#include "PrometheusHistory.h"

#include "ParserThread.h"
#include "PrometheusHistoryQuery.h"
#include "TimeSeriesStore.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace switchboard {

PrometheusHistory::PrometheusHistory(PrometheusSource* source, TimeSeriesStore* store,
                                     QObject* parent)
    : QObject(parent)
    , m_source(source)
    , m_store(store) {
    connect(m_source, &PrometheusSource::seriesReceived, this, &PrometheusHistory::onSeries);
    connect(m_source, &PrometheusSource::metadataReceived, this, &PrometheusHistory::onMetadata);
    connect(m_source, &PrometheusSource::requestFailed, this, &PrometheusHistory::onFailed);
}

PrometheusHistory::~PrometheusHistory() {
    // A write under way holds the store: let it finish before the caller may destroy the store.
    for (auto* watcher : findChildren<QFutureWatcher<Stored>*>())
        watcher->waitForFinished();
}

void PrometheusHistory::setAgents(const QHash<QString, QString>& agentByInstance) {
    m_labels.setAgents(agentByInstance);
}

void PrometheusHistory::setTargetLabelNames(const QSet<QString>& names) {
    m_labels.setTargetLabelNames(names);
}

void PrometheusHistory::refreshCatalog() {
    m_catalogRequest = m_source->metadata();
}

QList<quint64> PrometheusHistory::load(const QList<ChartRequest>& charts, qint64 fromMs,
                                       qint64 toMs, int widthPx) {
    // The previous load's signals are superseded; its answers still count while they are the
    // newest for their chart (a chart this load leaves out keeps its last answer).
    m_outstanding.clear();
    m_loadFailure.clear();
    QList<quint64> ids;
    QHash<QString, quint64> thisLoad; // two charts of one metric and filter: one request
    for (const ChartRequest& chart : charts) {
        if (const quint64 same = thisLoad.value(chart.key())) {
            ids.append(same);
            continue;
        }
        const PrometheusRangeQuery range =
            PrometheusHistoryQuery::rangeQuery(chart, m_labels, fromMs, toMs, widthPx);
        const quint64 id = m_source->queryRange(range);
        if (const quint64 older = m_latestByChart.value(chart.key()))
            m_requests.remove(older);
        m_latestByChart.insert(chart.key(), id);
        m_requests.insert(id,
                          {chart, range.start.toMSecsSinceEpoch(), range.end.toMSecsSinceEpoch()});
        m_outstanding.insert(id);
        thisLoad.insert(chart.key(), id);
        ids.append(id);
    }
    return ids;
}

PrometheusHistory::Stored PrometheusHistory::storeSeries(TimeSeriesStore& store,
                                                         const PrometheusAgentLabels& labels,
                                                         const ChartRequest& chart, qint64 fromMs,
                                                         qint64 toMs,
                                                         const QList<PrometheusSeries>& series) {
    Stored stored;
    QList<SeriesPoint> points;
    for (const PrometheusSeries& one : series) {
        const std::optional<SeriesKey> key = labels.seriesKey(chart.info.name, one.labels);
        if (!key) {
            ++stored.unmapped;
            continue;
        }
        // Terms PromQL could not carry (an unknown agent) would keep these off the chart:
        // storing them would only take room.
        if (!chart.filter.matches(*key)) {
            ++stored.filtered;
            continue;
        }
        points.resize(0);
        points.reserve(one.points.size());
        for (const PrometheusPoint& point : one.points)
            points.append({point.timeMs, point.value});
        if (store.replaceRange(*key, fromMs, toMs, points) ==
            TimeSeriesStore::AppendResult::OverBudget)
            ++stored.refused;
        else
            ++stored.series;
    }
    return stored;
}

void PrometheusHistory::onSeries(quint64 id, const QList<PrometheusSeries>& series) {
    const auto request = m_requests.constFind(id);
    if (request == m_requests.cend())
        return; // another caller's, or superseded by a newer load of its chart
    // Written on the parser thread (the store is thread-safe): 500 series of a quarter of an
    // hour took 70–110 ms in a debug build, too long a pause for the GUI thread. One thread runs
    // the writes in the order the answers came, so a newer answer lands after an older one.
    auto* watcher = new QFutureWatcher<Stored>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        const Stored stored = watcher->result();
        m_totals.series += stored.series;
        m_totals.unmapped += stored.unmapped;
        m_totals.filtered += stored.filtered;
        m_totals.refused += stored.refused;
        settle(id, {});
    });
    watcher->setFuture(QtConcurrent::run(
        parserThread(), [store = m_store, labels = m_labels, request = *request, series] {
            return storeSeries(*store, labels, request.chart, request.fromMs, request.toMs, series);
        }));
}

void PrometheusHistory::onMetadata(quint64 id, const QList<MetricInfo>& catalog) {
    if (id != m_catalogRequest)
        return;
    m_catalogRequest = 0;
    m_catalog = catalog;
    emit catalogChanged();
}

void PrometheusHistory::onFailed(quint64 id, PrometheusSource::Operation operation,
                                 const PrometheusError& error) {
    if (operation == PrometheusSource::Operation::Metadata && id == m_catalogRequest) {
        m_catalogRequest = 0;
        emit failed(error.text());
        return;
    }
    if (m_requests.contains(id))
        settle(id, error.text());
}

void PrometheusHistory::settle(quint64 id, const QString& failure) {
    const Request request = m_requests.take(id);
    if (m_latestByChart.value(request.chart.key()) == id)
        m_latestByChart.remove(request.chart.key());
    if (!m_outstanding.remove(id))
        return; // an earlier load's: its signals were superseded
    if (m_loadFailure.isEmpty())
        m_loadFailure = failure;
    if (!m_outstanding.isEmpty())
        return;
    if (m_loadFailure.isEmpty())
        emit loaded();
    else
        emit failed(m_loadFailure);
}

} // namespace switchboard
