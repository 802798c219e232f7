// FakeActionApi's drill.run (docs/drills.md): validates the params as the agent does (400
// bad_params naming the param, 404 unknown_region, 409 drill_running, 400 region_not_confirmed
// for a live drill without the region's name), runs the preflight per candidate (reachable,
// streaming, lag, timeline; then leader, fault_command for a failover, no other drill), picks
// the best passing candidate unless one is named, and runs a job whose message is the next
// step with each poll, ending with a result carrying RTO, RPO and the timeline.
#include "FakeActionApi.h"

#include <QDateTime>

namespace {

const QStringList kKinds{QStringLiteral("switchover"), QStringLiteral("failover")};
const QStringList kModes{QStringLiteral("plan"), QStringLiteral("simulated"),
                         QStringLiteral("live")};
constexpr qint64 kRtoTargetMs = 15000;
constexpr qint64 kRpoTargetMs = 1000;

QString leaderOf(const QString& region) {
    return QStringLiteral("pg-%1-1").arg(region);
}

QJsonObject check(const QString& name, bool pass, const QString& detail) {
    return {{QStringLiteral("name"), name},
            {QStringLiteral("verdict"), pass ? QStringLiteral("pass") : QStringLiteral("fail")},
            {QStringLiteral("detail"), detail}};
}

HttpAnswer badParams(const QString& message) {
    return HttpAnswer::error(400, QStringLiteral("bad_params"), message);
}

} // namespace

HttpAnswer FakeActionApi::drillPlan(const QJsonObject& body, const QString& caller) {
    const QString region = body.value(QStringLiteral("target")).toString();
    const QJsonObject params = body.value(QStringLiteral("params")).toObject();
    const QString kind = params.value(QStringLiteral("kind")).toString();
    const QString mode = params.value(QStringLiteral("mode")).toString();
    const QString named = params.value(QStringLiteral("candidate")).toString();
    if (!kKinds.contains(kind))
        return badParams(QStringLiteral("params.kind must be one of switchover, failover"));
    if (!kModes.contains(mode))
        return badParams(QStringLiteral("params.mode must be one of plan, simulated, live"));
    if (!drillReplicas.contains(region))
        return HttpAnswer::error(
            404, QStringLiteral("unknown_region"),
            QStringLiteral("no region %1 in the ha configuration").arg(region));
    if (drillRunning)
        return HttpAnswer::error(409, QStringLiteral("drill_running"),
                                 QStringLiteral("drill d-7 (failover of eu-west) is running"));
    if (mode == QLatin1String("live") &&
        params.value(QStringLiteral("confirm_region")).toString() != region)
        return HttpAnswer::error(
            400, QStringLiteral("region_not_confirmed"),
            QStringLiteral("a live drill needs params.confirm_region = %1").arg(region));
    const QStringList replicas = drillReplicas.value(region);
    if (!named.isEmpty() && !replicas.contains(named))
        return badParams(
            QStringLiteral("params.candidate: %1 is not a replica of %2").arg(named, region));

    const QString leader = leaderOf(region);
    const QStringList considered = named.isEmpty() ? replicas : QStringList{named};
    QJsonArray checks;
    QJsonArray candidates;
    QString chosen;
    for (const QString& candidate : considered) {
        const bool streaming = candidate != drillNotStreaming;
        checks.append(check(QStringLiteral("%1: reachable").arg(candidate), true,
                            QStringLiteral("SELECT 1 answered in 0.4 ms")));
        checks.append(check(QStringLiteral("%1: streaming").arg(candidate), streaming,
                            streaming ? QStringLiteral("listed streaming by %1").arg(leader)
                                      : QStringLiteral("running, but %1 does not list it "
                                                       "streaming")
                                            .arg(leader)));
        checks.append(check(QStringLiteral("%1: lag").arg(candidate), true,
                            QStringLiteral("0 B behind (limit 1.0 MiB)")));
        checks.append(check(QStringLiteral("%1: timeline").arg(candidate), true,
                            QStringLiteral("timeline 2, as the leader's")));
        candidates.append(
            QJsonObject{{QStringLiteral("name"), candidate},
                        {QStringLiteral("lag_bytes"), 0},
                        {QStringLiteral("timeline"), 2},
                        {QStringLiteral("streaming"), streaming},
                        {QStringLiteral("verdict"),
                         streaming ? QStringLiteral("pass") : QStringLiteral("fail")}});
        if (streaming && chosen.isEmpty())
            chosen = candidate;
    }
    checks.append(check(QStringLiteral("leader"), true, QStringLiteral("%1 leads").arg(leader)));
    if (kind == QLatin1String("failover"))
        checks.append(check(QStringLiteral("fault_command"), true,
                            QStringLiteral("stack kill --name {member}")));
    checks.append(check(QStringLiteral("no other drill"), true, QStringLiteral("none running")));
    const bool executable = !chosen.isEmpty();

    const QJsonArray steps{QStringLiteral("preflight again"),
                           kind == QLatin1String("failover")
                               ? QStringLiteral("crash %1 with the fault command").arg(leader)
                               : QStringLiteral("POST /switchover to %1").arg(chosen),
                           QStringLiteral("repoint the write router"),
                           QStringLiteral("count the acknowledged writes on %1").arg(chosen)};
    const QString summary =
        QStringLiteral("%1 %2 of %3: %4 → %5")
            .arg(mode, kind, region, leader, chosen.isEmpty() ? QStringLiteral("(none)") : chosen);
    return issuePlan(
        QStringLiteral("drill.run"), region, QStringLiteral("cluster"), params, summary, caller,
        QJsonObject{{QStringLiteral("changes"),
                     QJsonArray{QJsonObject{
                         {QStringLiteral("what"), QStringLiteral("leader of %1").arg(region)},
                         {QStringLiteral("from"), leader},
                         {QStringLiteral("to"),
                          mode == QLatin1String("live")
                              ? chosen
                              : QStringLiteral("%1 (%2: unchanged)").arg(leader, mode)}}}},
                    {QStringLiteral("checks"), checks},
                    {QStringLiteral("executable"), executable},
                    {QStringLiteral("details"),
                     QJsonObject{{QStringLiteral("candidates"), candidates},
                                 {QStringLiteral("candidate"), chosen},
                                 {QStringLiteral("leader"), leader},
                                 {QStringLiteral("targets"),
                                  QJsonObject{{QStringLiteral("rto_ms"), kRtoTargetMs},
                                              {QStringLiteral("rpo_ms"), kRpoTargetMs}}},
                                 {QStringLiteral("steps"), steps}}}});
}

std::optional<HttpAnswer> FakeActionApi::drillConfirmRefusal(const QJsonObject& plan) const {
    if (drillRunning)
        return HttpAnswer::error(409, QStringLiteral("drill_running"),
                                 QStringLiteral("drill d-7 (failover of eu-west) is running"));
    if (!drillPreflightFailsOnConfirm)
        return std::nullopt;
    // The fresh preflight: the chosen candidate stopped streaming since the plan.
    const QJsonObject details = plan.value(QStringLiteral("details")).toObject();
    const QString candidate = details.value(QStringLiteral("candidate")).toString();
    const QString leader = details.value(QStringLiteral("leader")).toString();
    const QJsonArray checks{
        check(QStringLiteral("%1: reachable").arg(candidate), true, QStringLiteral("answered")),
        check(QStringLiteral("%1: streaming").arg(candidate), false,
              QStringLiteral("%1 no longer lists it streaming").arg(leader))};
    return HttpAnswer::error(409, QStringLiteral("preflight_failed"),
                             QStringLiteral("%1: streaming fails now").arg(candidate),
                             {{QStringLiteral("checks"), checks}});
}

void FakeActionApi::startDrill(QJsonObject& job) const {
    job.insert(QStringLiteral("message"), drillSteps.value(0));
    job.insert(QStringLiteral("progress"), 0.0);
}

void FakeActionApi::advanceDrill(QJsonObject& job, int pollsLeft) const {
    // One step further with each poll, the last step held until the job ends.
    const int done = pollsUntilDone - pollsLeft;
    const int step = std::min<int>(done, int(drillSteps.size()) - 1);
    job.insert(QStringLiteral("message"), drillSteps.value(step));
    job.insert(QStringLiteral("progress"), double(done) / double(pollsUntilDone + 1));
}

void FakeActionApi::finishDrill(QJsonObject& job, bool cancelled) const {
    const QString region = job.value(QStringLiteral("target")).toString();
    const QJsonObject plan = m_plans.value(job.value(QStringLiteral("plan_id")).toString());
    const QJsonObject params = plan.value(QStringLiteral("params")).toObject();
    const QString candidate = plan.value(QStringLiteral("details"))
                                  .toObject()
                                  .value(QStringLiteral("candidate"))
                                  .toString();
    const qint64 started = job.value(QStringLiteral("started_ms")).toInteger();
    QJsonArray timeline;
    for (qsizetype i = 0; i < drillSteps.size(); ++i)
        timeline.append(
            QJsonObject{{QStringLiteral("t_ms"), qint64(i) * 300},
                        {QStringLiteral("step"), drillSteps.at(i).section(':', 0, 0)},
                        {QStringLiteral("detail"), drillSteps.at(i).section(':', 1).trimmed()}});
    const QJsonObject result{
        {QStringLiteral("id"),
         QStringLiteral("d-%1").arg(job.value(QStringLiteral("job_id")).toString())},
        {QStringLiteral("kind"), params.value(QStringLiteral("kind"))},
        {QStringLiteral("mode"), params.value(QStringLiteral("mode"))},
        {QStringLiteral("region"), region},
        {QStringLiteral("from"), leaderOf(region)},
        {QStringLiteral("to"), candidate},
        {QStringLiteral("outcome"),
         cancelled ? QStringLiteral("cancelled") : QStringLiteral("succeeded")},
        {QStringLiteral("started_ms"), started},
        {QStringLiteral("finished_ms"), started + 4000},
        {QStringLiteral("rto_ms"), cancelled ? QJsonValue(QJsonValue::Null) : QJsonValue(1210)},
        {QStringLiteral("rpo_writes"), 0},
        {QStringLiteral("rpo_bytes"), 0},
        {QStringLiteral("rpo_ms"), 0},
        {QStringLiteral("write_gap_ms"), 980},
        {QStringLiteral("writes_checked"), 5120},
        {QStringLiteral("targets"), QJsonObject{{QStringLiteral("rto_ms"), kRtoTargetMs},
                                                {QStringLiteral("rpo_ms"), kRpoTargetMs}}},
        {QStringLiteral("met"),
         QJsonObject{{QStringLiteral("rto"), !cancelled}, {QStringLiteral("rpo"), true}}},
        {QStringLiteral("timeline"), timeline},
        {QStringLiteral("error"),
         cancelled ? QStringLiteral("cancelled by the operator") : QString()}};
    job.insert(QStringLiteral("result"), result);
    if (!cancelled)
        job.insert(QStringLiteral("message"),
                   QStringLiteral("drill succeeded: %1 → %2, RTO 1.21 s, RPO 0 writes")
                       .arg(leaderOf(region), candidate));
}
