#include "ReadVerbs.h"

#include "AgentSession.h"
#include "CliOutput.h"
#include "JobWatch.h"

#include <QJsonArray>
#include <chrono>
#include <memory>

namespace switchboard::cli {

namespace {

std::chrono::milliseconds timeoutOf(const CliOptions& options) {
    return std::chrono::milliseconds(options.timeoutMs);
}

// The one agent the options name, or the usage error already reported.
std::unique_ptr<AgentSession> sessionFor(const CliOptions& options, ExitCode* failed) {
    QString error;
    const auto agent = selectAgent(options, &error);
    if (!agent) {
        *failed = CliOutput::fail(ExitCode::Usage, QStringLiteral("usage"), error);
        return nullptr;
    }
    return std::make_unique<AgentSession>(*agent, timeoutOf(options));
}

// GET `path` and print the document; the exit code says how it went.
ExitCode printGet(const CliOptions& options, const QString& path, const QString& query,
                  const QString& what) {
    ExitCode failed = ExitCode::Done;
    const auto session = sessionFor(options, &failed);
    if (!session)
        return failed;
    const Answer<QJsonObject> answer = session->get(path, query);
    if (!answer.ok())
        return CliOutput::fail(answer.error, what);
    CliOutput::document(*answer.value);
    return ExitCode::Done;
}

} // namespace

ExitCode runAgents(const CliOptions& options) {
    QString error;
    const auto agents = selectAgents(options, &error);
    if (!agents)
        return CliOutput::fail(ExitCode::Usage, QStringLiteral("usage"), error);
    QJsonArray rows;
    ExitCode result = ExitCode::Done;
    for (const SelectedAgent& agent : *agents) {
        AgentSession session(agent, timeoutOf(options));
        const Answer<QJsonObject> info = session.get(QStringLiteral("/v1/info"));
        QJsonObject row{{QStringLiteral("name"), agent.name},
                        {QStringLiteral("url"), agent.url.toString()},
                        {QStringLiteral("reachable"), info.ok()}};
        if (info.ok()) {
            row.insert(QStringLiteral("info"), *info.value);
        } else {
            const ExitCode code = exitCodeOf(info.error);
            row.insert(QStringLiteral("error"),
                       QJsonObject{{QStringLiteral("exit_code"), int(code)},
                                   {QStringLiteral("reason"), info.error.reason},
                                   {QStringLiteral("message"), info.error.text()}});
            const QString who =
                agent.name.isEmpty()
                    ? agent.url.toString()
                    : QStringLiteral("%1 (%2)").arg(agent.name, agent.url.toString());
            CliOutput::note(QStringLiteral("agent %1: %2").arg(who, info.error.text()));
            if (result == ExitCode::Done)
                result = code; // the first failure says what went wrong
        }
        rows.append(row);
    }
    CliOutput::document({{QStringLiteral("agents"), rows}});
    return result;
}

ExitCode runSnapshot(const CliOptions& options) {
    ExitCode failed = ExitCode::Done;
    const auto session = sessionFor(options, &failed);
    if (!session)
        return failed;
    const Answer<QJsonObject> answer = session->get(QStringLiteral("/v1/snapshot"));
    if (!answer.ok())
        return CliOutput::fail(answer.error, QStringLiteral("reading the snapshot"));
    if (options.section.isEmpty()) {
        CliOutput::document(*answer.value);
        return ExitCode::Done;
    }
    const QJsonValue section = answer.value->value(options.section);
    if (section.isUndefined() || section.isNull())
        return CliOutput::fail(
            ExitCode::Refused, QStringLiteral("no_such_section"),
            QStringLiteral("the agent's snapshot has no section \"%1\" (it has "
                           "%2)")
                .arg(options.section, answer.value->keys().join(QStringLiteral(", "))));
    CliOutput::document(
        {{QStringLiteral("revision"), answer.value->value(QStringLiteral("revision"))},
         {options.section, section}});
    return ExitCode::Done;
}

ExitCode runJob(const CliOptions& options, InterruptSignals& interrupts) {
    if (!options.wait)
        return printGet(options, QStringLiteral("/v1/jobs/") + options.jobId, {},
                        QStringLiteral("reading job %1").arg(options.jobId));
    ExitCode failed = ExitCode::Done;
    const auto session = sessionFor(options, &failed);
    if (!session)
        return failed;
    const Answer<ActionJob> job = session->fetchJob(options.jobId);
    if (!job.ok())
        return CliOutput::fail(job.error, QStringLiteral("reading job %1").arg(options.jobId));
    // Only watching: an interrupt stops watching, it does not cancel someone else's job.
    const FollowedJob followed =
        followJob(*session, *job.value, interrupts, options.waitLimitS, false);
    if (followed.error)
        return CliOutput::fail(*followed.error,
                               QStringLiteral("following job %1").arg(options.jobId));
    CliOutput::document(followed.job.document);
    return followed.job.succeeded() ? ExitCode::Done : ExitCode::JobFailed;
}

ExitCode runJobs(const CliOptions& options) {
    return printGet(options, QStringLiteral("/v1/jobs"), {}, QStringLiteral("reading the jobs"));
}

ExitCode runAudit(const CliOptions& options) {
    QString query = QStringLiteral("limit=%1").arg(options.limit);
    if (options.before > 0)
        query += QStringLiteral("&before=%1").arg(options.before);
    return printGet(options, QStringLiteral("/v1/audit"), query,
                    QStringLiteral("reading the audit log"));
}

} // namespace switchboard::cli
