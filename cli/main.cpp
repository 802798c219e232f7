// switchboard-cli: the console's actions for runbooks and CI (docs/cli.md).
#include "ActionVerbs.h"
#include "CliOptions.h"
#include "CliOutput.h"
#include "InterruptSignals.h"
#include "NetworkThreadExit.h"
#include "ReadVerbs.h"

#include <QCoreApplication>
#include <cstdio>

using namespace switchboard::cli;

namespace {

ExitCode run(const CliOptions& options, InterruptSignals& interrupts) {
    if (options.verb == QLatin1String("agents"))
        return runAgents(options);
    if (options.verb == QLatin1String("snapshot"))
        return runSnapshot(options);
    if (options.verb == QLatin1String("job"))
        return runJob(options, interrupts);
    if (options.verb == QLatin1String("jobs"))
        return runJobs(options);
    if (options.verb == QLatin1String("audit"))
        return runAudit(options);
    if (options.verb == QLatin1String("cancel"))
        return runCancel(options, interrupts);
    return runAction(options, interrupts);
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("switchboard-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    InterruptSignals interrupts;

    const ParsedCommandLine parsed = parseCommandLine(app.arguments().mid(1));
    if (!parsed.options)
        return int(CliOutput::fail(ExitCode::Usage, QStringLiteral("usage"),
                                   parsed.error + QStringLiteral(" (see --help)")));
    if (parsed.options->help) {
        std::fputs(usageText().toLocal8Bit().constData(), stdout);
        return int(ExitCode::Done);
    }
    if (parsed.options->version) {
        CliOutput::document({{QStringLiteral("version"), QCoreApplication::applicationVersion()}});
        return int(ExitCode::Done);
    }
    if (parsed.options->followsJobs() && !interrupts.install())
        CliOutput::note(QStringLiteral("cannot catch SIGINT/SIGTERM: an interrupt will end the "
                                       "program without cancelling the job"));
    const ExitCode code = run(*parsed.options, interrupts);
    awaitNetworkThreadExit(std::chrono::seconds(2));
    return int(code);
}
