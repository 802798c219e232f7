// ConsoleSettings: the console's preferences survive a restart (a new QSettings reads what the
// last one wrote), and a hand-edited value out of range or not a number reads as the default.
#include "ConsoleSettings.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using switchboard::ConsoleSettings;

class TestConsoleSettings : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_console_settings"));
        QSettings().clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void nothingSavedIsTheDefaults() {
        QSettings().clear();
        QCOMPARE(ConsoleSettings::load(), ConsoleSettings{});
        QCOMPARE(ConsoleSettings{}.theme, QStringLiteral("light"));
        QCOMPARE(ConsoleSettings{}.historyMinutes, switchboard::kDefaultHistoryMinutes);
        QCOMPARE(ConsoleSettings{}.presentationIntervalSeconds,
                 ConsoleSettings::kDefaultPresentationIntervalSeconds);
    }

    void whatIsSavedIsReadBackFromDisk() {
        ConsoleSettings saved;
        saved.theme = QStringLiteral("dark");
        saved.historyMinutes = 15;
        saved.presentationIntervalSeconds = 45;
        saved.tokenFile = QStringLiteral("/etc/switchboard/viewer.json");
        saved.caFile = QStringLiteral("/etc/switchboard/ca.pem");
        saved.save();
        QSettings().sync(); // on disk, as a restart would find it
        QCOMPARE(ConsoleSettings::load(), saved);
    }

    void outOfRangeOrNonNumbersAreTheDefaults() {
        for (const QVariant& bad : {QVariant(QStringLiteral("abc")), QVariant(0), QVariant(-5),
                                    QVariant(1e12), QVariant(2.5)}) {
            QSettings().setValue(QStringLiteral("metrics/history_minutes"), bad);
            QSettings().setValue(QStringLiteral("presentation/interval_s"), bad);
            const ConsoleSettings loaded = ConsoleSettings::load();
            QCOMPARE(loaded.historyMinutes, switchboard::kDefaultHistoryMinutes);
            QCOMPARE(loaded.presentationIntervalSeconds,
                     ConsoleSettings::kDefaultPresentationIntervalSeconds);
        }
    }

    void theBoundsThemselvesAreKept() {
        QSettings().setValue(QStringLiteral("metrics/history_minutes"),
                             switchboard::kMaxHistoryMinutes);
        QSettings().setValue(QStringLiteral("presentation/interval_s"),
                             ConsoleSettings::kMaxPresentationIntervalSeconds);
        QCOMPARE(ConsoleSettings::load().historyMinutes, switchboard::kMaxHistoryMinutes);
        QCOMPARE(ConsoleSettings::load().presentationIntervalSeconds,
                 ConsoleSettings::kMaxPresentationIntervalSeconds);
        QSettings().setValue(QStringLiteral("metrics/history_minutes"), 1);
        QSettings().setValue(QStringLiteral("presentation/interval_s"), QStringLiteral("1"));
        QCOMPARE(ConsoleSettings::load().historyMinutes, 1);
        QCOMPARE(ConsoleSettings::load().presentationIntervalSeconds, 1);
    }
};

QTEST_GUILESS_MAIN(TestConsoleSettings)
#include "tst_console_settings.moc"
