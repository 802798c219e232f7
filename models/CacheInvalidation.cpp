#include "CacheInvalidation.h"

#include "CacheWireNames.h"
#include "TolerantJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <algorithm>

namespace switchboard {

namespace wire = cache_wire;
using namespace tolerant;

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("switchboard::InvalidateRequest", text);
}

} // namespace

QString InvalidateRequest::matchName(Match match) {
    switch (match) {
    case Match::Key:
        return qtName(wire::kMatchKey);
    case Match::Prefix:
        return qtName(wire::kMatchPrefix);
    case Match::Pattern:
        return qtName(wire::kMatchPattern);
    }
    return {};
}

bool InvalidateRequest::isMatchAll() const {
    if (match == Match::Prefix)
        return value.isEmpty();
    if (match == Match::Pattern)
        return !value.isEmpty() && std::all_of(value.begin(), value.end(),
                                               [](QChar c) { return c == QLatin1Char('*'); });
    return false;
}

QString InvalidateRequest::problem() const {
    if (value.isEmpty() && match == Match::Key)
        return tr("Enter the key to invalidate.");
    if (value.isEmpty() && match == Match::Pattern)
        return tr("Enter a pattern (Redis glob: * any run, ? one character, [a-z] a set).");
    if (value.toUtf8().size() > kMaxValueBytes)
        return tr("The %1 is %2 bytes long; the agent takes at most %3.")
            .arg(matchName(match))
            .arg(value.toUtf8().size())
            .arg(kMaxValueBytes);
    if (rate < 1 || rate > kMaxRate)
        return tr("The rate must be between 1 and %1 keys per second.").arg(kMaxRate);
    if (match == Match::Pattern && value.endsWith(QLatin1Char('\\')) &&
        !value.endsWith(QStringLiteral("\\\\")))
        return tr("The pattern ends with a lone \\: escape it as \\\\ or remove it.");
    return {};
}

QJsonObject InvalidateRequest::params() const {
    const bool emptyPrefix = match == Match::Prefix && value.isEmpty();
    QJsonObject params{
        {qtName(wire::kMatch), emptyPrefix ? matchName(Match::Pattern) : matchName(match)},
        {qtName(wire::kValue), emptyPrefix ? QStringLiteral("*") : value},
        {qtName(wire::kRate), rate}};
    if (allowMatchAll)
        params.insert(qtName(wire::kAllowMatchAll), true);
    return params;
}

InvalidatePlanDetails invalidatePlanDetails(const ActionPlan& plan) {
    InvalidatePlanDetails details;
    const QList<QJsonObject> objects = nestedThenDocument(plan.document, wire::kDetails);
    details.matching = firstCount(objects, wire::kMatching);
    details.scanned = firstCount(objects, wire::kScanned);
    for (const QJsonObject& object : objects) {
        const QJsonValue sample = at(object, wire::kSample);
        if (!sample.isArray())
            continue;
        for (const QJsonValue& key : sample.toArray()) {
            if (key.isString())
                details.sample.append(key.toString());
        }
        break;
    }
    for (const QJsonObject& object : objects) {
        if (at(object, wire::kMatchAll).isBool()) {
            details.matchAll = at(object, wire::kMatchAll).toBool();
            break;
        }
    }
    for (const QJsonObject& object : objects) {
        const double estimate = number(at(object, wire::kEstimateSeconds), -1.0);
        if (estimate >= 0) {
            details.estimateSeconds = estimate;
            break;
        }
    }
    return details;
}

InvalidateProgress invalidateJobProgress(const ActionJob& job) {
    QList<QJsonObject> objects = nestedThenDocument(job.document, wire::kDetails);
    objects.append(at(job.document, protocol::field::kResult).toObject());
    InvalidateProgress progress;
    progress.unlinked = firstCount(objects, wire::kUnlinked);
    progress.matching = firstCount(objects, wire::kMatching);
    return progress;
}

std::optional<InvalidateResult> invalidateJobResult(const ActionJob& job) {
    const QJsonValue value = at(job.document, protocol::field::kResult);
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    InvalidateResult result;
    result.unlinked = integer(at(object, wire::kUnlinked), -1);
    result.scanned = integer(at(object, wire::kScanned), -1);
    result.elapsedMs = integer(at(object, wire::kElapsedMs), -1);
    result.keysPerSecond = number(at(object, wire::kKeysPerSecond), -1.0);
    const QJsonObject l1 = at(object, wire::kL1).toObject();
    result.receivers = static_cast<int>(integer(at(l1, wire::kReceivers), -1));
    for (const QJsonValue& name : at(l1, wire::kAcked).toArray()) {
        if (name.isString())
            result.acked.append(name.toString());
    }
    const QJsonObject removed = at(l1, wire::kRemoved).toObject();
    for (auto it = removed.begin(); it != removed.end(); ++it) {
        const qint64 count = integer(it.value(), -1);
        if (count >= 0)
            result.removed.insert(it.key(), count);
    }
    result.missing = static_cast<int>(integer(at(l1, wire::kMissing), -1));
    result.ackMs = number(at(l1, wire::kAckMs), -1.0);
    result.error = text(at(l1, protocol::field::kError));
    return result;
}

bool isMatchAllRefusal(const ActionError& error) {
    return error.httpStatus == 400 && error.reason == qtName(wire::kMatchAllNeedsConfirmation);
}

} // namespace switchboard
