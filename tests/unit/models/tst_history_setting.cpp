// metrics/history_minutes: how much history every chart keeps, read when the fleet is built; a
// bad value is the default hour.
#include "Fleet.h"
#include "HistorySetting.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace switchboard;
using namespace std::chrono_literals;

class TestHistorySetting : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("SwitchboardTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_history_setting"));
        QSettings().clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void theDefaultIsAnHourAtOneHertz() {
        const SeriesLimits limits = historyLimitsFromSettings();
        QCOMPARE(limits.window, std::chrono::milliseconds(1h));
        QCOMPARE(limits.pointCap, qsizetype(3600));
    }

    void theFleetKeepsWhatTheSettingSays() {
        QSettings().setValue(QStringLiteral("metrics/history_minutes"), 2);
        Fleet fleet;
        QCOMPARE(fleet.series().defaultLimits().window, std::chrono::milliseconds(2min));
        QCOMPARE(fleet.series().defaultLimits().pointCap, qsizetype(120));
        QSettings().remove(QStringLiteral("metrics/history_minutes"));
    }

    void aBadSettingIsTheDefault() {
        for (const QVariant& bad : {QVariant(QStringLiteral("abc")), QVariant(0), QVariant(-3),
                                    QVariant(kMaxHistoryMinutes + 1), QVariant(1e12)}) {
            QSettings().setValue(QStringLiteral("metrics/history_minutes"), bad);
            QCOMPARE(historyLimitsFromSettings().window,
                     std::chrono::milliseconds(std::chrono::minutes(kDefaultHistoryMinutes)));
        }
        QSettings().setValue(QStringLiteral("metrics/history_minutes"), kMaxHistoryMinutes);
        QCOMPARE(historyLimitsFromSettings().pointCap, qsizetype(kMaxHistoryMinutes) * 60);
        QSettings().remove(QStringLiteral("metrics/history_minutes"));
    }
};

QTEST_GUILESS_MAIN(TestHistorySetting)
#include "tst_history_setting.moc"
