#pragma once

#include "ChartRequest.h"
#include "MetricInfo.h"
#include "PrometheusAgentLabels.h"
#include "PrometheusSource.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

namespace switchboard {

class TimeSeriesStore;

// The Metrics view's data when the fleet is read through Prometheus (docs/metrics.md, "History
// through Prometheus"): the metric catalog from Prometheus's metadata, and each chart's series
// over the visible range by query_range, written into the TimeSeriesStore under the very keys
// the direct scraper would use (PrometheusAgentLabels), so charts, legends and filters work
// unchanged. A load replaces the range's points (a live view reloads every few seconds); an
// answer that arrives after a newer load of the same chart is dropped. The GUI thread only sends
// and receives: the answers are parsed (PrometheusSource) and written into the store
// (storeSeries: 70–110 ms for 500 series of 900 points in a debug build, tst_prometheus_history)
// on the console's one parser thread.
//
// `source` and `store` must outlive this object; the source may be shared (answers to other
// callers are ignored). GUI thread.
class PrometheusHistory : public QObject {
    Q_OBJECT
public:
    // What one answer put into the store.
    struct Stored {
        int series = 0;   // series written
        int unmapped = 0; // series of an instance that is no agent of the console's: left out
        int filtered = 0; // series the chart's own filter refuses (terms PromQL could not carry)
        int refused = 0;  // series the store refused (over its byte budget)
    };

    PrometheusHistory(PrometheusSource* source, TimeSeriesStore* store, QObject* parent = nullptr);
    // Waits for a write into the store under way (at most one answer's).
    ~PrometheusHistory() override;

    // Prometheus's `instance` label value → the console's agent id (a URL string).
    void setAgents(const QHash<QString, QString>& agentByInstance);
    // The label names the targets attach (e.g. every PrometheusTarget::labels key): stripped
    // from the stored keys, as the scraper's series never carry them.
    void setTargetLabelNames(const QSet<QString>& names);
    const PrometheusAgentLabels& labels() const { return m_labels; }

    // Asks Prometheus's metadata; catalogChanged() when it is in (failed() otherwise).
    void refreshCatalog();
    QList<MetricInfo> catalog() const { return m_catalog; }

    // One query_range per chart for [fromMs, toMs] drawn `widthPx` wide (PrometheusHistoryQuery);
    // returns the request ids, one per chart in order. loaded() once all of them are in, or
    // failed() with the first failure's sentence; a newer load supersedes this one's signals.
    QList<quint64> load(const QList<ChartRequest>& charts, qint64 fromMs, qint64 toMs, int widthPx);
    bool isLoading() const { return !m_outstanding.isEmpty(); }
    // Totals since construction (what the status line or a test may want to know).
    const Stored& storedTotals() const { return m_totals; }

    // Writes one answer for `chart` over [fromMs, toMs] into `store`, replacing that range.
    // Public and static for tests and measurements.
    static Stored storeSeries(TimeSeriesStore& store, const PrometheusAgentLabels& labels,
                              const ChartRequest& chart, qint64 fromMs, qint64 toMs,
                              const QList<PrometheusSeries>& series);

signals:
    void catalogChanged();
    void loaded();
    void failed(const QString& sentence);

private:
    struct Request {
        ChartRequest chart;
        qint64 fromMs = 0; // the query's start and end, on its step grid
        qint64 toMs = 0;
    };

    void onSeries(quint64 id, const QList<PrometheusSeries>& series);
    void onMetadata(quint64 id, const QList<MetricInfo>& catalog);
    void onFailed(quint64 id, PrometheusSource::Operation operation, const PrometheusError& error);
    // The answer to request `id` (of some load) is in: the latest load may be complete.
    void settle(quint64 id, const QString& failure);

    PrometheusSource* m_source;
    TimeSeriesStore* m_store;
    PrometheusAgentLabels m_labels;
    QList<MetricInfo> m_catalog;
    quint64 m_catalogRequest = 0;
    QHash<quint64, Request> m_requests;      // sent, not answered, not superseded
    QHash<QString, quint64> m_latestByChart; // ChartRequest::key() → its newest request
    QSet<quint64> m_outstanding;             // the latest load's requests not answered yet
    QString m_loadFailure;                   // the latest load's first failure
    Stored m_totals;
};

} // namespace switchboard
