// File → Settings… and Help → Keyboard shortcuts: the dialog shows and returns the preferences,
// refuses files that cannot be used, and the window applies what it returns; the shortcut list
// is read from the menus and no two commands share keys. Test-mode settings, never the user's.
#include "ConnectionDialog.h"
#include "ConsoleSettings.h"
#include "EventLogDock.h"
#include "Fleet.h"
#include "GuiTestHelpers.h"
#include "MainWindow.h"
#include "PresentationMode.h"
#include "SettingsDialog.h"
#include "ShortcutList.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;

namespace {

QString writeFile(const QString& path, const QByteArray& contents, QFile::Permissions mode) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
        return {};
    file.close();
    file.setPermissions(mode);
    return path;
}

bool okEnabled(const SettingsDialog& dialog) {
    return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled();
}

// The dialog the window opened (non-modal, so it shows from the event loop), or null after 5 s.
template <typename Dialog> Dialog* openDialog(const MainWindow& window) {
    Dialog* found = nullptr;
    const bool shown = QTest::qWaitFor(
        [&] { return (found = window.findChild<Dialog*>()) && found->isVisible(); }, 5000);
    return shown ? found : nullptr;
}

} // namespace

class TestSettingsDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings_dialog"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { QSettings().clear(); }
    void cleanup() { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); }

    void showsAndReturnsThePreferences() {
        ConsoleSettings current;
        current.theme = QStringLiteral("high-contrast");
        current.historyMinutes = 30;
        current.presentationIntervalSeconds = 90;
        SettingsDialog dialog(current);
        QCOMPARE(dialog.settings(), current);
        QVERIFY(okEnabled(dialog));
        QVERIFY(dialog.problem().isEmpty());

        dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
        QCOMPARE(dialog.settings(), ConsoleSettings{});
    }

    void aTokenFileOthersCanReadIsRefusedUntilItIsPrivate() {
        const QString path = writeFile(
            m_dir.filePath(QStringLiteral("viewer.json")),
            "{\"name\": \"alice\", \"role\": \"viewer\", \"token\": \"0123456789abcdef\"}",
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        QVERIFY(!path.isEmpty());
        SettingsDialog dialog(ConsoleSettings{});
        dialog.findChild<QLineEdit*>(QStringLiteral("tokenFileEdit"))->setText(path);
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().contains(QStringLiteral("600")), qPrintable(dialog.problem()));
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("problemLabel"))->isVisibleTo(&dialog));
        dialog.show();
        gui_test::saveScreenshot(dialog, QStringLiteral("settings-refused.png"));

        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        dialog.findChild<QLineEdit*>(QStringLiteral("tokenFileEdit"))->setText(path + ' ');
        QVERIFY2(okEnabled(dialog), qPrintable(dialog.problem()));
        QCOMPARE(dialog.settings().tokenFile, path);
    }

    void aCaFileWithoutACertificateIsRefused() {
        const QString path = writeFile(m_dir.filePath(QStringLiteral("ca.pem")), "not a PEM\n",
                                       QFile::ReadOwner | QFile::WriteOwner);
        SettingsDialog dialog(ConsoleSettings{});
        dialog.findChild<QLineEdit*>(QStringLiteral("caFileEdit"))->setText(path);
        QVERIFY(!okEnabled(dialog));
        QVERIFY2(dialog.problem().startsWith(QStringLiteral("CA file:")),
                 qPrintable(dialog.problem()));
        dialog.findChild<QLineEdit*>(QStringLiteral("caFileEdit"))->clear();
        QVERIFY(okEnabled(dialog));
    }

    void theWindowAppliesAndKeepsWhatTheDialogReturns() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_Comma, Qt::ControlModifier);
        auto* dialog = openDialog<SettingsDialog>(window);
        QVERIFY(dialog);

        ConsoleSettings wanted = dialog->settings();
        wanted.theme = QStringLiteral("dark");
        wanted.presentationIntervalSeconds = 45;
        wanted.historyMinutes = 10;
        dialog->setSettings(wanted);
        dialog->accept();
        QCOMPARE(window.themeKind(), Theme::Kind::Dark);
        QCOMPARE(window.presentation()->interval(), std::chrono::milliseconds(45000));
        QCOMPARE(ConsoleSettings::load(), wanted);
        window.applyTheme(Theme::Kind::Light);
        fleet.stopAll();
    }

    void connectingProposesTheSettingsTokenFile() {
        ConsoleSettings settings;
        settings.tokenFile = m_dir.filePath(QStringLiteral("viewer.json"));
        settings.save();
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showConnectionDialog();
        auto* dialog = openDialog<ConnectionDialog>(window);
        QVERIFY(dialog);
        QCOMPARE(dialog->tokenFile(), settings.tokenFile);
        dialog->reject();

        // The command line's token file comes first.
        window.setDefaultTokenFile(QStringLiteral("/srv/operator.json"));
        window.showConnectionDialog();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        dialog = openDialog<ConnectionDialog>(window);
        QVERIFY(dialog);
        QCOMPARE(dialog->tokenFile(), QStringLiteral("/srv/operator.json"));
        dialog->reject();
        QSettings().clear();
        fleet.stopAll();
    }

    void resetLayoutBringsBackTheFirstStart() {
        Fleet fleet;
        MainWindow window(&fleet);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.eventsDock()->hide();
        window.resize(900, 600);
        window.views()->setCurrentIndex(4);
        window.saveLayout();
        QVERIFY(QSettings().contains(QStringLiteral("mainWindow/state")));

        window.resetLayout();
        QTRY_VERIFY(window.eventsDock()->isVisible());
        QTRY_COMPARE(window.size(), QSize(1400, 900));
        QCOMPARE(window.views()->currentIndex(), 0);
        QVERIFY(!QSettings().contains(QStringLiteral("mainWindow/state")));
        QVERIFY(!QSettings().contains(QStringLiteral("mainWindow/geometry")));
        fleet.stopAll();
    }

    void theShortcutListIsReadFromTheMenusWithoutConflicts() {
        Fleet fleet;
        MainWindow window(&fleet);
        const QList<ShortcutEntry> entries = menuShortcuts(window.menuBar());
        QStringList keys;
        for (const ShortcutEntry& entry : entries)
            keys << entry.keys;
        for (int view = 1; view <= 9; ++view)
            QVERIFY2(keys.contains(QStringLiteral("Ctrl+%1").arg(view)),
                     qPrintable(keys.join(' ')));
        for (const char* expected : {"Ctrl+,", "F1", "Ctrl+N", "Ctrl+E", "F11", "Ctrl+Shift+P"})
            QVERIFY2(keys.contains(QLatin1String(expected)), expected);
        QCOMPARE(conflictingKeys(entries), QStringList{});
        // conflictingKeys() does see a clash.
        QList<ShortcutEntry> clashing = entries;
        clashing.append(
            {QStringLiteral("Test"), QStringLiteral("Another"), {QStringLiteral("F1")}});
        QCOMPARE(conflictingKeys(clashing), QStringList{QStringLiteral("F1")});

        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_F1);
        auto* dialog = openDialog<ShortcutListDialog>(window);
        QVERIFY(dialog);
        QTableWidget* table = dialog->table();
        QCOMPARE(table->rowCount(), window.shortcuts().size());
        QCOMPARE(window.shortcuts().size(), entries.size() + PresentationMode::keys().size());
        gui_test::saveScreenshot(*dialog, QStringLiteral("shortcuts.png"));
        dialog->setFilter(QStringLiteral("Ctrl+5"));
        QStringList shown;
        for (int row = 0; row < table->rowCount(); ++row)
            if (!table->isRowHidden(row))
                shown << table->item(row, 1)->text();
        QCOMPARE(shown, QStringList{QStringLiteral("Cache")});
        dialog->setFilter(QStringLiteral("presentation"));
        int presentationRows = 0;
        for (int row = 0; row < table->rowCount(); ++row)
            presentationRows += table->isRowHidden(row) ? 0 : 1;
        QVERIFY(presentationRows >= PresentationMode::keys().size());
        dialog->reject();
        fleet.stopAll();
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"
