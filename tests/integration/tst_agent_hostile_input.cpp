// (Plain literals only: moc misreads some raw strings.)
// Garbage on the wire, against a real demo backend on the minimal stack: every endpoint that
// takes input is sent malformed bodies (not JSON, truncated, deeply nested, NUL bytes, invalid
// UTF-8), valid JSON of the wrong shape (wrong types, huge numbers, lone surrogates), bad query
// parameters and odd paths (bytes that are not UTF-8 too), a stream handshake with a bad since,
// a body cut short by a closed connection and a client that sends its request one byte at a
// time. Each answer is a JSON 4xx naming why; the agent keeps serving others meanwhile; and
// nothing changed: no plan or job appeared, the breakers are as they were, and the audit log
// gained refusals only.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>
#include <switchboard/protocol.h>

namespace path = switchboard::protocol::path;

class TestAgentHostileInput : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QTemporaryDir files_;
    QByteArray operator_;
    QByteArray viewer_;
    // What must not change, read before the first garbage.
    int jobsBefore_ = -1;
    QJsonArray breakersBefore_;
    int auditBefore_ = -1;

    QUrl url(const QString& pathAndQuery) const {
        QUrl base = demo_->url();
        return QUrl(base.toString() + pathAndQuery);
    }
    QJsonArray audit() const {
        return HttpCall::run("GET", url(QStringLiteral("/v1/audit?limit=500")), viewer_)
            .json.value("entries")
            .toArray();
    }
    QJsonArray breakerStates() const {
        QJsonArray states;
        const QJsonObject snapshot =
            HttpCall::run("GET", url(QStringLiteral("/v1/snapshot")), viewer_).json;
        for (const auto& breaker : snapshot.value("breakers").toArray())
            states.append(
                QJsonArray{breaker.toObject().value("name"), breaker.toObject().value("state")});
        return states;
    }
    int jobs() const {
        return int(HttpCall::run("GET", url(QStringLiteral("/v1/jobs")), viewer_)
                       .json.value("jobs")
                       .toArray()
                       .size());
    }
    // A JSON 4xx with a reason and a message: what every bad request must get.
    static bool isJsonRefusal(const HttpResult& reply, QString* why) {
        const QJsonObject error = reply.json.value("error").toObject();
        if (reply.status < 400 || reply.status > 499 ||
            error.value("reason").toString().isEmpty() ||
            error.value("message").toString().isEmpty()) {
            *why = QStringLiteral("HTTP %1 (%2): %3")
                       .arg(reply.status)
                       .arg(reply.networkError, QString::fromUtf8(reply.body.left(300)));
            return false;
        }
        return true;
    }
    // Sends raw bytes on a fresh connection and reads what comes back until it closes.
    QByteArray raw(const QByteArray& bytes, int byteDelayMs = 0) {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(demo_->port()));
        if (!socket.waitForConnected(5000))
            return {};
        if (byteDelayMs == 0) {
            socket.write(bytes);
        } else {
            for (char byte : bytes) {
                socket.write(&byte, 1);
                socket.flush();
                QTest::qWait(byteDelayMs);
            }
        }
        socket.waitForBytesWritten(5000);
        QByteArray answer;
        QElapsedTimer elapsed;
        elapsed.start();
        while (elapsed.elapsed() < 10000 && socket.state() == QAbstractSocket::ConnectedState) {
            if (socket.waitForReadyRead(500))
                answer += socket.readAll();
            else if (!answer.isEmpty())
                break;
        }
        return answer + socket.readAll();
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-hostile"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        operator_ = HttpCall::bearer(stack_->operatorToken());
        viewer_ = HttpCall::bearer(stack_->viewerToken());
        QTRY_VERIFY_WITH_TIMEOUT(!breakerStates().isEmpty(), 15000);
        jobsBefore_ = jobs();
        breakersBefore_ = breakerStates();
        auditBefore_ = int(audit().size());
        QVERIFY(jobsBefore_ >= 0);
    }
    void cleanupTestCase() {
        if (demo_)
            QVERIFY2(demo_->stop(), qPrintable(demo_->output())); // still exits cleanly
        demo_.reset();
        stack_.reset();
    }
    // Whatever a test sent, the agent answers the next request at once.
    void cleanup() {
        QElapsedTimer elapsed;
        elapsed.start();
        QCOMPARE(HttpCall::run("GET", url(QString::fromLatin1(path::kHealthz.data()))).status, 200);
        QVERIFY(elapsed.elapsed() < 3000);
    }

    void bodiesThatAreNotJson_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QByteArray>("body");
        const QByteArray nested(100'000, '[');
        const QList<QPair<const char*, QByteArray>> bodies{
            {"empty", QByteArray()},
            {"open brace", "{"},
            {"truncated", "{\"kind\": \"breaker.override\", \"targ"},
            {"trailing garbage", "{\"kind\": \"x\"} and more"},
            {"NUL bytes", QByteArray("{\"kind\":\0\"x\"}", 13)},
            {"invalid UTF-8", "{\"kind\": \"\xff\xfe\xfd\"}"},
            {"unterminated nesting", nested},
            {"bare word", "null-ish"},
        };
        for (const char* target :
             {"/v1/plans", "/v1/plans/no-such-plan/confirm", "/v1/jobs/no-such-job/cancel"})
            for (const auto& [name, body] : bodies)
                QTest::addRow("%s %s", target, name) << QString::fromLatin1(target) << body;
    }
    void bodiesThatAreNotJson() {
        QFETCH(QString, target);
        QFETCH(QByteArray, body);
        const HttpResult reply = HttpCall::run("POST", url(target), operator_, body);
        QString why;
        QVERIFY2(isJsonRefusal(reply, &why), qPrintable(why));
    }

    // Valid JSON of the wrong shape: each counts against the token's rate limit like any
    // request to act, so there are fewer of these than its burst.
    void jsonOfTheWrongShape_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("an array") << QByteArray("[1, 2, 3]");
        QTest::newRow("kind a number") << QByteArray("{\"kind\": 5, \"target\": \"pricing\"}");
        QTest::newRow("target a list")
            << QByteArray("{\"kind\": \"breaker.override\", \"target\": [\"pricing\"]}");
        QTest::newRow("huge number")
            << QByteArray("{\"kind\": \"breaker.override\", \"target\": \"pricing\", \"params\": "
                          "{\"state\": \"forced_open\", \"duration_s\": 1e999}}");
        QTest::newRow("huge integer") << QByteArray(
            "{\"kind\": \"breaker.override\", \"target\": \"pricing\", \"params\": "
            "{\"state\": \"forced_open\", \"duration_s\": 123456789012345678901234567890}}");
        QTest::newRow("lone surrogate") << QByteArray("{\"kind\": \"\\ud800\", \"target\": \"x\"}");
        QTest::newRow("unicode kind")
            << QByteArray("{\"kind\": \"breaker.☃verride\", \"target\": \"pricing\"}");
        QTest::newRow("deep but closed") << QByteArray(20'000, '[') + QByteArray(20'000, ']');
    }
    void jsonOfTheWrongShape() {
        QFETCH(QByteArray, body);
        const HttpResult reply =
            HttpCall::run("POST", url(QStringLiteral("/v1/plans")), operator_, body);
        QString why;
        QVERIFY2(isJsonRefusal(reply, &why), qPrintable(why));
        QVERIFY2(reply.status != 429, "the rate limit, not the validation, answered");
    }

    void badQueriesAndPaths_data() {
        QTest::addColumn<QString>("target");
        QTest::newRow("audit before not a number") << "/v1/audit?before=abc";
        QTest::newRow("audit before huge") << "/v1/audit?before=99999999999999999999999999";
        QTest::newRow("audit limit negative") << "/v1/audit?limit=-1";
        QTest::newRow("audit before and after") << "/v1/audit?before=5&after=1";
        QTest::newRow("plan id with NUL") << "/v1/plans/%00";
        QTest::newRow("plan id huge") << "/v1/plans/" + QString(4000, QLatin1Char('p'));
        QTest::newRow("unicode path") << "/v1/pl%C3%A4ns";
        // Bytes that are not UTF-8, quoted back in the message: the reply used to be a 500.
        QTest::newRow("plan id not UTF-8") << "/v1/plans/%FF%FE";
        QTest::newRow("path not UTF-8") << "/v1/%C3";
        QTest::newRow("dot dot") << "/v1/../../etc/passwd";
    }
    void badQueriesAndPaths() {
        QFETCH(QString, target);
        const HttpResult reply = HttpCall::run("GET", url(target), viewer_);
        QString why;
        QVERIFY2(isJsonRefusal(reply, &why), qPrintable(why));
    }

    // A stream handshake whose since is not a number, and not UTF-8 either: refused with a JSON
    // 400. Serialising the quoted bytes used to throw out of the handshake callback and end the
    // whole backend (cleanup() checks that the agent still answers).
    void aStreamHandshakeWithASinceThatIsNotUtf8() {
        const QByteArray answer = raw("GET /v1/stream?since=%FF%FE HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                      "Sec-WebSocket-Version: 13\r\nAuthorization: " +
                                      viewer_ + "\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.left(300).constData());
        QVERIFY2(answer.contains("since must be a sequence number"), answer.constData());
    }

    void aBodyCutShortByAClosedConnection() {
        const QByteArray request = "POST /v1/plans HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Authorization: " +
                                   operator_ +
                                   "\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 400\r\n\r\n{\"kind\": \"breaker.ov";
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(demo_->port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write(request);
        QVERIFY(socket.waitForBytesWritten(5000));
        socket.abort(); // gone before the rest of the body
    }

    void aRequestOneByteAtATimeDoesNotHoldOthersUp() {
        // Sent over about 2.5 s; meanwhile the agent answers others at once.
        const QByteArray request = "GET /v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Authorization: " +
                                   viewer_ + "\r\nConnection: close\r\n\r\n";
        QElapsedTimer others;
        int answered = 0;
        QTimer probe;
        probe.setInterval(300);
        connect(&probe, &QTimer::timeout, this, [&] {
            others.start();
            if (HttpCall::run("GET", url(QString::fromLatin1(path::kHealthz.data())), {}, {}, 2000)
                    .status == 200)
                ++answered;
        });
        probe.start();
        const QByteArray answer = raw(request, int(2500 / request.size()) + 1);
        probe.stop();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.left(200).constData());
        QVERIFY2(answer.contains("\"instance\""), answer.left(400).constData());
        QVERIFY(answered >= 3);
    }

    void nothingChanged() {
        QCOMPARE(jobs(), jobsBefore_);
        QCOMPARE(breakerStates(), breakersBefore_);
        const QJsonArray entries = audit();
        QVERIFY(entries.size() > auditBefore_);
        for (qsizetype i = 0; i < entries.size() - auditBefore_; ++i) // newest first
            QCOMPARE(entries.at(i).toObject().value("event").toString(), QStringLiteral("refused"));
    }
};

QTEST_GUILESS_MAIN(TestAgentHostileInput)
#include "tst_agent_hostile_input.moc"
