#include "CommandLineOptions.h"

#include "StackFile.h"
#include "TokenFile.h"
#include "Workspace.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

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
    parser.addOptions({stackOption, connectOption, tokenOption, screenshotOption, workspaceOption});

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

    CommandLineOptions options;
    QString error;
    if (parser.isSet(stackOption)) {
        const std::optional<StackFile> stack = StackFile::load(parser.value(stackOption), &error);
        if (!stack)
            return failure(error);
        for (const StackAgent& agent : stack->agents)
            options.agents.append({agent.url, agent.name, {}});
        options.tokenFile = stack->viewerTokenFile;
    }
    for (const QString& text : parser.values(connectOption)) {
        const QUrl url(text.trimmed(), QUrl::StrictMode);
        if (const QString problem = checkAgentUrl(url, text); !problem.isEmpty())
            return failure(problem);
        options.agents.append({url, {}, {}});
    }
    if (parser.isSet(workspaceOption)) {
        const std::optional<Workspace> workspace =
            Workspace::load(parser.value(workspaceOption), &error);
        if (!workspace)
            return failure(error);
        options.workspacePath = workspace->path;
        options.tokenFile = workspace->tokenFile;
        for (const WorkspaceAgent& agent : workspace->agents) {
            // Each agent's own token file, read now: a wrong one is a message, not an
            // "Unauthorized" later.
            const std::optional<TokenFile> token =
                TokenFile::load(workspace->tokenFileOf(agent), &error);
            if (!token)
                return failure(QStringLiteral("workspace %1, agent %2: %3")
                                   .arg(workspace->path, agent.url.toString(), error));
            options.agents.append({agent.url, agent.name, token->token});
        }
    }
    if (parser.isSet(tokenOption))
        options.tokenFile = parser.value(tokenOption);

    if (!options.tokenFile.isEmpty()) {
        const std::optional<TokenFile> token = TokenFile::load(options.tokenFile, &error);
        if (!token)
            return failure(error);
        options.token = token->token;
    } else if (!options.agents.isEmpty() && options.workspacePath.isEmpty()) {
        // Every agent path but /healthz needs a token; failing later as "Unauthorized" would
        // only hide the cause.
        return failure(QStringLiteral("no token file for the agents: give --token-file FILE (an "
                                      "agent refuses requests without a token)"));
    }

    if (parser.isSet(screenshotOption)) {
        options.screenshotDir = parser.value(screenshotOption);
        if (options.screenshotDir.isEmpty() || !QDir().mkpath(options.screenshotDir))
            return failure(QStringLiteral("--screenshot: cannot create folder \"%1\"")
                               .arg(options.screenshotDir));
        if (options.agents.isEmpty())
            return failure(
                QStringLiteral("--screenshot needs agents (--stack, --connect or --workspace)"));
    }
    return options;
}

} // namespace switchboard
