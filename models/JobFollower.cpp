#include "JobFollower.h"

#include "ActionClient.h"

namespace switchboard {

JobFollower::JobFollower(ActionClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_client && isFollowing())
            m_request = m_client->fetchJob(m_jobId);
    });
    if (client) {
        connect(client, &ActionClient::jobFetched, this, &JobFollower::onFetched);
        connect(client, &ActionClient::requestFailed, this,
                [this](quint64 requestId, ActionClient::Operation, const ActionError& error) {
                    onFailed(requestId, error);
                });
    }
}

void JobFollower::follow(const QString& jobId) {
    m_jobId = jobId;
    m_request = 0;
    m_since.start();
    schedule();
}

void JobFollower::stop() {
    m_timer.stop();
    m_jobId.clear();
    m_request = 0;
}

void JobFollower::schedule() {
    if (m_since.elapsed() >= m_timing.pollLimit.count()) {
        stop();
        emit gaveUp();
        return;
    }
    m_timer.start(m_timing.pollInterval);
}

void JobFollower::onFetched(quint64 requestId, const ActionJob& job) {
    if (requestId == 0 || requestId != m_request)
        return;
    m_request = 0;
    emit jobUpdated(job);
    if (job.isFinal()) {
        stop();
        emit jobFinished(job);
        return;
    }
    schedule();
}

void JobFollower::onFailed(quint64 requestId, const ActionError& error) {
    if (requestId == 0 || requestId != m_request)
        return;
    m_request = 0;
    const bool retrying = error.isNetworkError();
    if (retrying)
        schedule();
    else
        stop();
    emit readFailed(error, retrying);
}

} // namespace switchboard
