// ActionClient against an in-process HTTP responder: what it sends (paths, token, body,
// Idempotency-Key), that a retry of the same confirm after a lost answer reuses its key while a
// new attempt after a refusal does not, that refusals become ActionErrors carrying the agent's
// message, and that a silent agent is reported once the timeout passes.
#include "ActionClient.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using switchboard::ActionClient;
using switchboard::ActionError;
using switchboard::ActionJob;
using switchboard::ActionPlan;
using switchboard::AuditPage;

namespace {

QJsonObject forceOpen() {
    return {{QStringLiteral("mode"), QStringLiteral("force_open")},
            {QStringLiteral("expiry_s"), 60}};
}

// The failure a spy caught for one request.
ActionError failureOf(const QSignalSpy& spy, quint64 requestId) {
    for (const QList<QVariant>& arguments : spy) {
        if (arguments.at(0).toULongLong() == requestId)
            return arguments.at(2).value<ActionError>();
    }
    return {};
}

} // namespace

class TestActionClient : public QObject {
    Q_OBJECT

private slots:
    void planSendsTheRequestAndReadsThePlan() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QSignalSpy planned(&client, &ActionClient::planned);

        const quint64 first =
            client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        // Answers never come from inside the call.
        QCOMPARE(planned.count(), 0);
        QCOMPARE(client.pendingCount(), 1);
        QVERIFY(planned.wait());
        QCOMPARE(planned.at(0).at(0).toULongLong(), first);
        const auto plan = planned.at(0).at(1).value<ActionPlan>();
        QCOMPARE(plan.target, QStringLiteral("redis"));
        QVERIFY(plan.executable);
        QCOMPARE(plan.changes.at(0).to, QStringLiteral("forced_open"));
        QCOMPARE(client.pendingCount(), 0);

        const HttpExchange sent = server.exchanges().at(0);
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path, QStringLiteral("/v1/plans"));
        QCOMPARE(sent.header("authorization"),
                 "Bearer " + FakeActionApi::kOperatorToken.toLatin1());
        QCOMPARE(sent.header("content-type"), QByteArray("application/json"));
        QCOMPARE(sent.json().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("breaker.override"));
        QCOMPARE(sent.json().value(QStringLiteral("target")).toString(), QStringLiteral("redis"));
        QCOMPARE(sent.json().value(QStringLiteral("params")).toObject(), forceOpen());
        QVERIFY(!sent.header("idempotency-key").isEmpty());

        // Every plan is a new request with its own key.
        const quint64 second =
            client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        QVERIFY(second != first);
        QVERIFY(planned.wait());
        QVERIFY(server.exchanges().at(1).header("idempotency-key") !=
                sent.header("idempotency-key"));
    }

    void confirmRetriedAfterALostAnswerReusesItsKey() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QSignalSpy planned(&client, &ActionClient::planned);
        QSignalSpy confirmed(&client, &ActionClient::confirmed);
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        QVERIFY(planned.wait());
        const QString planId = planned.at(0).at(1).value<ActionPlan>().id;
        const QString confirmPath = QStringLiteral("/v1/plans/%1/confirm").arg(planId);

        // The connection drops before any answer: the agent may or may not have acted.
        api.confirmAnswer = HttpAnswer::drop();
        const quint64 lost = client.confirm(planId);
        QVERIFY(failed.wait());
        api.confirmAnswer.reset();
        // Qt itself sends a request again once when a connection drops before the answer:
        // with the same key, so that is safe too.
        const qsizetype lostCount = server.exchanges(confirmPath).size();
        QVERIFY(lostCount >= 1);
        const ActionError error = failureOf(failed, lost);
        QVERIFY(error.isNetworkError());
        QCOMPARE(error.reason, QString(ActionError::kNetwork));
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(failed.at(0).at(1).value<ActionClient::Operation>(),
                 ActionClient::Operation::Confirm);

        // Pressing Confirm again is the same request: same key, so the agent acts at most once.
        client.confirm(planId);
        QVERIFY(confirmed.wait());
        const QList<HttpExchange> confirms = server.exchanges(confirmPath);
        QCOMPARE(confirms.size(), lostCount + 1);
        QVERIFY(!confirms.at(0).header("idempotency-key").isEmpty());
        for (const HttpExchange& confirm : confirms)
            QCOMPARE(confirm.header("idempotency-key"), confirms.at(0).header("idempotency-key"));
        const auto job = confirmed.at(0).at(1).value<ActionJob>();
        QCOMPARE(job.planId, planId);
        QVERIFY(job.succeeded());

        // Once more after the answer: the agent replays the same job instead of acting again.
        client.confirm(planId);
        QVERIFY(confirmed.wait());
        QCOMPARE(server.exchanges(confirmPath).last().header("idempotency-key"),
                 confirms.at(0).header("idempotency-key"));
        QCOMPARE(confirmed.at(1).at(1).value<ActionJob>().id, job.id);

        // Another plan has its own key.
        client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        QVERIFY(planned.wait());
        const QString otherPlan = planned.at(1).at(1).value<ActionPlan>().id;
        client.confirm(otherPlan);
        QVERIFY(confirmed.wait());
        QVERIFY(server.exchanges(QStringLiteral("/v1/plans/%1/confirm").arg(otherPlan))
                    .at(0)
                    .header("idempotency-key") != confirms.at(0).header("idempotency-key"));
    }

    void confirmAfterARefusalIsANewAttempt() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QSignalSpy planned(&client, &ActionClient::planned);
        QSignalSpy confirmed(&client, &ActionClient::confirmed);
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        QVERIFY(planned.wait());
        const QString planId = planned.at(0).at(1).value<ActionPlan>().id;

        // busy: the agent would replay that answer to the same key, so the next press must
        // carry a new one to be looked at afresh.
        api.confirmAnswer = HttpAnswer::error(
            409, QStringLiteral("busy"), QStringLiteral("job j-9 (shard.rebalance) is running"));
        const quint64 busy = client.confirm(planId);
        QVERIFY(failed.wait());
        QCOMPARE(failureOf(failed, busy).httpStatus, 409);
        api.confirmAnswer.reset();
        client.confirm(planId);
        QVERIFY(confirmed.wait());
        const QList<HttpExchange> confirms =
            server.exchanges(QStringLiteral("/v1/plans/%1/confirm").arg(planId));
        QCOMPARE(confirms.size(), 2);
        QVERIFY(confirms.at(1).header("idempotency-key") !=
                confirms.at(0).header("idempotency-key"));
    }

    void refusalsCarryTheAgentsMessage_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("phrase"); // what the console adds for a person
        QTest::newRow("viewer") << 403 << "forbidden"
                                << "this path needs an operator token"
                                << "this token is a viewer token: acting needs an operator token";
        QTest::newRow("expired") << 410 << "plan_expired"
                                 << "plan p-1 expired at 12:00:00"
                                 << "the plan expired; plan again";
        QTest::newRow("busy") << 409 << "busy"
                              << "job j-9 (shard.rebalance) is running"
                              << "job j-9 (shard.rebalance) is running";
        QTest::newRow("confirmed twice") << 409 << "already_confirmed"
                                         << "plan p-1 ran as j-2"
                                         << "already confirmed";
        QTest::newRow("preflight") << 422 << "preflight_failed"
                                   << "breaker_exists fails"
                                   << "a preflight check fails now";
        QTest::newRow("no audit log") << 503 << "actions_disabled"
                                      << "no audit_log configured"
                                      << "actions are disabled on this agent";
        QTest::newRow("unknown") << 418 << "teapot"
                                 << "short and stout"
                                 << "HTTP 418 teapot";
    }

    void refusalsCarryTheAgentsMessage() {
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(QString, message);
        QFETCH(QString, phrase);
        FakeHttpAgent server;
        QVERIFY(server.listen());
        server.setHandler(
            [&](const HttpExchange&) { return HttpAnswer::error(status, reason, message); });
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        const quint64 id = client.confirm(QStringLiteral("p-1"));
        QVERIFY(failed.wait());
        const ActionError error = failureOf(failed, id);
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.reason, reason);
        QCOMPARE(error.message, message);
        QVERIFY2(error.text().contains(phrase), qPrintable(error.text()));
        QVERIFY2(error.text().contains(message), qPrintable(error.text()));
    }

    void viewerTokenIsRefusedByTheAgent() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        ActionClient client(server.url(), FakeActionApi::kViewerToken);
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        QSignalSpy planned(&client, &ActionClient::planned);
        const quint64 id =
            client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        QVERIFY(failed.wait());
        QCOMPARE(planned.count(), 0);
        const ActionError error = failureOf(failed, id);
        QCOMPARE(error.httpStatus, 403);
        QVERIFY(error.text().startsWith(
            QStringLiteral("this token is a viewer token: acting needs an operator token")));
        QCOMPARE(failed.at(0).at(1).value<ActionClient::Operation>(),
                 ActionClient::Operation::Plan);
    }

    void aSilentAgentTimesOut() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        server.setHandler([](const HttpExchange&) { return HttpAnswer::hang(); });
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QCOMPARE(client.timeout(), ActionClient::kDefaultTimeout);
        client.setTimeout(std::chrono::milliseconds(300));
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        QElapsedTimer clock;
        clock.start();
        const quint64 id = client.fetchJob(QStringLiteral("j-1"));
        QVERIFY(failed.wait(5000));
        QVERIFY(clock.elapsed() >= 250);
        const ActionError error = failureOf(failed, id);
        QVERIFY(error.isNetworkError());
        QCOMPARE(error.reason, QString(ActionError::kTimeout));
        QVERIFY2(error.text().contains(QStringLiteral("no answer from")), qPrintable(error.text()));
        QVERIFY2(error.text().contains(QStringLiteral("0.3 s")), qPrintable(error.text()));
        QCOMPARE(client.pendingCount(), 0);
    }

    void nobodyListening() {
        // A port nothing listens on: bind one, note it, close it.
        quint16 port = 0;
        {
            FakeHttpAgent probe;
            QVERIFY(probe.listen());
            port = probe.port();
        }
        ActionClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)),
                            FakeActionApi::kOperatorToken);
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        const quint64 id = client.fetchJobs();
        QVERIFY(failed.wait());
        const ActionError error = failureOf(failed, id);
        QCOMPARE(error.httpStatus, 0);
        QCOMPARE(error.reason, QString(ActionError::kNetwork));
        QVERIFY2(error.text().startsWith(QStringLiteral("the agent could not be reached")),
                 qPrintable(error.text()));
    }

    void unreadableAnswer() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        server.setHandler([](const HttpExchange&) {
            return HttpAnswer::json(201, {{QStringLiteral("plan_id"), QStringLiteral("p")}});
        });
        ActionClient client(server.url(), FakeActionApi::kOperatorToken);
        QSignalSpy failed(&client, &ActionClient::requestFailed);
        const quint64 id =
            client.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
        QVERIFY(failed.wait());
        const ActionError error = failureOf(failed, id);
        QCOMPARE(error.httpStatus, 201);
        QCOMPARE(error.reason, QString(ActionError::kBadResponse));
        QCOMPARE(error.message, QStringLiteral(R"(missing field "kind")"));
    }

    void jobsCancelAndAudit() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        FakeActionApi api(&server);
        api.addAuditEntries(5);
        ActionClient client(QUrl(server.url().toString() + QStringLiteral("/")),
                            FakeActionApi::kOperatorToken);

        QSignalSpy audit(&client, &ActionClient::auditFetched);
        client.fetchAudit(4, 2);
        QVERIFY(audit.wait());
        const HttpExchange sent = server.exchanges().last();
        QCOMPARE(sent.method, QByteArray("GET"));
        QCOMPARE(sent.path, QStringLiteral("/v1/audit"));
        QCOMPARE(sent.query.queryItemValue(QStringLiteral("before")), QStringLiteral("4"));
        QCOMPARE(sent.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("2"));
        QVERIFY(sent.header("idempotency-key").isEmpty()); // reads need none
        const auto page = audit.at(0).at(1).value<AuditPage>();
        QCOMPARE(page.entries.size(), 2);
        QCOMPARE(page.entries.at(0).seq, 3);
        QCOMPARE(page.nextBefore, std::optional<qint64>(2));

        client.fetchAudit();
        QVERIFY(audit.wait());
        QVERIFY(!server.exchanges().last().query.hasQueryItem(QStringLiteral("before")));
        QCOMPARE(server.exchanges().last().query.queryItemValue(QStringLiteral("limit")),
                 QString::number(ActionClient::kDefaultAuditLimit));
        QCOMPARE(audit.at(1).at(1).value<AuditPage>().entries.size(), 5);

        QSignalSpy jobs(&client, &ActionClient::jobsFetched);
        client.fetchJobs();
        QVERIFY(jobs.wait());
        QCOMPARE(server.exchanges().last().path, QStringLiteral("/v1/jobs"));

        // A cancel goes to the job's path with a key, kept for a retry as confirm's is.
        server.setHandler([](const HttpExchange&) {
            return HttpAnswer::json(202, {{QStringLiteral("job_id"), QStringLiteral("j/1")},
                                          {QStringLiteral("state"), QStringLiteral("cancelling")}});
        });
        QSignalSpy cancelled(&client, &ActionClient::cancelRequested);
        client.cancel(QStringLiteral("j/1"));
        QVERIFY(cancelled.wait());
        // The id's '/' is escaped: it cannot reach another path.
        QCOMPARE(server.exchanges().last().target, QByteArray("/v1/jobs/j%2F1/cancel"));
        QCOMPARE(cancelled.at(0).at(1).value<ActionJob>().state, QStringLiteral("cancelling"));
        const QByteArray key = server.exchanges().last().header("idempotency-key");
        QVERIFY(!key.isEmpty());
        client.cancel(QStringLiteral("j/1"));
        QVERIFY(cancelled.wait());
        QCOMPARE(server.exchanges().last().header("idempotency-key"), key);
    }

    void destroyedWithARequestInFlight() {
        FakeHttpAgent server;
        QVERIFY(server.listen());
        server.setHandler([](const HttpExchange&) { return HttpAnswer::hang(); });
        QSignalSpy received(&server, &FakeHttpAgent::received);
        auto client = std::make_unique<ActionClient>(server.url(), FakeActionApi::kOperatorToken);
        client->fetchJobs();
        QVERIFY(received.wait());
        client.reset(); // must neither crash nor report into the dead object
        QTest::qWait(50);
    }
};

QTEST_GUILESS_MAIN(TestActionClient)
#include "tst_action_client.moc"
