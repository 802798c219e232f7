// The action API as HTTP sees it, without a server: operator role on every POST (a viewer is
// refused, audited, and nothing runs), Idempotency-Key replay, routing and paging errors.
#include "ScriptedAction.h"
#include "action_api.h"

#include <QTemporaryDir>
#include <QTest>

using nlohmann::json;
using namespace switchboard;

class TestActionApi : public QObject {
    Q_OBJECT

    struct Fixture {
        QTemporaryDir dir;
        AuditLog audit{(dir.path() + "/audit.jsonl").toStdString(), [] {
                           return 1000;
                       }};
        ScriptedAction* action = nullptr;
        ActionPipeline pipeline{audit, [](const json&) {}, [] { return 1000; },
                                ActionPipeline::Options{}, nullptr};
        ActionApi api{&pipeline, &audit};
        Fixture() {
            auto scripted =
                std::make_unique<ScriptedAction>("test.instance", Action::Scope::Instance);
            action = scripted.get();
            pipeline.add(std::move(scripted));
        }
        ActionApi::Reply call(std::string method, std::string path, json body = nullptr,
                              protocol::Role role = protocol::Role::Operator, std::string key = {},
                              std::string query = {}) {
            ActionApi::Request request{
                std::move(method),
                std::move(path),
                std::move(query),
                body.is_null() ? std::string() : body.dump(),
                Caller{role == protocol::Role::Operator ? "ops" : "watcher", role},
                std::move(key)};
            return api.handle(request);
        }
        static json planBody() { return {{"kind", "test.instance"}, {"target", "t1"}}; }
        std::string lastAudit() {
            auto entry = audit.newest(std::nullopt, 1).entries.front();
            return entry["event"].get<std::string>() + ":" + entry["outcome"].get<std::string>() +
                   ":" + entry["token"].get<std::string>();
        }
    };

    static std::string reasonOf(const ActionApi::Reply& reply) {
        return reply.body["error"]["reason"].get<std::string>();
    }

private slots:
    void viewerIsForbiddenAuditedAndNothingRuns() {
        Fixture f;
        auto plan = f.call("POST", "/v1/plans", Fixture::planBody());
        QCOMPARE(plan.status, 201);
        auto refused =
            f.call("POST", "/v1/plans/" + plan.body["plan_id"].get<std::string>() + "/confirm",
                   json::object(), protocol::Role::Viewer);
        QCOMPARE(refused.status, 403);
        QCOMPARE(reasonOf(refused), std::string("forbidden"));
        QVERIFY(QString::fromStdString(refused.body["error"]["message"]).contains("operator"));
        QCOMPARE(f.lastAudit(), std::string("refused:forbidden:watcher"));
        QCOMPARE(f.action->runs(), 0);
        // The plan is still there for an operator.
        QCOMPARE(f.call("POST", "/v1/plans/" + plan.body["plan_id"].get<std::string>() + "/confirm")
                     .status,
                 202);
        QCOMPARE(f.action->runs(), 1);
    }

    void viewerMayRead() {
        Fixture f;
        f.call("POST", "/v1/plans", Fixture::planBody());
        QCOMPARE(f.call("GET", "/v1/jobs", nullptr, protocol::Role::Viewer).status, 200);
        auto audit = f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer);
        QCOMPARE(audit.status, 200);
        QCOMPARE(audit.body["entries"].size(), std::size_t(1));
        // The chain's state rides along, for the console's status line.
        QVERIFY(audit.body["chain"]["intact"] == json(true));
        QVERIFY(audit.body["chain"]["entries"] == json(1));
        QCOMPARE(audit.body["chain"]["last_hash"].get<std::string>().size(), std::size_t(64));
        QVERIFY(!audit.body["chain"].contains("first_break"));
        QVERIFY(audit.body["entries"][0].contains("hash"));
        QVERIFY(audit.body["entries"][0].contains("prev_hash"));
    }

    void sameIdempotencyKeyActsOnce() {
        Fixture f;
        auto plan = f.call("POST", "/v1/plans", Fixture::planBody());
        auto path = "/v1/plans/" + plan.body["plan_id"].get<std::string>() + "/confirm";
        auto first = f.call("POST", path, json::object(), protocol::Role::Operator, "key-1");
        auto second = f.call("POST", path, json::object(), protocol::Role::Operator, "key-1");
        QCOMPARE(first.status, 202);
        QCOMPARE(second.status, 202);
        QVERIFY(!first.replayed);
        QVERIFY(second.replayed);
        QVERIFY(second.body["job_id"] == first.body["job_id"]);
        QCOMPARE(f.action->runs(), 1);
        QCOMPARE(f.pipeline.jobs()["jobs"].size(), std::size_t(1));
        // Without the key, the repeat is refused as a second confirm instead.
        QCOMPARE(f.call("POST", path, json::object()).status, 409);
    }

    void sameKeyDifferentBodyIsRefused() {
        Fixture f;
        QCOMPARE(
            f.call("POST", "/v1/plans", Fixture::planBody(), protocol::Role::Operator, "k").status,
            201);
        auto other = Fixture::planBody();
        other["target"] = "t2";
        auto reused = f.call("POST", "/v1/plans", other, protocol::Role::Operator, "k");
        QCOMPARE(reused.status, 422);
        QCOMPARE(reasonOf(reused), std::string("idempotency_key_reused"));
    }

    void badRequestsAreClearErrors() {
        Fixture f;
        ActionApi::Request raw{
            "POST", "/v1/plans", "", "{not json", Caller{"ops", protocol::Role::Operator}, ""};
        auto notJson = f.api.handle(raw);
        QCOMPARE(notJson.status, 400);
        QCOMPARE(f.lastAudit(), std::string("refused:bad_request:ops"));
        QCOMPARE(f.call("DELETE", "/v1/jobs").status, 405);
        QCOMPARE(f.call("GET", "/v1/plans").status, 405);
        QCOMPARE(f.call("GET", "/v1/jobs/j-nope").status, 404);
        QCOMPARE(f.call("GET", "/v1/plans/a/b").status, 404);
        QCOMPARE(
            f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer, {}, "limit=abc").status,
            400);
        QCOMPARE(f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer, {}, "limit=0").status,
                 400);
        QCOMPARE(f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer, {}, "before=3&after=1")
                     .status,
                 400);
    }

    // Found by fuzz_action_request: a percent-decoded path with bytes that are not UTF-8 made the
    // audit log throw while recording the refusal, so the caller got a 500 instead of the 404.
    void aPathThatIsNotUtf8IsRefusedAndAudited() {
        Fixture f;
        const std::string path = "/v1/plans/p-\xff\xfe/confirm";
        const auto refused = f.call("POST", path, json::object());
        QCOMPARE(refused.status, 404);
        QCOMPARE(reasonOf(refused), std::string("not_found"));
        QCOMPARE(f.lastAudit(), std::string("refused:not_found:ops"));
        QCOMPARE(f.call("GET", "/v1/jobs/j-\xc3").status, 404);
        QCOMPARE(f.call("PUT", "/v1/plans/\x80").status, 405);
        QVERIFY(f.audit.chain().intact());
    }

    void confirmingTooOftenIsLimitedAuditedWhilePlansAndCancelsGoThrough() {
        Fixture f; // the default limit: a burst of 10 confirms
        std::vector<std::string> plans;
        for (int i = 0; i < 12; ++i) { // plans are dry runs: never limited
            auto plan = f.call("POST", "/v1/plans", Fixture::planBody());
            QCOMPARE(plan.status, 201);
            plans.push_back(plan.body["plan_id"].get<std::string>());
        }
        auto confirm = [&](int i, std::string key = {}) {
            return f.call("POST", "/v1/plans/" + plans[i] + "/confirm", json::object(),
                          protocol::Role::Operator, std::move(key));
        };
        const int first = confirm(0, "confirm-once").status;
        QVERIFY(first != 429);
        for (int i = 1; i < 10; ++i)
            QVERIFY(confirm(i).status != 429);
        // A replayed key is the same request again: answered as before, not counted.
        QCOMPARE(confirm(0, "confirm-once").status, first);
        auto limited = confirm(10);
        QCOMPARE(limited.status, 429);
        QCOMPARE(reasonOf(limited), std::string("rate_limited"));
        QVERIFY(limited.body["error"]["retry_after_ms"].get<std::int64_t>() > 0);
        QVERIFY2(QString::fromStdString(limited.body["error"]["message"]).contains("token ops"),
                 limited.body.dump().c_str());
        QCOMPARE(f.lastAudit(), std::string("refused:rate_limited:ops"));
        // Planning, reading and cancelling are never limited.
        QCOMPARE(f.call("POST", "/v1/plans", Fixture::planBody()).status, 201);
        QCOMPARE(f.call("GET", "/v1/jobs").status, 200);
        QCOMPARE(reasonOf(f.call("POST", "/v1/jobs/no-such-job/cancel", json::object())),
                 std::string("not_found"));
    }

    void auditPagesThroughTheQuery() {
        Fixture f;
        for (int i = 0; i < 5; ++i)
            f.call("POST", "/v1/plans", Fixture::planBody());
        auto page = f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer, {}, "limit=2");
        QCOMPARE(page.body["entries"].size(), std::size_t(2));
        QCOMPARE(page.body["entries"][0]["seq"].get<int>(), 5);
        QCOMPARE(page.body["next_before"].get<int>(), 4);
        auto older =
            f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer, {}, "limit=2&before=4");
        QCOMPARE(older.body["entries"][0]["seq"].get<int>(), 3);
        auto after = f.call("GET", "/v1/audit", nullptr, protocol::Role::Viewer, {}, "after=3");
        QCOMPARE(after.body["entries"].size(), std::size_t(2));
        QCOMPARE(after.body["entries"][0]["seq"].get<int>(), 4);
    }

    void withoutAnAuditLogActionsAreDisabled() {
        ActionApi disabled(nullptr, nullptr);
        ActionApi::Request request{
            "POST", "/v1/plans", "", "{}", Caller{"ops", protocol::Role::Operator}, ""};
        auto reply = disabled.handle(request);
        QCOMPARE(reply.status, 503);
        QVERIFY(QString::fromStdString(reply.body["error"]["message"]).contains("audit_log"));
    }

    void servesOnlyItsPaths() {
        QVERIFY(ActionApi::serves("/v1/plans"));
        QVERIFY(ActionApi::serves("/v1/jobs/j-1/cancel"));
        QVERIFY(ActionApi::serves("/v1/audit"));
        QVERIFY(!ActionApi::serves("/v1/plansx"));
        QVERIFY(!ActionApi::serves("/v1/snapshot"));
    }
};

QTEST_GUILESS_MAIN(TestActionApi)
#include "tst_action_api.moc"
