// The console's rebalance dialog against a real demo backend on a real stack (its agent's
// shards.rebalance action): "add shard-3" planned shows the agent's moves, estimate and skew;
// confirmed ("Move data"), the job runs, the dialog follows it to the end, and the console's
// Shards model then shows shard-3 with buckets.
#include "DemoBackend.h"
#include "Fleet.h"
#include "LocalStack.h"
#include "RebalanceDialog.h"
#include "ShardCluster.h"
#include "ShardsModel.h"
#include "ShardsRebalance.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace switchboard;
using Stage = RebalanceDialog::Stage;

class TestRebalanceDialogLive : public QObject {
    Q_OBJECT

    QTemporaryDir files_;
    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    std::unique_ptr<Fleet> fleet_;
    QString agentId_;

    int bucketsOf(const QString& node) const {
        const ShardsModel& model = *fleet_->shards();
        for (const QString& key : model.clusterKeys()) {
            ShardCluster cluster = model.cluster(key);
            for (const auto& entry : cluster.nodes)
                if (entry.name == node)
                    return int(entry.buckets);
        }
        return -1;
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        stack_ = std::make_unique<LocalStack>(QStringLiteral("minimal"),
                                              QStringList{QStringLiteral("--extra-shard")});
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-dialog"));
        demo_->setExtraArguments({QStringLiteral("--rate"), QStringLiteral("40")});
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        fleet_ = std::make_unique<Fleet>();
        agentId_ = fleet_->addAgent(demo_->url(), stack_->operatorToken());
        // Rows on both nodes, shard-3 spare.
        QTRY_VERIFY_WITH_TIMEOUT(!fleet_->shards()->clusterKeys().isEmpty() &&
                                     bucketsOf(QStringLiteral("shard-3")) == 0,
                                 30000);
        QTest::qWait(2500); // statistics with rows in them
    }
    void cleanupTestCase() {
        fleet_.reset();
        demo_.reset();
        stack_.reset();
    }

    void addNodeThroughTheDialog() {
        const QString cluster = fleet_->shards()->clusterKeys().first();
        RebalanceDialog dialog(fleet_->actions(agentId_), fleet_->shards(), cluster,
                               QStringLiteral("demo-dialog"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        RebalanceRequest request;
        request.goal = RebalanceRequest::Goal::AddNode;
        request.by = RebalanceRequest::By::Rows;
        request.node = QStringLiteral("shard-3");
        request.thresholdPercent = 10;
        dialog.setRequest(request);

        dialog.requestPlan();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.stage() != Stage::Planning, 20000);
        QVERIFY2(dialog.stage() == Stage::Planned, qPrintable(dialog.errorText()));
        QVERIFY(dialog.plan().has_value());
        const ActionPlan plan = *dialog.plan();
        QVERIFY(plan.executable);
        QVERIFY(!plan.changes.isEmpty());
        for (const auto& change : plan.changes)
            QCOMPARE(change.to, QStringLiteral("shard-3"));
        RebalancePlanDetails details = rebalancePlanDetails(plan);
        QVERIFY(details.skewBefore && details.skewAfter);
        QVERIFY(details.skewBefore->rows.maxOverMean > details.skewAfter->rows.maxOverMean);
        QVERIFY(details.estimateSeconds >= 0);
        qInfo("plan: %s", qPrintable(plan.summary));

        dialog.confirmPlan();
        QCOMPARE(dialog.stage(), Stage::Asking);
        QVERIFY(dialog.confirmation());
        auto* moveData =
            dialog.confirmation()->findChild<QPushButton*>(QStringLiteral("moveDataButton"));
        QVERIFY(moveData);
        QTest::mouseClick(moveData, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.stage() == Stage::Running || dialog.stage() == Stage::Finished, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.stage(), Stage::Finished, 120000);
        QVERIFY(dialog.job().has_value());
        QVERIFY2(dialog.job()->state == QLatin1String("succeeded"),
                 qPrintable(dialog.job()->error + dialog.errorText()));
        qInfo("job: %s", qPrintable(dialog.job()->message));
        QVERIFY(!dialog.moves().isEmpty());
        // The console's own view of the cluster follows.
        QTRY_VERIFY_WITH_TIMEOUT(bucketsOf(QStringLiteral("shard-3")) == plan.changes.size(),
                                 15000);
    }
};

QTEST_MAIN(TestRebalanceDialogLive)
#include "tst_rebalance_dialog_live.moc"
