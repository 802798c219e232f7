#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace switchboard {

// One line of an agent's audit log (GET /v1/audit): who did what to which target, and how it
// ended. `seq` numbers the log and never repeats, so it identifies an entry.
struct AuditEntry {
    qint64 seq = 0;
    qint64 timeMs = 0;
    QString event; // protocol::audit_event::*
    QString token; // the caller's token name
    QString role;  // viewer or operator
    QString kind;  // the action's kind
    QString target;
    QJsonObject params;
    QString planId;
    QString jobId;
    QString outcome; // the job's state for a result, the reason for a refusal
    QString detail;

    friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::AuditEntry)
