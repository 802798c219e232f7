// AgentClient against an in-process WebSocket server: snapshot then events, a sequence gap
// resyncs from the last position, a protocol mismatch stops for good, a vanished server is
// "stale" at once and "live" again when it returns, and silence trips the heartbeat.
#include "AgentClient.h"
#include "FakeAgentServer.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using switchboard::AgentClient;
using switchboard::AgentSnapshot;
using switchboard::ConnectionState;
using switchboard::StreamEvent;

namespace {

AgentClient::Timing fastTiming() {
    AgentClient::Timing timing;
    timing.staleAfter = std::chrono::milliseconds(400);
    timing.initialBackoff = std::chrono::milliseconds(50);
    timing.maxBackoff = std::chrono::milliseconds(200);
    timing.handshakeTimeout = std::chrono::milliseconds(1000);
    return timing;
}

} // namespace

class TestAgentClient : public QObject {
    Q_OBJECT

private slots:
    void streamUrlCarriesThePosition() {
        AgentClient client(QUrl(QStringLiteral("http://127.0.0.1:9/base/")), QStringLiteral("t"));
        QCOMPARE(client.streamUrl().toString(), QStringLiteral("ws://127.0.0.1:9/base/v1/stream"));
        AgentClient tls(QUrl(QStringLiteral("https://agent.example:443")), QStringLiteral("t"));
        QCOMPARE(tls.streamUrl().scheme(), QStringLiteral("wss"));
    }

    void snapshotThenEvents() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        server.setGreeting(QStringLiteral("s1"), 10);
        AgentClient client(server.url(), QStringLiteral("secret"));
        client.setTiming(fastTiming());
        QSignalSpy snapshots(&client, &AgentClient::snapshotReceived);
        QSignalSpy events(&client, &AgentClient::eventReceived);
        QCOMPARE(client.state(), ConnectionState::Connecting);
        client.start();

        QTRY_COMPARE(snapshots.count(), 1);
        QCOMPARE(client.state(), ConnectionState::Live);
        QCOMPARE(client.streamId(), QStringLiteral("s1"));
        QCOMPARE(client.lastSeq(), 10);
        QCOMPARE(server.requestUrls().at(0).path(), QStringLiteral("/v1/stream"));
        QCOMPARE(server.authorizations().at(0), QByteArray("Bearer secret"));
        const auto snapshot = snapshots.at(0).at(0).value<AgentSnapshot>();
        QCOMPARE(snapshot.info.instance, QStringLiteral("fake-1"));

        server.sendRequests(11, QStringLiteral("s1"), 42.0);
        server.sendProbe(12, QStringLiteral("s1"), QStringLiteral("redis"), 2, QStringLiteral("x"));
        QTRY_COMPARE(events.count(), 2);
        QCOMPARE(events.at(0).at(0).value<StreamEvent>().requests.ratePerSecond, 42.0);
        QCOMPARE(events.at(1).at(0).value<StreamEvent>().kind, StreamEvent::Kind::Probe);
        QCOMPARE(client.lastSeq(), 12);

        // A repeated event (as around a reconnect) is not applied twice.
        server.sendRequests(12, QStringLiteral("s1"), 1.0);
        server.sendRequests(13, QStringLiteral("s1"), 2.0);
        QTRY_COMPARE(events.count(), 3);
        QCOMPARE(events.at(2).at(0).value<StreamEvent>().seq, 13);
        QCOMPARE(server.connectionCount(), 1);
        client.stop();
    }

    void gapResyncsFromLastPosition() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        AgentClient client(server.url(), QStringLiteral("secret"));
        client.setTiming(fastTiming());
        QSignalSpy events(&client, &AgentClient::eventReceived);
        QSignalSpy connections(&server, &FakeAgentServer::connected);
        client.start();
        QVERIFY(connections.wait());
        server.sendSnapshot(10, QStringLiteral("s1"));
        server.sendRequests(11, QStringLiteral("s1"), 1.0);
        QTRY_COMPARE(events.count(), 1);

        server.sendRequests(13, QStringLiteral("s1"), 3.0); // 12 went missing
        QTRY_COMPARE(server.connectionCount(), 2);
        const QUrlQuery query(server.requestUrls().at(1));
        QCOMPARE(query.queryItemValue(QStringLiteral("stream")), QStringLiteral("s1"));
        QCOMPARE(query.queryItemValue(QStringLiteral("since")), QStringLiteral("11"));
        QCOMPARE(events.count(), 1); // the event after the gap was not applied

        // The agent replays what was missed on the new connection.
        server.sendRequests(12, QStringLiteral("s1"), 2.0);
        server.sendRequests(13, QStringLiteral("s1"), 3.0);
        QTRY_COMPARE(events.count(), 3);
        QCOMPARE(client.lastSeq(), 13);
        QCOMPARE(client.state(), ConnectionState::Live);
        client.stop();
    }

    void protocolMismatchStopsRetrying() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        AgentClient client(server.url(), QStringLiteral("secret"));
        client.setTiming(fastTiming());
        QSignalSpy errors(&client, &AgentClient::errorOccurred);
        QSignalSpy snapshots(&client, &AgentClient::snapshotReceived);
        QSignalSpy connections(&server, &FakeAgentServer::connected);
        client.start();
        QVERIFY(connections.wait());
        server.sendSnapshot(1, QStringLiteral("s1"), 2);
        QTRY_COMPARE(client.state(), ConnectionState::Incompatible);
        QVERIFY2(client.errorText().contains(QLatin1String("version 2")) &&
                     client.errorText().contains(QLatin1String("version 1")),
                 qPrintable(client.errorText()));
        QCOMPARE(errors.count(), 1);
        QCOMPARE(snapshots.count(), 0);
        // Retrying cannot help, so there is no second connection.
        QVERIFY(!connections.wait(800));
        QCOMPARE(server.connectionCount(), 1);
    }

    void serverGoneIsStaleAtOnceAndRecovers() {
        auto server = std::make_unique<FakeAgentServer>();
        QVERIFY(server->listen());
        const quint16 port = server->port();
        server->setGreeting(QStringLiteral("first"), 5);
        AgentClient client(server->url(), QStringLiteral("secret"));
        AgentClient::Timing timing = fastTiming();
        timing.staleAfter = std::chrono::milliseconds(5000); // only the socket loss may trip it
        client.setTiming(timing);
        QSignalSpy states(&client, &AgentClient::stateChanged);
        QSignalSpy snapshots(&client, &AgentClient::snapshotReceived);
        client.start();
        QTRY_COMPARE(client.state(), ConnectionState::Live);

        server.reset();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Stale, 1000);
        QVERIFY(client.staleSince().isValid());
        QVERIFY(!client.errorText().isEmpty());

        // Back on the same port with a new stream: a fresh snapshot, and live again.
        server = std::make_unique<FakeAgentServer>();
        server->setGreeting(QStringLiteral("second"), 1);
        QVERIFY(server->listen(port));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Live, 5000);
        QCOMPARE(snapshots.count(), 2);
        QCOMPARE(client.streamId(), QStringLiteral("second"));
        // It asked to resume the old stream; the agent decided a snapshot was needed.
        const QUrlQuery query(server->requestUrls().at(0));
        QCOMPARE(query.queryItemValue(QStringLiteral("stream")), QStringLiteral("first"));
        QCOMPARE(query.queryItemValue(QStringLiteral("since")), QStringLiteral("5"));
        client.stop();
    }

    void silenceTripsTheHeartbeat() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        server.setGreeting(QStringLiteral("s1"), 1);
        AgentClient client(server.url(), QStringLiteral("secret"));
        client.setTiming(fastTiming());
        client.start();
        QTRY_COMPARE(client.state(), ConnectionState::Live);
        // The socket stays open but nothing arrives.
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), ConnectionState::Stale, 1500);
        QVERIFY(client.staleSince().isValid());
        // The next message on the same connection makes it live again.
        server.sendRequests(2, QStringLiteral("s1"), 5.0);
        QTRY_COMPARE(client.state(), ConnectionState::Live);
        QCOMPARE(server.connectionCount(), 1);
        client.stop();
    }

    void garbageIsReportedNotFatal() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        server.setGreeting(QStringLiteral("s1"), 1);
        AgentClient client(server.url(), QStringLiteral("secret"));
        client.setTiming(fastTiming());
        QSignalSpy errors(&client, &AgentClient::errorOccurred);
        QSignalSpy events(&client, &AgentClient::eventReceived);
        client.start();
        QTRY_COMPARE(client.state(), ConnectionState::Live);
        server.send("{not json");
        server.send("[]");
        QTRY_VERIFY(errors.count() >= 1);
        QVERIFY(errors.at(0).at(0).toString().contains(QLatin1String("cannot read")));
        server.sendRequests(2, QStringLiteral("s1"), 5.0);
        QTRY_COMPARE(events.count(), 1);
        client.stop();
    }

    void refusedTokenIsUnauthorized() {
        // A plain HTTP server answering the upgrade with 401, as the agent does.
        QTcpServer http;
        QVERIFY(http.listen(QHostAddress::LocalHost));
        connect(&http, &QTcpServer::newConnection, this, [&http] {
            while (QTcpSocket* socket = http.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    const QByteArray body =
                        R"({"error":{"code":401,"reason":"unauthorized","message":"no"}})";
                    socket->write("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                                  "Content-Length: " +
                                  QByteArray::number(body.size()) +
                                  "\r\nConnection: close\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        AgentClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(http.serverPort())),
                           QStringLiteral("wrong"));
        client.setTiming(fastTiming());
        client.start();
        QTRY_COMPARE(client.state(), ConnectionState::Unauthorized);
        QVERIFY2(client.errorText().contains(QLatin1String("token")),
                 qPrintable(client.errorText()));
        client.stop();
    }
};

QTEST_GUILESS_MAIN(TestAgentClient)
#include "tst_agent_client.moc"
