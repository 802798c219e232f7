#pragma once

#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "AuditEntry.h"
#include "AuditPage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace switchboard {

// Reads the action pipeline's documents (docs/protocol.md, "Actions") into value types. Never
// throws: a missing required field or a field of the wrong type is an error naming the field
// (and where it sits, e.g. "checks[1]: missing field \"verdict\""); a missing optional field
// keeps its default, so an older agent that omits one is still readable.
class ActionDocuments {
public:
    static std::optional<ActionPlan> parsePlan(const QJsonObject& object, QString* error);
    static std::optional<ActionJob> parseJob(const QJsonObject& object, QString* error);
    // {"jobs": [...]}
    static std::optional<QList<ActionJob>> parseJobList(const QJsonObject& object, QString* error);
    static std::optional<AuditEntry> parseAuditEntry(const QJsonObject& object, QString* error);
    // {"entries": [...], "next_before": n | null, "chain": {...} (optional)}
    static std::optional<AuditPage> parseAuditPage(const QJsonObject& object, QString* error);
    // {"intact": b, "entries": n, "legacy_entries": n, "last_hash": s, "first_break": {...}}
    static std::optional<AuditChainStatus> parseAuditChain(const QJsonObject& object,
                                                           QString* error);
    static std::optional<PreflightCheck> parseCheck(const QJsonObject& object, QString* error);

    // The body of an answer as a JSON object, or an error saying why it is not one.
    static std::optional<QJsonObject> parseBody(const QByteArray& body, QString* error);
    // The refusal in an error answer ({"error": {"code", "reason", "message"}}, with "checks"
    // and "job_id" where the agent adds them). A body that is not such a document still gives
    // an error with the status, and its text as the message.
    static ActionError parseError(int httpStatus, const QByteArray& body);
};

} // namespace switchboard
