#pragma once

#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "AuditPage.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>
#include <chrono>

class QNetworkReply;

namespace switchboard {

// One agent's action API over HTTP (docs/protocol.md, "Actions"): plan, confirm, cancel, and
// reading jobs and the audit log. Every call returns at once with a request id; its answer
// comes later as one signal carrying that id (the parsed value, or requestFailed), always from
// the event loop, never from inside the call. Every request gives up after timeout().
//
// Idempotency: every POST carries an Idempotency-Key. confirm() and cancel() keep one key per
// plan or job id until the agent answers, so pressing Confirm again after a lost answer (a
// network error, a timeout) repeats the same request and the agent acts at most once; once the
// agent has refused (busy, say), the next press is a new attempt with a new key, as the agent
// replays the answer it gave to a key. A plan changes nothing, so plan() takes a fresh key.
class ActionClient : public QObject {
    Q_OBJECT
public:
    enum class Operation { Plan, Confirm, Cancel, FetchJob, FetchJobs, FetchAudit };
    Q_ENUM(Operation)

    static constexpr std::chrono::milliseconds kDefaultTimeout{10000};
    static constexpr int kDefaultAuditLimit = 100;

    ActionClient(const QUrl& baseUrl, const QString& token, QObject* parent = nullptr);
    ~ActionClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    // Whom an https:// agent's certificate must chain to (TlsTrust); the system's CAs until
    // set. A certificate that fails is a network error naming the failed check.
    void setSslConfiguration(const QSslConfiguration& configuration) { m_ssl = configuration; }
    // Requests sent and not answered yet.
    int pendingCount() const { return static_cast<int>(m_pending.size()); }

    // POST /v1/plans → planned
    quint64 plan(const QString& kind, const QString& target, const QJsonObject& params);
    // POST /v1/plans/<id>/confirm → confirmed (the job, final if it finished quickly)
    quint64 confirm(const QString& planId);
    // POST /v1/jobs/<id>/cancel → cancelRequested (the job, cancelling or cancelled)
    quint64 cancel(const QString& jobId);
    // GET /v1/jobs/<id> → jobFetched
    quint64 fetchJob(const QString& jobId);
    // GET /v1/jobs → jobsFetched, newest first
    quint64 fetchJobs();
    // GET /v1/audit?before=&limit= → auditFetched, newest first; before < 0: the newest page
    quint64 fetchAudit(qint64 before = -1, int limit = kDefaultAuditLimit);

signals:
    void planned(quint64 requestId, const switchboard::ActionPlan& plan);
    void confirmed(quint64 requestId, const switchboard::ActionJob& job);
    void cancelRequested(quint64 requestId, const switchboard::ActionJob& job);
    void jobFetched(quint64 requestId, const switchboard::ActionJob& job);
    void jobsFetched(quint64 requestId, const QList<switchboard::ActionJob>& jobs);
    void auditFetched(quint64 requestId, const switchboard::AuditPage& page);
    // Any request's refusal by the agent, or no usable answer (see ActionError).
    void requestFailed(quint64 requestId, switchboard::ActionClient::Operation operation,
                       const switchboard::ActionError& error);

private:
    struct Pending {
        quint64 id = 0;
        Operation operation = Operation::Plan;
        QString keySlot; // where the idempotency key is kept ("confirm:<plan id>"), if anywhere
    };

    quint64 send(Operation operation, const QByteArray& method, const QString& path,
                 const QString& query, const QByteArray& body, const QString& keySlot,
                 const QString& idempotencyKey);
    quint64 post(Operation operation, const QString& path, const QByteArray& body,
                 const QString& keySlot);
    quint64 get(Operation operation, const QString& path, const QString& query = {});
    QString keyFor(const QString& slot);
    void onFinished(QNetworkReply* reply);
    void deliver(const Pending& pending, int httpStatus, const QByteArray& body);
    QUrl urlFor(const QString& path, const QString& query) const;

    QUrl m_baseUrl;
    QByteArray m_authorization;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    QSslConfiguration m_ssl;
    QNetworkAccessManager m_network;
    quint64 m_nextId = 1;
    QHash<QNetworkReply*, Pending> m_pending;
    // Idempotency keys kept for a retry of the same logical request, oldest first in m_keyOrder
    // so the table stays bounded however long the console runs.
    QHash<QString, QString> m_keys;
    QList<QString> m_keyOrder;
};

} // namespace switchboard
