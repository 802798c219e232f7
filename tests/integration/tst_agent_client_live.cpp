// The console's AgentClient against a real agent: live data, "stale" within 2 s of the agent
// stopping, and live again when it returns on the same port (with a new stream, so a fresh
// snapshot).
#include "AgentClient.h"
#include "AgentSnapshot.h"
#include "DemoBackend.h"
#include "LocalStack.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <memory>
#include <signal.h>

using switchboard::AgentClient;
using switchboard::ConnectionState;

class TestAgentClientLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
    }
    void cleanupTestCase() { stack_.reset(); }

    void staleWithinTwoSecondsThenRecovers() {
        DemoBackend demo(stack_->stackFile(), QStringLiteral("demo-live"));
        QVERIFY2(demo.start(), qPrintable(demo.output()));
        int port = demo.port();

        AgentClient client(demo.url(), stack_->viewerToken());
        QSignalSpy snapshots(&client, &AgentClient::snapshotReceived);
        QSignalSpy events(&client, &AgentClient::eventReceived);
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Live, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(events.count() >= 3, 10000);
        QString firstStream = client.streamId();
        QVERIFY(!firstStream.isEmpty());

        // The agent goes away: the client must say so within 2 s.
        QVERIFY2(demo.stop(), qPrintable(demo.output()));
        QElapsedTimer sinceStop;
        sinceStop.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Stale, 2000);
        QVERIFY(sinceStop.elapsed() <= 2000);
        QVERIFY(client.staleSince().isValid());

        // It comes back on the same port: live again, from a fresh snapshot of the new stream.
        int snapshotsBefore = snapshots.count();
        QVERIFY2(demo.start(port), qPrintable(demo.output()));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Live, 10000);
        QTRY_VERIFY(snapshots.count() > snapshotsBefore);
        QVERIFY(client.streamId() != firstStream);
        int eventsBefore = events.count();
        QTRY_VERIFY_WITH_TIMEOUT(events.count() > eventsBefore + 2, 10000);
        client.stop();
    }

    void silentAgentGoesStale() {
        // A process that stops answering without closing its socket (SIGSTOP) is caught by the
        // heartbeat, not by a socket error.
        DemoBackend demo(stack_->stackFile(), QStringLiteral("demo-silent"));
        QVERIFY2(demo.start(), qPrintable(demo.output()));
        AgentClient client(demo.url(), stack_->viewerToken());
        client.start();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Live, 10000);
        QVERIFY(demo.signal(SIGSTOP));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Stale, 2000);
        QVERIFY(demo.signal(SIGCONT));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Live, 10000);
        client.stop();
    }
};

QTEST_GUILESS_MAIN(TestAgentClientLive)
#include "tst_agent_client_live.moc"
