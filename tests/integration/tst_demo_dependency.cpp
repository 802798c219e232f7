// The demo's flaky pricing dependency against a real stack: its knobs, set over HTTP while the
// demo runs, make the "pricing" breaker open on errors (failure_rate) or on slowness
// (slow_call_rate) and close again once the dependency recovers; a bad knobs request is refused
// with a message naming the field and changes nothing.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ProtocolText.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QWebSocket>
#include <memory>
#include <switchboard/protocol.h>

namespace protocol = switchboard::protocol;

namespace {

const QString kBreaker = QStringLiteral("pricing");

// The "pricing" breaker's transitions as they arrive on an agent's stream, in order, e.g.
// "closed->open", with the reason and the breaker's data at each.
class TransitionWatcher : public QObject {
public:
    TransitionWatcher(const QUrl& agent, const QByteArray& authorization) {
        connect(&socket_, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            ++messages;
            QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            QJsonObject data = message.value("data").toObject();
            if (message.value("kind").toString() != sv(protocol::event::kBreaker) ||
                data.value(sv(protocol::field::kName)).toString() != kBreaker ||
                !data.contains(sv(protocol::field::kTransition)))
                return;
            QJsonObject transition = data.value(sv(protocol::field::kTransition)).toObject();
            transitions.append(transition.value(sv(protocol::field::kFrom)).toString() + "->" +
                               transition.value(sv(protocol::field::kTo)).toString());
            reasons.append(transition.value(sv(protocol::field::kReason)).toString());
            data_.append(data);
        });
        QUrl url = agent;
        url.setScheme(QStringLiteral("ws"));
        url.setPath(sv(protocol::path::kStream));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", authorization);
        socket_.open(request);
    }
    ~TransitionWatcher() override { socket_.close(); }

    // The index of `transition` at or after `from`, or -1.
    int indexOf(const QString& transition, int from = 0) const {
        return transitions.indexOf(transition, from);
    }
    QJsonObject dataAt(int index) const { return data_.value(index); }

    int messages = 0; // the first is the snapshot: the stream is live from then on
    QStringList transitions;
    QStringList reasons;

private:
    QWebSocket socket_;
    QList<QJsonObject> data_;
};

} // namespace

class TestDemoDependency : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QElapsedTimer clock_;

    QJsonObject breaker() {
        QUrl url = demo_->url();
        url.setPath(sv(protocol::path::kSnapshot));
        auto reply = HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()));
        for (const auto& value : reply.json.value(sv(protocol::field::kBreakers)).toArray())
            if (value.toObject().value(sv(protocol::field::kName)).toString() == kBreaker)
                return value.toObject();
        return {};
    }
    int breakerState() { return breaker().value(sv(protocol::field::kState)).toInt(-1); }

    HttpResult knobs(const QByteArray& method = "GET", const QByteArray& body = {}) {
        QUrl url = demo_->dependencyUrl();
        url.setPath(QStringLiteral("/knobs"));
        return HttpCall::run(method, url, {}, body);
    }
    std::unique_ptr<TransitionWatcher> watch() {
        return std::make_unique<TransitionWatcher>(demo_->url(),
                                                   HttpCall::bearer(stack_->viewerToken()));
    }
    void log(const char* what) { qInfo("%s at %.1f s", what, double(clock_.elapsed()) / 1000.0); }

private slots:
    void initTestCase() {
        clock_.start();
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-dep"));
        demo_->setExtraArguments({QStringLiteral("--dependency-error-rate"), QStringLiteral("0"),
                                  QStringLiteral("--dependency-latency-ms"), QStringLiteral("0")});
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        QVERIFY2(demo_->dependencyPort() > 0, qPrintable(demo_->output()));
        QVERIFY(demo_->dependencyPort() != demo_->port());
        // The demo calls its dependency through the breaker from the start.
        QTRY_VERIFY_WITH_TIMEOUT(breaker().value("successful_calls").toDouble() >= 10, 15000);
        QCOMPARE(breakerState(), int(protocol::BreakerState::Closed));
        log("stack and demo up, pricing breaker closed");
    }
    void cleanupTestCase() {
        if (demo_)
            QVERIFY2(demo_->stop(), qPrintable(demo_->output()));
        demo_.reset();
        stack_.reset();
        log("stopped");
    }

    void quoteAndKnobsAnswer() {
        QUrl url = demo_->dependencyUrl();
        url.setPath(QStringLiteral("/quote"));
        auto quote = HttpCall::run("GET", url);
        QCOMPARE(quote.status, 200);
        QVERIFY2(quote.json.value("price_cents").isDouble(), quote.body.constData());

        auto read = knobs();
        QCOMPARE(read.status, 200);
        QCOMPARE(read.json.value("error_rate").toDouble(-1), 0.0);
        QCOMPARE(read.json.value("latency_ms").toInt(-1), 0);

        // The demo's route to it is recorded like every other route.
        QUrl snapshot = demo_->url();
        snapshot.setPath(sv(protocol::path::kSnapshot));
        auto reply = HttpCall::run("GET", snapshot, HttpCall::bearer(stack_->viewerToken()));
        QVERIFY2(reply.body.contains("pricing.quote"), reply.body.left(2000).constData());
    }

    // The drills' files and script: a file the demo cannot append to, or an option without its
    // value, stops it at start with the reason, before it writes anything.
    void badDrillOptionsAreRefused_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unwritable --acked-writes")
            << QStringList{QStringLiteral("--acked-writes"),
                           QStringLiteral("/nonexistent-folder/acked.txt")}
            << QStringLiteral("cannot append to --acked-writes /nonexistent-folder/acked.txt");
        QTest::newRow("--acked-writes without a value")
            << QStringList{QStringLiteral("--acked-writes")}
            << QStringLiteral("--acked-writes needs a value");
        QTest::newRow("--stack-script without a value")
            << QStringList{QStringLiteral("--stack-script")}
            << QStringLiteral("--stack-script needs a value");
    }
    void badDrillOptionsAreRefused() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        DemoBackend refused(stack_->stackFile(), QStringLiteral("demo-refused"));
        refused.setExtraArguments(arguments);
        QVERIFY(!refused.start());
        QVERIFY2(refused.output().contains(reason), qPrintable(refused.output()));
    }

    void badKnobsAreRefused_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("named"); // what the message must name

        QTest::newRow("error_rate above 1") << QByteArray(R"({"error_rate": 2})") << "error_rate";
        QTest::newRow("error_rate below 0")
            << QByteArray(R"({"error_rate": -0.1})") << "error_rate";
        QTest::newRow("error_rate a string")
            << QByteArray(R"({"error_rate": "high"})") << "error_rate";
        QTest::newRow("latency_ms negative") << QByteArray(R"({"latency_ms": -1})") << "latency_ms";
        QTest::newRow("latency_ms too long")
            << QByteArray(R"({"latency_ms": 10001})") << "latency_ms";
        QTest::newRow("latency_ms fractional")
            << QByteArray(R"({"latency_ms": 1.5})") << "latency_ms";
        // One good field and one bad: neither is applied.
        QTest::newRow("good error_rate, bad latency_ms")
            << QByteArray(R"({"error_rate": 0.5, "latency_ms": 20000})") << "latency_ms";
        QTest::newRow("unknown field") << QByteArray(R"({"error_rat": 1})") << "error_rat";
        QTest::newRow("not JSON") << QByteArray("error_rate=1") << "JSON";
        QTest::newRow("a JSON array") << QByteArray(R"([0.5])") << "JSON object";
        QTest::newRow("nothing to set") << QByteArray("{}") << "error_rate";
    }
    void badKnobsAreRefused() {
        QFETCH(QByteArray, body);
        QFETCH(QString, named);
        auto reply = knobs("PUT", body);
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.contentType.startsWith("application/json"), reply.contentType.constData());
        QJsonObject error = reply.json.value("error").toObject();
        QCOMPARE(error.value("code").toInt(), 400);
        QString message = error.value("message").toString();
        QVERIFY2(message.contains(named), qPrintable(message));

        auto read = knobs();
        QCOMPARE(read.status, 200);
        QCOMPARE(read.json.value("error_rate").toDouble(-1), 0.0);
        QCOMPARE(read.json.value("latency_ms").toInt(-1), 0);
    }

    void errorsOpenTheBreakerRecoveryClosesIt() {
        QTRY_COMPARE_WITH_TIMEOUT(breakerState(), int(protocol::BreakerState::Closed), 15000);
        auto stream = watch();
        QTRY_VERIFY_WITH_TIMEOUT(stream->messages > 0, 10000);

        auto set = knobs("PUT", R"({"error_rate": 1})");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json.value("error_rate").toDouble(), 1.0);
        QCOMPARE(set.json.value("latency_ms").toInt(-1), 0); // untouched
        log("error_rate 1");

        // Every call fails: half of the last 20 calls at about 20 calls/s, well under 10 s.
        QTRY_VERIFY_WITH_TIMEOUT(stream->indexOf(QStringLiteral("closed->open")) >= 0, 10000);
        int opened = stream->indexOf(QStringLiteral("closed->open"));
        log("closed->open");
        QCOMPARE(stream->reasons.value(opened), QStringLiteral("failure_rate"));
        QVERIFY(stream->dataAt(opened).value(sv(protocol::field::kFailureRate)).toDouble() >= 50);

        QCOMPARE(knobs("PUT", R"({"error_rate": 0})").status, 200);
        // After the demo's 3 s wait in open, three trial calls pass and it closes.
        QTRY_VERIFY_WITH_TIMEOUT(stream->indexOf(QStringLiteral("half_open->closed"), opened) > 0,
                                 15000);
        log("half_open->closed");
        int closed = stream->indexOf(QStringLiteral("half_open->closed"), opened);
        int halfOpen = stream->indexOf(QStringLiteral("open->half_open"), opened);
        QVERIFY2(halfOpen > opened && halfOpen < closed,
                 qPrintable(stream->transitions.join(QLatin1Char(' '))));
        QCOMPARE(stream->reasons.value(closed), QStringLiteral("trials_passed"));
        QTRY_COMPARE_WITH_TIMEOUT(breakerState(), int(protocol::BreakerState::Closed), 5000);
    }

    void slowCallsOpenTheBreaker() {
        QTRY_COMPARE_WITH_TIMEOUT(breakerState(), int(protocol::BreakerState::Closed), 15000);
        auto stream = watch();
        QTRY_VERIFY_WITH_TIMEOUT(stream->messages > 0, 10000);

        // Over the demo's 250 ms slow-call threshold and under its 1 s client timeout: every
        // call succeeds, slowly.
        auto set = knobs("PUT", R"({"latency_ms": 400})");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json.value("latency_ms").toInt(), 400);
        QCOMPARE(set.json.value("error_rate").toDouble(-1), 0.0);
        log("latency_ms 400");

        // At 400 ms a call, ten slow calls of the last twenty take about 4 s.
        QTRY_VERIFY_WITH_TIMEOUT(stream->indexOf(QStringLiteral("closed->open")) >= 0, 15000);
        int opened = stream->indexOf(QStringLiteral("closed->open"));
        log("closed->open");
        QCOMPARE(stream->reasons.value(opened), QStringLiteral("slow_call_rate"));
        QVERIFY(stream->dataAt(opened).value(sv(protocol::field::kSlowCallRate)).toDouble() >= 50);
        QCOMPARE(stream->dataAt(opened).value(sv(protocol::field::kFailureRate)).toDouble(), 0.0);

        QCOMPARE(knobs("PUT", R"({"latency_ms": 0})").status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(stream->indexOf(QStringLiteral("half_open->closed"), opened) > 0,
                                 15000);
        log("half_open->closed");
        QTRY_COMPARE_WITH_TIMEOUT(breakerState(), int(protocol::BreakerState::Closed), 5000);
    }
};

QTEST_GUILESS_MAIN(TestDemoDependency)
#include "tst_demo_dependency.moc"
