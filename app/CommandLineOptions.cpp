#include "CommandLineOptions.h"

#include "FleetSourcePolicy.h"
#include "PresentationMode.h"
#include "StackFile.h"
#include "TlsTrust.h"
#include "TokenFile.h"
#include "Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>
#include <cmath>

namespace switchboard {

namespace {

CommandLineOptions failure(const QString& message) {
    CommandLineOptions options;
    options.outcome = CommandLineOptions::Outcome::Error;
    options.error = message;
    return options;
}

QString checkAgentUrl(const QUrl& url, const QString& text) {
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("--connect %1: not a valid URL").arg(text);
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return QStringLiteral("--connect %1: the URL must start with http:// or https://")
            .arg(text);
    if (url.port() <= 0)
        return QStringLiteral("--connect %1: the URL needs the agent's port").arg(text);
    return {};
}

} // namespace

CommandLineOptions CommandLineOptions::parse(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Switchboard: a console for backend services with the Switchboard agent."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption stackOption(
        QStringLiteral("stack"),
        QStringLiteral("Connect to every agent the stack file lists, with its viewer token."),
        QStringLiteral("FILE"));
    const QCommandLineOption connectOption(
        QStringLiteral("connect"),
        QStringLiteral("Connect to the agent at URL (http://HOST:PORT); repeat for more agents."),
        QStringLiteral("URL"));
    const QCommandLineOption tokenOption(
        QStringLiteral("token-file"),
        QStringLiteral("Token file to present to the agents (overrides the stack's)."),
        QStringLiteral("FILE"));
    const QCommandLineOption caFileOption(
        QStringLiteral("ca-file"),
        QStringLiteral("Verify https:// agents against the CA certificates in FILE (PEM) instead "
                       "of the system's: the --connect agents, and a workspace's agents without "
                       "a ca_file of their own."),
        QStringLiteral("FILE"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Once every agent is live and charted, save overview.png and "
                       "main-window.png into DIR and exit."),
        QStringLiteral("DIR"));
    const QCommandLineOption workspaceOption(
        QStringLiteral("workspace"),
        QStringLiteral("Open the fleet workspace FILE (agents with their token files, "
                       "docs/metrics.md); agents added or removed are written back to it."),
        QStringLiteral("FILE"));
    const QCommandLineOption prometheusOption(
        QStringLiteral("prometheus"),
        QStringLiteral("The Prometheus server (http://HOST:PORT) that scrapes the agents: its "
                       "targets join the fleet, and past --direct-limit agents the fleet is read "
                       "through it (overrides the stack's and the workspace's)."),
        QStringLiteral("URL"));
    const QCommandLineOption directLimitOption(
        QStringLiteral("direct-limit"),
        QStringLiteral("Poll at most N agents directly; past that, read the fleet through "
                       "Prometheus (default: the workspace's agent_threshold, else %1).")
            .arg(FleetSourcePolicy::kDefaultDirectLimit),
        QStringLiteral("N"));
    const QCommandLineOption recordOption(
        QStringLiteral("record"),
        QStringLiteral("Record every agent's stream into FILE while the console runs, to replay "
                       "later with --replay (docs/recording.md)."),
        QStringLiteral("FILE"));
    const QCommandLineOption replayOption(
        QStringLiteral("replay"),
        QStringLiteral("Show the recording FILE as if its agents were live; no agent needed."),
        QStringLiteral("FILE"));
    const QCommandLineOption replaySpeedOption(
        QStringLiteral("replay-speed"),
        QStringLiteral("Replay at X times the recorded pace (default 1; 0: as fast as possible)."),
        QStringLiteral("X"));
    const QCommandLineOption presentationOption(
        QStringLiteral("presentation"),
        QStringLiteral("Open in presentation mode: full screen, large type, the views in turn "
                       "(Esc leaves it; docs/presentation.md)."));
    const QCommandLineOption presentationIntervalOption(
        QStringLiteral("presentation-interval"),
        QStringLiteral("In presentation mode, show each view for SECONDS (1 to 3600; default: "
                       "the saved setting, else %1).")
            .arg(PresentationMode::kDefaultIntervalSeconds),
        QStringLiteral("SECONDS"));
    parser.addOptions({stackOption, connectOption, tokenOption, caFileOption, screenshotOption,
                       workspaceOption, prometheusOption, directLimitOption, recordOption,
                       replayOption, replaySpeedOption, presentationOption,
                       presentationIntervalOption});

    if (!parser.parse(arguments))
        return failure(parser.errorText() + QStringLiteral("\nTry --help."));
    // --help-all is the parser's own variant of --help (it adds Qt's options).
    const bool help = parser.isSet(helpOption) || parser.isSet(QStringLiteral("help-all"));
    if (help || parser.isSet(versionOption)) {
        QTextStream out(stdout);
        if (help)
            out << parser.helpText();
        else
            out << QCoreApplication::applicationName() << ' '
                << QCoreApplication::applicationVersion() << '\n';
        CommandLineOptions options;
        options.outcome = Outcome::Exit;
        return options;
    }
    if (!parser.positionalArguments().isEmpty())
        return failure(QStringLiteral("unexpected argument \"%1\"\nTry --help.")
                           .arg(parser.positionalArguments().constFirst()));
    if (int(parser.isSet(stackOption)) + int(parser.isSet(connectOption)) +
            int(parser.isSet(workspaceOption)) >
        1)
        return failure(QStringLiteral("give one of --stack, --connect or --workspace"));

    if (parser.isSet(replayOption) &&
        (parser.isSet(stackOption) || parser.isSet(connectOption) ||
         parser.isSet(workspaceOption) || parser.isSet(prometheusOption)))
        return failure(QStringLiteral("--replay shows a recording, not live agents: give it "
                                      "without --stack, --connect, --workspace or --prometheus"));
    if (parser.isSet(replaySpeedOption) && !parser.isSet(replayOption))
        return failure(QStringLiteral("--replay-speed goes with --replay FILE"));

    CommandLineOptions options;
    QString error;
    if (parser.isSet(replayOption)) {
        options.replayPath = parser.value(replayOption);
        if (!QFileInfo(options.replayPath).isReadable())
            return failure(QStringLiteral("--replay %1: no such file, or not readable")
                               .arg(options.replayPath));
    }
    if (parser.isSet(replaySpeedOption)) {
        bool ok = false;
        options.replaySpeed = parser.value(replaySpeedOption).toDouble(&ok);
        if (!ok || !(options.replaySpeed >= 0) || std::isinf(options.replaySpeed))
            return failure(QStringLiteral("--replay-speed %1: expected a number, 0 or more (0: as "
                                          "fast as possible)")
                               .arg(parser.value(replaySpeedOption)));
    }
    if (parser.isSet(recordOption)) {
        options.recordPath = parser.value(recordOption);
        if (options.recordPath == options.replayPath)
            return failure(QStringLiteral("--record and --replay name the same file"));
    }
    if (parser.isSet(stackOption)) {
        const std::optional<StackFile> stack = StackFile::load(parser.value(stackOption), &error);
        if (!stack)
            return failure(error);
        for (const StackAgent& agent : stack->agents)
            options.agents.append({agent.url, agent.name, {}});
        options.tokenFile = stack->viewerTokenFile;
        options.prometheusUrl = stack->prometheusUrl;
    }
    for (const QString& text : parser.values(connectOption)) {
        const QUrl url(text.trimmed(), QUrl::StrictMode);
        if (const QString problem = checkAgentUrl(url, text); !problem.isEmpty())
            return failure(problem);
        options.agents.append({url, {}, {}, parser.value(caFileOption)});
    }
    if (parser.isSet(workspaceOption)) {
        const std::optional<Workspace> workspace =
            Workspace::load(parser.value(workspaceOption), &error);
        if (!workspace)
            return failure(error);
        options.workspacePath = workspace->path;
        options.tokenFile = workspace->tokenFile;
        options.prometheusUrl = workspace->prometheusUrl;
        options.directLimit = workspace->prometheusAgentThreshold;
        for (const WorkspaceAgent& agent : workspace->agents) {
            // Each agent's own token file, read now: a wrong one is a message, not an
            // "Unauthorized" later.
            const std::optional<TokenFile> token =
                TokenFile::load(workspace->tokenFileOf(agent), &error);
            if (!token)
                return failure(QStringLiteral("workspace %1, agent %2: %3")
                                   .arg(workspace->path, agent.url.toString(), error));
            options.agents.append({agent.url, agent.name, token->token,
                                   agent.caFile.isEmpty() && parser.isSet(caFileOption)
                                       ? parser.value(caFileOption)
                                       : workspace->caFileOf(agent)});
        }
    }
    if (parser.isSet(tokenOption))
        options.tokenFile = parser.value(tokenOption);
    // Each CA file read now, like the token files: a wrong one is a message here, not a
    // certificate error on every agent later.
    for (const Agent& agent : std::as_const(options.agents)) {
        if (!agent.caFile.isEmpty() && !TlsTrust::configuration(agent.caFile, &error))
            return failure(parser.isSet(caFileOption) && agent.caFile == parser.value(caFileOption)
                               ? QStringLiteral("--ca-file: ") + error
                               : QStringLiteral("agent %1: %2").arg(agent.url.toString(), error));
    }
    if (parser.isSet(prometheusOption)) {
        const QString text = parser.value(prometheusOption).trimmed();
        options.prometheusUrl = QUrl(text, QUrl::StrictMode);
        if (!options.prometheusUrl.isValid() || options.prometheusUrl.host().isEmpty() ||
            (options.prometheusUrl.scheme() != QLatin1String("http") &&
             options.prometheusUrl.scheme() != QLatin1String("https")))
            return failure(
                QStringLiteral("--prometheus %1: not an http:// or https:// URL").arg(text));
    }
    if (parser.isSet(directLimitOption)) {
        bool ok = false;
        options.directLimit = parser.value(directLimitOption).toInt(&ok);
        if (!ok || options.directLimit < 0)
            return failure(QStringLiteral("--direct-limit %1: expected a whole number, 0 or more")
                               .arg(parser.value(directLimitOption)));
    }

    if (!options.tokenFile.isEmpty()) {
        const std::optional<TokenFile> token = TokenFile::load(options.tokenFile, &error);
        if (!token)
            return failure(error);
        options.token = token->token;
    } else if ((!options.agents.isEmpty() || !options.prometheusUrl.isEmpty()) &&
               options.workspacePath.isEmpty()) {
        // Every agent path but /healthz needs a token; failing later as "Unauthorized" would
        // only hide the cause.
        return failure(QStringLiteral("no token file for the agents: give --token-file FILE (an "
                                      "agent refuses requests without a token)"));
    }

    options.presentation = parser.isSet(presentationOption);
    if (parser.isSet(presentationIntervalOption)) {
        bool ok = false;
        options.presentationIntervalSeconds = parser.value(presentationIntervalOption).toInt(&ok);
        if (!ok || options.presentationIntervalSeconds < 1 ||
            options.presentationIntervalSeconds > PresentationMode::kMaxIntervalSeconds)
            return failure(QStringLiteral("--presentation-interval %1: expected a whole number of "
                                          "seconds from 1 to %2")
                               .arg(parser.value(presentationIntervalOption))
                               .arg(PresentationMode::kMaxIntervalSeconds));
        if (!options.presentation)
            return failure(QStringLiteral("--presentation-interval goes with --presentation"));
    }

    if (parser.isSet(screenshotOption)) {
        options.screenshotDir = parser.value(screenshotOption);
        if (options.screenshotDir.isEmpty() || !QDir().mkpath(options.screenshotDir))
            return failure(QStringLiteral("--screenshot: cannot create folder \"%1\"")
                               .arg(options.screenshotDir));
        if (options.agents.isEmpty() && options.prometheusUrl.isEmpty())
            return failure(QStringLiteral(
                "--screenshot needs agents (--stack, --connect, --workspace or --prometheus)"));
    }
    return options;
}

} // namespace switchboard
