#include "AgentSession.h"

#include "ActionDocuments.h"
#include "FinishedReply.h"
#include "TlsTrust.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>
#include <memory>

namespace switchboard::cli {

AgentSession::AgentSession(const SelectedAgent& agent, std::chrono::milliseconds timeout)
    : m_agent(agent)
    , m_timeout(timeout)
    , m_actions(agent.url, agent.token) {
    m_actions.setTimeout(timeout);
    m_actions.setSslConfiguration(agent.ssl);
}

template <typename T, typename Signal, typename Send>
Answer<T> AgentSession::await(Signal signal, Send send) {
    Answer<T> answer;
    QEventLoop loop;
    quint64 id = 0;
    // ActionClient answers from the event loop only, never inside the call: `id` is set first.
    QObject::connect(&m_actions, signal, &loop, [&](quint64 requestId, const T& value) {
        if (requestId != id)
            return;
        answer.value = value;
        loop.quit();
    });
    QObject::connect(&m_actions, &ActionClient::requestFailed, &loop,
                     [&](quint64 requestId, ActionClient::Operation, const ActionError& error) {
                         if (requestId != id)
                             return;
                         answer.error = error;
                         loop.quit();
                     });
    id = send();
    loop.exec(); // bounded: every request times out
    return answer;
}

Answer<ActionPlan> AgentSession::plan(const QString& kind, const QString& target,
                                      const QJsonObject& params) {
    return await<ActionPlan>(&ActionClient::planned,
                             [&] { return m_actions.plan(kind, target, params); });
}

Answer<ActionJob> AgentSession::confirm(const QString& planId) {
    return await<ActionJob>(&ActionClient::confirmed, [&] { return m_actions.confirm(planId); });
}

Answer<ActionJob> AgentSession::cancel(const QString& jobId) {
    return await<ActionJob>(&ActionClient::cancelRequested,
                            [&] { return m_actions.cancel(jobId); });
}

Answer<ActionJob> AgentSession::fetchJob(const QString& jobId) {
    return await<ActionJob>(&ActionClient::jobFetched, [&] { return m_actions.fetchJob(jobId); });
}

Answer<QJsonObject> AgentSession::get(const QString& path, const QString& query) {
    QUrl url = m_agent.url;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path, QUrl::TolerantMode);
    url.setQuery(query.isEmpty() ? QString() : query);
    QNetworkRequest request(url);
    request.setRawHeader(QByteArrayLiteral("Authorization"),
                         QByteArrayLiteral("Bearer ") + m_agent.token.toUtf8());
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json"));
    request.setSslConfiguration(m_agent.ssl);
    request.setTransferTimeout(int(m_timeout.count()));

    QNetworkReply* reply = m_network.get(request);
    std::unique_ptr<QNetworkReply> owner(reply);
    QString tlsFailure; // a failed certificate check, said the console's way
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [&](const QList<QSslError>& errors) {
        tlsFailure = TlsTrust::describe(m_agent.url, errors);
    });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec(); // bounded by the transfer timeout

    Answer<QJsonObject> answer;
    FinishedReply::NoAnswer noAnswer;
    const std::optional<int> status =
        FinishedReply::status(reply, m_agent.url, m_timeout, &noAnswer);
    if (!status) {
        answer.error.reason = noAnswer.timedOut ? ActionError::kTimeout : ActionError::kNetwork;
        answer.error.message = tlsFailure.isEmpty() ? noAnswer.message : tlsFailure;
        return answer;
    }
    const QByteArray body = reply->readAll();
    if (*status < 200 || *status >= 300) {
        answer.error = ActionDocuments::parseError(*status, body);
        return answer;
    }
    QString parseError;
    answer.value = ActionDocuments::parseBody(body, &parseError);
    if (!answer.value) {
        answer.error.httpStatus = *status;
        answer.error.reason = ActionError::kBadResponse;
        answer.error.message = parseError;
    }
    return answer;
}

} // namespace switchboard::cli
