#include "ActionRequests.h"

#include "ActionClient.h"

namespace switchboard {

ActionRequests::ActionRequests(ActionClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client) {
    if (!client)
        return;
    connect(client, &ActionClient::planned, this,
            [this](quint64 requestId, const ActionPlan& plan) {
                if (take(m_plan, requestId))
                    emit planned(plan);
            });
    connect(client, &ActionClient::confirmed, this,
            [this](quint64 requestId, const ActionJob& job) {
                if (take(m_confirm, requestId))
                    emit confirmed(job);
            });
    connect(client, &ActionClient::cancelRequested, this,
            [this](quint64 requestId, const ActionJob& job) {
                if (take(m_cancel, requestId))
                    emit cancelAnswered(job);
            });
    connect(client, &ActionClient::requestFailed, this,
            [this](quint64 requestId, ActionClient::Operation, const ActionError& error) {
                onFailed(requestId, error);
            });
}

void ActionRequests::plan(const QString& kind, const QString& target, const QJsonObject& params) {
    if (m_client)
        m_plan = m_client->plan(kind, target, params);
}

void ActionRequests::confirm(const QString& planId) {
    if (m_client)
        m_confirm = m_client->confirm(planId);
}

void ActionRequests::cancel(const QString& jobId) {
    if (m_client)
        m_cancel = m_client->cancel(jobId);
}

void ActionRequests::forget() {
    m_plan = m_confirm = m_cancel = 0;
}

bool ActionRequests::take(quint64& slot, quint64 requestId) {
    if (requestId == 0 || requestId != slot)
        return false;
    slot = 0;
    return true;
}

void ActionRequests::onFailed(quint64 requestId, const ActionError& error) {
    if (take(m_plan, requestId))
        emit planFailed(error);
    else if (take(m_confirm, requestId))
        emit confirmFailed(error);
    else if (take(m_cancel, requestId))
        emit cancelFailed(error);
}

} // namespace switchboard
