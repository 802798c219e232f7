// The stream at the wire, against a real demo backend: a snapshot then events in sequence, a
// reconnect with the last sequence number resumes without a gap or a repeat, and a reconnect
// the agent cannot serve from its history gets a fresh snapshot.
#include "DemoBackend.h"
#include "LocalStack.h"
#include "ProtocolText.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>
#include <memory>
#include <switchboard/protocol.h>

namespace protocol = switchboard::protocol;

namespace {

// One stream connection that records every message it receives.
class StreamReader : public QObject {
public:
    StreamReader(const QUrl& url, const QString& token) {
        connect(&socket_, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            messages.push_back(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        socket_.open(request);
    }
    // Waits until `count` messages arrived.
    bool waitFor(int count, int timeoutMs = 10000) {
        return QTest::qWaitFor([&] { return messages.size() >= count; }, timeoutMs);
    }
    bool waitForDisconnect(int timeoutMs = 10000) {
        if (socket_.state() == QAbstractSocket::UnconnectedState)
            return true;
        QSignalSpy closed(&socket_, &QWebSocket::disconnected);
        return closed.wait(timeoutMs);
    }
    void close() { socket_.close(); }
    QString errorText() const { return socket_.errorString(); }
    QList<QJsonObject> messages;

private:
    QWebSocket socket_;
};

} // namespace

class TestAgentStream : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QString token_;

    QUrl streamUrl(const QString& streamId = {}, qint64 since = -1) const {
        QUrl url = demo_->url();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(sv(protocol::path::kStream));
        QUrlQuery query;
        if (!streamId.isEmpty())
            query.addQueryItem(sv(protocol::query::kStreamId), streamId);
        if (since >= 0)
            query.addQueryItem(sv(protocol::query::kSince), QString::number(since));
        url.setQuery(query);
        return url;
    }

    // Every message after the first has seq = previous + 1, and is an event.
    static void verifyConsecutive(const QList<QJsonObject>& messages, qint64 firstSeq) {
        qint64 expected = firstSeq;
        for (const auto& message : messages) {
            QCOMPARE(message.value("type").toString(), sv(protocol::message::kEvent));
            QCOMPARE(qint64(message.value("seq").toDouble()), expected);
            ++expected;
        }
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-stream"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        token_ = stack_->viewerToken();
    }

    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void snapshotThenEventsInOrder() {
        StreamReader reader(streamUrl(), token_);
        QVERIFY(reader.waitFor(12));
        const QJsonObject first = reader.messages.first();
        QCOMPARE(first.value("type").toString(), sv(protocol::message::kSnapshot));
        QCOMPARE(first.value("protocol").toInt(), protocol::kVersion);
        QVERIFY(!first.value("stream").toString().isEmpty());
        QCOMPARE(first.value("snapshot")
                     .toObject()
                     .value("info")
                     .toObject()
                     .value("instance")
                     .toString(),
                 QString("demo-stream"));
        qint64 snapshotSeq = qint64(first.value("seq").toDouble());
        QCOMPARE(qint64(first.value("snapshot").toObject().value("revision").toDouble()),
                 snapshotSeq);
        verifyConsecutive(reader.messages.mid(1), snapshotSeq + 1);
        // Both kinds of event flow: probe results and the per-second request statistics (among
        // the others a demo sends every second: replication, regions, cache...).
        auto kinds = [&reader] {
            QSet<QString> seen;
            for (const auto& message : reader.messages.mid(1))
                seen.insert(message.value("kind").toString());
            return seen;
        };
        QVERIFY(QTest::qWaitFor(
            [&] {
                return kinds().contains(sv(protocol::event::kProbe)) &&
                       kinds().contains(sv(protocol::event::kRequests));
            },
            10000));
        verifyConsecutive(reader.messages.mid(1), snapshotSeq + 1);
    }

    void reconnectResumesWithoutGap() {
        StreamReader first(streamUrl(), token_);
        QVERIFY(first.waitFor(5));
        QString streamId = first.messages.first().value("stream").toString();
        qint64 lastSeen = qint64(first.messages.last().value("seq").toDouble());
        first.close();
        QVERIFY(first.waitForDisconnect());
        // Events happen while nobody listens: at least a second's worth.
        QTest::qWait(1500);

        StreamReader second(streamUrl(streamId, lastSeen), token_);
        QVERIFY(second.waitFor(8));
        // No snapshot: exactly the missed events, then live ones, without a gap or repeat.
        verifyConsecutive(second.messages, lastSeen + 1);
    }

    void reconnectToAnotherStreamGetsASnapshot() {
        StreamReader reader(streamUrl(QStringLiteral("not-this-agent"), 3), token_);
        QVERIFY(reader.waitFor(1));
        QCOMPARE(reader.messages.first().value("type").toString(),
                 sv(protocol::message::kSnapshot));
    }

    void reconnectFromTheFutureGetsASnapshot() {
        StreamReader probe(streamUrl(), token_);
        QVERIFY(probe.waitFor(1));
        QString streamId = probe.messages.first().value("stream").toString();
        StreamReader reader(streamUrl(streamId, 1000000000), token_);
        QVERIFY(reader.waitFor(1));
        QCOMPARE(reader.messages.first().value("type").toString(),
                 sv(protocol::message::kSnapshot));
    }

    // A refused handshake is an HTTP answer with a status and the JSON error, not an upgrade.
    void refusedHandshakesSayWhy_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("withToken");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::newRow("since not a number") << "since=abc" << true << 400 << "bad_request";
        QTest::newRow("since negative") << "since=-4" << true << 400 << "bad_request";
        QTest::newRow("no token") << "" << false << 401 << "unauthorized";
    }
    void refusedHandshakesSayWhy() {
        QFETCH(QString, query);
        QFETCH(bool, withToken);
        QFETCH(int, status);
        QFETCH(QString, reason);
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(demo_->port()));
        QVERIFY(socket.waitForConnected(5000));
        QByteArray request = "GET " + QByteArray(protocol::path::kStream.data()) + "?" +
                             query.toUtf8() +
                             " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                             "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        if (withToken)
            request += "Authorization: Bearer " + token_.toUtf8() + "\r\n";
        socket.write(request + "\r\n");
        QByteArray answer;
        QVERIFY(QTest::qWaitFor(
            [&] {
                socket.waitForReadyRead(100);
                answer += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState || answer.contains("}}");
            },
            5000));
        QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status)), answer.constData());
        QJsonObject error = QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4))
                                .object()
                                .value("error")
                                .toObject();
        QCOMPARE(error.value("reason").toString(), reason);
        QVERIFY(!error.value("message").toString().isEmpty());
        // And the real client gives up on such a stream without receiving anything.
        QUrl url = streamUrl();
        url.setQuery(query);
        StreamReader reader(url, withToken ? token_ : QString());
        QVERIFY(reader.waitForDisconnect());
        QVERIFY(reader.messages.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAgentStream)
#include "tst_agent_stream.moc"
