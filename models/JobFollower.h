#pragma once

#include "ActionError.h"
#include "ActionJob.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <chrono>

namespace switchboard {

class ActionClient;

// Follows one job of an agent's action API to its end: GET /v1/jobs/<id> every pollInterval,
// one request at a time (a slow agent is never flooded), until the job is final or pollLimit
// has passed. A network error is retried; any other refusal ends the following. Any dialog that
// starts a job follows it with one of these.
class JobFollower : public QObject {
    Q_OBJECT
public:
    struct Timing {
        std::chrono::milliseconds pollInterval{250};
        std::chrono::milliseconds pollLimit{60000}; // then its result is in the audit log
    };

    explicit JobFollower(ActionClient* client, QObject* parent = nullptr);

    Timing timing() const { return m_timing; }
    void setTiming(const Timing& timing) { m_timing = timing; }

    void follow(const QString& jobId);
    void stop();
    bool isFollowing() const { return !m_jobId.isEmpty(); }
    QString jobId() const { return m_jobId; }

signals:
    // Every answer while following, the final one included.
    void jobUpdated(const switchboard::ActionJob& job);
    // The job reached succeeded, failed or cancelled.
    void jobFinished(const switchboard::ActionJob& job);
    // A read failed: `retrying` for a network error (the next poll follows), else following ended.
    void readFailed(const switchboard::ActionError& error, bool retrying);
    // Still running after pollLimit: following ended.
    void gaveUp();

private:
    void schedule();
    void onFetched(quint64 requestId, const ActionJob& job);
    void onFailed(quint64 requestId, const ActionError& error);

    QPointer<ActionClient> m_client;
    Timing m_timing;
    QString m_jobId;
    quint64 m_request = 0;
    QTimer m_timer;
    QElapsedTimer m_since;
};

} // namespace switchboard
