// switchboard: the console. Parses the command line, builds the fleet and the main window, and
// hands over to the event loop; everything else lives in the libraries.
#include "CommandLineOptions.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "ScreenshotTaker.h"

#include <QApplication>
#include <QIcon>
#include <QStyleFactory>
#include <QTextStream>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("switchboard"));
    QApplication::setApplicationDisplayName(QStringLiteral("Switchboard"));
    QApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
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
    for (const switchboard::CommandLineOptions::Agent& agent : options.agents)
        fleet.addAgent(agent.url, options.token, agent.name);

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
    const int status = QApplication::exec();
    fleet.stopAll();
    return status;
}
