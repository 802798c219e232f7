// The action pipeline's documents read into value types: the protocol's own examples, optional
// fields left out, and every required field missing or of the wrong type named in the error.
#include "ActionDocuments.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using switchboard::ActionDocuments;
using switchboard::PreflightCheck;

namespace {

QJsonObject object(const char* json) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

// docs/protocol.md, "POST /v1/plans"
const char* const kPlan = R"({"plan_id": "p-3f9c", "kind": "breaker.override", "target": "redis",
 "params": {"mode": "force_open", "expiry_s": 60}, "scope": "instance",
 "summary": "force breaker redis open for 60 s",
 "changes": [{"what": "breaker redis", "from": "closed", "to": "forced_open"}],
 "checks": [{"name": "breaker_exists", "verdict": "pass", "detail": "redis is registered"},
            {"name": "traffic", "verdict": "warn", "detail": "40 calls/s"},
            {"name": "future", "verdict": "maybe"}],
 "executable": true, "created_ms": 1795000000000, "expires_ms": 1795000120000,
 "created_by": "alice"})";

// docs/protocol.md, "POST /v1/plans/<id>/confirm"
const char* const kJob = R"({"job_id": "j-81d2", "plan_id": "p-3f9c", "kind": "breaker.override",
 "target": "redis", "params": {}, "scope": "instance", "state": "succeeded", "progress": 1.0,
 "message": "redis forced open until 12:03:10", "created_by": "alice",
 "started_ms": 1795000003000, "finished_ms": 1795000003001, "result": {}})";

} // namespace

class TestActionDocuments : public QObject {
    Q_OBJECT

private slots:
    void readsTheProtocolsPlan() {
        QString error;
        const auto plan = ActionDocuments::parsePlan(object(kPlan), &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->id, QStringLiteral("p-3f9c"));
        QCOMPARE(plan->kind, QStringLiteral("breaker.override"));
        QCOMPARE(plan->target, QStringLiteral("redis"));
        QCOMPARE(plan->params.value(QStringLiteral("expiry_s")).toInt(), 60);
        QCOMPARE(plan->scope, QStringLiteral("instance"));
        QCOMPARE(plan->summary, QStringLiteral("force breaker redis open for 60 s"));
        QCOMPARE(plan->changes.size(), 1);
        QCOMPARE(plan->changes.at(0).what, QStringLiteral("breaker redis"));
        QCOMPARE(plan->changes.at(0).from, QStringLiteral("closed"));
        QCOMPARE(plan->changes.at(0).to, QStringLiteral("forced_open"));
        QCOMPARE(plan->checks.size(), 3);
        QCOMPARE(plan->checks.at(0).verdict, PreflightCheck::Verdict::Pass);
        QCOMPARE(plan->checks.at(0).detail, QStringLiteral("redis is registered"));
        QCOMPARE(plan->checks.at(1).verdict, PreflightCheck::Verdict::Warn);
        // A verdict this console does not know is kept, not refused.
        QCOMPARE(plan->checks.at(2).verdict, PreflightCheck::Verdict::Unknown);
        QCOMPARE(plan->checks.at(2).verdictName, QStringLiteral("maybe"));
        QVERIFY(plan->executable);
        QCOMPARE(plan->createdMs, 1795000000000);
        QCOMPARE(plan->expiresMs, 1795000120000);
        QCOMPARE(plan->lifetimeMs(), 120000);
        QCOMPARE(plan->createdBy, QStringLiteral("alice"));
    }

    void planWithoutOptionalFields() {
        QString error;
        const auto plan = ActionDocuments::parsePlan(
            object(R"({"plan_id": "p", "kind": "k", "target": "t", "executable": false,
                       "created_ms": 1, "expires_ms": 2, "scope": null})"),
            &error);
        QVERIFY2(plan, qPrintable(error));
        QVERIFY(plan->changes.isEmpty());
        QVERIFY(plan->checks.isEmpty());
        QVERIFY(plan->summary.isEmpty());
        QVERIFY(plan->params.isEmpty());
        QVERIFY(!plan->executable);
    }

    void planErrorsNameTheField_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray base = R"("kind": "k", "target": "t", "created_ms": 1, "expires_ms": 2)";
        QTest::newRow("no plan_id") << R"({"executable": true, )" + base + "}"
                                    << R"(missing field "plan_id")";
        QTest::newRow("empty plan_id") << R"({"plan_id": "", "executable": true, )" + base + "}"
                                       << R"(field "plan_id" is empty)";
        QTest::newRow("no executable") << R"({"plan_id": "p", )" + base + "}"
                                       << R"(missing field "executable")";
        QTest::newRow("executable a string")
            << R"({"plan_id": "p", "executable": "yes", )" + base + "}"
            << R"(field "executable" is not true or false)";
        QTest::newRow("expires_ms a string")
            << QByteArray(R"({"plan_id": "p", "executable": true, "kind": "k", "target": "t",
                              "created_ms": 1, "expires_ms": "soon"})")
            << R"(field "expires_ms" is not an integer)";
        QTest::newRow("no expires_ms")
            << QByteArray(R"({"plan_id": "p", "executable": true, "kind": "k", "target": "t",
                              "created_ms": 1})")
            << R"(missing field "expires_ms")";
        QTest::newRow("check without verdict")
            << R"({"plan_id": "p", "executable": true, "checks": [{"name": "a", "verdict": "pass"},
                   {"name": "b"}], )" +
                   base + "}"
            << R"(checks[1]: missing field "verdict")";
        QTest::newRow("checks not an array")
            << R"({"plan_id": "p", "executable": true, "checks": {}, )" + base + "}"
            << R"(field "checks" is not an array)";
        QTest::newRow("change not an object")
            << R"({"plan_id": "p", "executable": true, "changes": ["x"], )" + base + "}"
            << R"(changes[0]: not an object)";
        QTest::newRow("change without what")
            << R"({"plan_id": "p", "executable": true, "changes": [{"from": "a"}], )" + base + "}"
            << R"(changes[0]: missing field "what")";
        QTest::newRow("params not an object")
            << R"({"plan_id": "p", "executable": true, "params": [1], )" + base + "}"
            << R"(field "params" is not an object)";
    }

    void planErrorsNameTheField() {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QString error;
        const QJsonObject document = QJsonDocument::fromJson(json).object();
        QVERIFY(!document.isEmpty());
        QVERIFY(!ActionDocuments::parsePlan(document, &error));
        QCOMPARE(error, expected);
    }

    void changeValuesMayBeNumbers() {
        QString error;
        const auto plan = ActionDocuments::parsePlan(
            object(R"({"plan_id": "p", "kind": "k", "target": "t", "executable": true,
                       "created_ms": 1, "expires_ms": 2,
                       "changes": [{"what": "buckets on node-2", "from": 12, "to": 16.5}]})"),
            &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->changes.at(0).from, QStringLiteral("12"));
        QCOMPARE(plan->changes.at(0).to, QStringLiteral("16.5"));
    }

    void readsTheProtocolsJob() {
        QString error;
        const auto job = ActionDocuments::parseJob(object(kJob), &error);
        QVERIFY2(job, qPrintable(error));
        QCOMPARE(job->id, QStringLiteral("j-81d2"));
        QCOMPARE(job->planId, QStringLiteral("p-3f9c"));
        QCOMPARE(job->state, QStringLiteral("succeeded"));
        QVERIFY(job->isFinal());
        QVERIFY(job->succeeded());
        QCOMPARE(job->progress, 1.0);
        QCOMPARE(job->message, QStringLiteral("redis forced open until 12:03:10"));
        QCOMPARE(job->startedMs, 1795000003000);
        QCOMPARE(job->finishedMs, 1795000003001);
        QVERIFY(job->error.isEmpty());
    }

    void jobStatesAndErrors() {
        QString error;
        auto job =
            ActionDocuments::parseJob(object(R"({"job_id": "j", "state": "running"})"), &error);
        QVERIFY2(job, qPrintable(error));
        QVERIFY(!job->isFinal());
        QCOMPARE(job->progress, 0.0);

        job = ActionDocuments::parseJob(
            object(R"({"job_id": "j", "state": "failed", "error": "redis is gone"})"), &error);
        QVERIFY(job && job->isFinal() && !job->succeeded());
        QCOMPARE(job->error, QStringLiteral("redis is gone"));
        // An error given as a document is read for its message.
        job = ActionDocuments::parseJob(
            object(R"({"job_id": "j", "state": "failed", "error": {"message": "boom"}})"), &error);
        QVERIFY(job);
        QCOMPARE(job->error, QStringLiteral("boom"));
        QVERIFY(
            ActionDocuments::parseJob(object(R"({"job_id": "j", "state": "cancelled"})"), &error)
                ->isFinal());

        QVERIFY(!ActionDocuments::parseJob(object(R"({"state": "running"})"), &error));
        QCOMPARE(error, QStringLiteral(R"(missing field "job_id")"));
        QVERIFY(!ActionDocuments::parseJob(object(R"({"job_id": "j"})"), &error));
        QCOMPARE(error, QStringLiteral(R"(missing field "state")"));
        QVERIFY(!ActionDocuments::parseJob(
            object(R"({"job_id": "j", "state": "running", "progress": "half"})"), &error));
        QCOMPARE(error, QStringLiteral(R"(field "progress" is not a number)"));
        QVERIFY(!ActionDocuments::parseJob(object(R"({"job_id": "j", "state": "x", "error": 3})"),
                                           &error));
        QCOMPARE(error, QStringLiteral(R"(field "error" is not a string)"));
    }

    void jobList() {
        QString error;
        const auto jobs =
            ActionDocuments::parseJobList(object(R"({"jobs": [{"job_id": "a", "state": "running"},
                                {"job_id": "b", "state": "failed"}]})"),
                                          &error);
        QVERIFY2(jobs, qPrintable(error));
        QCOMPARE(jobs->size(), 2);
        QCOMPARE(jobs->at(1).id, QStringLiteral("b"));
        QVERIFY(!ActionDocuments::parseJobList(object(R"({"jobs": [{"job_id": "a"}]})"), &error));
        QCOMPARE(error, QStringLiteral(R"(jobs[0]: missing field "state")"));
        QVERIFY(!ActionDocuments::parseJobList(object("{}"), &error));
        QCOMPARE(error, QStringLiteral(R"(missing field "jobs")"));
    }

    void readsTheProtocolsAuditPage() {
        QString error;
        const auto page = ActionDocuments::parseAuditPage(object(R"({"entries": [
               {"seq": 12, "time_ms": 1795000003001, "event": "result", "token": "alice",
                "role": "operator", "kind": "breaker.override", "target": "redis",
                "params": {"mode": "force_open"}, "plan_id": "p-3f9c", "job_id": "j-81d2",
                "outcome": "succeeded", "detail": "redis forced open until 12:03:10"},
               {"seq": 11, "time_ms": 1795000003000, "event": "expired"}],
               "next_before": 11})"),
                                                          &error);
        QVERIFY2(page, qPrintable(error));
        QCOMPARE(page->entries.size(), 2);
        QCOMPARE(page->nextBefore, std::optional<qint64>(11));
        const auto& entry = page->entries.at(0);
        QCOMPARE(entry.seq, 12);
        QCOMPARE(entry.timeMs, 1795000003001);
        QCOMPARE(entry.event, QStringLiteral("result"));
        QCOMPARE(entry.token, QStringLiteral("alice"));
        QCOMPARE(entry.role, QStringLiteral("operator"));
        QCOMPARE(entry.kind, QStringLiteral("breaker.override"));
        QCOMPARE(entry.target, QStringLiteral("redis"));
        QCOMPARE(entry.params.value(QStringLiteral("mode")).toString(),
                 QStringLiteral("force_open"));
        QCOMPARE(entry.planId, QStringLiteral("p-3f9c"));
        QCOMPARE(entry.jobId, QStringLiteral("j-81d2"));
        QCOMPARE(entry.outcome, QStringLiteral("succeeded"));
        QCOMPARE(entry.detail, QStringLiteral("redis forced open until 12:03:10"));
        // The agent's own entries carry no caller.
        QVERIFY(page->entries.at(1).token.isEmpty());
    }

    void auditPageEdges() {
        QString error;
        auto page = ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "next_before": null})"), &error);
        QVERIFY2(page, qPrintable(error));
        QVERIFY(!page->nextBefore);
        page = ActionDocuments::parseAuditPage(object(R"({"entries": []})"), &error);
        QVERIFY(page && !page->nextBefore);

        QVERIFY(!ActionDocuments::parseAuditPage(object(R"({"next_before": 3})"), &error));
        QCOMPARE(error, QStringLiteral(R"(missing field "entries")"));
        QVERIFY(!ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "next_before": "older"})"), &error));
        QCOMPARE(error, QStringLiteral(R"(field "next_before" is not an integer)"));
        QVERIFY(!ActionDocuments::parseAuditPage(
            object(R"({"entries": [{"seq": 1, "time_ms": 2}]})"), &error));
        QCOMPARE(error, QStringLiteral(R"(entries[0]: missing field "event")"));
        QVERIFY(!ActionDocuments::parseAuditPage(
            object(R"({"entries": [{"seq": 1.5, "time_ms": 2, "event": "plan"}]})"), &error));
        QCOMPARE(error, QStringLiteral(R"(entries[0]: field "seq" is not an integer)"));
    }

    void readsTheAuditChain() {
        QString error;
        auto page = ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "chain": {"intact": true, "entries": 12,
                        "legacy_entries": 2, "last_hash": "9f86d0"}})"),
            &error);
        QVERIFY2(page, qPrintable(error));
        QVERIFY(page->chain);
        QVERIFY(page->chain->intact);
        QCOMPARE(page->chain->entries, 12);
        QCOMPARE(page->chain->legacyEntries, 2);
        QCOMPARE(page->chain->lastHash, QStringLiteral("9f86d0"));
        QVERIFY(!page->chain->brokenSeq);

        page = ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "chain": {"intact": false, "entries": 12,
                        "first_break": {"line": 5, "seq": 4, "after_seq": 3,
                                        "reason": "hash does not match its content"}}})"),
            &error);
        QVERIFY2(page, qPrintable(error));
        QVERIFY(!page->chain->intact);
        QCOMPARE(page->chain->brokenSeq, std::optional<qint64>(4));
        QCOMPARE(page->chain->brokenLine, 5);
        QCOMPARE(page->chain->brokenReason, QStringLiteral("hash does not match its content"));

        // A line that holds no entry has no seq.
        page = ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "chain": {"intact": false, "entries": 3,
                        "first_break": {"line": 2, "seq": null, "reason": "line is not JSON"}}})"),
            &error);
        QVERIFY2(page, qPrintable(error));
        QVERIFY(!page->chain->brokenSeq);

        // An agent from before the chain sends none.
        page = ActionDocuments::parseAuditPage(object(R"({"entries": []})"), &error);
        QVERIFY(page && !page->chain);

        QVERIFY(!ActionDocuments::parseAuditPage(object(R"({"entries": [], "chain": 1})"), &error));
        QCOMPARE(error, QStringLiteral(R"(field "chain" is not an object)"));
        QVERIFY(!ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "chain": {"entries": 1}})"), &error));
        QCOMPARE(error, QStringLiteral(R"(chain: missing field "intact")"));
        QVERIFY(!ActionDocuments::parseAuditPage(
            object(R"({"entries": [], "chain": {"intact": false, "entries": 1}})"), &error));
        QCOMPARE(error, QStringLiteral(R"(chain: first_break: missing field "line")"));
    }

    void bodies() {
        QString error;
        QVERIFY(ActionDocuments::parseBody(R"({"a": 1})", &error));
        QVERIFY(!ActionDocuments::parseBody("[1]", &error));
        QCOMPARE(error, QStringLiteral("not a JSON object"));
        QVERIFY(!ActionDocuments::parseBody("<html>", &error));
        QVERIFY2(error.startsWith(QStringLiteral("not JSON")), qPrintable(error));
    }

    void errorDocuments() {
        auto error = ActionDocuments::parseError(
            403, R"({"error": {"code": 403, "reason": "forbidden", "message": "viewer"}})");
        QCOMPARE(error.httpStatus, 403);
        QCOMPARE(error.reason, QStringLiteral("forbidden"));
        QCOMPARE(error.message, QStringLiteral("viewer"));
        QVERIFY(!error.isNetworkError());

        // Details inside the error object, or beside it.
        error = ActionDocuments::parseError(
            422, R"({"error": {"code": 422, "reason": "preflight_failed", "message": "m",
                     "checks": [{"name": "breaker_exists", "verdict": "fail", "detail": "gone"}]}})");
        QCOMPARE(error.checks.size(), 1);
        QCOMPARE(error.checks.at(0).verdict, PreflightCheck::Verdict::Fail);
        error = ActionDocuments::parseError(
            409, R"({"error": {"code": 409, "reason": "already_confirmed", "message": "m"},
                     "job_id": "j-7"})");
        QCOMPARE(error.jobId, QStringLiteral("j-7"));

        // Not an error document (a proxy's page): the status and the first line.
        error = ActionDocuments::parseError(502, "<html>Bad gateway</html>\nmore");
        QCOMPARE(error.httpStatus, 502);
        QVERIFY(error.reason.isEmpty());
        QCOMPARE(error.message, QStringLiteral("<html>Bad gateway</html>"));
        QVERIFY(error.text().contains(QStringLiteral("HTTP 502")));
    }
};

QTEST_GUILESS_MAIN(TestActionDocuments)
#include "tst_action_documents.moc"
