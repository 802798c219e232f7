// The shards.rebalance pieces of the models: the request's params, what a plan carries beside
// the common plan (estimate, skew before and after), the moves a job carries, the duration in
// words; and JobFollower following a rebalance job of the stand-in agent to its end, or
// stopping when the agent does not know the job.
#include "ActionClient.h"
#include "ActionDocuments.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "JobFollower.h"
#include "ShardsRebalance.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

namespace {

const QByteArray kPlan = R"json({"plan_id":"p-1","kind":"shards.rebalance",
  "target":"127.0.0.1:41234","params":{"goal":"even","by":"rows"},"scope":"cluster",
  "summary":"move 3 buckets",
  "changes":[{"what":"bucket 17 (480 rows, 37.5 KiB)","from":"shard-1","to":"shard-3"}],
  "checks":[],"executable":true,"created_ms":1,"expires_ms":120001,"estimate_s":125.4,
  "skew_before":{"rows":{"max_over_mean":1.3,"cv":0.27},"load":{"max_over_mean":1.9,"cv":0.8}},
  "skew_after":{"rows":{"max_over_mean":1.02,"cv":0.02}}})json";

const QByteArray kJob = R"({"job_id":"j-1","state":"running","progress":0.4,
  "moves":[{"bucket":17,"from":0,"to":2,"phase":"copying","rows_copied":200,"rows_total":480,
            "progress":0.42}]})";

const QByteArray kFinishedJob = R"({"job_id":"j-1","state":"succeeded","progress":1.0,
  "result":{"moves":[{"bucket":17,"from":0,"to":2,"phase":"done","progress":1.0}]}})";

QJsonObject object(const QByteArray& json) {
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestShardsRebalance : public QObject {
    Q_OBJECT

private slots:
    void requestParams() {
        RebalanceRequest even;
        QCOMPARE(even.params(), (QJsonObject{{QStringLiteral("goal"), QStringLiteral("even")},
                                             {QStringLiteral("by"), QStringLiteral("rows")},
                                             {QStringLiteral("threshold_pct"), 10}}));
        RebalanceRequest drain;
        drain.goal = RebalanceRequest::Goal::DrainNode;
        drain.by = RebalanceRequest::By::Bytes;
        drain.node = QStringLiteral("shard-2");
        drain.thresholdPercent = 0;
        QVERIFY(drain.needsNode());
        QCOMPARE(drain.params().value(QStringLiteral("goal")).toString(),
                 QStringLiteral("drain_node"));
        QCOMPARE(drain.params().value(QStringLiteral("by")).toString(), QStringLiteral("bytes"));
        QCOMPARE(drain.params().value(QStringLiteral("node")).toString(),
                 QStringLiteral("shard-2"));
        QCOMPARE(drain.params().value(QStringLiteral("threshold_pct")).toDouble(), 0.0);
        QCOMPARE(RebalanceRequest::goalName(RebalanceRequest::Goal::AddNode),
                 QStringLiteral("add_node"));
        QCOMPARE(RebalanceRequest::byName(RebalanceRequest::By::Load), QStringLiteral("load"));
    }

    void planDetails() {
        QString error;
        const std::optional<ActionPlan> plan = ActionDocuments::parsePlan(object(kPlan), &error);
        QVERIFY2(plan, qPrintable(error));
        const RebalancePlanDetails details = rebalancePlanDetails(*plan);
        QCOMPARE(details.estimateSeconds, 125.4);
        QVERIFY(details.skewBefore && details.skewAfter);
        QCOMPARE(details.skewBefore->rows.maxOverMean, 1.3);
        QCOMPARE(details.skewBefore->load.cv, 0.8);
        QCOMPARE(details.skewAfter->rows.cv, 0.02);
        QCOMPARE(details.skewAfter->load, SkewFigures()); // absent: zero, as the agent's "no data"

        // A breaker override's plan carries none of it.
        ActionPlan plain = *plan;
        plain.document = QJsonObject{{QStringLiteral("estimate_s"), QStringLiteral("soon")}};
        const RebalancePlanDetails none = rebalancePlanDetails(plain);
        QCOMPARE(none.estimateSeconds, -1.0);
        QVERIFY(!none.skewBefore && !none.skewAfter);
    }

    void jobMoves() {
        QString error;
        const std::optional<ActionJob> running = ActionDocuments::parseJob(object(kJob), &error);
        QVERIFY2(running, qPrintable(error));
        const auto moves = rebalanceJobMoves(*running);
        QVERIFY(moves);
        QCOMPARE(moves->size(), 1);
        QCOMPARE(moves->at(0).bucket, 17);
        QCOMPARE(moves->at(0).progress, 0.42);
        const auto finished =
            rebalanceJobMoves(*ActionDocuments::parseJob(object(kFinishedJob), &error));
        QVERIFY(finished);
        QCOMPARE(finished->at(0).phase, QStringLiteral("done"));
        ActionJob bare;
        QVERIFY(!rebalanceJobMoves(bare));
    }

    void durationsInWords() {
        QCOMPARE(rebalanceDurationText(0.4), QStringLiteral("under a second"));
        QCOMPARE(rebalanceDurationText(42), QStringLiteral("about 42 s"));
        QCOMPARE(rebalanceDurationText(125.4), QStringLiteral("about 2 min 5 s"));
        QCOMPARE(rebalanceDurationText(7260), QStringLiteral("about 2 h 1 min"));
        QCOMPARE(rebalanceDurationText(-1), QStringLiteral("–"));
    }

    void followerFollowsAJobToItsEnd() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        api.pollsUntilDone = 3;
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QSignalSpy planned(&client, &ActionClient::planned);
        QSignalSpy confirmed(&client, &ActionClient::confirmed);
        RebalanceRequest request;
        client.plan(QStringLiteral("shards.rebalance"), QStringLiteral("c"), request.params());
        QVERIFY(planned.wait());
        client.confirm(planned.at(0).at(1).value<ActionPlan>().id);
        QVERIFY(confirmed.wait());
        const ActionJob job = confirmed.at(0).at(1).value<ActionJob>();
        QCOMPARE(job.state, QStringLiteral("running"));

        JobFollower follower(&client);
        follower.setTiming({std::chrono::milliseconds(20), std::chrono::seconds(30)});
        QSignalSpy updated(&follower, &JobFollower::jobUpdated);
        QSignalSpy finished(&follower, &JobFollower::jobFinished);
        follower.follow(job.id);
        QVERIFY(follower.isFollowing());
        QVERIFY(finished.wait(5000));
        QCOMPARE(updated.count(), 4); // three "running" with moves advancing, then the end
        QVERIFY(rebalanceJobMoves(updated.at(0).at(0).value<ActionJob>())->at(0).progress > 0);
        QCOMPARE(finished.at(0).at(0).value<ActionJob>().state, QStringLiteral("succeeded"));
        QVERIFY(!follower.isFollowing());
        QCOMPARE(server.exchanges(QStringLiteral("/v1/jobs/") + job.id).size(), 4);
    }

    void followerStopsOnAnUnknownJob() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        JobFollower follower(&client);
        follower.setTiming({std::chrono::milliseconds(10), std::chrono::seconds(30)});
        QSignalSpy failed(&follower, &JobFollower::readFailed);
        follower.follow(QStringLiteral("j-nope"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.at(0).at(0).value<ActionError>().httpStatus, 404);
        QCOMPARE(failed.at(0).at(1).toBool(), false);
        QVERIFY(!follower.isFollowing());
    }

    void followerGivesUp() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        JobFollower follower(&client);
        follower.setTiming({std::chrono::milliseconds(10), std::chrono::milliseconds(0)});
        QSignalSpy gaveUp(&follower, &JobFollower::gaveUp);
        follower.follow(QStringLiteral("j-1"));
        QCOMPARE(gaveUp.count(), 1);
        QVERIFY(!follower.isFollowing());
        QVERIFY(server.exchanges().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestShardsRebalance)
#include "tst_shards_rebalance.moc"
