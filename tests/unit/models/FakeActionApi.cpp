#include "FakeActionApi.h"

#include <QDateTime>

namespace {

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

const QString kModes[] = {QStringLiteral("force_open"), QStringLiteral("disable"),
                          QStringLiteral("metrics_only"), QStringLiteral("reset")};

QString stateAfter(const QString& mode) {
    if (mode == QLatin1String("force_open"))
        return QStringLiteral("forced_open");
    if (mode == QLatin1String("disable"))
        return QStringLiteral("disabled");
    if (mode == QLatin1String("metrics_only"))
        return QStringLiteral("metrics_only");
    return QStringLiteral("closed");
}

} // namespace

FakeActionApi::FakeActionApi(FakeHttpAgent* server)
    : m_server(server) {
    server->setHandler([this](const HttpExchange& request) { return handle(request); });
}

QJsonObject FakeActionApi::sentPlanParams(int index) const {
    return m_server->exchanges(QStringLiteral("/v1/plans"))
        .at(index)
        .json()
        .value(QStringLiteral("params"))
        .toObject();
}

HttpAnswer FakeActionApi::handle(const HttpExchange& request) {
    const QByteArray authorization = request.header("authorization");
    QString caller;
    QString role;
    if (authorization == "Bearer " + kOperatorToken.toLatin1()) {
        caller = QStringLiteral("alice");
        role = QStringLiteral("operator");
    } else if (authorization == "Bearer " + kViewerToken.toLatin1()) {
        caller = QStringLiteral("victor");
        role = QStringLiteral("viewer");
    } else {
        return HttpAnswer::error(401, QStringLiteral("unauthorized"),
                                 QStringLiteral("unknown token"));
    }

    const QString& path = request.path;
    if (request.method == "POST") {
        if (role != QLatin1String("operator")) {
            record(QStringLiteral("refused"), caller, request.json(), QStringLiteral("forbidden"),
                   QStringLiteral("a viewer token cannot act"));
            return HttpAnswer::error(403, QStringLiteral("forbidden"),
                                     QStringLiteral("this path needs an operator token; %1 is a "
                                                    "viewer")
                                         .arg(caller));
        }
        const QString replayKey = path + QLatin1Char(' ') + request.header("idempotency-key");
        if (!request.header("idempotency-key").isEmpty() && m_answers.contains(replayKey)) {
            HttpAnswer replay = m_answers.value(replayKey);
            replay.headers.append(
                {QByteArrayLiteral("Idempotent-Replay"), QByteArrayLiteral("true")});
            return replay;
        }
        HttpAnswer answer;
        if (path == QLatin1String("/v1/plans")) {
            answer = plan(request, caller);
        } else if (path.startsWith(QLatin1String("/v1/plans/")) &&
                   path.endsWith(QLatin1String("/confirm"))) {
            answer = confirm(path.section(QLatin1Char('/'), 3, 3), caller);
        } else if (path.startsWith(QLatin1String("/v1/jobs/")) &&
                   path.endsWith(QLatin1String("/cancel"))) {
            answer = cancel(path.section(QLatin1Char('/'), 3, 3), caller);
        } else {
            answer = HttpAnswer::error(404, QStringLiteral("not_found"),
                                       QStringLiteral("no such path: %1").arg(path));
        }
        if (answer.kind == HttpAnswer::Kind::Reply && !request.header("idempotency-key").isEmpty())
            m_answers.insert(replayKey, answer);
        return answer;
    }
    if (request.method != "GET")
        return HttpAnswer::error(405, QStringLiteral("method_not_allowed"), QString());
    if (path == QLatin1String("/v1/audit"))
        return auditPage(request);
    if (path.startsWith(QLatin1String("/v1/jobs/")))
        return job(path.section(QLatin1Char('/'), 3, 3));
    if (path == QLatin1String("/v1/jobs")) {
        QJsonArray jobs;
        for (const QJsonObject& job : std::as_const(m_jobs))
            jobs.append(job);
        return HttpAnswer::json(200, {{QStringLiteral("jobs"), jobs}});
    }
    return HttpAnswer::error(404, QStringLiteral("not_found"),
                             QStringLiteral("no such path: %1").arg(path));
}

HttpAnswer FakeActionApi::plan(const HttpExchange& request, const QString& caller) {
    const QJsonObject body = request.json();
    if (body.value(QStringLiteral("kind")) == QLatin1String("shards.rebalance"))
        return rebalancePlan(body, caller);
    if (body.value(QStringLiteral("kind")) == QLatin1String("cache.invalidate"))
        return invalidatePlan(body, caller);
    if (body.value(QStringLiteral("kind")) == QLatin1String("drill.run"))
        return drillPlan(body, caller);
    const QString target = body.value(QStringLiteral("target")).toString();
    const QJsonObject params = body.value(QStringLiteral("params")).toObject();
    const QString mode = params.value(QStringLiteral("mode")).toString();
    if (std::find(std::begin(kModes), std::end(kModes), mode) == std::end(kModes))
        return HttpAnswer::error(400, QStringLiteral("bad_request"),
                                 QStringLiteral("params.mode must be one of force_open, disable, "
                                                "metrics_only, reset"));
    const bool exists = breakers.contains(target);
    QJsonArray checks{QJsonObject{
        {QStringLiteral("name"), QStringLiteral("breaker_exists")},
        {QStringLiteral("verdict"), exists ? QStringLiteral("pass") : QStringLiteral("fail")},
        {QStringLiteral("detail"), exists ? QStringLiteral("%1 is registered").arg(target)
                                          : QStringLiteral("no breaker named %1").arg(target)}}};
    if (warnCheck)
        checks.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("calls_in_flight")},
                                  {QStringLiteral("verdict"), QStringLiteral("warn")},
                                  {QStringLiteral("detail"),
                                   QStringLiteral("42 calls/s go through %1 now").arg(target)}});
    const int expiry = params.value(QStringLiteral("expiry_s")).toInt();
    // Worded as the agent words it (docs/protocol.md).
    QString summary = mode == QLatin1String("force_open") ? QStringLiteral("force breaker %1 open")
                      : mode == QLatin1String("disable")  ? QStringLiteral("disable breaker %1")
                      : mode == QLatin1String("metrics_only")
                          ? QStringLiteral("record breaker %1's calls without ever opening it")
                          : QStringLiteral("reset breaker %1 to closed");
    summary = summary.arg(target);
    if (expiry > 0)
        summary += QStringLiteral(" for %1 s").arg(expiry);
    return issuePlan(
        QStringLiteral("breaker.override"), target, QStringLiteral("instance"), params, summary,
        caller,
        QJsonObject{{QStringLiteral("changes"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("what"), QStringLiteral("breaker %1").arg(target)},
                         {QStringLiteral("from"), QStringLiteral("closed")},
                         {QStringLiteral("to"), stateAfter(mode)}}}},
                    {QStringLiteral("checks"), checks},
                    {QStringLiteral("executable"), exists}});
}

HttpAnswer FakeActionApi::issuePlan(const QString& kind, const QJsonValue& target,
                                    const QString& scope, const QJsonObject& params,
                                    const QString& summary, const QString& caller,
                                    QJsonObject fields) {
    const qint64 now = nowMs();
    const QString id = QStringLiteral("p-%1").arg(m_nextId++);
    fields.insert(QStringLiteral("plan_id"), id);
    fields.insert(QStringLiteral("kind"), kind);
    fields.insert(QStringLiteral("target"), target);
    fields.insert(QStringLiteral("params"), params);
    fields.insert(QStringLiteral("scope"), scope);
    fields.insert(QStringLiteral("summary"), summary);
    fields.insert(QStringLiteral("created_ms"), now);
    fields.insert(QStringLiteral("expires_ms"), now + planLifetimeMs);
    fields.insert(QStringLiteral("created_by"), caller);
    m_plans.insert(id, fields);
    record(QStringLiteral("plan"), caller, fields, QStringLiteral("planned"), summary);
    return HttpAnswer::json(201, fields);
}

HttpAnswer FakeActionApi::confirm(const QString& planId, const QString& caller) {
    if (confirmAnswer)
        return *confirmAnswer;
    if (!m_plans.contains(planId))
        return HttpAnswer::error(404, QStringLiteral("not_found"),
                                 QStringLiteral("no plan %1").arg(planId));
    const QJsonObject plan = m_plans.value(planId);
    if (plan.value(QStringLiteral("expires_ms")).toInteger() < nowMs()) {
        record(QStringLiteral("refused"), caller, plan, QStringLiteral("plan_expired"), QString());
        return HttpAnswer::error(410, QStringLiteral("plan_expired"),
                                 QStringLiteral("plan %1 expired").arg(planId));
    }
    if (m_confirmedAs.contains(planId))
        return HttpAnswer::error(409, QStringLiteral("already_confirmed"),
                                 QStringLiteral("plan %1 already ran as job %2")
                                     .arg(planId, m_confirmedAs.value(planId)),
                                 {{QStringLiteral("job_id"), m_confirmedAs.value(planId)}});
    if (plan.value(QStringLiteral("kind")) == QLatin1String("drill.run")) {
        if (std::optional<HttpAnswer> refusal = drillConfirmRefusal(plan))
            return *refusal;
    }
    const QString id = QStringLiteral("j-%1").arg(m_nextId++);
    m_confirmedAs.insert(planId, id);
    const QString target = plan.value(QStringLiteral("target")).toString();
    m_jobs.insert(
        id, QJsonObject{{QStringLiteral("job_id"), id},
                        {QStringLiteral("plan_id"), planId},
                        {QStringLiteral("kind"), plan.value(QStringLiteral("kind"))},
                        {QStringLiteral("target"), target},
                        {QStringLiteral("params"), plan.value(QStringLiteral("params"))},
                        {QStringLiteral("scope"), QStringLiteral("instance")},
                        {QStringLiteral("state"), QStringLiteral("running")},
                        {QStringLiteral("progress"), 0.0},
                        {QStringLiteral("message"), QStringLiteral("overriding %1").arg(target)},
                        {QStringLiteral("created_by"), caller},
                        {QStringLiteral("started_ms"), nowMs()}});
    m_pollsLeft.insert(id, pollsUntilDone);
    if (plan.value(QStringLiteral("kind")) == QLatin1String("shards.rebalance"))
        startRebalance(m_jobs[id]);
    if (plan.value(QStringLiteral("kind")) == QLatin1String("cache.invalidate"))
        startInvalidate(m_jobs[id]);
    if (plan.value(QStringLiteral("kind")) == QLatin1String("drill.run"))
        startDrill(m_jobs[id]);
    record(QStringLiteral("confirm"), caller, plan, QStringLiteral("accepted"), QString());
    // A job with no polls to wait for finishes within the confirm, as a breaker override does
    // on the real agent (it waits a moment for short jobs).
    if (pollsUntilDone == 0)
        job(id);
    return HttpAnswer::json(202, m_jobs.value(id));
}

HttpAnswer FakeActionApi::job(const QString& jobId) {
    if (!m_jobs.contains(jobId))
        return HttpAnswer::error(404, QStringLiteral("not_found"),
                                 QStringLiteral("no job %1").arg(jobId));
    QJsonObject& job = m_jobs[jobId];
    int& left = m_pollsLeft[jobId];
    const bool rebalance = job.value(QStringLiteral("kind")) == QLatin1String("shards.rebalance");
    const bool invalidate = job.value(QStringLiteral("kind")) == QLatin1String("cache.invalidate");
    const bool drill = job.value(QStringLiteral("kind")) == QLatin1String("drill.run");
    if (job.value(QStringLiteral("state")) == QLatin1String("cancelling")) {
        // The next safe point: what had not finished is rolled back.
        job.insert(QStringLiteral("state"), QStringLiteral("cancelled"));
        job.insert(QStringLiteral("message"), QStringLiteral("cancelled by the operator"));
        job.insert(QStringLiteral("finished_ms"), nowMs());
        if (rebalance)
            finishRebalance(job, QStringLiteral("rolled_back"));
        if (invalidate)
            finishInvalidate(job, true);
        if (drill)
            finishDrill(job, true);
        record(QStringLiteral("result"), job.value(QStringLiteral("created_by")).toString(), job,
               QStringLiteral("cancelled"), job.value(QStringLiteral("message")).toString());
    } else if (job.value(QStringLiteral("state")) == QLatin1String("running")) {
        if (left > 0) {
            --left;
            job.insert(QStringLiteral("progress"), 0.5);
            if (rebalance)
                advanceRebalance(job, left);
            if (invalidate)
                advanceInvalidate(job, left);
            if (drill)
                advanceDrill(job, left);
        } else {
            const QString target = job.value(QStringLiteral("target")).toString();
            job.insert(QStringLiteral("state"),
                       jobFails ? QStringLiteral("failed") : QStringLiteral("succeeded"));
            job.insert(QStringLiteral("progress"), 1.0);
            job.insert(QStringLiteral("finished_ms"), nowMs());
            if (jobFails) {
                job.insert(QStringLiteral("message"), QStringLiteral("override failed"));
                job.insert(QStringLiteral("error"),
                           QStringLiteral("breaker %1 was unregistered").arg(target));
            } else {
                job.insert(QStringLiteral("message"),
                           QStringLiteral("%1 overridden as planned").arg(target));
            }
            if (rebalance) // its own words and moves
                finishRebalance(job, jobFails ? QStringLiteral("failed") : QStringLiteral("done"));
            if (invalidate && !jobFails)
                finishInvalidate(job, false);
            if (drill && !jobFails)
                finishDrill(job, false);
            record(QStringLiteral("result"), job.value(QStringLiteral("created_by")).toString(),
                   job, job.value(QStringLiteral("state")).toString(),
                   job.value(QStringLiteral("message")).toString());
        }
    }
    return HttpAnswer::json(200, job);
}

HttpAnswer FakeActionApi::auditPage(const HttpExchange& request) const {
    const qint64 before = request.query.hasQueryItem(QStringLiteral("before"))
                              ? request.query.queryItemValue(QStringLiteral("before")).toLongLong()
                              : std::numeric_limits<qint64>::max();
    const int limit = request.query.hasQueryItem(QStringLiteral("limit"))
                          ? request.query.queryItemValue(QStringLiteral("limit")).toInt()
                          : 100;
    QJsonArray entries;
    bool more = false;
    for (qsizetype i = audit.size() - 1; i >= 0; --i) {
        if (audit.at(i).value(QStringLiteral("seq")).toInteger() >= before)
            continue;
        if (entries.size() == limit) {
            more = true;
            break;
        }
        entries.append(audit.at(i));
    }
    const QJsonValue nextBefore =
        more ? QJsonValue(entries.last().toObject().value(QStringLiteral("seq")))
             : QJsonValue(QJsonValue::Null);
    QJsonObject page{{QStringLiteral("entries"), entries},
                     {QStringLiteral("next_before"), nextBefore}};
    if (reportsChain)
        page.insert(QStringLiteral("chain"),
                    !chain.isEmpty() ? chain
                                     : QJsonObject{{QStringLiteral("intact"), true},
                                                   {QStringLiteral("entries"), audit.size()},
                                                   {QStringLiteral("legacy_entries"), 0},
                                                   {QStringLiteral("last_hash"),
                                                    QString(64, QLatin1Char('a'))}});
    return HttpAnswer::json(200, page);
}

void FakeActionApi::record(const QString& event, const QString& caller, const QJsonObject& about,
                           const QString& outcome, const QString& detail) {
    const qint64 seq =
        audit.isEmpty() ? 1 : audit.last().value(QStringLiteral("seq")).toInteger() + 1;
    audit.append(QJsonObject{{QStringLiteral("seq"), seq},
                             {QStringLiteral("time_ms"), nowMs()},
                             {QStringLiteral("event"), event},
                             {QStringLiteral("token"), caller},
                             {QStringLiteral("role"), caller.isEmpty() ? QString()
                                                      : caller == QLatin1String("alice")
                                                          ? QStringLiteral("operator")
                                                          : QStringLiteral("viewer")},
                             {QStringLiteral("kind"), about.value(QStringLiteral("kind"))},
                             {QStringLiteral("target"), about.value(QStringLiteral("target"))},
                             {QStringLiteral("params"), about.value(QStringLiteral("params"))},
                             {QStringLiteral("plan_id"), about.value(QStringLiteral("plan_id"))},
                             {QStringLiteral("job_id"), about.value(QStringLiteral("job_id"))},
                             {QStringLiteral("outcome"), outcome},
                             {QStringLiteral("detail"), detail}});
}

void FakeActionApi::addAuditEntries(int count) {
    // A story that repeats every eight entries, as an operator's day would read: overrides
    // planned, confirmed and finished, a viewer refused, a failure, an expiry.
    struct Step {
        const char* event;
        const char* caller; // "" for the agent itself
        const char* target;
        const char* mode;
        int expiry;
        const char* outcome;
        const char* detail;
    };
    static const Step kStory[] = {
        {"plan", "alice", "redis", "force_open", 600, "planned",
         "force breaker redis open for 600 s"},
        {"confirm", "alice", "redis", "force_open", 600, "accepted", "job started"},
        {"result", "alice", "redis", "force_open", 600, "succeeded", "redis forced open for 600 s"},
        {"refused", "victor", "payments", "disable", 0, "forbidden",
         "this path needs an operator token"},
        {"plan", "alice", "postgres", "metrics_only", 0, "planned",
         "record postgres without opening"},
        {"confirm", "alice", "postgres", "metrics_only", 0, "accepted", "job started"},
        {"result", "alice", "postgres", "metrics_only", 0, "failed",
         "breaker postgres was unregistered while the job ran"},
        {"expired", "", "redis", "force_open", 600, "closed",
         "redis returned to normal after 600 s"},
    };
    const qint64 now = nowMs();
    for (int i = 0; i < count; ++i) {
        const qsizetype n = audit.size();
        const Step& step = kStory[n % 8];
        QJsonObject params{{QStringLiteral("mode"), QLatin1String(step.mode)}};
        if (step.expiry > 0)
            params.insert(QStringLiteral("expiry_s"), step.expiry);
        const QString planId = QStringLiteral("p-%1").arg(100 + n / 8);
        QJsonObject about{{QStringLiteral("kind"), QStringLiteral("breaker.override")},
                          {QStringLiteral("target"), QLatin1String(step.target)},
                          {QStringLiteral("params"), params}};
        if (qstrcmp(step.event, "refused") != 0)
            about.insert(QStringLiteral("plan_id"), planId);
        if (qstrcmp(step.event, "confirm") == 0 || qstrcmp(step.event, "result") == 0)
            about.insert(QStringLiteral("job_id"), QStringLiteral("j-%1").arg(100 + n / 8));
        record(QLatin1String(step.event), QLatin1String(step.caller), about,
               QLatin1String(step.outcome), QLatin1String(step.detail));
        // Spread over the past, 23 s apart, so the times read like a log.
        audit.last().insert(QStringLiteral("time_ms"), now - (count - i) * 23000);
    }
}
