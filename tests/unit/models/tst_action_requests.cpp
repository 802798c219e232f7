// ActionRequests against an in-process HTTP responder: each answer reaches the dialog as the
// signal of its kind, an older plan's answer is dropped once a newer plan is asked for, answers
// to other users of the shared client are not passed on, and forget() drops what is on its way.
#include "ActionClient.h"
#include "ActionRequests.h"
#include "FakeActionApi.h"
#include "FakeHttpAgent.h"

#include <QSignalSpy>
#include <QTest>

using switchboard::ActionClient;
using switchboard::ActionError;
using switchboard::ActionJob;
using switchboard::ActionPlan;
using switchboard::ActionRequests;

namespace {

QJsonObject forceOpen() {
    return {{QStringLiteral("mode"), QStringLiteral("force_open")}};
}

// A stand-in agent, a client of it with `token`, and the requests under test on that client.
struct Fixture {
    FakeHttpAgent server;
    FakeActionApi api{&server};
    ActionClient client;
    ActionRequests requests{&client};

    explicit Fixture(const QString& token = FakeActionApi::kOperatorToken)
        : client((server.listen(), server.url()), token) {}
};

void planBreaker(ActionRequests& requests) {
    requests.plan(QStringLiteral("breaker.override"), QStringLiteral("redis"), forceOpen());
}

} // namespace

class TestActionRequests : public QObject {
    Q_OBJECT

private slots:
    void answersArriveAsTheirKind() {
        Fixture f;
        f.api.pollsUntilDone = 3; // still running when cancelled
        ActionRequests& requests = f.requests;
        QSignalSpy planned(&requests, &ActionRequests::planned);
        QSignalSpy confirmed(&requests, &ActionRequests::confirmed);
        QSignalSpy cancelAnswered(&requests, &ActionRequests::cancelAnswered);
        QSignalSpy cancelFailed(&requests, &ActionRequests::cancelFailed);

        planBreaker(requests);
        QVERIFY(planned.wait());
        requests.confirm(planned.at(0).at(0).value<ActionPlan>().id);
        QVERIFY(confirmed.wait());
        QVERIFY(!requests.isCancelling());
        requests.cancel(confirmed.at(0).at(0).value<ActionJob>().id);
        QVERIFY(requests.isCancelling());
        QVERIFY(cancelAnswered.wait());
        QVERIFY(!requests.isCancelling());
        QCOMPARE(cancelFailed.count(), 0);

        requests.cancel(QStringLiteral("no-such-job"));
        QVERIFY(cancelFailed.wait());
        QCOMPARE(cancelFailed.at(0).at(0).value<ActionError>().httpStatus, 404);
        QCOMPARE(cancelAnswered.count(), 1);
    }

    void refusalsArriveAsTheFailureOfTheirKind() {
        Fixture f(FakeActionApi::kViewerToken);
        ActionRequests& requests = f.requests;
        QSignalSpy planFailed(&requests, &ActionRequests::planFailed);
        QSignalSpy confirmFailed(&requests, &ActionRequests::confirmFailed);

        planBreaker(requests);
        QVERIFY(planFailed.wait());
        QCOMPARE(planFailed.at(0).at(0).value<ActionError>().httpStatus, 403);
        QCOMPARE(confirmFailed.count(), 0);
    }

    void onlyTheLatestOwnPlanIsPassedOn() {
        Fixture f;
        ActionRequests& requests = f.requests;
        ActionClient& client = f.client;
        QSignalSpy planned(&requests, &ActionRequests::planned);
        QSignalSpy clientPlanned(&client, &ActionClient::planned);

        // Another user of the same client: its answer is not this dialog's.
        client.plan(QStringLiteral("breaker.override"), QStringLiteral("other"), forceOpen());
        planBreaker(requests);
        planBreaker(requests); // replaces the first: its answer is dropped
        QVERIFY(QTest::qWaitFor([&] { return clientPlanned.count() == 3; }, 5000));
        QCOMPARE(planned.count(), 1);
        // Answers may come in any order; the latest request has the highest id.
        quint64 latest = 0;
        QString latestPlan;
        for (const QList<QVariant>& answer : std::as_const(clientPlanned)) {
            if (answer.at(0).toULongLong() > latest) {
                latest = answer.at(0).toULongLong();
                latestPlan = answer.at(1).value<ActionPlan>().id;
            }
        }
        QCOMPARE(planned.at(0).at(0).value<ActionPlan>().id, latestPlan);
    }

    void forgetDropsAnswersOnTheirWay() {
        Fixture f;
        ActionRequests& requests = f.requests;
        ActionClient& client = f.client;
        QSignalSpy planned(&requests, &ActionRequests::planned);
        QSignalSpy clientPlanned(&client, &ActionClient::planned);

        planBreaker(requests);
        requests.forget();
        QVERIFY(clientPlanned.wait());
        QCOMPARE(planned.count(), 0);
    }

    void withoutAClientNothingIsSent() {
        ActionRequests requests(nullptr);
        QSignalSpy planned(&requests, &ActionRequests::planned);
        planBreaker(requests);
        requests.cancel(QStringLiteral("j-1"));
        QVERIFY(!requests.isCancelling());
        QCOMPARE(planned.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestActionRequests)
#include "tst_action_requests.moc"
