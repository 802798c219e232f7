// Presentation mode offscreen (docs/presentation.md): entering makes the window full screen with
// the high-contrast theme, a larger font, no events dock and no menus; the timer moves through
// the views; keys on the window go next, previous, to a view by its digit, pause and leave;
// leaving puts back the font, theme, dock, menus and window state exactly as they were.
#include "CommandLineOptions.h"
#include "ErrorBanner.h"
#include "EventLogDock.h"
#include "Fleet.h"
#include "GuiTestHelpers.h"
#include "MainWindow.h"
#include "OverviewView.h"
#include "PresentationMode.h"
#include "TopologyView.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace switchboard;
using namespace std::chrono_literals;

class TestPresentationMode : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_presentation_mode"));
        QSettings().clear();
    }

    void cleanup() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }

    void entersAndLeavesRestoringEverything() {
        Fleet fleet;
        fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:9")), QStringLiteral("t"),
                       QStringLiteral("alpha"));
        MainWindow window(&fleet);
        window.applyTheme(Theme::Kind::Dark);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QFont font = QApplication::font();
        const Qt::WindowStates state = window.windowState();
        const QSize size = window.size();
        const QList<int> split = window.overview()->splitter()->sizes();
        QVERIFY(window.eventsDock()->isVisible());
        QVERIFY(window.menuBar()->isVisible());
        PresentationMode* presentation = window.presentation();
        QCOMPARE(presentation->interval(), 20s); // the default without a setting

        // F11 is the menu's shortcut, and works from the window.
        QSignalSpy active(presentation, &PresentationMode::activeChanged);
        QTest::keyClick(&window, Qt::Key_F11);
        QCOMPARE(active.count(), 1);
        QVERIFY(presentation->isActive());
        QVERIFY(presentation->toggleAction()->isChecked());
        QCOMPARE(window.themeKind(), Theme::Kind::HighContrast);
        QCOMPARE(QApplication::palette().color(QPalette::Window), QColor(Qt::black));
        QCOMPARE(QApplication::palette().color(QPalette::WindowText), QColor(Qt::white));
        QCOMPARE(QApplication::font().pointSizeF(),
                 font.pointSizeF() * PresentationMode::kFontScale);
        QCOMPARE(window.overview()->font().pointSizeF(), QApplication::font().pointSizeF());
        QTRY_VERIFY(window.isFullScreen());
        QVERIFY(!window.eventsDock()->isVisible());
        QVERIFY(!window.menuBar()->isVisible());
        QVERIFY(presentation->indicator()->isVisible());
        // The map takes most of the Overview's height.
        const QList<int> presented = window.overview()->splitter()->sizes();
        QVERIFY(presented.at(1) >= 2 * presented.at(0));
        QVERIFY2(presentation->indicator()->text().startsWith(QStringLiteral("Overview · 1/9")),
                 qPrintable(presentation->indicator()->text()));
        QTest::qWait(100); // the tab bar's corner takes the indicator on the event loop
        gui_test::saveScreenshot(window, QStringLiteral("presentation-test.png"));

        // Esc leaves (even with the error banner up: the agent is not there, and the banner's
        // close button has Esc as its shortcut); everything as it was.
        QTRY_VERIFY(window.banner()->isVisible());
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!presentation->isActive());
        QVERIFY(window.banner()->isVisible());
        QVERIFY(!presentation->toggleAction()->isChecked());
        QCOMPARE(QApplication::font(), font);
        QCOMPARE(window.overview()->font(), font);
        QCOMPARE(window.themeKind(), Theme::Kind::Dark);
        QVERIFY(window.eventsDock()->isVisible());
        QVERIFY(window.menuBar()->isVisible());
        QVERIFY(!presentation->indicator()->isVisible());
        QCOMPARE(window.windowState(), state);
        QTRY_COMPARE(window.size(), size);
        // The table's share of the Overview as it was (the window shrinking back from full
        // screen rescales the sizes themselves).
        auto tableShare = [](const QList<int>& sizes) {
            return double(sizes.at(0)) / double(sizes.at(0) + sizes.at(1));
        };
        QTRY_VERIFY(qAbs(tableShare(window.overview()->splitter()->sizes()) - tableShare(split)) <
                    0.05);
        QCOMPARE(active.count(), 2);

        // Ctrl+Shift+P goes in and out too (the menu bar hidden in between).
        QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(presentation->isActive());
        QTest::keyClick(&window, Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(!presentation->isActive());
        QCOMPARE(window.themeKind(), Theme::Kind::Dark);
        fleet.stopAll();
    }

    // The timer moves to the next view, from the last back to the first.
    void theTimerCyclesTheViews() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PresentationMode* presentation = window.presentation();
        presentation->setInterval(50ms);
        window.views()->setCurrentIndex(window.views()->count() - 2);
        presentation->enter();
        QTRY_COMPARE(window.views()->currentIndex(), window.views()->count() - 1);
        QTRY_COMPARE(window.views()->currentIndex(), 0);
        QTRY_COMPARE(window.views()->currentIndex(), 1);

        // Paused, it stays; resumed, it moves on.
        QTest::keyClick(&window, Qt::Key_P);
        QVERIFY(presentation->isPaused());
        QVERIFY(presentation->indicator()->text().contains(QStringLiteral("paused")));
        const int paused = window.views()->currentIndex();
        QTest::qWait(200);
        QCOMPARE(window.views()->currentIndex(), paused);
        QTest::keyClick(&window, Qt::Key_P);
        QVERIFY(!presentation->isPaused());
        QTRY_VERIFY(window.views()->currentIndex() != paused);
        presentation->leave();
        const int left = window.views()->currentIndex();
        QTest::qWait(200);
        QCOMPARE(window.views()->currentIndex(), left); // no cycling once left
        fleet.stopAll();
    }

    // Keys: Right, Page Down and Space next; Left and Page Up previous; digits a view directly;
    // and they reach presentation mode even when a view inside has the focus.
    void keysMoveThroughTheViews() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PresentationMode* presentation = window.presentation();
        presentation->setInterval(1h); // no timer in the way
        presentation->enter();
        QTabWidget* views = window.views();
        views->setCurrentIndex(0);

        QTest::keyClick(&window, Qt::Key_Right);
        QCOMPARE(views->currentIndex(), 1);
        QTest::keyClick(&window, Qt::Key_PageDown);
        QCOMPARE(views->currentIndex(), 2);
        QTest::keyClick(&window, Qt::Key_Space);
        QCOMPARE(views->currentIndex(), 3);
        QTest::keyClick(&window, Qt::Key_Left);
        QCOMPARE(views->currentIndex(), 2);
        QTest::keyClick(&window, Qt::Key_PageUp);
        QCOMPARE(views->currentIndex(), 1);
        QTest::keyClick(&window, Qt::Key_Left);
        QTest::keyClick(&window, Qt::Key_Left);
        QCOMPARE(views->currentIndex(), views->count() - 1); // wraps

        for (int digit = 1; digit <= 9; ++digit) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_0 + digit));
            QCOMPARE(views->currentIndex(), digit - 1);
        }
        QCOMPARE(views->tabText(views->currentIndex()), QStringLiteral("Audit"));
        QVERIFY2(presentation->indicator()->text().startsWith(QStringLiteral("Audit · 9/9")),
                 qPrintable(presentation->indicator()->text()));

        // A key sent to a widget deep in a view reaches it too.
        QWidget* inner = views->widget(3)->findChild<QWidget*>();
        QVERIFY(inner);
        QTest::keyClick(inner, Qt::Key_Right);
        QCOMPARE(views->currentIndex(), 0);

        presentation->leave();
        // Outside presentation mode the keys are the views' own again.
        QTest::keyClick(&window, Qt::Key_Right);
        QTest::keyClick(&window, Qt::Key_5);
        QCOMPARE(views->currentIndex(), 0);
        fleet.stopAll();
    }

    // The Overview's map grows with the font, drawn larger rather than laid out anew at a size
    // its boxes were not made for, and no larger than lets it be seen whole; clicks still land.
    void theMapGrowsWithTheFont() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        TopologyView* map = window.overview()->topology();
        Topology topology;
        topology.regions = {{QStringLiteral("us-east"), QStringLiteral("active"), Health::Up}};
        for (const char* name : {"demo-1", "demo-2", "pg-primary"}) {
            TopologyNode node;
            node.id = QString::fromLatin1(name);
            node.tier = node.id.startsWith(QLatin1String("pg")) ? TopologyTier::Database
                                                                : TopologyTier::Instance;
            node.region = QStringLiteral("us-east");
            node.label = node.id;
            node.detail = QStringLiteral("Live · 300 req/s");
            node.health = Health::Up;
            node.concern = TopologyConcern::Replication;
            node.focusKey = node.id;
            topology.nodes.append(node);
        }
        map->setTopology(topology);
        QCOMPARE(map->zoom(), 1.0);

        window.presentation()->enter();
        QTRY_VERIFY(map->zoom() > 1.0);
        QVERIFY(map->zoom() <= PresentationMode::kFontScale + 1e-6);
        // Whole in its scroll area: no taller than the viewport around it.
        QTRY_VERIFY(map->minimumHeight() <= map->parentWidget()->height());
        const QRectF box = map->currentLayout().nodes.first().rect;
        const TopologyView::Hit hit = map->elementAt(box.center() * map->zoom());
        QCOMPARE(hit.id, map->currentLayout().nodes.first().id);
        gui_test::saveScreenshot(*map, QStringLiteral("presentation-map-test.png"));

        window.presentation()->leave();
        QCOMPARE(map->zoom(), 1.0);
        fleet.stopAll();
    }

    // Ctrl+1 … Ctrl+9 show every view, Audit included.
    void everyViewHasAShortcut() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (int digit = 9; digit >= 1; --digit) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_0 + digit), Qt::ControlModifier);
            QCOMPARE(window.views()->currentIndex(), digit - 1);
        }
        fleet.stopAll();
    }

    // An interval setting that is not a number of seconds from 1 to 3600 is the default.
    void aBadIntervalSettingIsTheDefault() {
        Fleet fleet;
        for (const QVariant& bad :
             {QVariant(QStringLiteral("abc")), QVariant(0), QVariant(-5), QVariant(1e12)}) {
            QSettings().setValue(QStringLiteral("presentation/interval_s"), bad);
            MainWindow window(&fleet);
            QCOMPARE(window.presentation()->interval(),
                     std::chrono::seconds(PresentationMode::kDefaultIntervalSeconds));
        }
        QSettings().remove(QStringLiteral("presentation/interval_s"));
        fleet.stopAll();
    }

    // --presentation opens in presentation mode; --presentation-interval is checked like the
    // setting and needs --presentation.
    void theCommandLineAsksForPresentationMode() {
        const QString program = QStringLiteral("switchboard");
        CommandLineOptions options = CommandLineOptions::parse(
            {program, QStringLiteral("--presentation"), QStringLiteral("--presentation-interval"),
             QStringLiteral("5")});
        QVERIFY2(options.outcome == CommandLineOptions::Outcome::Run, qPrintable(options.error));
        QVERIFY(options.presentation);
        QCOMPARE(options.presentationIntervalSeconds, 5);
        options = CommandLineOptions::parse({program, QStringLiteral("--presentation")});
        QVERIFY(options.presentation);
        QCOMPARE(options.presentationIntervalSeconds, 0);
        for (const char* bad : {"0", "-1", "abc", "3601", "1.5"}) {
            options = CommandLineOptions::parse({program, QStringLiteral("--presentation"),
                                                 QStringLiteral("--presentation-interval"),
                                                 QString::fromLatin1(bad)});
            QVERIFY2(options.outcome == CommandLineOptions::Outcome::Error, bad);
            QVERIFY2(options.error.contains(QStringLiteral("from 1 to 3600")),
                     qPrintable(options.error));
        }
        options = CommandLineOptions::parse(
            {program, QStringLiteral("--presentation-interval"), QStringLiteral("5")});
        QVERIFY(options.outcome == CommandLineOptions::Outcome::Error);
        QVERIFY2(options.error.contains(QStringLiteral("goes with --presentation")),
                 qPrintable(options.error));
    }

    // View → Theme → High contrast outside presentation mode, kept across runs; the interval
    // comes from presentation/interval_s.
    void highContrastIsATheme() {
        QSettings().setValue(QStringLiteral("presentation/interval_s"), 30);
        Fleet fleet;
        {
            MainWindow window(&fleet);
            QCOMPARE(window.presentation()->interval(), 30s);
            window.applyTheme(Theme::Kind::HighContrast);
            window.saveLayout();
        }
        MainWindow restored(&fleet);
        QCOMPARE(restored.themeKind(), Theme::Kind::HighContrast);
        const Theme theme = Theme::load(Theme::Kind::HighContrast);
        QVERIFY(theme.isDark());
        QCOMPARE(theme.lineWidth(2.0), 4.0);
        QCOMPARE(theme.palette().color(QPalette::Base), QColor(Qt::black));
        QCOMPARE(Theme::kindFromName(QStringLiteral("high-contrast")), Theme::Kind::HighContrast);
        restored.applyTheme(Theme::Kind::Light);
        restored.saveLayout();
        QSettings().remove(QStringLiteral("presentation/interval_s"));
        fleet.stopAll();
    }
};

QTEST_MAIN(TestPresentationMode)
#include "tst_presentation_mode.moc"
