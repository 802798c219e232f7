// The Regions tab in MainWindow: right after Cache, Ctrl+6 shows it, and its Run drill… opens
// the drill dialog for the agent's regions, or says in the status bar why it cannot (an agent
// that reports no regions). In test-mode settings, never the user's. With
// SWITCHBOARD_SCREENSHOT_DIR set it saves main-window-regions.png.
#include "CacheView.h"
#include "DrillDialog.h"
#include "Fleet.h"
#include "GuiTestHelpers.h"
#include "MainWindow.h"
#include "RegionCard.h"
#include "RegionsTestData.h"
#include "RegionsView.h"

#include <QCoreApplication>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>

using namespace switchboard;

class TestRegionsMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_regions_main_window"));
        QSettings().clear();
    }

    void cleanup() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }

    void regionsTabAndRunDrill() {
        Fleet fleet;
        const QString agent = fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:9")),
                                             QStringLiteral("t"), QStringLiteral("alpha"));
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTabWidget* views = window.views();
        const int regions = views->indexOf(window.regions());
        QCOMPARE(views->tabText(regions), QStringLiteral("Regions"));
        QCOMPARE(regions, views->indexOf(window.cache()) + 1);
        QTest::keyClick(&window, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(views->currentWidget(), window.regions());
        QVERIFY(window.regions()->emptyLabel()->isVisible());

        emit window.regions()->requestDrill(agent);
        QVERIFY(window.findChildren<DrillDialog*>().isEmpty());
        QVERIFY(
            window.statusBar()->currentMessage().contains(QStringLiteral("reports no regions")));

        fleet.regions()->applyRegions(agent,
                                      parseRegionsStatus(regions_test_data::regionsObject()));
        QCOMPARE(window.regions()->cards().size(), 2);
        QVERIFY(window.regions()->card(QStringLiteral("us-east"))->isVisible());
        gui_test::saveScreenshot(window, QStringLiteral("main-window-regions.png"));
        emit window.regions()->requestDrill(agent);
        const auto dialogs = window.findChildren<DrillDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QVERIFY(dialogs.first()->isVisible());
        dialogs.first()->reject();
        fleet.stopAll();
    }
};

QTEST_MAIN(TestRegionsMainWindow)
#include "tst_regions_main_window.moc"
