#pragma once

#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace switchboard {

class ActionClient;

// One action dialog's own requests to an agent's action API: its plan, the confirm and a cancel.
// The client is shared by every dialog and view of that agent, and tells each answer by request
// id; this passes on only the answers to the latest request of each kind and drops the rest
// (an older plan's, or any after forget()). Lives on the client's thread, the GUI's.
class ActionRequests : public QObject {
    Q_OBJECT
public:
    // Sends nothing once `client` is deleted.
    explicit ActionRequests(ActionClient* client, QObject* parent = nullptr);

    // Each replaces a request of its kind still waiting: that one's answer is dropped.
    void plan(const QString& kind, const QString& target, const QJsonObject& params);
    // The same plan id carries the same idempotency key (ActionClient): a repeat after a lost
    // answer cannot act twice.
    void confirm(const QString& planId);
    void cancel(const QString& jobId);

    bool isCancelling() const { return m_cancel != 0; }
    // Drops every answer still on its way (the dialog was closed).
    void forget();

signals:
    void planned(const switchboard::ActionPlan& plan);
    void planFailed(const switchboard::ActionError& error);
    void confirmed(const switchboard::ActionJob& job);
    void confirmFailed(const switchboard::ActionError& error);
    void cancelAnswered(const switchboard::ActionJob& job);
    void cancelFailed(const switchboard::ActionError& error);

private:
    // Whether `requestId` is the one waited for in `slot`; it is then no longer waited for.
    static bool take(quint64& slot, quint64 requestId);
    void onFailed(quint64 requestId, const ActionError& error);

    QPointer<ActionClient> m_client;
    quint64 m_plan = 0;
    quint64 m_confirm = 0;
    quint64 m_cancel = 0;
};

} // namespace switchboard
