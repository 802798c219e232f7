#include "ActionVerbs.h"

#include "AgentSession.h"
#include "CliOutput.h"
#include "JobWatch.h"
#include "ProtocolNames.h"

#include <QJsonArray>
#include <switchboard/protocol.h>

namespace switchboard::cli {

namespace {

// The action's kind and params as the console's dialogs build them.
struct ActionRequest {
    QString kind;
    QString target;
    QJsonObject params;
};

// The target the agent's snapshot names for this kind of action, as the console's dialogs send
// it: the shard catalog for a rebalance, the Redis server for an invalidation (either only
// informs the audit log); empty with *error set when the agent reports none.
QString targetFromSnapshot(AgentSession& session, const CliOptions& options, QString* error,
                           ExitCode* code) {
    const Answer<QJsonObject> snapshot = session.get(QStringLiteral("/v1/snapshot"));
    if (!snapshot.ok()) {
        *code = exitCodeOf(snapshot.error);
        *error = QStringLiteral("reading the snapshot for the action's target: %1")
                     .arg(snapshot.error.text());
        return {};
    }
    const bool rebalance = options.verb == QLatin1String("rebalance");
    const QString target = rebalance ? snapshot.value->value(QStringLiteral("shards"))
                                           .toObject()
                                           .value(QStringLiteral("catalog"))
                                           .toString()
                                     : snapshot.value->value(QStringLiteral("cache"))
                                           .toObject()
                                           .value(QStringLiteral("redis"))
                                           .toObject()
                                           .value(QStringLiteral("target"))
                                           .toString();
    if (target.isEmpty()) {
        *code = ExitCode::Refused;
        *error = rebalance ? QStringLiteral("the agent reports no shard catalog (no shards "
                                            "configured?): nothing to rebalance")
                           : QStringLiteral("the agent reports no Redis cache (no cache "
                                            "configured?): nothing to invalidate");
    }
    return target;
}

QString failingChecks(const ActionPlan& plan) {
    QStringList failing;
    for (const PreflightCheck& check : plan.checks)
        if (check.verdict == PreflightCheck::Verdict::Fail)
            failing.append(QStringLiteral("%1 (%2)").arg(check.name, check.detail));
    return failing.isEmpty() ? QStringLiteral("the agent says it is not executable")
                             : failing.join(QStringLiteral("; "));
}

} // namespace

ExitCode runAction(const CliOptions& options, InterruptSignals& interrupts) {
    QString error;
    const auto agent = selectAgent(options, &error);
    if (!agent)
        return CliOutput::fail(ExitCode::Usage, QStringLiteral("usage"), error);
    AgentSession session(*agent, std::chrono::milliseconds(options.timeoutMs));

    ActionRequest request;
    if (options.verb == QLatin1String("drill")) {
        request = {qtName(protocol::action::kDrillRun), options.drill.region,
                   options.drill.params()};
    } else {
        request.kind = options.verb == QLatin1String("rebalance")
                           ? qtName(protocol::action::kShardsRebalance)
                           : qtName(protocol::action::kCacheInvalidate);
        request.params = options.verb == QLatin1String("rebalance") ? options.rebalance.params()
                                                                    : options.invalidate.params();
        request.target = options.target;
        if (request.target.isEmpty()) {
            ExitCode code = ExitCode::Done;
            request.target = targetFromSnapshot(session, options, &error, &code);
            if (request.target.isEmpty())
                return CliOutput::fail(code, QStringLiteral("no_target"), error);
        }
    }

    const Answer<ActionPlan> planned = session.plan(request.kind, request.target, request.params);
    if (!planned.ok())
        return CliOutput::fail(planned.error, QStringLiteral("planning %1").arg(request.kind));
    const ActionPlan& plan = *planned.value;
    CliOutput::note(QStringLiteral("plan %1: %2").arg(plan.id, plan.summary));
    if (options.step == CliOptions::Step::Plan) {
        CliOutput::document(plan.document);
        if (!plan.executable) {
            CliOutput::note(QStringLiteral("not executable: %1").arg(failingChecks(plan)));
            return ExitCode::Refused;
        }
        return ExitCode::Done;
    }

    // As the console: a plan with a failing check is never confirmed.
    if (!plan.executable)
        return CliOutput::fail(ExitCode::Refused, QStringLiteral("not_executable"),
                               QStringLiteral("plan %1 is not executable, not confirmed: %2")
                                   .arg(plan.id, failingChecks(plan)),
                               {{QStringLiteral("plan"), plan.document}});
    if (interrupts.count() > 0)
        return CliOutput::fail(ExitCode::Interrupted, QStringLiteral("interrupted"),
                               QStringLiteral("interrupted before confirming: nothing changed"));

    const Answer<ActionJob> confirmed = session.confirm(plan.id);
    if (!confirmed.ok())
        return CliOutput::fail(confirmed.error, QStringLiteral("confirming plan %1").arg(plan.id));
    if (!options.wait) {
        CliOutput::note(jobLine(*confirmed.value));
        CliOutput::document(confirmed.value->document);
        return ExitCode::Done;
    }
    const FollowedJob followed =
        followJob(session, *confirmed.value, interrupts, options.waitLimitS, true);
    if (followed.error)
        return CliOutput::fail(*followed.error,
                               QStringLiteral("following job %1").arg(followed.job.id));
    CliOutput::document(followed.job.document);
    return followed.job.succeeded() ? ExitCode::Done : ExitCode::JobFailed;
}

ExitCode runCancel(const CliOptions& options, InterruptSignals& interrupts) {
    QString error;
    const auto agent = selectAgent(options, &error);
    if (!agent)
        return CliOutput::fail(ExitCode::Usage, QStringLiteral("usage"), error);
    AgentSession session(*agent, std::chrono::milliseconds(options.timeoutMs));
    const Answer<ActionJob> cancelled = session.cancel(options.jobId);
    if (!cancelled.ok())
        return CliOutput::fail(cancelled.error,
                               QStringLiteral("cancelling job %1").arg(options.jobId));
    ActionJob job = *cancelled.value;
    if (options.wait) {
        const FollowedJob followed = followJob(session, job, interrupts, options.waitLimitS, false);
        if (followed.error)
            return CliOutput::fail(*followed.error,
                                   QStringLiteral("following job %1").arg(options.jobId));
        job = followed.job;
    } else {
        CliOutput::note(jobLine(job));
    }
    CliOutput::document(job.document);
    // Done when the job stopped as asked; a job that finished first answered 409 above.
    if (!options.wait || job.state == QLatin1String("cancelled"))
        return ExitCode::Done;
    return ExitCode::JobFailed;
}

} // namespace switchboard::cli
