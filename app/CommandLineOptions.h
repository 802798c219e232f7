#pragma once

#include "FleetSourcePolicy.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace switchboard {

// What the command line asks for, checked: every agent URL is usable and the token file reads.
// main() turns a failure into a message on stderr and exit status 2.
struct CommandLineOptions {
    struct Agent {
        QUrl url;
        QString name;  // from the stack file or the workspace; empty for --connect
        QString token; // the agent's own (a workspace's per-agent token file); empty: `token`
        // The CA its https:// certificate must chain to (--ca-file, the workspace's ca_file),
        // checked readable; empty: the system's CAs.
        QString caFile{};
    };

    enum class Outcome {
        Run,   // start the console with these options
        Exit,  // --help or --version was printed; exit 0
        Error, // `error` says what is wrong; exit 2
    };

    Outcome outcome = Outcome::Run;
    QString error;
    QList<Agent> agents;
    QString token;
    QString tokenFile;
    QString screenshotDir; // empty unless --screenshot
    QString workspacePath; // --workspace: the console writes agents added or removed back to it
    // The Prometheus that scrapes the agents (--prometheus, the workspace's, or the stack's);
    // empty: none. Past `directLimit` agents the fleet is read through it (FleetSourcePolicy).
    QUrl prometheusUrl;
    int directLimit = FleetSourcePolicy::kDefaultDirectLimit;
    // --record: the agents' streams are recorded into this file while the console runs.
    QString recordPath;
    // --replay: a recording shown as if its agents were live, at --replay-speed (1: the
    // recorded pace; 0: as fast as possible). docs/recording.md.
    QString replayPath;
    double replaySpeed = 1.0;
    // --presentation: open straight into presentation mode (docs/presentation.md), each view
    // shown for --presentation-interval seconds (0: the saved setting).
    bool presentation = false;
    int presentationIntervalSeconds = 0;

    // `arguments` includes the program name, as QCoreApplication::arguments() does.
    static CommandLineOptions parse(const QStringList& arguments);
};

} // namespace switchboard
