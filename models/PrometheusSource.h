#pragma once

#include "MetricInfo.h"
#include "PrometheusError.h"
#include "PrometheusRangeQuery.h"
#include "PrometheusSeries.h"
#include "PrometheusTarget.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>
#include <chrono>
#include <functional>
#include <variant>

class QNetworkReply;

namespace switchboard {

// A Prometheus server's HTTP API as the console's fleet data source past direct connections
// (docs/metrics.md): discover the agents it scrapes, read their history. Every call returns a
// request id at once; the answer comes later as one signal carrying it, always from the event
// loop. Answers are parsed on a parser thread shared by all sources (500 targets or 500 series
// of history are megabytes of JSON), so the GUI thread only sends and receives bytes. Every request
// gives up after timeout(); every failure is a requestFailed with a PrometheusError, never an empty
// list.
class PrometheusSource : public QObject {
    Q_OBJECT
public:
    enum class Operation { DiscoverTargets, Query, QueryRange, Metadata };
    Q_ENUM(Operation)

    static constexpr std::chrono::milliseconds kDefaultTimeout{10000};

    explicit PrometheusSource(const QUrl& baseUrl, QObject* parent = nullptr);
    ~PrometheusSource() override;

    QUrl baseUrl() const { return m_baseUrl; }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // A Prometheus behind a proxy that wants a bearer token; the stack's needs none.
    void setBearerToken(const QString& token);
    // Requests sent or being parsed, not answered yet.
    int pendingCount() const { return static_cast<int>(m_pending.size()) + m_parsing; }

    // GET /api/v1/targets?state=active → targetsDiscovered
    quint64 discoverTargets();
    // POST /api/v1/query (at `time`, or Prometheus's now when invalid) → seriesReceived
    quint64 query(const QString& promql, const QDateTime& time = {});
    // POST /api/v1/query_range → seriesReceived; a range Prometheus would refuse (see
    // PrometheusRangeQuery::problem) fails with BadRequest without being sent.
    quint64 queryRange(const PrometheusRangeQuery& range);
    // GET /api/v1/metadata → metadataReceived: the targets' metrics as the metric browser's
    // catalog (PrometheusAnswers::metadata), the same one the direct scraper builds.
    quint64 metadata();

signals:
    void targetsDiscovered(quint64 requestId, const QList<switchboard::PrometheusTarget>& targets);
    void seriesReceived(quint64 requestId, const QList<switchboard::PrometheusSeries>& series);
    void metadataReceived(quint64 requestId, const QList<switchboard::MetricInfo>& catalog);
    void requestFailed(quint64 requestId, switchboard::PrometheusSource::Operation operation,
                       const switchboard::PrometheusError& error);

private:
    struct Pending {
        quint64 id = 0;
        Operation operation = Operation::DiscoverTargets;
    };

    using Form = QList<QPair<QString, QString>>;

    // Queries go as POST forms: a fleet's matchers can outgrow a URL. No form: a GET.
    quint64 send(Operation operation, const QString& path, const Form* form);
    void onFinished(QNetworkReply* reply);
    void parse(const Pending& pending, int httpStatus, const QByteArray& body);
    template <typename Value, typename Deliver>
    void parseOffThread(const Pending& pending,
                        std::function<std::variant<Value, PrometheusError>()> parse,
                        Deliver deliver);
    void fail(const Pending& pending, const PrometheusError& error);
    QUrl urlFor(const QString& path) const;

    QUrl m_baseUrl;
    QByteArray m_authorization;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    QNetworkAccessManager m_network;
    quint64 m_nextId = 1;
    QHash<QNetworkReply*, Pending> m_pending;
    int m_parsing = 0;
};

} // namespace switchboard
