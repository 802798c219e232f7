// MainWindow: builds with its views, has a status label per agent, and keeps its layout and
// theme across runs (in test-mode settings, never the user's).
#include "CacheView.h"
#include "EventLogDock.h"
#include "Fleet.h"
#include "FleetStatusBar.h"
#include "InvalidateDialog.h"
#include "MainWindow.h"
#include "OverviewView.h"
#include "RateChartView.h"
#include "RebalanceDialog.h"
#include "ShardsView.h"

#include <QCoreApplication>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>

using switchboard::Fleet;
using switchboard::MainWindow;
using switchboard::Theme;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
        QSettings().clear();
    }

    // Objects the window handed to deleteLater() (chart items replaced on a theme change, a
    // closed banner) go before the next test, not left for a process exit that never runs them.
    void cleanup() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }

    void buildsWithAStatusLabelPerAgent() {
        Fleet fleet;
        // Nothing listens on these ports: the agents stay "Connecting", which is all we need.
        const QString first = fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:9")),
                                             QStringLiteral("t"), QStringLiteral("alpha"));
        const QString second = fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:10")),
                                              QStringLiteral("t"), QStringLiteral("beta"));
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QCOMPARE(window.centralWidget()->findChild<switchboard::OverviewView*>(),
                 window.overview());
        QVERIFY(window.eventsDock()->isVisible());
        QCOMPARE(window.fleetStatus()->labelCount(), 2);
        QVERIFY(window.fleetStatus()->labelFor(first)->text().startsWith(QLatin1String("alpha:")));
        QVERIFY(window.fleetStatus()->labelFor(second)->text().contains(QLatin1String("beta")));
        QCOMPARE(window.overview()->chart()->seriesCount(), 0); // until the first repaint
        window.overview()->chart()->refreshNow();
        QCOMPARE(window.overview()->chart()->seriesCount(), 2);

        const QStringList menus = [&] {
            QStringList titles;
            for (QAction* action : window.menuBar()->actions())
                titles.append(action->text().remove(QLatin1Char('&')));
            return titles;
        }();
        QCOMPARE(menus, (QStringList{QStringLiteral("File"), QStringLiteral("View"),
                                     QStringLiteral("Help")}));

        fleet.removeAgent(second);
        QCOMPARE(window.fleetStatus()->labelCount(), 1);
        fleet.stopAll();
    }

    // The Shards tab's Rebalance… opens the rebalance dialog for the agent's cluster; an agent
    // that reports no shards gets a word in the status bar instead.
    void rebalanceOpensTheDialog() {
        Fleet fleet;
        const QString agent = fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:9")),
                                             QStringLiteral("t"), QStringLiteral("alpha"));
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.views()->tabText(window.views()->indexOf(window.shards())),
                 QStringLiteral("Shards"));

        emit window.shards()->requestRebalance(agent);
        QVERIFY(window.findChildren<switchboard::RebalanceDialog*>().isEmpty());
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("reports no shards")));

        switchboard::ShardsStatus shards;
        shards.catalog = QStringLiteral("127.0.0.1:41234");
        shards.bucketCount = 4;
        fleet.shards()->applyShards(agent, shards);
        emit window.shards()->requestRebalance(agent);
        const auto dialogs = window.findChildren<switchboard::RebalanceDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QVERIFY(dialogs.first()->isVisible());
        dialogs.first()->reject();
        fleet.stopAll();
    }

    // The Cache tab (Ctrl+5) and its Invalidate…: the invalidation dialog for the agent's Redis,
    // or a word in the status bar for an agent that reports no cache.
    void invalidateOpensTheDialog() {
        Fleet fleet;
        const QString agent = fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:9")),
                                             QStringLiteral("t"), QStringLiteral("alpha"));
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.views()->tabText(window.views()->indexOf(window.cache())),
                 QStringLiteral("Cache"));
        QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
        QCOMPARE(window.views()->currentWidget(), window.cache());

        emit window.cache()->requestInvalidate(agent);
        QVERIFY(window.findChildren<switchboard::InvalidateDialog*>().isEmpty());
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("reports no cache")));

        switchboard::CacheStatus cache;
        cache.redis.target = QStringLiteral("127.0.0.1:6379");
        fleet.cache()->applyCache(agent, cache);
        emit window.cache()->requestInvalidate(agent);
        const auto dialogs = window.findChildren<switchboard::InvalidateDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QVERIFY(dialogs.first()->isVisible());
        dialogs.first()->reject();
        fleet.stopAll();
    }

    void savesAndRestoresLayout() {
        Fleet fleet;
        {
            MainWindow window(&fleet);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1100, 700);
            window.eventsDock()->hide();
            window.applyTheme(Theme::Kind::Dark);
            window.views()->setCurrentWidget(window.shards());
            window.saveLayout();
        }
        QSettings settings;
        QVERIFY(settings.contains(QStringLiteral("mainWindow/geometry")));
        QVERIFY(settings.contains(QStringLiteral("mainWindow/state")));

        MainWindow restored(&fleet);
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        QVERIFY(!restored.eventsDock()->isVisible());
        QCOMPARE(restored.themeKind(), Theme::Kind::Dark);
        QCOMPARE(restored.size(), QSize(1100, 700));
        QCOMPARE(restored.views()->currentWidget(), restored.shards());
        restored.applyTheme(Theme::Kind::Light);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
