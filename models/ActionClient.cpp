#include "ActionClient.h"

#include "ActionDocuments.h"
#include "FinishedReply.h"
#include "ProtocolNames.h"
#include "TlsTrust.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QUuid>
#include <switchboard/protocol.h>

namespace switchboard {

namespace {

// Keys kept for retries: far more plans and jobs than one console confirms in a session.
constexpr qsizetype kMaxKeptKeys = 256;

QByteArray latin1(std::string_view text) {
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

// An id in a path segment: the agent's ids are URL-safe today, but a stray '/' must never
// turn a confirm into a request for another path.
QString segment(const QString& id) {
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

ActionClient::ActionClient(const QUrl& baseUrl, const QString& token, QObject* parent)
    : QObject(parent)
    , m_baseUrl(baseUrl)
    , m_ssl(TlsTrust::systemConfiguration()) {
    if (!token.isEmpty())
        m_authorization = latin1(protocol::kBearerPrefix) + token.toUtf8();
}

ActionClient::~ActionClient() {
    // Replies still in flight die with the network manager; detach them first so none finishes
    // into this half-destroyed object.
    const QList<QNetworkReply*> replies = m_pending.keys();
    m_pending.clear();
    for (QNetworkReply* reply : replies) {
        reply->disconnect(this);
        reply->abort();
    }
}

quint64 ActionClient::plan(const QString& kind, const QString& target, const QJsonObject& params) {
    QJsonObject body;
    body.insert(qtName(protocol::field::kKind), kind);
    body.insert(qtName(protocol::field::kTarget), target);
    body.insert(qtName(protocol::field::kParams), params);
    return post(Operation::Plan, qtName(protocol::path::kPlans),
                QJsonDocument(body).toJson(QJsonDocument::Compact), {});
}

quint64 ActionClient::confirm(const QString& planId) {
    return post(Operation::Confirm,
                qtName(protocol::path::kPlans) + QLatin1Char('/') + segment(planId) +
                    qtName(protocol::path::kConfirmSuffix),
                {}, QStringLiteral("confirm:") + planId);
}

quint64 ActionClient::cancel(const QString& jobId) {
    return post(Operation::Cancel,
                qtName(protocol::path::kJobs) + QLatin1Char('/') + segment(jobId) +
                    qtName(protocol::path::kCancelSuffix),
                {}, QStringLiteral("cancel:") + jobId);
}

quint64 ActionClient::fetchJob(const QString& jobId) {
    return get(Operation::FetchJob,
               qtName(protocol::path::kJobs) + QLatin1Char('/') + segment(jobId));
}

quint64 ActionClient::fetchJobs() {
    return get(Operation::FetchJobs, qtName(protocol::path::kJobs));
}

quint64 ActionClient::fetchAudit(qint64 before, int limit) {
    QUrlQuery query;
    if (before >= 0)
        query.addQueryItem(qtName(protocol::query::kBefore), QString::number(before));
    // The agent serves at most 1000 per page.
    query.addQueryItem(qtName(protocol::query::kLimit), QString::number(qBound(1, limit, 1000)));
    return get(Operation::FetchAudit, qtName(protocol::path::kAudit), query.toString());
}

QString ActionClient::keyFor(const QString& slot) {
    if (slot.isEmpty())
        return QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (const auto found = m_keys.constFind(slot); found != m_keys.constEnd())
        return *found;
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_keys.insert(slot, key);
    m_keyOrder.append(slot);
    while (m_keyOrder.size() > kMaxKeptKeys)
        m_keys.remove(m_keyOrder.takeFirst());
    return key;
}

quint64 ActionClient::post(Operation operation, const QString& path, const QByteArray& body,
                           const QString& keySlot) {
    return send(operation, QByteArrayLiteral("POST"), path, {}, body, keySlot, keyFor(keySlot));
}

quint64 ActionClient::get(Operation operation, const QString& path, const QString& query) {
    return send(operation, QByteArrayLiteral("GET"), path, query, {}, {}, {});
}

QUrl ActionClient::urlFor(const QString& path, const QString& query) const {
    QUrl url = m_baseUrl;
    QString basePath = m_baseUrl.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    // Already percent-encoded ids must stay so: set the path in its encoded form.
    url.setPath(basePath + path, QUrl::TolerantMode);
    url.setQuery(query.isEmpty() ? QString() : query);
    return url;
}

quint64 ActionClient::send(Operation operation, const QByteArray& method, const QString& path,
                           const QString& query, const QByteArray& body, const QString& keySlot,
                           const QString& idempotencyKey) {
    QNetworkRequest request(urlFor(path, query));
    if (!m_authorization.isEmpty())
        request.setRawHeader(latin1(protocol::kAuthorizationHeader), m_authorization);
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    request.setSslConfiguration(m_ssl);
    if (!idempotencyKey.isEmpty())
        request.setRawHeader(latin1(protocol::kIdempotencyKeyHeader), idempotencyKey.toLatin1());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    // No byte for this long (connecting included) and the request is abandoned: a stopped
    // agent must not leave a dialog waiting for ever.
    request.setTransferTimeout(static_cast<int>(m_timeout.count()));

    QNetworkReply* reply = method == "POST" ? m_network.post(request, body)
                                            : m_network.sendCustomRequest(request, method);
    const Pending pending{m_nextId++, operation, keySlot};
    m_pending.insert(reply, pending);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onFinished(reply); });
    return pending.id;
}

void ActionClient::onFinished(QNetworkReply* reply) {
    const std::optional<Pending> pending = FinishedReply::take(m_pending, reply);
    if (!pending)
        return;
    FinishedReply::NoAnswer noAnswer;
    const std::optional<int> status = FinishedReply::status(reply, m_baseUrl, m_timeout, &noAnswer);
    if (!status) {
        // No HTTP answer at all. The key stays: the agent may have acted, and only the same key
        // makes pressing the button again safe.
        ActionError error;
        error.reason = noAnswer.timedOut ? ActionError::kTimeout : ActionError::kNetwork;
        error.message = noAnswer.message;
        emit requestFailed(pending->id, pending->operation, error);
        return;
    }
    deliver(*pending, *status, reply->readAll());
}

void ActionClient::deliver(const Pending& pending, int httpStatus, const QByteArray& body) {
    const bool success = httpStatus >= 200 && httpStatus < 300;
    // The agent answered: a refusal is final for this key (the agent would replay it), so the
    // next attempt needs a new key; an acceptance keeps it, and a repeat gets the same job back.
    if (!success && !pending.keySlot.isEmpty()) {
        m_keys.remove(pending.keySlot);
        m_keyOrder.removeOne(pending.keySlot);
    }
    if (!success) {
        emit requestFailed(pending.id, pending.operation,
                           ActionDocuments::parseError(httpStatus, body));
        return;
    }

    QString parseError;
    const std::optional<QJsonObject> document = ActionDocuments::parseBody(body, &parseError);
    const auto unreadable = [&] {
        ActionError error;
        error.httpStatus = httpStatus;
        error.reason = ActionError::kBadResponse;
        error.message = parseError;
        emit requestFailed(pending.id, pending.operation, error);
    };
    if (!document) {
        unreadable();
        return;
    }
    switch (pending.operation) {
    case Operation::Plan:
        if (auto plan = ActionDocuments::parsePlan(*document, &parseError))
            emit planned(pending.id, *plan);
        else
            unreadable();
        return;
    case Operation::Confirm:
    case Operation::Cancel:
    case Operation::FetchJob:
        if (auto job = ActionDocuments::parseJob(*document, &parseError)) {
            if (pending.operation == Operation::Confirm)
                emit confirmed(pending.id, *job);
            else if (pending.operation == Operation::Cancel)
                emit cancelRequested(pending.id, *job);
            else
                emit jobFetched(pending.id, *job);
        } else {
            unreadable();
        }
        return;
    case Operation::FetchJobs:
        if (auto jobs = ActionDocuments::parseJobList(*document, &parseError))
            emit jobsFetched(pending.id, *jobs);
        else
            unreadable();
        return;
    case Operation::FetchAudit:
        if (auto page = ActionDocuments::parseAuditPage(*document, &parseError))
            emit auditFetched(pending.id, *page);
        else
            unreadable();
        return;
    }
}

} // namespace switchboard
