// BreakerOverrideDialog against a stand-in agent over HTTP: plan → the plan's summary, changes
// and checks → confirm → the job followed to its result; and every way it can go wrong (a
// viewer token, an expired plan, the agent's 410, a lost answer retried with the same key, a
// failing check, a failed job, closing mid-way), each shown in the dialog and nothing else.
// With SWITCHBOARD_SCREENSHOT_DIR set, saves override-dialog.png with a plan shown.
#include "ActionClient.h"
#include "BreakerOverrideDialog.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "GuiTestHelpers.h"
#include "Theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTest>

using namespace gui_test;
using switchboard::ActionClient;
using switchboard::ActionJob;
using switchboard::BreakerOverrideDialog;
using Stage = switchboard::BreakerOverrideDialog::Stage;
using Mode = switchboard::BreakerOverrideDialog::Mode;

namespace {

// A dialog on screen for one stand-in agent.
struct Fixture {
    FakeHttpAgent server;
    FakeActionApi api{&server};
    ActionClient client;
    BreakerOverrideDialog dialog;

    explicit Fixture(const QString& token = FakeActionApi::kOperatorToken,
                     const QString& breaker = QStringLiteral("redis"))
        : client((server.listen(), server.url()), token)
        , dialog(&client, breaker, QStringLiteral("demo-1 (us-east)")) {
        dialog.show();
    }

    bool planned() { return gui_test::planned(dialog); }
};

} // namespace

class TestOverrideDialog : public QObject {
    Q_OBJECT

private slots:
    // As the app looks (app/main.cpp), so the screenshots show what an operator sees.
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(
            switchboard::Theme::load(switchboard::Theme::Kind::Light).palette());
    }

    void planConfirmAndResult() {
        Fixture f;
        f.api.pollsUntilDone = 2; // the confirm answers "running"; two polls later it is done
        f.api.warnCheck = true;
        QVERIFY(QTest::qWaitForWindowExposed(&f.dialog));
        QSignalSpy finished(&f.dialog, &BreakerOverrideDialog::jobFinished);

        // Before a plan: force open chosen, its warning shown, nothing to confirm.
        QCOMPARE(f.dialog.mode(), Mode::ForceOpen);
        QVERIFY(child<QRadioButton>(f.dialog, "forceOpenButton")->isChecked());
        QVERIFY(child<QWidget>(f.dialog, "forceOpenWarning")->isVisible());
        QVERIFY(
            text(f.dialog, "forceOpenWarningText").contains(QStringLiteral("refuses every call")));
        QVERIFY(!child<QWidget>(f.dialog, "planBox")->isVisible());
        QVERIFY(!child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
        QCOMPARE(f.dialog.expirySeconds(), BreakerOverrideDialog::kDefaultExpirySeconds);

        f.dialog.setExpirySeconds(300);
        QVERIFY(f.planned());
        const HttpExchange sent = f.server.exchanges(QStringLiteral("/v1/plans")).at(0);
        QCOMPARE(sent.json().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("breaker.override"));
        QCOMPARE(sent.json().value(QStringLiteral("target")).toString(), QStringLiteral("redis"));
        QCOMPARE(sent.json().value(QStringLiteral("params")).toObject(),
                 (QJsonObject{{QStringLiteral("mode"), QStringLiteral("force_open")},
                              {QStringLiteral("expiry_s"), 300}}));

        // The plan: summary, what changes from what to what, each check with its verdict in words.
        QVERIFY(child<QWidget>(f.dialog, "planBox")->isVisible());
        QCOMPARE(text(f.dialog, "planSummary"),
                 QStringLiteral("force breaker redis open for 300 s"));
        auto* changes = child<QTableWidget>(f.dialog, "changesTable");
        QCOMPARE(changes->rowCount(), 1);
        QCOMPARE(changes->item(0, 0)->text(), QStringLiteral("breaker redis"));
        QCOMPARE(changes->item(0, 1)->text(), QStringLiteral("closed → forced_open"));
        auto* checks = child<QTableWidget>(f.dialog, "checksTable");
        QCOMPARE(checks->rowCount(), 2);
        QCOMPARE(checks->item(0, 1)->text(), QStringLiteral("✔ pass"));
        QCOMPARE(checks->item(0, 0)->text(), QStringLiteral("breaker_exists"));
        QCOMPARE(checks->item(1, 1)->text(), QStringLiteral("▲ warn"));
        QVERIFY(checks->item(1, 1)->background().color() !=
                checks->item(0, 1)->background().color());
        QVERIFY2(
            text(f.dialog, "countdownLabel").startsWith(QStringLiteral("Confirm within 2:00")) ||
                text(f.dialog, "countdownLabel").startsWith(QStringLiteral("Confirm within 1:5")),
            qPrintable(text(f.dialog, "countdownLabel")));
        QVERIFY(f.dialog.timeLeft() > std::chrono::seconds(100));
        auto* confirm = child<QPushButton>(f.dialog, "confirmButton");
        QVERIFY(confirm->isEnabled());
        QCOMPARE(confirm->text(), QStringLiteral("Confirm force open"));
        QVERIFY(!child<QWidget>(f.dialog, "blockedLabel")->isVisible());
        QVERIFY(!child<QWidget>(f.dialog, "errorLabel")->isVisible());

        const QString screenshots = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR");
        if (!screenshots.isEmpty()) {
            QVERIFY(QDir().mkpath(screenshots));
            QTest::qWait(50);
            QVERIFY(f.dialog.grab().save(
                QDir(screenshots).filePath(QStringLiteral("override-dialog.png"))));
        }

        click(f.dialog, "confirmButton");
        QCOMPARE(f.dialog.stage(), Stage::Confirming);
        QVERIFY(!confirm->isEnabled());
        QVERIFY(!child<QWidget>(f.dialog, "planButton")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(f.dialog.stage(), Stage::Finished, 5000);
        QCOMPARE(finished.count(), 1);
        const auto job = finished.at(0).at(0).value<ActionJob>();
        QVERIFY(job.succeeded());
        QCOMPARE(f.dialog.job()->id, job.id);
        QVERIFY2(text(f.dialog, "resultLabel").startsWith(QStringLiteral("✔ Succeeded: ")),
                 qPrintable(text(f.dialog, "resultLabel")));
        QVERIFY(
            text(f.dialog, "resultLabel").contains(QStringLiteral("redis overridden as planned")));
        // Followed by polling: running, running, then done.
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/jobs/%1").arg(job.id)).size(), 3);
        QVERIFY(!confirm->isEnabled());
        QVERIFY(f.dialog.errorText().isEmpty());
    }

    void viewerTokenIsRefused() {
        Fixture f(FakeActionApi::kViewerToken);
        QVERIFY(QTest::qWaitForWindowExposed(&f.dialog));
        QVERIFY(!f.planned());
        QCOMPARE(f.dialog.stage(), Stage::Choosing);
        QVERIFY(child<QWidget>(f.dialog, "errorLabel")->isVisible());
        QVERIFY2(text(f.dialog, "errorLabel")
                     .startsWith(QStringLiteral(
                         "this token is a viewer token: acting needs an operator token")),
                 qPrintable(text(f.dialog, "errorLabel")));
        // The agent's own words are there too.
        QVERIFY(text(f.dialog, "errorLabel").contains(QStringLiteral("victor is a viewer")));
        QVERIFY(!child<QWidget>(f.dialog, "planBox")->isVisible());
        QVERIFY(!child<QWidget>(f.dialog, "resultLabel")->isVisible());
        QVERIFY(!child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
        // Nothing else changed: the choices are as they were and may be planned again.
        QCOMPARE(f.dialog.mode(), Mode::ForceOpen);
        QVERIFY(child<QPushButton>(f.dialog, "planButton")->isEnabled());
    }

    void aPlanExpiresOnScreen() {
        Fixture f;
        f.api.planLifetimeMs = 700;
        QVERIFY(f.planned());
        QVERIFY(child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!child<QPushButton>(f.dialog, "confirmButton")->isEnabled(), 3000);
        QCOMPARE(f.dialog.timeLeft().count(), 0);
        QCOMPARE(text(f.dialog, "countdownLabel"),
                 QStringLiteral("This plan expired: plan again to confirm."));
        f.dialog.confirmPlan(); // refused by the dialog itself: nothing is sent
        QCOMPARE(f.server.exchanges().size(), 1);
        // Planning again gives a fresh plan to confirm.
        f.api.planLifetimeMs = 120000;
        QVERIFY(f.planned());
        QVERIFY(child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
    }

    void theAgentSaysTheplanExpired() {
        Fixture f;
        QVERIFY(f.planned());
        f.api.confirmAnswer = HttpAnswer::error(410, QStringLiteral("plan_expired"),
                                                QStringLiteral("plan p-1 expired at 12:00:00"));
        click(f.dialog, "confirmButton");
        QTRY_COMPARE(f.dialog.stage(), Stage::Planned);
        QVERIFY(text(f.dialog, "errorLabel")
                    .startsWith(QStringLiteral("the plan expired; plan again")));
        QVERIFY(
            text(f.dialog, "errorLabel").contains(QStringLiteral("plan p-1 expired at 12:00:00")));
        QVERIFY(!child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
        QVERIFY(child<QWidget>(f.dialog, "planBox")->isVisible()); // the plan stays readable
        QVERIFY(!child<QWidget>(f.dialog, "resultLabel")->isVisible());
        QVERIFY(!f.dialog.job());
    }

    void aLostAnswerIsConfirmedAgainWithTheSameKey() {
        Fixture f;
        QVERIFY(f.planned());
        const QString confirmPath = QStringLiteral("/v1/plans/%1/confirm").arg(f.dialog.plan()->id);
        f.api.confirmAnswer = HttpAnswer::drop();
        click(f.dialog, "confirmButton");
        QTRY_COMPARE(f.dialog.stage(), Stage::Planned);
        QVERIFY2(text(f.dialog, "errorLabel")
                     .startsWith(QStringLiteral("the agent could not be reached")),
                 qPrintable(text(f.dialog, "errorLabel")));
        auto* confirm = child<QPushButton>(f.dialog, "confirmButton");
        QVERIFY(confirm->isEnabled());
        QCOMPARE(confirm->text(), QStringLiteral("Confirm force open again"));

        f.api.confirmAnswer.reset();
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_COMPARE(f.dialog.stage(), Stage::Finished);
        QVERIFY(f.dialog.job()->succeeded());
        QVERIFY(!child<QWidget>(f.dialog, "errorLabel")->isVisible());
        const QList<HttpExchange> confirms = f.server.exchanges(confirmPath);
        QVERIFY(confirms.size() >= 2);
        for (const HttpExchange& sent : confirms)
            QCOMPARE(sent.header("idempotency-key"), confirms.at(0).header("idempotency-key"));
    }

    void anotherModeNeedsAnotherPlan() {
        Fixture f;
        QVERIFY(f.planned());
        click(f.dialog, "resetButton");
        QCOMPARE(f.dialog.mode(), Mode::Reset);
        QCOMPARE(f.dialog.stage(), Stage::Choosing);
        QVERIFY(!f.dialog.plan());
        QVERIFY(!child<QWidget>(f.dialog, "planBox")->isVisible());
        QVERIFY(!child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
        QVERIFY(!child<QWidget>(f.dialog, "forceOpenWarning")->isVisible());
        // A reset has no expiry to give.
        QVERIFY(!child<QCheckBox>(f.dialog, "expiryCheck")->isEnabled());
        QCOMPARE(f.dialog.expirySeconds(), 0);

        QVERIFY(f.planned());
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans"))
                     .last()
                     .json()
                     .value(QStringLiteral("params"))
                     .toObject(),
                 (QJsonObject{{QStringLiteral("mode"), QStringLiteral("reset")}}));
        QCOMPARE(child<QPushButton>(f.dialog, "confirmButton")->text(),
                 QStringLiteral("Confirm reset"));
    }

    void aFailingCheckBlocksTheConfirm() {
        Fixture f(FakeActionApi::kOperatorToken, QStringLiteral("nonexistent"));
        QVERIFY(f.planned());
        QVERIFY(!f.dialog.plan()->executable);
        auto* checks = child<QTableWidget>(f.dialog, "checksTable");
        QCOMPARE(checks->item(0, 1)->text(), QStringLiteral("✖ fail"));
        QCOMPARE(checks->item(0, 2)->text(), QStringLiteral("no breaker named nonexistent"));
        QVERIFY(child<QWidget>(f.dialog, "blockedLabel")->isVisible());
        QVERIFY(!child<QPushButton>(f.dialog, "confirmButton")->isEnabled());
    }

    void aFailedJobSaysWhy() {
        Fixture f;
        f.api.jobFails = true;
        QVERIFY(f.planned());
        click(f.dialog, "confirmButton");
        QTRY_COMPARE(f.dialog.stage(), Stage::Finished);
        QVERIFY2(text(f.dialog, "resultLabel")
                     .startsWith(QStringLiteral("✖ Failed: breaker redis was unregistered")),
                 qPrintable(text(f.dialog, "resultLabel")));
    }

    void closingMidwayLeavesNothingWaiting() {
        Fixture f;
        f.server.setHandler([](const HttpExchange&) { return HttpAnswer::hang(); });
        f.client.setTimeout(std::chrono::milliseconds(300));
        click(f.dialog, "planButton");
        QCOMPARE(f.dialog.stage(), Stage::Planning);
        f.dialog.reject();
        QVERIFY(!f.dialog.isVisible());
        QCOMPARE(f.dialog.stage(), Stage::Choosing);
        // The late failure arrives for a request the dialog no longer waits for.
        QSignalSpy failed(&f.client, &ActionClient::requestFailed);
        QVERIFY(failed.wait(3000));
        QVERIFY(f.dialog.errorText().isEmpty());
    }
};

QTEST_MAIN(TestOverrideDialog)
#include "tst_override_dialog.moc"
