// DrillDialog against a stand-in agent over HTTP: Preflight sends the plan (mode as chosen)
// and shows every check with its verdict and reason, the candidate the agent chose and the
// steps; a failing check (a candidate not streaming) blocks Confirm and says why; a live drill
// enables Preflight and Run drill only once the region's name is typed, and sends it as
// confirm_region; the job's progress messages grow a step log, each with its time; Abort sends
// the job's cancel; the result shows RTO and RPO against the targets with the exports; and the
// refusals (another drill running, a preflight that fails at confirm) say so in words. With
// SWITCHBOARD_SCREENSHOT_DIR set it saves drill-dialog-preflight.png (live, a failing check),
// drill-dialog-running.png and drill-dialog-done.png.
#include "ActionClient.h"
#include "DrillDialog.h"
#include "DrillReportExport.h"
#include "DrillTestRequests.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "GuiTestHelpers.h"
#include "JobFollower.h"
#include "RegionsModel.h"
#include "RegionsTestData.h"
#include "Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace gui_test;
using namespace switchboard;
using Stage = DrillDialog::Stage;
using drill_test_requests::switchover;

namespace {

// The regions as the fake agent has them: us-east led by pg-us-east-1 with two replicas.
RegionsStatus fakeRegions() {
    RegionsStatus status = parseRegionsStatus(regions_test_data::regionsObject());
    RegionStatus& east = status.regions[0];
    east.leader = QStringLiteral("pg-us-east-1");
    east.members = {};
    for (int i = 1; i <= 3; ++i) {
        RegionMember member;
        member.name = QStringLiteral("pg-us-east-%1").arg(i);
        member.role = i == 1 ? QStringLiteral("leader") : QStringLiteral("replica");
        member.state = QStringLiteral("running");
        member.lagBytes = 0;
        member.streaming = true;
        east.members.append(member);
    }
    return status;
}

struct Fixture {
    FakeHttpAgent server;
    FakeActionApi api{&server};
    RegionsModel model;
    ActionClient client;
    DrillDialog* dialog = nullptr;

    Fixture()
        : client((server.listen(), server.url()), FakeActionApi::kOperatorToken) {
        model.setConnectionState(QStringLiteral("a1"), ConnectionState::Live);
        model.applyRegions(QStringLiteral("a1"), fakeRegions());
        dialog = new DrillDialog(&client, &model, QStringLiteral("demo-1"));
        followQuickly(*dialog);
        dialog->show();
    }
    ~Fixture() { delete dialog; }

    bool planned() { return gui_test::planned(*dialog); }

    bool running() { return started(*dialog); }

    QJsonObject sentParams(int index) const { return api.sentPlanParams(index); }

    // The checks table as "name | verdict | detail" lines.
    QStringList checks() const {
        auto* table = child<QTableWidget>(*dialog, "checksTable");
        QStringList rows;
        for (int row = 0; row < table->rowCount(); ++row)
            rows << QStringLiteral("%1 | %2 | %3")
                        .arg(table->item(row, 0)->text(), table->item(row, 1)->text(),
                             table->item(row, 2)->text());
        return rows;
    }
};

} // namespace

class TestDrillDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::load(Theme::Kind::Light).palette());
    }

    void preflightShowsChecksAndTheChosenCandidate() {
        Fixture f;
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // The regions and candidates come from the model.
        QCOMPARE(child<QComboBox>(dialog, "regionCombo")->count(), 2);
        QCOMPARE(child<QComboBox>(dialog, "candidateCombo")->count(), 3); // best + 2 replicas
        QVERIFY(!child<QPushButton>(dialog, "confirmButton")->isEnabled());
        QVERIFY(!child<QWidget>(dialog, "confirmRow")->isVisible());

        dialog.setRequest(switchover(QStringLiteral("simulated")));
        QVERIFY(f.planned());
        const HttpExchange sent = f.server.exchanges(QStringLiteral("/v1/plans")).at(0);
        QCOMPARE(sent.json().value(QStringLiteral("kind")).toString(), QStringLiteral("drill.run"));
        QCOMPARE(sent.json().value(QStringLiteral("target")).toString(), QStringLiteral("us-east"));
        QCOMPARE(f.sentParams(0),
                 (QJsonObject{{QStringLiteral("kind"), QStringLiteral("switchover")},
                              {QStringLiteral("mode"), QStringLiteral("simulated")}}));
        const QStringList checks = f.checks();
        QCOMPARE(checks.size(), 10); // four per candidate, leader, no other drill
        QVERIFY2(
            checks.contains(QStringLiteral("pg-us-east-2: streaming | ✔ pass | listed streaming "
                                           "by pg-us-east-1")),
            qPrintable(checks.join(QLatin1Char('\n'))));
        QVERIFY(checks.contains(QStringLiteral("no other drill | ✔ pass | none running")));
        const QString chosen = text(dialog, "chosenCandidateLabel");
        QVERIFY2(chosen.contains(QStringLiteral("Candidate: <b>pg-us-east-2</b> (the agent's "
                                                "choice: least lag)")),
                 qPrintable(chosen));
        QVERIFY(chosen.contains(QStringLiteral("leader now: pg-us-east-1")));
        QVERIFY(chosen.contains(QStringLiteral("Judged against RTO 15.0 s and RPO 1.00 s.")));
        QVERIFY(chosen.contains(QStringLiteral("2. POST /switchover to pg-us-east-2")));
        QVERIFY(child<QPushButton>(dialog, "confirmButton")->isEnabled());
        QVERIFY(!child<QLabel>(dialog, "blockedLabel")->isVisible());

        // Changing an input drops the plan: it was for the inputs it was made with.
        child<QComboBox>(dialog, "kindCombo")->setCurrentIndex(1);
        QCOMPARE(dialog.stage(), Stage::Choosing);
        QVERIFY(!child<QPushButton>(dialog, "confirmButton")->isEnabled());
    }

    void aFailingCheckBlocksConfirmAndSaysWhy() {
        Fixture f;
        f.api.drillNotStreaming = QStringLiteral("pg-us-east-3");
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.setRequest(switchover(QStringLiteral("live"), QStringLiteral("pg-us-east-3"),
                                     QStringLiteral("us-east")));
        QVERIFY(f.planned());
        QVERIFY(
            f.checks().contains(QStringLiteral("pg-us-east-3: streaming | ✖ fail | running, but "
                                               "pg-us-east-1 does not list it streaming")));
        QVERIFY(child<QLabel>(dialog, "blockedLabel")->isVisible());
        QVERIFY(
            text(dialog, "chosenCandidateLabel").contains(QStringLiteral("No candidate passes")));
        QVERIFY(!child<QPushButton>(dialog, "confirmButton")->isEnabled());
        saveScreenshot(dialog, QStringLiteral("drill-dialog-preflight.png"));
    }

    void liveNeedsTheRegionsNameTyped() {
        Fixture f;
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.setRequest(switchover(QStringLiteral("live")));
        auto* edit = child<QLineEdit>(dialog, "confirmRegionEdit");
        auto* plan = child<QPushButton>(dialog, "planButton");
        auto* confirm = child<QPushButton>(dialog, "confirmButton");
        QVERIFY(child<QWidget>(dialog, "confirmRow")->isVisible());
        QVERIFY(text(dialog, "confirmHint").contains(QStringLiteral("Type <b>us-east</b>")));
        QVERIFY(!plan->isEnabled());
        QVERIFY(!confirm->isEnabled());
        QTest::keyClicks(edit, QStringLiteral("us-eas"));
        QVERIFY(!plan->isEnabled());
        QTest::keyClicks(edit, QStringLiteral("t"));
        QVERIFY(plan->isEnabled());
        QVERIFY(!confirm->isEnabled()); // no plan yet
        QVERIFY(f.planned());
        QCOMPARE(f.sentParams(0).value(QStringLiteral("confirm_region")).toString(),
                 QStringLiteral("us-east"));
        QCOMPARE(f.sentParams(0).value(QStringLiteral("mode")).toString(), QStringLiteral("live"));
        QVERIFY(confirm->isEnabled());
        QCOMPARE(confirm->text(), QStringLiteral("Run drill"));

        // Another word typed: the plan goes, and both wait for the name again.
        QTest::keyClick(edit, Qt::Key_Backspace);
        QCOMPARE(dialog.stage(), Stage::Choosing);
        QVERIFY(!confirm->isEnabled());
        QVERIFY(!plan->isEnabled());
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());
    }

    void aDrillFasterThanThePollShowsTheAgentsTimeline() {
        Fixture f;
        f.api.pollsUntilDone = 1;
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &DrillDialog::jobFinished);
        dialog.setRequest(switchover(QStringLiteral("live"), {}, QStringLiteral("us-east")));
        QVERIFY(f.planned());
        QVERIFY(f.running());
        QVERIFY(finished.wait(10000));
        // Every step of the result's timeline, with its time from the drill's start.
        QCOMPARE(dialog.stepLog().size(), 5);
        QCOMPARE(dialog.stepLog().at(0), QStringLiteral("+0 ms  preflight: checks pass"));
        QVERIFY2(dialog.stepLog().at(2).startsWith(QStringLiteral("+600 ms  switchover: ")),
                 qPrintable(dialog.stepLog().at(2)));
        QVERIFY(child<QPlainTextEdit>(dialog, "stepLog")
                    ->toPlainText()
                    .contains(QStringLiteral("fence: writes paused")));
    }

    void stepLogGrowsThenTheResult() {
        Fixture f;
        f.api.pollsUntilDone = 6;
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &DrillDialog::jobFinished);
        dialog.setRequest(switchover(QStringLiteral("live"), {}, QStringLiteral("us-east")));
        QVERIFY(f.planned());
        QVERIFY(f.running());
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).size(), 1);
        QVERIFY(child<QWidget>(dialog, "progressBox")->isVisible());
        QVERIFY(child<QPushButton>(dialog, "abortButton")->isEnabled());

        // A line per step as the job's message changes, each with the time it came.
        QVERIFY(QTest::qWaitFor([&] { return dialog.stepLog().size() >= 3; }, 5000));
        const QRegularExpression timed(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  "));
        for (const QString& line : dialog.stepLog())
            QVERIFY2(timed.match(line).hasMatch(), qPrintable(line));
        QVERIFY(dialog.stepLog().at(0).endsWith(QStringLiteral("preflight: checks pass")));
        QVERIFY(
            dialog.stepLog().at(2).endsWith(QStringLiteral("switchover: POST /switchover: 200")));
        QVERIFY(child<QProgressBar>(dialog, "progressBar")->value() > 0);
        QVERIFY(child<QPlainTextEdit>(dialog, "stepLog")
                    ->toPlainText()
                    .contains(QStringLiteral("fence: writes paused")));
        saveScreenshot(dialog, QStringLiteral("drill-dialog-running.png"));

        QVERIFY(finished.wait(10000));
        QCOMPARE(dialog.stage(), Stage::Finished);
        QCOMPARE(dialog.stepLog().size(), 6); // five steps and the final message
        QVERIFY(dialog.stepLog().last().endsWith(QStringLiteral(
            "drill succeeded: pg-us-east-1 → pg-us-east-2, RTO 1.21 s, RPO 0 writes")));
        QCOMPARE(child<QProgressBar>(dialog, "progressBar")->value(), 1000);
        const QString result = text(dialog, "resultLabel");
        QVERIFY2(
            result.startsWith(QStringLiteral("✔ Drill succeeded: pg-us-east-1 → pg-us-east-2.")),
            qPrintable(result));
        QVERIFY(result.contains(QStringLiteral("RTO 1.21 s against 15.0 s: met")));
        QVERIFY(result.contains(QStringLiteral("RPO 0 writes, 0 B, 0 ms against 1.00 s: met")));
        QVERIFY(result.contains(QStringLiteral("5,120 acknowledged writes checked.")));
        QVERIFY(!child<QPushButton>(dialog, "abortButton")->isEnabled());
        QVERIFY(child<QPushButton>(dialog, "exportPdfButton")->isVisible());
        QVERIFY(child<QPushButton>(dialog, "exportMarkdownButton")->isVisible());
        saveScreenshot(dialog, QStringLiteral("drill-dialog-done.png"));

        // The result exports as the history's would.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("drill.pdf"));
        QVERIFY(drill_report_export::writePdf(*dialog.result(), path));
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.size() > 0);
        QCOMPARE(pdf.read(4), QByteArray("%PDF"));
    }

    void abortSendsTheJobsCancel() {
        Fixture f;
        f.api.pollsUntilDone = 500;
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &DrillDialog::jobFinished);
        dialog.setRequest(switchover(QStringLiteral("simulated")));
        QVERIFY(f.planned());
        QVERIFY(f.running());
        QCOMPARE(dialog.stage(), Stage::Running);
        const QString jobId = dialog.job()->id;
        click(dialog, "abortButton");
        QVERIFY(QTest::qWaitFor(
            [&] {
                return f.server.exchanges(QStringLiteral("/v1/jobs/%1/cancel").arg(jobId)).size() ==
                       1;
            },
            5000));
        QVERIFY(finished.wait(5000));
        QCOMPARE(dialog.job()->state, QStringLiteral("cancelled"));
        QVERIFY2(text(dialog, "resultLabel").startsWith(QStringLiteral("✖ Drill cancelled")),
                 qPrintable(text(dialog, "resultLabel")));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/jobs/%1/cancel").arg(jobId)).size(), 1);
    }

    void refusalsInWords() {
        Fixture f;
        DrillDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        f.api.drillRunning = true;
        dialog.setRequest(switchover(QStringLiteral("simulated")));
        click(dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return dialog.stage() == Stage::Choosing; }, 5000));
        QVERIFY(child<QLabel>(dialog, "errorLabel")->isVisible());
        QVERIFY2(dialog.errorText().startsWith(QStringLiteral("Another drill is running")),
                 qPrintable(dialog.errorText()));

        // The preflight passes at plan time and fails at confirm: the checks as they are now.
        f.api.drillRunning = false;
        f.api.drillPreflightFailsOnConfirm = true;
        QVERIFY(f.planned());
        QVERIFY(!child<QLabel>(dialog, "errorLabel")->isVisible());
        click(dialog, "confirmButton");
        QVERIFY(QTest::qWaitFor([&] { return dialog.stage() == Stage::Planned; }, 5000));
        QVERIFY2(dialog.errorText().startsWith(QStringLiteral("A preflight check fails now")),
                 qPrintable(dialog.errorText()));
        QCOMPARE(f.checks().size(), 2);
        QVERIFY(f.checks().at(1).contains(
            QStringLiteral("| ✖ fail | pg-us-east-1 no longer lists it")));
        QVERIFY(!child<QPushButton>(dialog, "confirmButton")->isEnabled());
    }
};

QTEST_MAIN(TestDrillDialog)
#include "tst_drill_dialog.moc"
