// RebalanceDialog against a stand-in agent over HTTP: plan → the moves, estimate, skew before
// and after and the checks → Confirm asks whether to move data → the job followed with a bar
// per move and an overall one → its result; cancelling a running job; and what goes wrong (a
// 400 naming the parameter, a viewer token, no agent at all), each shown in the dialog. With
// SWITCHBOARD_SCREENSHOT_DIR set it saves rebalance-dialog.png while the moves run.
#include "ActionClient.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "GuiTestHelpers.h"
#include "JobFollower.h"
#include "RebalanceDialog.h"
#include "ShardsModel.h"
#include "Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTest>

using namespace gui_test;
using namespace switchboard;
using Stage = RebalanceDialog::Stage;

namespace {

const QString kCatalog = QStringLiteral("127.0.0.1:41234");

// Three nodes, the third empty: 6 buckets on shard-1, 2 on shard-2.
ShardsStatus clusterReport() {
    ShardsStatus s;
    s.checkedMs = QDateTime::currentMSecsSinceEpoch();
    s.status = protocol::ProbeStatus::Up;
    s.catalog = kCatalog;
    s.version = 3;
    s.bucketCount = 8;
    const qint64 buckets[] = {6, 2, 0};
    for (int i = 0; i < 3; ++i) {
        ShardNode node;
        node.name = QStringLiteral("shard-%1").arg(i + 1);
        node.target = QStringLiteral("127.0.0.1:%1").arg(41240 + i);
        node.status = protocol::ProbeStatus::Up;
        node.buckets = buckets[i];
        node.rows = buckets[i] * 480;
        node.bytes = node.rows * 80;
        s.nodes.append(node);
    }
    s.buckets.node = {0, 0, 0, 0, 0, 0, 1, 1};
    return s;
}

struct Fixture {
    FakeHttpAgent server;
    FakeActionApi api{&server};
    ShardsModel model;
    ActionClient client;
    RebalanceDialog* dialog = nullptr;

    explicit Fixture(const QString& token = FakeActionApi::kOperatorToken)
        : client((server.listen(), server.url()), token) {
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        model.applyShards(QStringLiteral("a"), clusterReport());
        dialog = new RebalanceDialog(&client, &model, kCatalog, QStringLiteral("demo-1"));
        followQuickly(*dialog);
        dialog->show();
    }
    ~Fixture() { delete dialog; }

    bool planned() { return gui_test::planned(*dialog); }

    // Confirm, then "Move data" in the question.
    bool confirmed() { return confirmedThrough(*dialog, "moveDataButton"); }
};

} // namespace

class TestRebalanceDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::load(Theme::Kind::Light).palette());
    }

    void planConfirmProgressAndResult() {
        Fixture f;
        f.api.pollsUntilDone = 4;
        f.api.warnCheck = true;
        RebalanceDialog& dialog = *f.dialog;
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &RebalanceDialog::jobFinished);

        // Before a plan: nothing to confirm, no node needed to even out.
        QVERIFY(!child<QPushButton>(dialog, "confirmButton")->isEnabled());
        QVERIFY(!child<QComboBox>(dialog, "nodeCombo")->isEnabled());
        QCOMPARE(child<QComboBox>(dialog, "nodeCombo")->count(), 3);
        QVERIFY(!child<QWidget>(dialog, "planBox")->isVisible());

        QVERIFY(f.planned());
        const HttpExchange sent = f.server.exchanges(QStringLiteral("/v1/plans")).at(0);
        QCOMPARE(sent.json().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("shards.rebalance"));
        QCOMPARE(sent.json().value(QStringLiteral("target")).toString(), kCatalog);
        QCOMPARE(sent.json().value(QStringLiteral("params")).toObject(),
                 (QJsonObject{{QStringLiteral("goal"), QStringLiteral("even")},
                              {QStringLiteral("by"), QStringLiteral("rows")},
                              {QStringLiteral("threshold_pct"), 10}}));

        // The plan before anything moves: each move, the estimate, skew before and after, checks.
        auto* changes = child<QTableWidget>(dialog, "changesTable");
        QCOMPARE(changes->rowCount(), 3);
        QCOMPARE(changes->item(0, 0)->text(), QStringLiteral("bucket 17 (480 rows, 37.5 KiB)"));
        QCOMPARE(changes->item(0, 1)->text(), QStringLiteral("shard-1 → shard-3"));
        QVERIFY(text(dialog, "planSummary").startsWith(QStringLiteral("move 3 buckets")));
        const QString details = text(dialog, "planDetails");
        QVERIFY2(details.startsWith(QStringLiteral("3 buckets would move.")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("Estimated time: about 42 s.")),
                 qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("rows: max/mean 1.30 → 1.02")),
                 qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("load: max/mean 1.90 → 1.10")));
        auto* checks = child<QTableWidget>(dialog, "checksTable");
        QCOMPARE(checks->rowCount(), 3);
        QCOMPARE(checks->item(2, 1)->text(), QStringLiteral("▲ warn"));
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());

        const QString screenshots = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR");
        // Confirm asks first: nothing is sent until "Move data".
        click(dialog, "confirmButton");
        QCOMPARE(dialog.stage(), Stage::Asking);
        QVERIFY(dialog.confirmation());
        QVERIFY(dialog.confirmation()->isVisible());
        QVERIFY(dialog.confirmation()->text().contains(QStringLiteral("moves 3 buckets between")));
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());
        QTest::mouseClick(child<QPushButton>(*dialog.confirmation(), "moveDataButton"),
                          Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return dialog.stage() == Stage::Running; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).size(), 1);

        // Progress: a bar per move, the first ahead of the others, and the overall bar.
        QVERIFY(child<QWidget>(dialog, "progressBox")->isVisible());
        auto* moves = child<QTableWidget>(dialog, "movesTable");
        QCOMPARE(moves->rowCount(), 3);
        QVERIFY(QTest::qWaitFor([&] { return dialog.moves().value(0).progress > 0.2; }, 5000));
        auto bar = [&](int row) {
            return qobject_cast<QProgressBar*>(moves->cellWidget(row, 3))->value();
        };
        QVERIFY(bar(0) > bar(2));
        QVERIFY(bar(2) > 0);
        QCOMPARE(moves->item(0, 2)->text(), QStringLiteral("copying"));
        QCOMPARE(moves->item(0, 1)->text(), QStringLiteral("shard-1 → shard-3"));
        QVERIFY(child<QProgressBar>(dialog, "overallProgress")->value() > 0);
        QVERIFY(text(dialog, "etaLabel").endsWith(QStringLiteral("left")));
        QVERIFY(child<QPushButton>(dialog, "cancelJobButton")->isEnabled());
        if (!screenshots.isEmpty()) {
            QVERIFY(QDir().mkpath(screenshots));
            QTest::qWait(50);
            QVERIFY(dialog.grab().save(
                QDir(screenshots).filePath(QStringLiteral("rebalance-dialog.png"))));
        }

        QVERIFY(QTest::qWaitFor([&] { return dialog.stage() == Stage::Finished; }, 10000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(text(dialog, "resultLabel"),
                 QStringLiteral("✔ Rebalanced: 3 buckets moved, map version 4"));
        QCOMPARE(child<QProgressBar>(dialog, "overallProgress")->value(), 1000);
        QCOMPARE(moves->item(2, 2)->text(), QStringLiteral("done"));
        QCOMPARE(bar(2), 1000);
        QCOMPARE(text(dialog, "etaLabel"), QStringLiteral("done"));
        QVERIFY(!child<QPushButton>(dialog, "cancelJobButton")->isEnabled());
    }

    void dontMoveKeepsThePlan() {
        Fixture f;
        QVERIFY(f.planned());
        click(*f.dialog, "confirmButton");
        QVERIFY(f.dialog->confirmation());
        f.dialog->confirmation()->reject();
        QCOMPARE(f.dialog->stage(), Stage::Planned);
        QVERIFY(child<QPushButton>(*f.dialog, "confirmButton")->isEnabled());
        QTest::qWait(100);
        QVERIFY(f.server.exchanges(QStringLiteral("/v1/plans/p-1/confirm")).isEmpty());
    }

    void addNodeNamesIt() {
        Fixture f;
        RebalanceRequest request;
        request.goal = RebalanceRequest::Goal::AddNode;
        request.by = RebalanceRequest::By::Load;
        request.node = QStringLiteral("shard-3");
        request.thresholdPercent = 5;
        f.dialog->setRequest(request);
        QVERIFY(child<QComboBox>(*f.dialog, "nodeCombo")->isEnabled());
        QVERIFY(text(*f.dialog, "goalHelp").contains(QStringLiteral("Gives buckets")));
        QVERIFY(f.planned());
        const QJsonObject params = f.server.exchanges(QStringLiteral("/v1/plans"))
                                       .at(0)
                                       .json()
                                       .value(QStringLiteral("params"))
                                       .toObject();
        QCOMPARE(params.value(QStringLiteral("goal")).toString(), QStringLiteral("add_node"));
        QCOMPARE(params.value(QStringLiteral("by")).toString(), QStringLiteral("load"));
        QCOMPARE(params.value(QStringLiteral("node")).toString(), QStringLiteral("shard-3"));
        QCOMPARE(params.value(QStringLiteral("threshold_pct")).toDouble(), 5.0);
    }

    void badParameterShown() {
        Fixture f;
        f.api.shardNodes = {QStringLiteral("shard-1"), QStringLiteral("shard-2")};
        RebalanceRequest request;
        request.goal = RebalanceRequest::Goal::DrainNode;
        request.node = QStringLiteral("shard-3");
        f.dialog->setRequest(request);
        click(*f.dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::Choosing; }, 5000));
        QVERIFY(child<QLabel>(*f.dialog, "errorLabel")->isVisible());
        const QString error = text(*f.dialog, "errorLabel");
        QVERIFY2(error.contains(QStringLiteral("params.node: no shard node named \"shard-3\"")),
                 qPrintable(error));
        QVERIFY(!child<QWidget>(*f.dialog, "planBox")->isVisible());
        QVERIFY(!child<QPushButton>(*f.dialog, "confirmButton")->isEnabled());
    }

    void viewerTokenRefused() {
        Fixture f(FakeActionApi::kViewerToken);
        click(*f.dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return !f.dialog->errorText().isEmpty(); }, 5000));
        QVERIFY2(f.dialog->errorText().contains(QStringLiteral("operator token")),
                 qPrintable(f.dialog->errorText()));
        QCOMPARE(f.dialog->stage(), Stage::Choosing);
    }

    void networkFailureShown() {
        ShardsModel model;
        model.applyShards(QStringLiteral("a"), clusterReport());
        quint16 port = 0;
        {
            FakeHttpAgent closed; // a port nobody listens on once it is gone
            QVERIFY(closed.listen());
            port = closed.port();
        }
        ActionClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)),
                            FakeActionApi::kOperatorToken);
        RebalanceDialog dialog(&client, &model, kCatalog);
        dialog.show();
        click(dialog, "planButton");
        QVERIFY(QTest::qWaitFor([&] { return !dialog.errorText().isEmpty(); }, 10000));
        QVERIFY2(dialog.errorText().contains(QStringLiteral("could not be reached")),
                 qPrintable(dialog.errorText()));
        QVERIFY(child<QLabel>(dialog, "errorLabel")->isVisible());
        QCOMPARE(dialog.stage(), Stage::Choosing);
    }

    void cancelRunningJob() {
        Fixture f;
        f.api.pollsUntilDone = 1000;
        QSignalSpy finished(f.dialog, &RebalanceDialog::jobFinished);
        QVERIFY(f.planned());
        QVERIFY(f.confirmed());
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->moves().value(0).progress > 0; }, 5000));
        click(*f.dialog, "cancelJobButton");
        QVERIFY(QTest::qWaitFor([&] { return f.dialog->stage() == Stage::Finished; }, 5000));
        QCOMPARE(f.server.exchanges(QStringLiteral("/v1/jobs/j-2/cancel")).size(), 1);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).value<ActionJob>().state, QStringLiteral("cancelled"));
        QVERIFY(text(*f.dialog, "resultLabel").startsWith(QStringLiteral("Cancelled: ")));
        QCOMPARE(f.dialog->moves().value(0).phase, QStringLiteral("rolled_back"));
        QCOMPARE(child<QTableWidget>(*f.dialog, "movesTable")->item(0, 2)->text(),
                 QStringLiteral("rolled back"));
        QCOMPARE(text(*f.dialog, "etaLabel"), QStringLiteral("stopped"));
    }
};

QTEST_MAIN(TestRebalanceDialog)
#include "tst_rebalance_dialog.moc"
