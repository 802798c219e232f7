#pragma once

#include "ActionClient.h"
#include "AgentSelection.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>
#include <chrono>
#include <optional>

namespace switchboard::cli {

// An answer of the agent, or why there is none (the agent's refusal, the network, a timeout).
template <typename T> struct Answer {
    std::optional<T> value;
    ActionError error;
    bool ok() const { return value.has_value(); }
};

// One agent, one request at a time, each waited for: a command line does one thing after the
// other. Acting goes through the console's ActionClient (its idempotency keys: a confirm or a
// cancel repeated after a lost answer acts at most once); reading is a plain GET whose answer is
// passed on as the agent sent it. Every request gives up after the timeout.
class AgentSession {
public:
    AgentSession(const SelectedAgent& agent, std::chrono::milliseconds timeout);

    const SelectedAgent& agent() const { return m_agent; }

    // GET `path` (e.g. "/v1/snapshot") with `query`: the document as the agent sent it.
    Answer<QJsonObject> get(const QString& path, const QString& query = {});

    Answer<ActionPlan> plan(const QString& kind, const QString& target, const QJsonObject& params);
    Answer<ActionJob> confirm(const QString& planId);
    Answer<ActionJob> cancel(const QString& jobId);
    Answer<ActionJob> fetchJob(const QString& jobId);

private:
    template <typename T, typename Signal, typename Send> Answer<T> await(Signal signal, Send send);

    SelectedAgent m_agent;
    std::chrono::milliseconds m_timeout;
    ActionClient m_actions;
    QNetworkAccessManager m_network;
};

} // namespace switchboard::cli
