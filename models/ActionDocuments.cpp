#include "ActionDocuments.h"

#include "ProtocolNames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>
#include <switchboard/protocol.h>

namespace switchboard {

namespace field = protocol::field;

namespace {

// Each reader returns false and fills *error when a field is missing (if required) or has the
// wrong type; an absent or null optional field leaves *out as it was.

bool fail(QString* error, QString message) {
    if (error)
        *error = std::move(message);
    return false;
}

bool absent(const QJsonValue& value) {
    return value.isUndefined() || value.isNull();
}

QString missing(std::string_view name) {
    return QStringLiteral("missing field \"%1\"").arg(qtName(name));
}

bool readInteger(const QJsonObject& object, std::string_view name, qint64* out, bool required,
                 QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return required ? fail(error, missing(name)) : true;
    const double number = value.toDouble();
    // 2^53: beyond it a double no longer holds every integer, so the value cannot be trusted.
    if (!value.isDouble() || !std::isfinite(number) || std::trunc(number) != number ||
        std::fabs(number) > 9.0e15)
        return fail(error, QStringLiteral("field \"%1\" is not an integer").arg(qtName(name)));
    *out = static_cast<qint64>(number);
    return true;
}

bool readDouble(const QJsonObject& object, std::string_view name, double* out, QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return true;
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return fail(error, QStringLiteral("field \"%1\" is not a number").arg(qtName(name)));
    *out = value.toDouble();
    return true;
}

bool readBool(const QJsonObject& object, std::string_view name, bool* out, bool required,
              QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return required ? fail(error, missing(name)) : true;
    if (!value.isBool())
        return fail(error, QStringLiteral("field \"%1\" is not true or false").arg(qtName(name)));
    *out = value.toBool();
    return true;
}

bool readString(const QJsonObject& object, std::string_view name, QString* out, bool required,
                QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return required ? fail(error, missing(name)) : true;
    if (!value.isString())
        return fail(error, QStringLiteral("field \"%1\" is not a string").arg(qtName(name)));
    *out = value.toString();
    return true;
}

// A change's "from" and "to" are states as text today; a number or a boolean (a bucket count,
// a flag) is shown as its JSON text rather than refused.
bool readScalarText(const QJsonObject& object, std::string_view name, QString* out,
                    QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return true;
    if (value.isString())
        *out = value.toString();
    else if (value.isBool())
        *out = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    else if (value.isDouble())
        *out = QString::number(value.toDouble());
    else
        return fail(error, QStringLiteral("field \"%1\" is not a value").arg(qtName(name)));
    return true;
}

bool readObject(const QJsonObject& object, std::string_view name, QJsonObject* out,
                QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return true;
    if (!value.isObject())
        return fail(error, QStringLiteral("field \"%1\" is not an object").arg(qtName(name)));
    *out = value.toObject();
    return true;
}

bool readArray(const QJsonObject& object, std::string_view name, QJsonArray* out, bool required,
               QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (absent(value))
        return required ? fail(error, missing(name)) : true;
    if (!value.isArray())
        return fail(error, QStringLiteral("field \"%1\" is not an array").arg(qtName(name)));
    *out = value.toArray();
    return true;
}

// Reads every element of an array with `parse`, prefixing an error with "name[i]: ".
template <typename T, typename Parse>
std::optional<QList<T>> readEach(const QJsonArray& array, std::string_view name, Parse parse,
                                 QString* error) {
    QList<T> result;
    result.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString itemError;
        std::optional<T> item;
        if (array.at(i).isObject())
            item = parse(array.at(i).toObject(), &itemError);
        else
            itemError = QStringLiteral("not an object");
        if (!item) {
            fail(error, QStringLiteral("%1[%2]: %3").arg(qtName(name)).arg(i).arg(itemError));
            return std::nullopt;
        }
        result.append(std::move(*item));
    }
    return result;
}

std::optional<PlanChange> parseChange(const QJsonObject& object, QString* error) {
    PlanChange change;
    if (!readString(object, field::kWhat, &change.what, true, error) ||
        !readScalarText(object, field::kFrom, &change.from, error) ||
        !readScalarText(object, field::kTo, &change.to, error))
        return std::nullopt;
    return change;
}

PreflightCheck::Verdict verdictFromName(const QString& name) {
    if (name == qtName(protocol::verdict::kPass))
        return PreflightCheck::Verdict::Pass;
    if (name == qtName(protocol::verdict::kWarn))
        return PreflightCheck::Verdict::Warn;
    if (name == qtName(protocol::verdict::kFail))
        return PreflightCheck::Verdict::Fail;
    return PreflightCheck::Verdict::Unknown;
}

std::optional<QList<PreflightCheck>> readChecks(const QJsonObject& object, QString* error) {
    QJsonArray array;
    if (!readArray(object, field::kChecks, &array, false, error))
        return std::nullopt;
    return readEach<PreflightCheck>(array, field::kChecks, &ActionDocuments::parseCheck, error);
}

} // namespace

std::optional<PreflightCheck> ActionDocuments::parseCheck(const QJsonObject& object,
                                                          QString* error) {
    PreflightCheck check;
    if (!readString(object, field::kName, &check.name, true, error) ||
        !readString(object, field::kVerdict, &check.verdictName, true, error) ||
        !readString(object, field::kDetail, &check.detail, false, error))
        return std::nullopt;
    check.verdict = verdictFromName(check.verdictName);
    return check;
}

std::optional<ActionPlan> ActionDocuments::parsePlan(const QJsonObject& object, QString* error) {
    ActionPlan plan;
    QJsonArray changes;
    if (!readString(object, field::kPlanId, &plan.id, true, error) ||
        !readString(object, field::kKind, &plan.kind, true, error) ||
        !readString(object, field::kTarget, &plan.target, true, error) ||
        !readObject(object, field::kParams, &plan.params, error) ||
        !readString(object, field::kScope, &plan.scope, false, error) ||
        !readString(object, field::kSummary, &plan.summary, false, error) ||
        !readArray(object, field::kChanges, &changes, false, error) ||
        // Whether it may run and until when decide what the console offers: never guessed.
        !readBool(object, field::kExecutable, &plan.executable, true, error) ||
        !readInteger(object, field::kCreatedMs, &plan.createdMs, true, error) ||
        !readInteger(object, field::kExpiresMs, &plan.expiresMs, true, error) ||
        !readString(object, field::kCreatedBy, &plan.createdBy, false, error))
        return std::nullopt;
    if (plan.id.isEmpty()) {
        fail(error, QStringLiteral("field \"plan_id\" is empty"));
        return std::nullopt;
    }
    std::optional<QList<PlanChange>> parsedChanges =
        readEach<PlanChange>(changes, field::kChanges, &parseChange, error);
    if (!parsedChanges)
        return std::nullopt;
    plan.changes = std::move(*parsedChanges);
    std::optional<QList<PreflightCheck>> checks = readChecks(object, error);
    if (!checks)
        return std::nullopt;
    plan.checks = std::move(*checks);
    plan.document = object;
    return plan;
}

std::optional<ActionJob> ActionDocuments::parseJob(const QJsonObject& object, QString* error) {
    ActionJob job;
    if (!readString(object, field::kJobId, &job.id, true, error) ||
        !readString(object, field::kState, &job.state, true, error) ||
        !readString(object, field::kPlanId, &job.planId, false, error) ||
        !readString(object, field::kKind, &job.kind, false, error) ||
        !readString(object, field::kTarget, &job.target, false, error) ||
        !readDouble(object, field::kProgress, &job.progress, error) ||
        !readString(object, field::kMessage, &job.message, false, error) ||
        !readString(object, field::kCreatedBy, &job.createdBy, false, error) ||
        !readInteger(object, field::kStartedMs, &job.startedMs, false, error) ||
        !readInteger(object, field::kFinishedMs, &job.finishedMs, false, error))
        return std::nullopt;
    if (job.id.isEmpty()) {
        fail(error, QStringLiteral("field \"job_id\" is empty"));
        return std::nullopt;
    }
    // "error" is a sentence; an error document ({"message": …}) is read for its message.
    const QJsonValue jobError = object.value(qtName(field::kError));
    if (jobError.isString())
        job.error = jobError.toString();
    else if (jobError.isObject())
        job.error = jobError.toObject().value(qtName(field::kMessage)).toString();
    else if (!absent(jobError)) {
        fail(error, QStringLiteral("field \"error\" is not a string"));
        return std::nullopt;
    }
    job.document = object;
    return job;
}

std::optional<QList<ActionJob>> ActionDocuments::parseJobList(const QJsonObject& object,
                                                              QString* error) {
    QJsonArray jobs;
    if (!readArray(object, field::kJobs, &jobs, true, error))
        return std::nullopt;
    return readEach<ActionJob>(jobs, field::kJobs, &ActionDocuments::parseJob, error);
}

std::optional<AuditEntry> ActionDocuments::parseAuditEntry(const QJsonObject& object,
                                                           QString* error) {
    AuditEntry entry;
    if (!readInteger(object, field::kSeq, &entry.seq, true, error) ||
        !readInteger(object, field::kTimeMs, &entry.timeMs, true, error) ||
        !readString(object, field::kEvent, &entry.event, true, error) ||
        !readString(object, field::kToken, &entry.token, false, error) ||
        !readString(object, field::kRole, &entry.role, false, error) ||
        !readString(object, field::kKind, &entry.kind, false, error) ||
        !readString(object, field::kTarget, &entry.target, false, error) ||
        !readObject(object, field::kParams, &entry.params, error) ||
        !readString(object, field::kPlanId, &entry.planId, false, error) ||
        !readString(object, field::kJobId, &entry.jobId, false, error) ||
        !readString(object, field::kOutcome, &entry.outcome, false, error) ||
        !readString(object, field::kDetail, &entry.detail, false, error))
        return std::nullopt;
    return entry;
}

std::optional<AuditPage> ActionDocuments::parseAuditPage(const QJsonObject& object,
                                                         QString* error) {
    AuditPage page;
    QJsonArray entries;
    qint64 nextBefore = -1;
    if (!readArray(object, field::kEntries, &entries, true, error) ||
        !readInteger(object, field::kNextBefore, &nextBefore, false, error))
        return std::nullopt;
    // null (or absent) on the last page: there is nothing older.
    if (!absent(object.value(qtName(field::kNextBefore))))
        page.nextBefore = nextBefore;
    std::optional<QList<AuditEntry>> parsed =
        readEach<AuditEntry>(entries, field::kEntries, &ActionDocuments::parseAuditEntry, error);
    if (!parsed)
        return std::nullopt;
    page.entries = std::move(*parsed);
    QJsonObject chain;
    if (!readObject(object, field::kChain, &chain, error))
        return std::nullopt;
    if (!chain.isEmpty()) {
        QString chainError;
        page.chain = parseAuditChain(chain, &chainError);
        if (!page.chain) {
            fail(error, QStringLiteral("%1: %2").arg(qtName(field::kChain), chainError));
            return std::nullopt;
        }
    }
    return page;
}

std::optional<AuditChainStatus> ActionDocuments::parseAuditChain(const QJsonObject& object,
                                                                 QString* error) {
    AuditChainStatus chain;
    QJsonObject broken;
    if (!readBool(object, field::kIntact, &chain.intact, true, error) ||
        !readInteger(object, field::kEntries, &chain.entries, true, error) ||
        !readInteger(object, field::kLegacyEntries, &chain.legacyEntries, false, error) ||
        !readString(object, field::kLastHash, &chain.lastHash, false, error) ||
        !readObject(object, field::kFirstBreak, &broken, error))
        return std::nullopt;
    if (chain.intact)
        return chain;
    qint64 seq = 0;
    QString breakError;
    if (!readInteger(broken, field::kLine, &chain.brokenLine, true, &breakError) ||
        !readInteger(broken, field::kSeq, &seq, false, &breakError) ||
        !readString(broken, field::kReason, &chain.brokenReason, false, &breakError)) {
        fail(error, QStringLiteral("%1: %2").arg(qtName(field::kFirstBreak), breakError));
        return std::nullopt;
    }
    if (!absent(broken.value(qtName(field::kSeq))))
        chain.brokenSeq = seq;
    return chain;
}

std::optional<QJsonObject> ActionDocuments::parseBody(const QByteArray& body, QString* error) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fail(error, QStringLiteral("not JSON (%1 at byte %2)")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
        return std::nullopt;
    }
    if (!document.isObject()) {
        fail(error, QStringLiteral("not a JSON object"));
        return std::nullopt;
    }
    return document.object();
}

ActionError ActionDocuments::parseError(int httpStatus, const QByteArray& body) {
    ActionError result;
    result.httpStatus = httpStatus;
    const std::optional<QJsonObject> document = parseBody(body, nullptr);
    const QJsonValue errorValue =
        document ? document->value(qtName(field::kError)) : QJsonValue(QJsonValue::Undefined);
    if (!errorValue.isObject()) {
        // A proxy's HTML page or an empty body: its first line is the best account there is.
        result.message = QString::fromUtf8(body.left(200)).section(QLatin1Char('\n'), 0, 0);
        return result;
    }
    const QJsonObject error = errorValue.toObject();
    result.reason = error.value(qtName(field::kReason)).toString();
    result.message = error.value(qtName(field::kMessage)).toString();
    // The agent adds details (the failing checks, the job a plan already started) to the error
    // object; accept them beside it too, as the protocol does not pin the place down.
    for (const QJsonObject& holder : {error, *document}) {
        if (result.checks.isEmpty()) {
            QString ignored;
            if (std::optional<QList<PreflightCheck>> checks = readChecks(holder, &ignored))
                result.checks = std::move(*checks);
        }
        if (result.jobId.isEmpty())
            result.jobId = holder.value(qtName(field::kJobId)).toString();
    }
    return result;
}

} // namespace switchboard
