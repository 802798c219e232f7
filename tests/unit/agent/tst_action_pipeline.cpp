// The action pipeline's rules with a scripted action: plan changes nothing and is audited;
// confirm re-checks, runs once, and is refused when expired, repeated or busy; progress and the
// result reach the stream after the audit; cancel stops at a safe point.
#include "ScriptedAction.h"
#include "action_pipeline.h"

#include <QTemporaryDir>
#include <QTest>
#include <atomic>

using nlohmann::json;
using namespace switchboard;

namespace {

const Caller kAlice{"alice", protocol::Role::Operator};
const Caller kBob{"bob", protocol::Role::Operator};

} // namespace

class TestActionPipeline : public QObject {
    Q_OBJECT

    struct Fixture {
        QTemporaryDir dir;
        std::atomic<std::int64_t> now{1000000};
        std::mutex publishedMutex;
        std::vector<json> published;
        AuditLog audit{(dir.path() + "/audit.jsonl").toStdString(), [this] {
                           return now.load();
                       }};
        ScriptedAction* instanceAction = nullptr;
        ScriptedAction* clusterAction = nullptr;
        std::unique_ptr<ActionPipeline> pipeline;

        explicit Fixture(std::int64_t confirmWaitMs = 1000) {
            ActionPipeline::Options options;
            options.planTtlMs = 60000;
            options.confirmWaitMs = confirmWaitMs;
            pipeline = std::make_unique<ActionPipeline>(
                audit,
                [this](const json& job) {
                    std::lock_guard lock(publishedMutex);
                    published.push_back(job);
                },
                [this] { return now.load(); }, options, nullptr);
            auto instance =
                std::make_unique<ScriptedAction>("test.instance", Action::Scope::Instance);
            auto cluster = std::make_unique<ScriptedAction>("test.cluster", Action::Scope::Cluster);
            instanceAction = instance.get();
            clusterAction = cluster.get();
            pipeline->add(std::move(instance));
            pipeline->add(std::move(cluster));
        }
        json planOf(const std::string& kind, const Caller& caller = kAlice) {
            return pipeline->plan(caller,
                                  {{"kind", kind}, {"target", "t1"}, {"params", json::object()}});
        }
        std::vector<std::string> auditEvents() {
            std::vector<std::string> events;
            for (const auto& entry : audit.after(0, 1000).entries)
                events.push_back(entry["event"].get<std::string>() + ":" +
                                 entry["outcome"].get<std::string>());
            return events;
        }
        json waitFinished(const std::string& jobId) {
            json job;
            for (int i = 0; i < 500; ++i) {
                job = pipeline->jobDocument(jobId);
                if (!job["finished_ms"].is_null())
                    break;
                QTest::qWait(10);
            }
            return job;
        }
    };

    static int statusOf(const std::function<void()>& call, std::string* reason = nullptr) {
        try {
            call();
        } catch (const ActionError& error) {
            if (reason)
                *reason = error.reason();
            return error.status();
        }
        return 0;
    }

private slots:
    void planIsADryRunAndIsAudited() {
        Fixture f;
        auto plan = f.planOf("test.instance");
        QVERIFY(plan["plan_id"].get<std::string>().starts_with("p-"));
        QCOMPARE(plan["executable"].get<bool>(), true);
        QCOMPARE(plan["created_by"].get<std::string>(), std::string("alice"));
        QCOMPARE(plan["expires_ms"].get<std::int64_t>(), f.now.load() + 60000);
        QCOMPARE(plan["checks"][0]["verdict"].get<std::string>(), std::string("pass"));
        QCOMPARE(f.instanceAction->runs(), 0);
        QVERIFY(f.published.empty());
        QCOMPARE(f.auditEvents(), (std::vector<std::string>{"plan:planned"}));
        auto entry = f.audit.newest(std::nullopt, 1).entries.front();
        QCOMPARE(entry["token"].get<std::string>(), std::string("alice"));
        QCOMPARE(entry["role"].get<std::string>(), std::string("operator"));
        QCOMPARE(entry["target"].get<std::string>(), std::string("t1"));
        QVERIFY(entry["plan_id"] == plan["plan_id"]);
    }

    void badRequestsAreRefusedAndAudited() {
        Fixture f;
        std::string reason;
        QCOMPARE(statusOf(
                     [&] {
                         f.pipeline->plan(kAlice, {{"kind", "nope"}, {"target", "x"}});
                     },
                     &reason),
                 400);
        QCOMPARE(statusOf([&] { f.pipeline->plan(kAlice, {{"target", "x"}}); }), 400);
        QCOMPARE(statusOf([&] {
                     f.pipeline->plan(
                         kAlice,
                         {{"kind", "test.instance"}, {"target", "x"}, {"params", {{"bad", 1}}}});
                 }),
                 400);
        QCOMPARE(f.auditEvents(),
                 (std::vector<std::string>{"refused:bad_request", "refused:bad_request",
                                           "refused:bad_request"}));
        QCOMPARE(f.instanceAction->runs(), 0);
    }

    void confirmRunsTheJobAndAuditsBeforeReportingDone() {
        Fixture f;
        auto plan = f.planOf("test.instance");
        auto job = f.pipeline->confirm(kBob, plan["plan_id"]);
        QCOMPARE(job["state"].get<std::string>(), std::string("succeeded")); // waited for it
        QCOMPARE(job["progress"].get<double>(), 1.0);
        QCOMPARE(job["result"]["ran"].get<int>(), 1);
        QCOMPARE(job["created_by"].get<std::string>(), std::string("bob"));
        QCOMPARE(f.auditEvents(), (std::vector<std::string>{"plan:planned", "confirm:accepted",
                                                            "result:succeeded"}));
        std::lock_guard lock(f.publishedMutex);
        QVERIFY(f.published.size() >= 3); // started, half way, finished
        QCOMPARE(f.published.front()["state"].get<std::string>(), std::string("running"));
        QCOMPARE(f.published[1]["message"].get<std::string>(), std::string("half way"));
        QCOMPARE(f.published.back()["state"].get<std::string>(), std::string("succeeded"));
        QCOMPARE(f.pipeline->jobs()["jobs"].size(), std::size_t(1));
    }

    void aPlanRunsOnce() {
        Fixture f;
        auto plan = f.planOf("test.instance");
        f.pipeline->confirm(kAlice, plan["plan_id"]);
        std::string reason;
        QCOMPARE(statusOf([&] { f.pipeline->confirm(kAlice, plan["plan_id"]); }, &reason), 409);
        QCOMPARE(reason, std::string("already_confirmed"));
        QCOMPARE(f.instanceAction->runs(), 1);
        QCOMPARE(f.auditEvents().back(), std::string("refused:already_confirmed"));
    }

    void anExpiredPlanIsRefused() {
        Fixture f;
        auto plan = f.planOf("test.instance");
        f.now += 60001;
        std::string reason;
        QCOMPARE(statusOf([&] { f.pipeline->confirm(kAlice, plan["plan_id"]); }, &reason), 410);
        QCOMPARE(reason, std::string("plan_expired"));
        QCOMPARE(f.instanceAction->runs(), 0);
        QCOMPARE(statusOf([&] { f.pipeline->confirm(kAlice, "p-unknown"); }, &reason), 404);
    }

    void preflightIsCheckedAgainAtConfirm() {
        Fixture f;
        auto plan = f.planOf("test.instance");
        f.instanceAction->setVerdict("fail");
        try {
            f.pipeline->confirm(kAlice, plan["plan_id"]);
            QFAIL("confirm should refuse a plan whose check now fails");
        } catch (const ActionError& error) {
            QCOMPARE(error.status(), 422);
            QCOMPARE(error.details["checks"][0]["verdict"].get<std::string>(), std::string("fail"));
        }
        QCOMPARE(f.instanceAction->runs(), 0);
        QCOMPARE(f.auditEvents().back(), std::string("refused:preflight_failed"));
    }

    void aFailedCheckMakesThePlanNotExecutable() {
        Fixture f;
        f.instanceAction->setVerdict("fail");
        auto plan = f.planOf("test.instance");
        QCOMPARE(plan["executable"].get<bool>(), false);
        QCOMPARE(f.auditEvents(), (std::vector<std::string>{"plan:not_executable"}));
    }

    void oneClusterWideJobOfAKindAtATime() {
        Fixture f(0); // answer at once, the job still running
        f.clusterAction->setGate(false);
        auto first = f.pipeline->confirm(kAlice, f.planOf("test.cluster")["plan_id"]);
        QVERIFY(f.clusterAction->waitUntilStarted(1));
        auto second = f.planOf("test.cluster", kBob);
        std::string reason;
        QCOMPARE(statusOf([&] { f.pipeline->confirm(kBob, second["plan_id"]); }, &reason), 409);
        QCOMPARE(reason, std::string("busy"));
        // Instance-scoped kinds are not held up by it.
        auto other = f.pipeline->confirm(kBob, f.planOf("test.instance")["plan_id"]);
        QCOMPARE(f.waitFinished(other["job_id"])["state"].get<std::string>(),
                 std::string("succeeded"));

        f.clusterAction->setGate(true);
        QCOMPARE(f.waitFinished(first["job_id"])["state"].get<std::string>(),
                 std::string("succeeded"));
        // The lock is free again; the refused plan was not used up by the refusal.
        auto retried = f.pipeline->confirm(kBob, second["plan_id"]);
        QCOMPARE(f.waitFinished(retried["job_id"])["state"].get<std::string>(),
                 std::string("succeeded"));
    }

    void cancelStopsAtASafePoint() {
        Fixture f(0);
        f.instanceAction->setGate(false);
        auto job = f.pipeline->confirm(kAlice, f.planOf("test.instance")["plan_id"]);
        QVERIFY(f.instanceAction->waitUntilStarted(1));
        auto cancelling = f.pipeline->cancel(kBob, job["job_id"]);
        QVERIFY(cancelling["state"] == "cancelling" || cancelling["state"] == "cancelled");
        auto finished = f.waitFinished(job["job_id"]);
        QCOMPARE(finished["state"].get<std::string>(), std::string("cancelled"));
        std::string reason;
        QCOMPARE(statusOf([&] { f.pipeline->cancel(kBob, job["job_id"]); }, &reason), 409);
        QCOMPARE(reason, std::string("job_finished"));
        QCOMPARE(f.auditEvents(),
                 (std::vector<std::string>{"plan:planned", "confirm:accepted", "cancel:accepted",
                                           "result:cancelled", "refused:job_finished"}));
    }

    void aFailingJobReportsItsError() {
        Fixture f;
        f.instanceAction->setFail(true);
        auto job = f.pipeline->confirm(kAlice, f.planOf("test.instance")["plan_id"]);
        QCOMPARE(job["state"].get<std::string>(), std::string("failed"));
        QCOMPARE(job["error"].get<std::string>(), std::string("scripted failure"));
        QCOMPARE(f.auditEvents().back(), std::string("result:failed"));
    }

    void stopCancelsRunningJobs() {
        Fixture f(0);
        f.instanceAction->setGate(false);
        auto job = f.pipeline->confirm(kAlice, f.planOf("test.instance")["plan_id"]);
        QVERIFY(f.instanceAction->waitUntilStarted(1));
        f.pipeline->stop(); // returns only once the job has stopped
        QCOMPARE(f.pipeline->jobDocument(job["job_id"])["state"].get<std::string>(),
                 std::string("cancelled"));
        std::string reason;
        QCOMPARE(statusOf([&] { f.planOf("test.instance"); }, &reason), 503);
    }
};

QTEST_GUILESS_MAIN(TestActionPipeline)
#include "tst_action_pipeline.moc"
