#pragma once

#include "ProtocolNames.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <switchboard/protocol.h>

namespace switchboard {

// A confirmed plan being carried out, or its result (POST …/confirm, GET /v1/jobs/<id>).
struct ActionJob {
    QString id;
    QString planId;
    QString kind;
    QString target;
    QString state;        // protocol::job_state::*
    double progress = 0;  // 0..1
    QString message;      // what it is doing or, once final, what happened
    QString error;        // why it failed; empty otherwise
    QString createdBy;    // the token's name
    qint64 startedMs = 0; // the agent's clock
    qint64 finishedMs = 0;
    // The whole job as the agent sent it, for what only one kind of action carries (a
    // rebalance's moves: see ShardsRebalance.h).
    QJsonObject document;

    // succeeded, failed or cancelled: the state will not change again.
    bool isFinal() const {
        return succeeded() || state == qtName(protocol::job_state::kFailed) ||
               state == qtName(protocol::job_state::kCancelled);
    }
    bool succeeded() const { return state == qtName(protocol::job_state::kSucceeded); }

    friend bool operator==(const ActionJob&, const ActionJob&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::ActionJob)
