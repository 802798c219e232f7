#include "PrometheusSource.h"

#include "FinishedReply.h"
#include "ParserThread.h"
#include "PrometheusAnswers.h"

#include <QFutureWatcher>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace switchboard {

namespace {

// application/x-www-form-urlencoded, every reserved byte escaped: QUrlQuery leaves '+' as it is,
// which a form decoder (Prometheus's Go) reads as a space, and "a + b" would become "a   b".
QByteArray formBody(const QList<QPair<QString, QString>>& fields) {
    QByteArray body;
    for (const auto& [name, value] : fields) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

// Prometheus takes times as (fractional) seconds since the epoch.
QString seconds(const QDateTime& time) {
    return QString::number(static_cast<double>(time.toMSecsSinceEpoch()) / 1000.0, 'f', 3);
}

} // namespace

PrometheusSource::PrometheusSource(const QUrl& baseUrl, QObject* parent)
    : QObject(parent)
    , m_baseUrl(baseUrl) {
    qRegisterMetaType<PrometheusTarget>();
    qRegisterMetaType<PrometheusSeries>();
    qRegisterMetaType<PrometheusError>();
    qRegisterMetaType<MetricInfo>();
}

PrometheusSource::~PrometheusSource() {
    // Replies still out die with m_network, parses still running lose their watchers (children):
    // no signal comes from a destroyed source.
    m_pending.clear();
}

void PrometheusSource::setBearerToken(const QString& token) {
    m_authorization = token.isEmpty() ? QByteArray() : "Bearer " + token.toUtf8();
}

quint64 PrometheusSource::discoverTargets() {
    // Active only: dropped targets (relabeled away) can outnumber them and nobody shows them.
    return send(Operation::DiscoverTargets, QStringLiteral("/api/v1/targets?state=active"),
                nullptr);
}

quint64 PrometheusSource::query(const QString& promql, const QDateTime& time) {
    Form form{{QStringLiteral("query"), promql}};
    if (time.isValid())
        form.append({QStringLiteral("time"), seconds(time)});
    return send(Operation::Query, QStringLiteral("/api/v1/query"), &form);
}

quint64 PrometheusSource::queryRange(const PrometheusRangeQuery& range) {
    if (const QString problem = range.problem(); !problem.isEmpty()) {
        const Pending pending{m_nextId++, Operation::QueryRange};
        // From the event loop, as every other answer: a caller connects after calling.
        QMetaObject::invokeMethod(
            this,
            [this, pending, problem] {
                fail(pending, {PrometheusError::Kind::BadRequest, 0, {}, problem});
            },
            Qt::QueuedConnection);
        return pending.id;
    }
    const Form form{{QStringLiteral("query"), range.query},
                    {QStringLiteral("start"), seconds(range.start)},
                    {QStringLiteral("end"), seconds(range.end)},
                    {QStringLiteral("step"),
                     QString::number(static_cast<double>(range.step.count()) / 1000.0, 'f', 3)}};
    return send(Operation::QueryRange, QStringLiteral("/api/v1/query_range"), &form);
}

quint64 PrometheusSource::metadata() {
    return send(Operation::Metadata, QStringLiteral("/api/v1/metadata"), nullptr);
}

QUrl PrometheusSource::urlFor(const QString& pathAndQuery) const {
    QString base = m_baseUrl.toString(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return QUrl(base + pathAndQuery);
}

quint64 PrometheusSource::send(Operation operation, const QString& path, const Form* form) {
    QNetworkRequest request(urlFor(path));
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    if (!m_authorization.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), m_authorization);
    // No byte for this long (connecting included) and the request is abandoned: a hung
    // Prometheus must not leave the fleet view waiting for ever.
    request.setTransferTimeout(static_cast<int>(m_timeout.count()));
    QNetworkReply* reply = nullptr;
    if (form) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QStringLiteral("application/x-www-form-urlencoded"));
        reply = m_network.post(request, formBody(*form));
    } else {
        reply = m_network.get(request);
    }
    const Pending pending{m_nextId++, operation};
    m_pending.insert(reply, pending);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    return pending.id;
}

void PrometheusSource::onFinished(QNetworkReply* reply) {
    const std::optional<Pending> pending = FinishedReply::take(m_pending, reply);
    if (!pending)
        return;
    FinishedReply::NoAnswer noAnswer;
    const std::optional<int> status = FinishedReply::status(reply, m_baseUrl, m_timeout, &noAnswer);
    if (!status) {
        using Kind = PrometheusError::Kind;
        fail(*pending,
             {noAnswer.timedOut ? Kind::Timeout : Kind::Network, 0, {}, noAnswer.message});
        return;
    }
    parse(*pending, *status, reply->readAll());
}

template <typename Value, typename Deliver>
void PrometheusSource::parseOffThread(const Pending& pending,
                                      std::function<std::variant<Value, PrometheusError>()> parse,
                                      Deliver deliver) {
    ++m_parsing;
    // A watcher owned by this, not QFuture::then(this, ...): Qt 6.4's then() asserts when its
    // context dies first. A destroyed source takes its watchers along, and no signal comes.
    using Result = std::variant<Value, PrometheusError>;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, pending, deliver] {
        watcher->deleteLater();
        --m_parsing;
        const Result result = watcher->result();
        if (const auto* error = std::get_if<PrometheusError>(&result))
            fail(pending, *error);
        else
            deliver(std::get<Value>(result));
    });
    watcher->setFuture(QtConcurrent::run(parserThread(), std::move(parse)));
}

void PrometheusSource::parse(const Pending& pending, int httpStatus, const QByteArray& body) {
    if (pending.operation == Operation::DiscoverTargets) {
        parseOffThread<QList<PrometheusTarget>>(
            pending, [httpStatus, body] { return PrometheusAnswers::targets(httpStatus, body); },
            [this, id = pending.id](const QList<PrometheusTarget>& targets) {
                emit targetsDiscovered(id, targets);
            });
        return;
    }
    if (pending.operation == Operation::Metadata) {
        parseOffThread<QList<MetricInfo>>(
            pending, [httpStatus, body] { return PrometheusAnswers::metadata(httpStatus, body); },
            [this, id = pending.id](const QList<MetricInfo>& catalog) {
                emit metadataReceived(id, catalog);
            });
        return;
    }
    parseOffThread<QList<PrometheusSeries>>(
        pending, [httpStatus, body] { return PrometheusAnswers::series(httpStatus, body); },
        [this, id = pending.id](const QList<PrometheusSeries>& series) {
            emit seriesReceived(id, series);
        });
}

void PrometheusSource::fail(const Pending& pending, const PrometheusError& error) {
    emit requestFailed(pending.id, pending.operation, error);
}

} // namespace switchboard
