// InvalidateDialog against a stand-in agent over HTTP: preview → how many keys match, a sample
// and the estimate → Confirm asks whether to delete → the job followed with the keys unlinked
// of those matching → the L1 acknowledgements per instance, naming the one that did not answer;
// a selection of every key asks for ALL to be typed before it is even previewed, also when only
// the agent recognises it (400 match_all_needs_confirmation); cancelling a running job; and
// what goes wrong (a 400 naming the parameter, a bad input caught before sending, a viewer
// token), each shown in the dialog with nothing run. With SWITCHBOARD_SCREENSHOT_DIR set it
// saves invalidate-dialog.png while the keys are unlinked, invalidate-dialog-done.png with
// the acknowledgements and invalidate-match-all.png (the typed confirmation).
#include "ActionClient.h"
#include "CacheModel.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "GuiTestHelpers.h"
#include "InvalidateDialog.h"
#include "JobFollower.h"
#include "MatchAllConfirmDialog.h"
#include "Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTest>

using namespace gui_test;
using namespace switchboard;
using Stage = InvalidateDialog::Stage;
using Match = InvalidateRequest::Match;

namespace {

const QString kRedis = QStringLiteral("127.0.0.1:6379");

CacheStatus report(const QString& instance) {
    Q_UNUSED(instance);
    CacheStatus c;
    c.checkedMs = QDateTime::currentMSecsSinceEpoch();
    c.targetHitRate = 70.0;
    c.hitRate = 85.0;
    c.redis.status = protocol::ProbeStatus::Up;
    c.redis.target = kRedis;
    c.invalidation.channel = QStringLiteral("switchboard:demo:cache");
    c.invalidation.subscribed = true;
    return c;
}

InvalidateRequest selection(Match match, const QString& value) {
    InvalidateRequest request;
    request.match = match;
    request.value = value;
    return request;
}

struct Fixture {
    FakeHttpAgent server;
    FakeActionApi api{&server};
    CacheModel model;
    ActionClient client;
    InvalidateDialog* dialog = nullptr;

    explicit Fixture(const QString& token = FakeActionApi::kOperatorToken)
        : client((server.listen(), server.url()), token) {
        // Three instances listen on the channel; demo-3 will not answer in time.
        for (int i = 1; i <= 3; ++i) {
            const QString id = QStringLiteral("a%1").arg(i);
            model.setConnectionState(id, ConnectionState::Live);
            AgentSnapshot snapshot;
            snapshot.info.instance = QStringLiteral("demo-%1").arg(i);
            snapshot.cache = report(snapshot.info.instance);
            model.updateAgent(id, snapshot);
        }
        for (int i = 1; i <= 1500; ++i)
            api.cacheKeys.append(QStringLiteral("catalog:item:%1").arg(i));
        for (int i = 1; i <= 300; ++i)
            api.cacheKeys.append(QStringLiteral("user:session:%1").arg(i));
        dialog = new InvalidateDialog(&client, &model, kRedis, QStringLiteral("demo-1"));
        followQuickly(*dialog);
        dialog->show();
    }
    ~Fixture() { delete dialog; }

    bool planned() { return gui_test::planned(*dialog); }

    // Confirm, then "Delete keys" in the question.
    bool confirmed() { return confirmedThrough(*dialog, "deleteKeysButton"); }

    // Types `word` into the open match-all confirmation and presses its button if it may.
    bool typeAll(const QString& word) {
        MatchAllConfirmDialog* confirm = dialog->matchAllConfirmation();
        if (!confirm)
            return false;
        confirm->wordEdit()->clear();
        QTest::keyClicks(confirm->wordEdit(), word);
        if (!confirm->acceptButton()->isEnabled())
            return false;
        QTest::mouseClick(confirm->acceptButton(), Qt::LeftButton);
        return true;
    }

    QJsonObject sentParams(int index) const { return api.sentPlanParams(index); }
};

} // namespace

class TestInvalidateDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::load(Theme::Kind::Light).palette());
    }

    void previewConfirmProgressAndAcks() {
        Fixture f;
        f.api.pollsUntilDone = 4;
        f.api.cacheMissing = 1;
        f.api.cacheAcked = {QStringLiteral("demo-1"), QStringLiteral("demo-2")};
        InvalidateDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &InvalidateDialog::jobFinished);

        // Before a preview: nothing to confirm.
        QVERIFY(!child<QPushButton>(dialog, "confirmButton")->isEnabled());
        QVERIFY(!child<QWidget>(dialog, "previewBox")->isVisible());
        f.dialog->setRequest(selection(Match::Prefix, QStringLiteral("catalog:item:")));
        QVERIFY(f.planned());
        const HttpExchange sent = f.server.exchanges(QStringLiteral("/v1/plans")).at(0);
        QCOMPARE(sent.json().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("cache.invalidate"));
        QCOMPARE(sent.json().value(QStringLiteral("target")).toString(), kRedis);
        QCOMPARE(f.sentParams(0),
                 (QJsonObject{{QStringLiteral("match"), QStringLiteral("prefix")},
                              {QStringLiteral("value"), QStringLiteral("catalog:item:")},
                              {QStringLiteral("rate"), 200000}}));

        // The preview before anything is deleted: the count, a sample, the estimate.
        QVERIFY(child<QWidget>(dialog, "previewBox")->isVisible());
        QCOMPARE(text(dialog, "matchingLabel"),
                 QStringLiteral("1,500 keys match now (of 1,800 scanned in Redis)."));
        auto* sample = child<QListWidget>(dialog, "sampleList");
        QCOMPARE(sample->count(), 20);
        QCOMPARE(sample->item(0)->text(), QStringLiteral("catalog:item:1"));
        QCOMPARE(text(dialog, "sampleCaption"), QStringLiteral("A sample of them (20 of 1,500):"));
        QVERIFY2(text(dialog, "estimateLabel")
                     .startsWith(QStringLiteral("Estimated time: under "
                                                "a second")),
                 qPrintable(text(dialog, "estimateLabel")));
        QVERIFY(!child<QLabel>(dialog, "matchAllLabel")->isVisible());
        QVERIFY(text(dialog, "planSummary").startsWith(QStringLiteral("unlink 1500 keys")));
        QVERIFY(child<QPushButton>(dialog, "confirmButton")->isEnabled());

        // Confirm asks first: nothing is sent until "Delete keys".
        click(dialog, "confirmButton");
        QCOMPARE(dialog.stage(), Stage::Asking);
        QVERIFY(dialog.confirmation());
        QVERIFY(dialog.confirmation()->isVisible());
        QVERIFY2(dialog.confirmation()->text().contains(QStringLiteral("deletes 1,500 keys")),
                 qPrintable(dialog.confirmation()->text()));
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());
        QTest::mouseClick(child<QPushButton>(*dialog.confirmation(), "deleteKeysButton"),
                          Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return dialog.stage() == Stage::Running; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).size(), 1);

        // Progress: the bar and unlinked of matching from the job.
        auto* bar = child<QProgressBar>(dialog, "progressBar");
        QVERIFY(child<QWidget>(dialog, "progressBox")->isVisible());
        QVERIFY(QTest::qWaitFor([&] { return bar->value() > 0; }, 5000));
        QVERIFY2(text(dialog, "progressLabel").contains(QStringLiteral(" of 1,500 keys unlinked")),
                 qPrintable(text(dialog, "progressLabel")));
        QVERIFY(text(dialog, "progressLabel").contains(QStringLiteral("batches of 1000")));
        QVERIFY(child<QPushButton>(dialog, "cancelJobButton")->isEnabled());
        QVERIFY(!child<QWidget>(dialog, "acksBox")->isVisible());
        QTest::qWait(50);
        saveScreenshot(dialog, QStringLiteral("invalidate-dialog.png"));

        // The end: the result and each instance's L1 acknowledgement.
        QVERIFY(QTest::qWaitFor([&] { return dialog.stage() == Stage::Finished; }, 10000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(bar->value(), 1000);
        QCOMPARE(text(dialog, "resultLabel"),
                 QStringLiteral("✔ Invalidated: 1,500 keys unlinked in 1.5 s (1,000 keys/s)."));
        QVERIFY(child<QWidget>(dialog, "acksBox")->isVisible());
        auto* acks = child<QTableWidget>(dialog, "acksTable");
        QCOMPARE(acks->rowCount(), 3);
        QCOMPARE(acks->item(0, 0)->text(), QStringLiteral("demo-1"));
        QCOMPARE(acks->item(0, 1)->text(), QStringLiteral("✔ yes"));
        QCOMPARE(acks->item(0, 2)->text(), QStringLiteral("17 entries"));
        QCOMPARE(acks->item(1, 2)->text(), QStringLiteral("12 entries"));
        QCOMPARE(acks->item(2, 0)->text(), QStringLiteral("demo-3"));
        QCOMPARE(acks->item(2, 1)->text(), QStringLiteral("✖ no answer within 2 s"));
        const QString summary = text(dialog, "acksSummary");
        QVERIFY2(summary.startsWith(QStringLiteral("2 of 3 listening instances acknowledged in "
                                                   "1.4 ms.")),
                 qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("1 instance did not answer")));
        QVERIFY(!child<QPushButton>(dialog, "cancelJobButton")->isEnabled());
        QTest::qWait(50);
        saveScreenshot(dialog, QStringLiteral("invalidate-dialog-done.png"));
    }

    void matchAllNeedsTypedConfirmation() {
        Fixture f;
        f.dialog->setRequest(selection(Match::Pattern, QStringLiteral("*")));
        click(*f.dialog, "planButton");
        // Nothing asked of the agent yet: the separate confirmation comes first.
        QCOMPARE(f.dialog->stage(), Stage::AskingMatchAll);
        QVERIFY(f.dialog->matchAllConfirmation());
        QVERIFY(f.dialog->matchAllConfirmation()->isVisible());
        QTest::qWait(50);
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans")).isEmpty());
        // The wrong word never accepts it.
        QVERIFY(!f.dialog->matchAllConfirmation()->acceptButton()->isEnabled());
        QVERIFY(!f.typeAll(QStringLiteral("all")));
        QVERIFY(!f.typeAll(QStringLiteral("yes")));
        // Enter is the safe answer: no.
        QTest::keyClick(f.dialog->matchAllConfirmation()->wordEdit(), Qt::Key_Return);
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
        QTest::qWait(50);
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans")).isEmpty());
        click(*f.dialog, "planButton");
        QCOMPARE(f.dialog->stage(), Stage::AskingMatchAll);
        QTest::keyClicks(f.dialog->matchAllConfirmation()->wordEdit(), QStringLiteral("ALL"));
        QTest::qWait(50);
        saveScreenshot(*f.dialog->matchAllConfirmation(),
                       QStringLiteral("invalidate-match-all.png"));
        QVERIFY(f.typeAll(QStringLiteral("ALL")));
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::Planned; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans")).size(), 1);
        QCOMPARE(f.sentParams(0).value(QStringLiteral("allow_match_all")).toBool(), true);
        QCOMPARE(f.sentParams(0).value(QStringLiteral("value")).toString(), QStringLiteral("*"));
        QVERIFY(child<QLabel>(*f.dialog, "matchAllLabel")->isVisible());
        QCOMPARE(text(*f.dialog, "matchingLabel"),
                 QStringLiteral("1,800 keys match now (of 1,800 scanned in Redis)."));
        // The question names every key.
        click(*f.dialog, "confirmButton");
        QVERIFY(f.dialog->confirmation()->text().contains(QStringLiteral("every key")));
        f.dialog->confirmation()->reject();
        QCOMPARE(f.dialog->stage(), Stage::Planned);

        // Another selection: the confirmation was for "*" only. An empty prefix asks again,
        // and goes as the pattern "*".
        f.dialog->setRequest(selection(Match::Prefix, QString()));
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
        click(*f.dialog, "planButton");
        QCOMPARE(f.dialog->stage(), Stage::AskingMatchAll);
        f.dialog->matchAllConfirmation()->reject();
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
        QVERIFY(text(*f.dialog, "statusLabel").contains(QStringLiteral("its own confirmation")));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans")).size(), 1);
        click(*f.dialog, "planButton");
        QVERIFY(f.typeAll(QStringLiteral("ALL")));
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::Planned; }, 5000));
        QCOMPARE(f.sentParams(1), (QJsonObject{{QStringLiteral("match"), QStringLiteral("pattern")},
                                               {QStringLiteral("value"), QStringLiteral("*")},
                                               {QStringLiteral("rate"), 200000},
                                               {QStringLiteral("allow_match_all"), true}}));
    }

    void agentRefusalAsksMatchAll() {
        Fixture f;
        // "?*" selects every key, which only the agent sees: it refuses, the dialog asks.
        f.dialog->setRequest(selection(Match::Pattern, QStringLiteral("?*")));
        click(*f.dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::AskingMatchAll; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans")).size(), 1);
        QVERIFY(!f.sentParams(0).contains(QStringLiteral("allow_match_all")));
        QVERIFY(f.dialog->errorText().isEmpty());
        QVERIFY(f.typeAll(QStringLiteral("ALL")));
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::Planned; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans")).size(), 2);
        QCOMPARE(f.sentParams(1).value(QStringLiteral("allow_match_all")).toBool(), true);
        QVERIFY(child<QLabel>(*f.dialog, "matchAllLabel")->isVisible());
    }

    void badRequestShownNothingRun() {
        Fixture f;
        f.dialog->setRequest(selection(Match::Pattern, QStringLiteral("catalog:[ab")));
        click(*f.dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return !f.dialog->errorText().isEmpty(); }, 5000));
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
        QVERIFY(child<QLabel>(*f.dialog, "errorLabel")->isVisible());
        QVERIFY2(f.dialog->errorText().contains(
                     QStringLiteral("params.value: unbalanced [ ] in the pattern")),
                 qPrintable(f.dialog->errorText()));
        QVERIFY(!child<QWidget>(*f.dialog, "previewBox")->isVisible());
        QVERIFY(!child<QPushButton>(*f.dialog, "confirmButton")->isEnabled());
        QTest::qWait(100);
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/jobs")).isEmpty());

        // Caught before sending: an empty key, a value over 512 bytes.
        f.dialog->setRequest(selection(Match::Key, QString()));
        click(*f.dialog, "planButton");
        QVERIFY(f.dialog->errorText().contains(QStringLiteral("Enter the key")));
        f.dialog->setRequest(selection(Match::Key, QString(600, QLatin1Char('k'))));
        click(*f.dialog, "planButton");
        QVERIFY(f.dialog->errorText().contains(QStringLiteral("at most 512")));
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans")).size(), 1);
    }

    void dontDeleteKeepsThePlan() {
        Fixture f;
        f.dialog->setRequest(selection(Match::Key, QStringLiteral("catalog:item:7")));
        QVERIFY(f.planned());
        QCOMPARE(text(*f.dialog, "matchingLabel"),
                 QStringLiteral("1 key matches now (of 1,800 scanned in Redis)."));
        click(*f.dialog, "confirmButton");
        QVERIFY(f.dialog->confirmation());
        f.dialog->confirmation()->reject();
        QCOMPARE(f.dialog->stage(), Stage::Planned);
        QVERIFY(child<QPushButton>(*f.dialog, "confirmButton")->isEnabled());
        QTest::qWait(100);
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());
    }

    void viewerTokenRefused() {
        Fixture f(FakeActionApi::kViewerToken);
        f.dialog->setRequest(selection(Match::Prefix, QStringLiteral("catalog:")));
        click(*f.dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return !f.dialog->errorText().isEmpty(); }, 5000));
        QVERIFY2(f.dialog->errorText().contains(QStringLiteral("operator token")),
                 qPrintable(f.dialog->errorText()));
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
    }

    void cancelRunningJob() {
        Fixture f;
        f.api.pollsUntilDone = 1000;
        QSignalSpy finished(f.dialog, &InvalidateDialog::jobFinished);
        f.dialog->setRequest(selection(Match::Prefix, QStringLiteral("catalog:item:")));
        QVERIFY(f.planned());
        QVERIFY(f.confirmed());
        auto* bar = child<QProgressBar>(*f.dialog, "progressBar");
        QVERIFY(QTest::qWaitFor([&] { return bar->value() > 0; }, 5000));
        click(*f.dialog, "cancelJobButton");
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::Finished; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/jobs/j-2/cancel")).size(), 1);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).value<ActionJob>().state, QStringLiteral("cancelled"));
        QVERIFY(text(*f.dialog, "resultLabel").startsWith(QStringLiteral("Cancelled: ")));
        QVERIFY2(
            text(*f.dialog, "progressLabel").contains(QStringLiteral(" of 1,500 keys unlinked")),
            qPrintable(text(*f.dialog, "progressLabel")));
        QVERIFY(bar->value() < 1000);
    }
};

QTEST_MAIN(TestInvalidateDialog)
#include "tst_invalidate_dialog.moc"
