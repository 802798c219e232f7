// switchboard: the console. Parses the command line, builds the fleet and the main window, and
// hands over to the event loop; everything else lives in the libraries.
#include "CommandLineOptions.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "PresentationMode.h"
#include "RecordingControls.h"
#include "ScreenshotTaker.h"

#include <QApplication>
#include <QIcon>
#include <QStyleFactory>
#include <QTextStream>

namespace {

void setApplicationMetadata() {
    QCoreApplication::setApplicationName(QStringLiteral("switchboard"));
    QCoreApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
}

// --help and --version print text only, and must work over ssh or in a container where a
// QApplication would abort for want of a display.
bool asksForTextOnly(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v" ||
            arg == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char* argv[]) {
    if (asksForTextOnly(argc, argv)) {
        QCoreApplication core(argc, argv);
        setApplicationMetadata();
        const auto options = switchboard::CommandLineOptions::parse(QCoreApplication::arguments());
        if (options.outcome == switchboard::CommandLineOptions::Outcome::Error) {
            QTextStream(stderr) << "switchboard: " << options.error << '\n';
            return 2;
        }
        return 0;
    }

    QApplication app(argc, argv);
    setApplicationMetadata();
    QApplication::setApplicationDisplayName(QStringLiteral("Switchboard"));
    QApplication::setDesktopFileName(QStringLiteral("switchboard"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/switchboard/icons/switchboard.svg")));
    // Fusion draws the light and dark palettes faithfully on every platform style.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));

    const switchboard::CommandLineOptions options =
        switchboard::CommandLineOptions::parse(QApplication::arguments());
    switch (options.outcome) {
    case switchboard::CommandLineOptions::Outcome::Exit:
        return 0;
    case switchboard::CommandLineOptions::Outcome::Error:
        QTextStream(stderr) << "switchboard: " << options.error << '\n';
        return 2;
    case switchboard::CommandLineOptions::Outcome::Run:
        break;
    }

    switchboard::Fleet fleet;
    switchboard::MainWindow window(&fleet);
    window.setDefaultTokenFile(options.tokenFile);
    QString error;
    // Before the agents join, so that the recording holds each one from its first snapshot.
    if (!options.recordPath.isEmpty() &&
        !window.recording()->startRecording(options.recordPath, &error)) {
        QTextStream(stderr) << "switchboard: --record: " << error << '\n';
        return 2;
    }
    if (!options.replayPath.isEmpty() &&
        !window.recording()->openRecording(options.replayPath, options.replaySpeed, &error)) {
        QTextStream(stderr) << "switchboard: --replay: " << error << '\n';
        return 2;
    }
    for (const switchboard::CommandLineOptions::Agent& agent : options.agents)
        fleet.addAgent(agent.url, agent.token.isEmpty() ? options.token : agent.token, agent.name,
                       agent.caFile);
    if (!options.workspacePath.isEmpty())
        window.setWorkspacePath(options.workspacePath);
    if (!options.prometheusUrl.isEmpty()) {
        switchboard::FleetSourcePolicy policy;
        policy.directLimit = options.directLimit;
        fleet.setPrometheus(options.prometheusUrl, policy, options.token);
    }

    std::unique_ptr<switchboard::ScreenshotTaker> screenshot;
    if (!options.screenshotDir.isEmpty()) {
        // A screenshot shows the window as a new user sees it, whatever layout was saved.
        window.resize(1400, 900);
        screenshot =
            std::make_unique<switchboard::ScreenshotTaker>(&window, &fleet, options.screenshotDir);
        QObject::connect(screenshot.get(), &switchboard::ScreenshotTaker::finished, &app,
                         [](int code) { QApplication::exit(code); });
        screenshot->start();
    }
    window.show();
    if (options.presentation) {
        if (options.presentationIntervalSeconds > 0)
            window.presentation()->setInterval(
                std::chrono::seconds(options.presentationIntervalSeconds));
        window.presentation()->enter();
    }
    const int status = QApplication::exec();
    fleet.stopAll();
    return status;
}
