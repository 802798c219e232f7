// The drill.run action's documents: the params as POST /v1/plans takes them (confirm_region only
// for a live drill, candidate only when chosen), the console's own checks of the inputs, the
// plan's details (candidates, the chosen one, leader, targets, steps), the job's result, and
// each refusal of docs/drills.md worded for a person: through the stand-in agent, as the
// dialog receives them.
#include "ActionClient.h"
#include "ActionRequests.h"
#include "DrillRequest.h"
#include "DrillTestRequests.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"
#include "RegionsTestData.h"

#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

namespace {

// A switchover of us-east in `mode` with `confirm` typed as the region's name.
DrillRequest drill(const QString& mode, const QString& confirm = {}) {
    return drill_test_requests::switchover(mode, {}, confirm);
}

struct Fixture {
    FakeHttpAgent server;
    FakeActionApi api{&server};
    ActionClient client;
    ActionRequests requests{&client};

    Fixture()
        : client((server.listen(), server.url()), FakeActionApi::kOperatorToken) {}

    // The refusal of a plan of `request`, or a default error when it was planned.
    ActionError planRefusal(const DrillRequest& request) {
        QSignalSpy failed(&requests, &ActionRequests::planFailed);
        QSignalSpy planned(&requests, &ActionRequests::planned);
        requests.plan(QStringLiteral("drill.run"), request.region, request.params());
        if (!QTest::qWaitFor([&] { return failed.count() + planned.count() > 0; }, 5000) ||
            failed.isEmpty())
            return {};
        return failed.at(0).at(0).value<ActionError>();
    }

    std::optional<ActionPlan> planOf(const DrillRequest& request) {
        QSignalSpy planned(&requests, &ActionRequests::planned);
        requests.plan(QStringLiteral("drill.run"), request.region, request.params());
        if (!planned.wait(5000))
            return std::nullopt;
        return planned.at(0).at(0).value<ActionPlan>();
    }
};

} // namespace

class TestDrillRequest : public QObject {
    Q_OBJECT

private slots:
    void paramsAndProblems() {
        QCOMPARE(drill(QStringLiteral("simulated")).params(),
                 (QJsonObject{{QStringLiteral("kind"), QStringLiteral("switchover")},
                              {QStringLiteral("mode"), QStringLiteral("simulated")}}));
        DrillRequest live = drill(QStringLiteral("live"), QStringLiteral("us-east"));
        live.candidate = QStringLiteral("pg-us-east-3");
        QCOMPARE(live.params(),
                 (QJsonObject{{QStringLiteral("kind"), QStringLiteral("switchover")},
                              {QStringLiteral("mode"), QStringLiteral("live")},
                              {QStringLiteral("candidate"), QStringLiteral("pg-us-east-3")},
                              {QStringLiteral("confirm_region"), QStringLiteral("us-east")}}));
        QVERIFY(live.problem().isEmpty());
        QVERIFY(live.isConfirmed());

        // A live drill wants the name exactly; the other modes never ask for it.
        QVERIFY(!drill(QStringLiteral("live"), QStringLiteral("US-EAST")).isConfirmed());
        QVERIFY(drill(QStringLiteral("live")).problem().contains(QStringLiteral("type us-east")));
        QVERIFY(drill(QStringLiteral("plan")).isConfirmed());
        QVERIFY(!drill(QStringLiteral("plan"), QStringLiteral("x"))
                     .params()
                     .contains(QStringLiteral("confirm_region")));
        DrillRequest noRegion = drill(QStringLiteral("plan"));
        noRegion.region.clear();
        QCOMPARE(noRegion.problem(), QStringLiteral("Choose a region."));
        DrillRequest badKind = drill(QStringLiteral("plan"));
        badKind.kind = QStringLiteral("meltdown");
        QVERIFY(!badKind.problem().isEmpty());
    }

    void regionDrillsTakeNoCandidate() {
        DrillRequest region = drill(QStringLiteral("live"), QStringLiteral("us-east"));
        region.kind = QStringLiteral("region_failover");
        region.candidate = QStringLiteral("pg-us-east-3"); // left over from another kind
        QVERIFY(region.isRegionDrill());
        QVERIFY(region.problem().isEmpty());
        QCOMPARE(region.params(),
                 (QJsonObject{{QStringLiteral("kind"), QStringLiteral("region_failover")},
                              {QStringLiteral("mode"), QStringLiteral("live")},
                              {QStringLiteral("confirm_region"), QStringLiteral("us-east")}}));
        region.kind = QStringLiteral("region_failback");
        QVERIFY(region.isRegionDrill());
        QVERIFY(!drill(QStringLiteral("live")).isRegionDrill());
    }

    void planDetailsAndResultFromTheAgent() {
        Fixture f;
        f.api.drillNotStreaming = QStringLiteral("pg-us-east-2");
        const std::optional<ActionPlan> plan = f.planOf(drill(QStringLiteral("simulated")));
        QVERIFY(plan);
        QVERIFY(plan->executable);
        const DrillPlanDetails details = drillPlanDetails(*plan);
        QCOMPARE(details.candidates.size(), 2);
        QCOMPARE(details.candidates.at(0).name, QStringLiteral("pg-us-east-2"));
        QCOMPARE(details.candidates.at(0).verdict, QStringLiteral("fail"));
        QVERIFY(!details.candidates.at(0).streaming);
        QCOMPARE(details.candidate, QStringLiteral("pg-us-east-3")); // the one that passes
        QCOMPARE(details.leader, QStringLiteral("pg-us-east-1"));
        QCOMPARE(details.rtoTargetMs, qint64(15000));
        QCOMPARE(details.rpoTargetMs, qint64(1000));
        QCOMPARE(details.steps.size(), 4);
        QCOMPARE(plan->checks.at(1).name, QStringLiteral("pg-us-east-2: streaming"));
        QCOMPARE(plan->checks.at(1).verdict, PreflightCheck::Verdict::Fail);

        ActionJob job;
        QVERIFY(!drillJobResult(job));
        job.document = {{QStringLiteral("result"), regions_test_data::drillResultObject()}};
        QCOMPARE(drillJobResult(job)->rtoMs, qint64(1210));
    }

    void refusalsInWords() {
        Fixture f;
        ActionError error = f.planRefusal(drill(QStringLiteral("live"), QStringLiteral("us-eas")));
        QCOMPARE(error.httpStatus, 400);
        QCOMPARE(error.reason, QStringLiteral("region_not_confirmed"));
        QVERIFY2(drillRefusalText(error).startsWith(
                     QStringLiteral("The region's name was not confirmed")),
                 qPrintable(drillRefusalText(error)));
        QVERIFY(drillRefusalText(error).contains(QStringLiteral("confirm_region = us-east")));

        f.api.drillRunning = true;
        error = f.planRefusal(drill(QStringLiteral("plan")));
        QCOMPARE(error.httpStatus, 409);
        QVERIFY(drillRefusalText(error).startsWith(QStringLiteral("Another drill is running")));
        QVERIFY(drillRefusalText(error).contains(QStringLiteral("d-7")));
        f.api.drillRunning = false;

        DrillRequest unknown = drill(QStringLiteral("plan"));
        unknown.region = QStringLiteral("ap-south");
        error = f.planRefusal(unknown);
        QCOMPARE(error.httpStatus, 404);
        QVERIFY(
            drillRefusalText(error).startsWith(QStringLiteral("The agent knows no such region")));

        DrillRequest badCandidate = drill(QStringLiteral("plan"));
        badCandidate.candidate = QStringLiteral("pg-eu-west-2");
        error = f.planRefusal(badCandidate);
        QCOMPARE(error.reason, QStringLiteral("bad_params"));
        QVERIFY(drillRefusalText(error).contains(QStringLiteral("params.candidate")));

        // preflight_failed at confirm carries the checks as they stand now.
        f.api.drillPreflightFailsOnConfirm = true;
        const std::optional<ActionPlan> plan = f.planOf(drill(QStringLiteral("simulated")));
        QVERIFY(plan);
        QSignalSpy confirmFailed(&f.requests, &ActionRequests::confirmFailed);
        f.requests.confirm(plan->id);
        QVERIFY(confirmFailed.wait(5000));
        error = confirmFailed.at(0).at(0).value<ActionError>();
        QCOMPARE(error.httpStatus, 409);
        QCOMPARE(error.checks.size(), 2);
        QCOMPARE(error.checks.at(1).verdict, PreflightCheck::Verdict::Fail);
        QVERIFY(drillRefusalText(error).startsWith(QStringLiteral("A preflight check fails now")));

        // Anything else as the pipeline words it.
        ActionError other;
        other.httpStatus = 410;
        other.reason = QStringLiteral("plan_expired");
        QCOMPARE(drillRefusalText(other), other.text());
    }
};

QTEST_GUILESS_MAIN(TestDrillRequest)
#include "tst_drill_request.moc"
