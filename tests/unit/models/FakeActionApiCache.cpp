// FakeActionApi's cache.invalidate: validates the params as docs/protocol.md says the agent does
// (a 400 naming the field; 400 match_all_needs_confirmation for a selection of every key
// without allow_match_all), counts the matching keys of cacheKeys with a sample, and runs a job
// that unlinks them poll by poll, then reports the L1 acknowledgements.
#include "FakeActionApi.h"

#include <QDateTime>
#include <QRegularExpression>

namespace {

const QStringList kMatches{QStringLiteral("key"), QStringLiteral("prefix"),
                           QStringLiteral("pattern")};

bool matches(const QString& match, const QString& value, const QString& key) {
    if (match == QLatin1String("key"))
        return key == value;
    if (match == QLatin1String("prefix"))
        return key.startsWith(value);
    return QRegularExpression::fromWildcard(value, Qt::CaseSensitive).match(key).hasMatch();
}

} // namespace

HttpAnswer FakeActionApi::invalidatePlan(const QJsonObject& body, const QString& caller) {
    const QJsonObject params = body.value(QStringLiteral("params")).toObject();
    const QString match = params.value(QStringLiteral("match")).toString();
    const QJsonValue value = params.value(QStringLiteral("value"));
    const int rate = params.value(QStringLiteral("rate")).toInt(200000);
    const bool allowAll = params.value(QStringLiteral("allow_match_all")).toBool(false);
    auto bad = [](const QString& message) {
        return HttpAnswer::error(400, QStringLiteral("bad_request"), message);
    };
    if (!kMatches.contains(match))
        return bad(QStringLiteral("params.match must be one of key, prefix, pattern"));
    const QByteArray bytes = value.toString().toUtf8();
    if (!value.isString() || bytes.isEmpty() || bytes.size() > 512)
        return bad(QStringLiteral("params.value must be a string of 1 to 512 bytes"));
    if (match == QLatin1String("pattern") &&
        value.toString().count(QLatin1Char('[')) != value.toString().count(QLatin1Char(']')))
        return bad(QStringLiteral("params.value: unbalanced [ ] in the pattern"));
    if (rate < 1 || rate > 10000000)
        return bad(QStringLiteral("params.rate must be between 1 and 10000000"));

    QStringList matching;
    for (const QString& key : std::as_const(cacheKeys)) {
        if (matches(match, value.toString(), key))
            matching.append(key);
    }
    // As the agent: "*", or anything that selects every key there is.
    const bool all =
        (match == QLatin1String("pattern") && value.toString() == QLatin1String("*")) ||
        (!cacheKeys.isEmpty() && matching.size() == cacheKeys.size());
    if (all && !allowAll)
        return HttpAnswer::error(
            400, QStringLiteral("match_all_needs_confirmation"),
            QStringLiteral("%1 %2 matches every key (%3); send params.allow_match_all to confirm")
                .arg(match, value.toString())
                .arg(cacheKeys.size()));

    QJsonArray sample;
    for (const QString& key : matching.mid(0, 20))
        sample.append(key);
    const QString target = body.value(QStringLiteral("target")).toString();
    const QString summary = QStringLiteral("unlink %1 keys (%2 %3) in %4 at up to %5 keys/s")
                                .arg(matching.size())
                                .arg(match, value.toString(), target)
                                .arg(rate);
    return issuePlan(
        QStringLiteral("cache.invalidate"), target, QStringLiteral("instance"), params, summary,
        caller,
        QJsonObject{
            {QStringLiteral("changes"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("what"),
                  QStringLiteral("keys (%1 %2)").arg(match, value.toString())},
                 {QStringLiteral("from"), QStringLiteral("%1 keys").arg(matching.size())},
                 {QStringLiteral("to"), QStringLiteral("unlinked")}}}},
            {QStringLiteral("checks"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("redis_reachable")},
                                    {QStringLiteral("verdict"), QStringLiteral("pass")},
                                    {QStringLiteral("detail"), QStringLiteral("PING 0.2 ms")}}}},
            {QStringLiteral("executable"), true},
            {QStringLiteral("details"),
             QJsonObject{{QStringLiteral("matching"), matching.size()},
                         {QStringLiteral("scanned"), cacheKeys.size()},
                         {QStringLiteral("sample"), sample},
                         {QStringLiteral("match_all"), all},
                         {QStringLiteral("estimate_s"), double(matching.size()) / rate}}}});
}

void FakeActionApi::startInvalidate(QJsonObject& job) const {
    const QJsonObject plan = m_plans.value(job.value(QStringLiteral("plan_id")).toString());
    const int matching =
        plan.value(QStringLiteral("details")).toObject().value(QStringLiteral("matching")).toInt();
    job.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("unlinked"), 0},
                                                      {QStringLiteral("matching"), matching}});
    job.insert(QStringLiteral("message"), QStringLiteral("scanning"));
}

void FakeActionApi::advanceInvalidate(QJsonObject& job, int pollsLeft) const {
    const int matching =
        job.value(QStringLiteral("details")).toObject().value(QStringLiteral("matching")).toInt();
    const double done = 1.0 / double(pollsLeft + 2);
    const int unlinked = qRound(done * matching);
    job.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("unlinked"), unlinked},
                                                      {QStringLiteral("matching"), matching}});
    job.insert(QStringLiteral("progress"), done);
    job.insert(
        QStringLiteral("message"),
        QStringLiteral("unlinking in batches of 1000 (%1 of %2)").arg(unlinked).arg(matching));
}

void FakeActionApi::finishInvalidate(QJsonObject& job, bool cancelled) const {
    const QJsonObject details = job.value(QStringLiteral("details")).toObject();
    const int matching = details.value(QStringLiteral("matching")).toInt();
    const int unlinked = cancelled ? details.value(QStringLiteral("unlinked")).toInt() : matching;
    QJsonArray acked;
    QJsonObject removed;
    int n = 0;
    for (const QString& name : cacheAcked) {
        acked.append(name);
        removed.insert(name, 17 - 5 * n++);
    }
    const QJsonObject l1{{QStringLiteral("receivers"), int(cacheAcked.size()) + cacheMissing},
                         {QStringLiteral("acked"), acked},
                         {QStringLiteral("removed"), removed},
                         {QStringLiteral("missing"), cacheMissing},
                         {QStringLiteral("ack_ms"), 1.4}};
    job.insert(QStringLiteral("details"), QJsonObject{{QStringLiteral("unlinked"), unlinked},
                                                      {QStringLiteral("matching"), matching}});
    job.insert(QStringLiteral("result"),
               QJsonObject{{QStringLiteral("unlinked"), unlinked},
                           {QStringLiteral("scanned"), int(cacheKeys.size())},
                           {QStringLiteral("elapsed_ms"), 1500},
                           {QStringLiteral("keys_per_s"), unlinked / 1.5},
                           {QStringLiteral("l1"), l1}});
    if (!cancelled)
        job.insert(QStringLiteral("message"),
                   QStringLiteral("%1 keys unlinked; %2 of %3 instances acknowledged")
                       .arg(unlinked)
                       .arg(cacheAcked.size())
                       .arg(cacheAcked.size() + cacheMissing));
}
