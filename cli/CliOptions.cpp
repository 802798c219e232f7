#include "CliOptions.h"

#include "ExitCode.h"

#include <QCommandLineParser>
#include <limits>
#include <switchboard/protocol.h>

namespace switchboard::cli {

namespace {

const QStringList kVerbs{"agents", "snapshot", "rebalance", "invalidate", "drill",
                         "job",    "jobs",     "cancel",    "audit"};
const QStringList kActionVerbs{"rebalance", "invalidate", "drill"};

QCommandLineOption valueOption(const char* name, const char* description, const char* valueName) {
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description),
                              QString::fromLatin1(valueName));
}

QCommandLineOption flag(const char* name, const char* description) {
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description));
}

// A whole number within [low, high], or an error naming the option.
std::optional<qint64> number(const QString& option, const QString& text, qint64 low, qint64 high,
                             QString* error) {
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < low || value > high) {
        *error = QStringLiteral("--%1 must be a whole number from %2 to %3, not \"%4\"")
                     .arg(option)
                     .arg(low)
                     .arg(high)
                     .arg(text);
        return std::nullopt;
    }
    return value;
}

ParsedCommandLine failure(const QString& error) {
    return {std::nullopt, error};
}

} // namespace

bool CliOptions::followsJobs() const {
    return verb == QLatin1String("cancel") || (verb == QLatin1String("job") && wait) ||
           (kActionVerbs.contains(verb) && step == Step::Run);
}

bool CliOptions::acts() const {
    // Every POST needs an operator token, a plan included (it is audited, though a dry run).
    return verb == QLatin1String("cancel") || kActionVerbs.contains(verb);
}

ParsedCommandLine parseCommandLine(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    const QCommandLineOption help = flag("help", "");
    const QCommandLineOption version = flag("version", "");
    const QCommandLineOption agent = valueOption("agent", "", "url");
    const QCommandLineOption stack = valueOption("stack", "", "file");
    const QCommandLineOption workspace = valueOption("workspace", "", "file");
    const QCommandLineOption instance = valueOption("instance", "", "name");
    const QCommandLineOption tokenFile = valueOption("token-file", "", "file");
    const QCommandLineOption caFile = valueOption("ca-file", "", "file");
    const QCommandLineOption timeout = valueOption("timeout", "", "seconds");
    const QCommandLineOption section = valueOption("section", "", "name");
    const QCommandLineOption limit = valueOption("limit", "", "n");
    const QCommandLineOption before = valueOption("before", "", "seq");
    const QCommandLineOption wait = flag("wait", "");
    const QCommandLineOption noWait = flag("no-wait", "");
    const QCommandLineOption waitLimit = valueOption("wait-limit", "", "seconds");
    const QCommandLineOption target = valueOption("target", "", "target");
    const QCommandLineOption goal = valueOption("goal", "", "goal");
    const QCommandLineOption by = valueOption("by", "", "what");
    const QCommandLineOption node = valueOption("node", "", "node");
    const QCommandLineOption threshold = valueOption("threshold", "", "percent");
    const QCommandLineOption key = valueOption("key", "", "key");
    const QCommandLineOption prefix = valueOption("prefix", "", "prefix");
    const QCommandLineOption pattern = valueOption("pattern", "", "pattern");
    const QCommandLineOption rate = valueOption("rate", "", "keys-per-second");
    const QCommandLineOption confirmAll = flag("confirm-all", "");
    const QCommandLineOption region = valueOption("region", "", "region");
    const QCommandLineOption kind = valueOption("kind", "", "kind");
    const QCommandLineOption mode = valueOption("mode", "", "mode");
    const QCommandLineOption candidate = valueOption("candidate", "", "member");
    const QCommandLineOption confirm = valueOption("confirm", "", "region");
    parser.addOptions({help,       version,   agent,     stack,   workspace, instance,
                       tokenFile,  caFile,    timeout,   section, limit,     before,
                       wait,       noWait,    waitLimit, target,  goal,      by,
                       node,       threshold, key,       prefix,  pattern,   rate,
                       confirmAll, region,    kind,      mode,    candidate, confirm});
    if (!parser.parse(QStringList{QStringLiteral("switchboard-cli")} + arguments))
        return failure(parser.errorText());

    CliOptions options;
    options.help = parser.isSet(help);
    options.version = parser.isSet(version);
    if (options.help || options.version)
        return {options, {}};

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return failure(QStringLiteral("no command given (one of %1)").arg(kVerbs.join(", ")));
    options.verb = positional.takeFirst();
    if (!kVerbs.contains(options.verb))
        return failure(QStringLiteral("unknown command \"%1\" (one of %2)")
                           .arg(options.verb, kVerbs.join(", ")));
    if (kActionVerbs.contains(options.verb)) {
        const QString step = positional.isEmpty() ? QString() : positional.takeFirst();
        if (step == QLatin1String("plan"))
            options.step = CliOptions::Step::Plan;
        else if (step == QLatin1String("run"))
            options.step = CliOptions::Step::Run;
        else
            return failure(
                QStringLiteral("%1 needs plan or run, not \"%2\"").arg(options.verb, step));
    } else if (options.verb == QLatin1String("job") || options.verb == QLatin1String("cancel")) {
        if (positional.isEmpty() || positional.first().isEmpty())
            return failure(QStringLiteral("%1 needs a job id").arg(options.verb));
        options.jobId = positional.takeFirst();
    }
    if (!positional.isEmpty())
        return failure(QStringLiteral("unexpected argument \"%1\"").arg(positional.first()));

    // Where the agent is.
    const int sources =
        int(parser.isSet(agent)) + int(parser.isSet(stack)) + int(parser.isSet(workspace));
    if (sources != 1)
        return failure(
            QStringLiteral("name the agent with exactly one of --agent URL, --stack FILE "
                           "or --workspace FILE"));
    options.agentUrl = parser.value(agent);
    options.stackFile = parser.value(stack);
    options.workspaceFile = parser.value(workspace);
    options.instance = parser.value(instance);
    options.tokenFile = parser.value(tokenFile);
    options.caFile = parser.value(caFile);
    if (parser.isSet(agent) && options.tokenFile.isEmpty())
        return failure(QStringLiteral("--agent needs --token-file (the agent wants a token)"));
    if (parser.isSet(agent) && parser.isSet(instance))
        return failure(QStringLiteral("--instance picks an agent of --stack or --workspace, not "
                                      "of --agent"));

    QString error;
    if (parser.isSet(timeout)) {
        const auto seconds =
            number(QStringLiteral("timeout"), parser.value(timeout), 1, 3600, &error);
        if (!seconds)
            return failure(error);
        options.timeoutMs = int(*seconds * 1000);
    }
    if (parser.isSet(waitLimit)) {
        const auto seconds =
            number(QStringLiteral("wait-limit"), parser.value(waitLimit), 1, 86400, &error);
        if (!seconds)
            return failure(error);
        options.waitLimitS = int(*seconds);
    }
    if (parser.isSet(wait) && parser.isSet(noWait))
        return failure(QStringLiteral("--wait and --no-wait contradict each other"));
    options.wait =
        options.verb == QLatin1String("job") ? parser.isSet(wait) : !parser.isSet(noWait);

    options.section = parser.value(section);
    if (parser.isSet(limit)) {
        const auto value = number(QStringLiteral("limit"), parser.value(limit), 1, 1000, &error);
        if (!value)
            return failure(error);
        options.limit = int(*value);
    }
    if (parser.isSet(before)) {
        const auto value = number(QStringLiteral("before"), parser.value(before), 1,
                                  std::numeric_limits<qint64>::max(), &error);
        if (!value)
            return failure(error);
        options.before = *value;
    }
    options.target = parser.value(target);

    if (options.verb == QLatin1String("rebalance")) {
        RebalanceRequest& request = options.rebalance;
        const QString goalName = parser.isSet(goal) ? parser.value(goal) : QStringLiteral("even");
        bool known = false;
        for (auto candidateGoal : {RebalanceRequest::Goal::Even, RebalanceRequest::Goal::AddNode,
                                   RebalanceRequest::Goal::DrainNode})
            if (RebalanceRequest::goalName(candidateGoal) == goalName) {
                request.goal = candidateGoal;
                known = true;
            }
        if (!known)
            return failure(QStringLiteral("--goal must be even, add_node or drain_node, not \"%1\"")
                               .arg(goalName));
        const QString byName = parser.isSet(by) ? parser.value(by) : QStringLiteral("rows");
        known = false;
        for (auto candidateBy :
             {RebalanceRequest::By::Rows, RebalanceRequest::By::Bytes, RebalanceRequest::By::Load})
            if (RebalanceRequest::byName(candidateBy) == byName) {
                request.by = candidateBy;
                known = true;
            }
        if (!known)
            return failure(
                QStringLiteral("--by must be rows, bytes or load, not \"%1\"").arg(byName));
        request.node = parser.value(node);
        if (request.needsNode() && request.node.isEmpty())
            return failure(QStringLiteral("--goal %1 needs --node NAME").arg(goalName));
        if (!request.needsNode() && !request.node.isEmpty())
            return failure(QStringLiteral("--node goes with --goal add_node or drain_node"));
        if (parser.isSet(threshold)) {
            bool ok = false;
            request.thresholdPercent = parser.value(threshold).toDouble(&ok);
            if (!ok || request.thresholdPercent < 0)
                return failure(QStringLiteral("--threshold must be a percentage of 0 or more, "
                                              "not \"%1\"")
                                   .arg(parser.value(threshold)));
        }
    }

    if (options.verb == QLatin1String("invalidate")) {
        InvalidateRequest& request = options.invalidate;
        const int selections =
            int(parser.isSet(key)) + int(parser.isSet(prefix)) + int(parser.isSet(pattern));
        if (selections != 1)
            return failure(QStringLiteral("select the keys with exactly one of --key, --prefix or "
                                          "--pattern"));
        if (parser.isSet(key)) {
            request.match = InvalidateRequest::Match::Key;
            request.value = parser.value(key);
        } else if (parser.isSet(prefix)) {
            request.match = InvalidateRequest::Match::Prefix;
            request.value = parser.value(prefix);
        } else {
            request.match = InvalidateRequest::Match::Pattern;
            request.value = parser.value(pattern);
        }
        if (parser.isSet(rate)) {
            const auto value = number(QStringLiteral("rate"), parser.value(rate), 1,
                                      InvalidateRequest::kMaxRate, &error);
            if (!value)
                return failure(error);
            request.rate = int(*value);
        }
        if (const QString problem = request.problem(); !problem.isEmpty())
            return failure(problem);
        // As the console's match-all dialog: selecting every key is asked for in so many words.
        if (request.isMatchAll() && !parser.isSet(confirmAll))
            return failure(QStringLiteral("this selection matches every key in the cache: add "
                                          "--confirm-all to mean it (nothing was sent)"));
        request.allowMatchAll = request.isMatchAll();
    }

    if (options.verb == QLatin1String("drill")) {
        DrillRequest& request = options.drill;
        request.region = parser.value(region);
        request.kind = parser.value(kind);
        request.mode = parser.isSet(mode) ? parser.value(mode) : QStringLiteral("plan");
        request.candidate = parser.value(candidate);
        request.confirmRegion = parser.value(confirm);
        if (request.region.isEmpty())
            return failure(QStringLiteral("drill needs --region NAME"));
        if (!options.target.isEmpty())
            return failure(QStringLiteral("a drill's target is its region: use --region, not "
                                          "--target"));
        if (request.kind.isEmpty())
            return failure(QStringLiteral("drill needs --kind (switchover, failover, "
                                          "region_failover or region_failback)"));
        // A live drill moves a region's leader: the region's name typed again, exactly, before
        // anything is sent (the console's drill dialog asks the same).
        if (request.isLive() && !request.isConfirmed())
            return failure(
                request.confirmRegion.isEmpty()
                    ? QStringLiteral("a live drill needs --confirm %1 (the region's name, to "
                                     "mean it); nothing was sent")
                          .arg(request.region)
                    : QStringLiteral("--confirm %1 does not name the drill's region %2; nothing "
                                     "was sent")
                          .arg(request.confirmRegion, request.region));
        if (!request.isLive() && parser.isSet(confirm))
            return failure(QStringLiteral("--confirm is for a live drill only"));
        if (const QString problem = request.problem(); !problem.isEmpty())
            return failure(problem);
    }
    return {options, {}};
}

QString usageText() {
    return QStringLiteral(
               "Usage: switchboard-cli COMMAND [options]\n"
               "\n"
               "The console's actions for runbooks and CI. JSON on stdout, diagnostics on stderr.\n"
               "\n"
               "Commands:\n"
               "  agents                      every agent selected: name, URL, reachable, "
               "/v1/info\n"
               "  snapshot [--section NAME]   the agent's /v1/snapshot (or one section of it)\n"
               "  rebalance plan|run [--goal even|add_node|drain_node] [--node NAME]\n"
               "                     [--by rows|bytes|load] [--threshold PCT]\n"
               "  invalidate plan|run --key K | --prefix P | --pattern G [--rate N] "
               "[--confirm-all]\n"
               "  drill plan|run --region R --kind switchover|failover|region_failover|\n"
               "                 region_failback [--mode plan|simulated|live] [--candidate M]\n"
               "                 [--confirm R]    (a live drill needs --confirm with the region)\n"
               "  job ID [--wait]             one job (--wait: follow it to its end)\n"
               "  jobs                        the agent's jobs, newest first\n"
               "  cancel ID [--no-wait]       cancel a job and wait until it stopped\n"
               "  audit [--limit N] [--before SEQ]   the audit log, newest first\n"
               "\n"
               "  plan: a dry run, nothing changes. run: plan, refuse unless executable, confirm,\n"
               "  follow the job to its end (progress on stderr, the final job on stdout);\n"
               "  --no-wait returns after the confirm. Ctrl-C or SIGTERM while following\n"
               "  cancels the job and waits for it to stop. --target overrides the action's\n"
               "  target (default: the catalog, the Redis server or the region the agent "
               "reports).\n"
               "\n"
               "Agent and token:\n"
               "  --agent URL --token-file F  one agent\n"
               "  --stack FILE [--instance N] an agent of a local stack (its viewer token to "
               "read,\n"
               "                              its operator token to plan, run or cancel)\n"
               "  --workspace FILE [--instance N]  an agent of a console workspace, its token\n"
               "  --token-file F   the token (refused when other users can read it)\n"
               "  --ca-file F      the CA an https:// agent's certificate must chain to\n"
               "  --timeout S      per request (default 10); --wait-limit S following (default "
               "600)\n"
               "\n"
               "Exit codes:\n"
               "  %1 done (the job succeeded)\n"
               "  %2 the job failed or was cancelled, or is still running at --wait-limit\n"
               "  %3 usage error (bad option, bad file, token file permissions, missing\n"
               "    confirmation): nothing was sent\n"
               "  %4 the agent refused (busy, preflight_failed, rate_limited, not executable, …)\n"
               "  %5 not authorized (401, or 403: a viewer token acting)\n"
               "  %6 unreachable, timeout, TLS failure or an unreadable answer\n"
               "  %7 interrupted before anything was confirmed: nothing changed\n")
        .arg(int(ExitCode::Done))
        .arg(int(ExitCode::JobFailed))
        .arg(int(ExitCode::Usage))
        .arg(int(ExitCode::Refused))
        .arg(int(ExitCode::Unauthorized))
        .arg(int(ExitCode::Unreachable))
        .arg(int(ExitCode::Interrupted));
}

} // namespace switchboard::cli
