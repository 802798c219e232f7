// The action pipeline against a real demo backend on a real stack: a viewer is refused and the
// breaker is untouched; an operator's override with an expiry reverts on time; the same
// Idempotency-Key twice acts once; every step is in the audit log, and still is after the agent
// restarts.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ProtocolText.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <switchboard/protocol.h>

namespace protocol = switchboard::protocol;
namespace field = protocol::field;

class TestAgentActions : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QTemporaryDir auditDir_;

    QUrl url(std::string_view path) const {
        QUrl url = demo_->url();
        url.setPath(sv(path));
        return url;
    }
    HttpResult post(const QString& path, const QJsonObject& body, const QString& token,
                    const QByteArray& idempotencyKey = {}) {
        QUrl target = demo_->url();
        target.setPath(path);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!idempotencyKey.isEmpty())
            headers.append({QByteArray(protocol::kIdempotencyKeyHeader.data()), idempotencyKey});
        return HttpCall::run("POST", target, HttpCall::bearer(token),
                             QJsonDocument(body).toJson(QJsonDocument::Compact), 10000, headers);
    }
    QJsonObject breaker(const QString& name) {
        auto reply = HttpCall::run("GET", url(protocol::path::kSnapshot),
                                   HttpCall::bearer(stack_->viewerToken()));
        for (const auto& value : reply.json.value(sv(field::kBreakers)).toArray())
            if (value.toObject().value(sv(field::kName)).toString() == name)
                return value.toObject();
        return {};
    }
    QString stateOf(const QString& name) {
        return breaker(name).value(sv(field::kStateName)).toString();
    }
    QJsonArray audit(const QString& query = {}) {
        QUrl target = url(protocol::path::kAudit);
        target.setQuery(query);
        return HttpCall::run("GET", target, HttpCall::bearer(stack_->viewerToken()))
            .json.value(sv(field::kEntries))
            .toArray();
    }
    static QJsonObject overridePlan(const QString& mode, int expirySeconds = 0) {
        QJsonObject params{{sv(field::kMode), mode}};
        if (expirySeconds > 0)
            params.insert(sv(field::kExpirySeconds), expirySeconds);
        return {{sv(field::kKind), sv(protocol::action::kBreakerOverride)},
                {sv(field::kTarget), QStringLiteral("cache.redis")},
                {sv(field::kParams), params}};
    }
    QString confirmPath(const HttpResult& plan) const {
        return sv(protocol::path::kPlans) + "/" + plan.json.value(sv(field::kPlanId)).toString() +
               sv(protocol::path::kConfirmSuffix);
    }

private slots:
    void initTestCase() {
        QVERIFY(auditDir_.isValid());
        // The demo, like any embedding backend, takes the audit log's path from the environment.
        qputenv("SWITCHBOARD_AUDIT_LOG", (auditDir_.path() + "/audit.jsonl").toUtf8());
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-act"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf("cache.redis"), QStringLiteral("closed"), 10000);
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
        qunsetenv("SWITCHBOARD_AUDIT_LOG");
    }

    void viewerIsRefusedAndTheBreakerUnchanged() {
        auto plan =
            post(sv(protocol::path::kPlans), overridePlan("force_open"), stack_->viewerToken());
        QCOMPARE(plan.status, 403);
        QCOMPARE(plan.json.value("error").toObject().value("reason").toString(),
                 QStringLiteral("forbidden"));
        QCOMPARE(stateOf("cache.redis"), QStringLiteral("closed"));
        auto newest = audit(QStringLiteral("limit=1")).first().toObject();
        QCOMPARE(newest.value(sv(field::kEvent)).toString(), QStringLiteral("refused"));
        QCOMPARE(newest.value(sv(field::kOutcome)).toString(), QStringLiteral("forbidden"));
        QCOMPARE(newest.value(sv(field::kToken)).toString(), QStringLiteral("stack-viewer"));
    }

    void overrideWithExpiryRevertsOnTime() {
        auto plan = post(sv(protocol::path::kPlans), overridePlan("force_open", 2),
                         stack_->operatorToken());
        QCOMPARE(plan.status, 201);
        QVERIFY(plan.json.value(sv(field::kExecutable)).toBool());
        QCOMPARE(stateOf("cache.redis"), QStringLiteral("closed")); // a plan changes nothing

        QElapsedTimer clock;
        clock.start();
        auto job = post(confirmPath(plan), {}, stack_->operatorToken(), "expiry-test-key");
        QCOMPARE(job.status, 202);
        QCOMPARE(job.json.value(sv(field::kState)).toString(), QStringLiteral("succeeded"));
        QCOMPARE(stateOf("cache.redis"), QStringLiteral("forced_open"));
        QJsonObject active = breaker("cache.redis").value(sv(field::kOverride)).toObject();
        QCOMPARE(active.value(sv(field::kMode)).toString(), QStringLiteral("force_open"));
        QCOMPARE(active.value("by").toString(), QStringLiteral("stack-operator"));

        QTRY_COMPARE_WITH_TIMEOUT(stateOf("cache.redis"), QStringLiteral("closed"), 5000);
        qint64 revertedAfter = clock.elapsed();
        QVERIFY2(revertedAfter >= 1900 && revertedAfter <= 3500,
                 qPrintable(QStringLiteral("reverted after %1 ms").arg(revertedAfter)));
        QVERIFY(breaker("cache.redis").value(sv(field::kOverride)).isNull());
        QTRY_COMPARE_WITH_TIMEOUT(
            audit(QStringLiteral("limit=1")).first().toObject().value(sv(field::kEvent)).toString(),
            QStringLiteral("expired"), 2000);
    }

    void sameIdempotencyKeyActsOnce() {
        auto plan =
            post(sv(protocol::path::kPlans), overridePlan("disable"), stack_->operatorToken());
        QCOMPARE(plan.status, 201);
        auto first = post(confirmPath(plan), {}, stack_->operatorToken(), "once-key");
        auto second = post(confirmPath(plan), {}, stack_->operatorToken(), "once-key");
        QCOMPARE(first.status, 202);
        QCOMPARE(second.status, 202);
        QCOMPARE(second.json.value(sv(field::kJobId)), first.json.value(sv(field::kJobId)));
        QCOMPARE(second.header("Idempotent-Replay"), QByteArray("true"));
        QCOMPARE(stateOf("cache.redis"), QStringLiteral("disabled"));
        // The job reached the stream: the snapshot folds its events into "jobs".
        auto snapshot = HttpCall::run("GET", url(protocol::path::kSnapshot),
                                      HttpCall::bearer(stack_->viewerToken()));
        bool onStream = false;
        for (const auto& value : snapshot.json.value(sv(field::kJobs)).toArray())
            onStream |=
                value.toObject().value(sv(field::kJobId)) == first.json.value(sv(field::kJobId)) &&
                value.toObject().value(sv(field::kState)).toString() ==
                    sv(protocol::job_state::kSucceeded);
        QVERIFY(onStream);

        int confirms = 0;
        for (const auto& value : audit(QStringLiteral("limit=1000"))) {
            QJsonObject entry = value.toObject();
            if (entry.value(sv(field::kPlanId)) == plan.json.value(sv(field::kPlanId)) &&
                entry.value(sv(field::kEvent)).toString() == QLatin1String("confirm"))
                ++confirms;
        }
        QCOMPARE(confirms, 1);

        auto reset =
            post(sv(protocol::path::kPlans), overridePlan("reset"), stack_->operatorToken());
        QCOMPARE(post(confirmPath(reset), {}, stack_->operatorToken()).status, 202);
        QCOMPARE(stateOf("cache.redis"), QStringLiteral("closed"));
    }

    void badRequestsChangeNothing() {
        auto unknown =
            post(sv(protocol::path::kPlans), overridePlan("explode"), stack_->operatorToken());
        QCOMPARE(unknown.status, 400);
        QVERIFY(unknown.json.value("error").toObject().value("message").toString().contains(
            "params.mode"));
        QCOMPARE(post(sv(protocol::path::kPlans) + QStringLiteral("/p-nope/confirm"), {},
                      stack_->operatorToken())
                     .status,
                 404);
        QCOMPARE(stateOf("cache.redis"), QStringLiteral("closed"));
    }

    void auditSurvivesAnAgentRestart() {
        QJsonArray before = audit(QStringLiteral("limit=1000"));
        QVERIFY(before.size() >= 8);
        QVERIFY(demo_->stop());
        QVERIFY2(demo_->start(demo_->port()), qPrintable(demo_->output()));
        QJsonArray after = audit(QStringLiteral("limit=1000"));
        QCOMPARE(after, before);
        // And the sequence goes on from where it was.
        auto plan =
            post(sv(protocol::path::kPlans), overridePlan("metrics_only"), stack_->operatorToken());
        QCOMPARE(plan.status, 201);
        auto newest = audit(QStringLiteral("limit=1")).first().toObject();
        QCOMPARE(newest.value(sv(field::kSeq)).toInteger(),
                 before.first().toObject().value(sv(field::kSeq)).toInteger() + 1);
        // The restarted agent verified the hash chain it read back and went on with it.
        const QJsonObject chain = HttpCall::run("GET", url(protocol::path::kAudit),
                                                HttpCall::bearer(stack_->viewerToken()))
                                      .json.value(sv(field::kChain))
                                      .toObject();
        QVERIFY2(chain.value(sv(field::kIntact)).toBool(),
                 QJsonDocument(chain).toJson().constData());
        QVERIFY(chain.value(sv(field::kEntries)).toInteger() >=
                newest.value(sv(field::kSeq)).toInteger());
    }
};

QTEST_GUILESS_MAIN(TestAgentActions)
#include "tst_agent_actions.moc"
