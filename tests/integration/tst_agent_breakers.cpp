// The demo's circuit breakers against real servers: Redis dies → the tiered cache's "cache.redis"
// breaker opens, the transition is on the stream at once and in the snapshot, while the cached
// catalog reads go on from L1 and the database; Redis returns → half-open → closed.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ProtocolText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QWebSocket>
#include <memory>
#include <signal.h>
#include <switchboard/protocol.h>

namespace protocol = switchboard::protocol;

class TestAgentBreakers : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;

    QJsonObject breaker(const QString& name) {
        QUrl url = demo_->url();
        url.setPath(sv(protocol::path::kSnapshot));
        auto reply = HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()));
        for (const auto& value : reply.json.value(sv(protocol::field::kBreakers)).toArray())
            if (value.toObject().value("name").toString() == name)
                return value.toObject();
        return {};
    }
    int stateOf(const QString& name) {
        return breaker(name).value(sv(protocol::field::kState)).toInt(-1);
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-brk"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void everyDependencyHasAClosedBreaker() {
        for (auto name : {"postgres.primary", "postgres.replica", "cache.redis", "catalog.cache"})
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(QString::fromLatin1(name)),
                                      int(protocol::BreakerState::Closed), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            breaker(QStringLiteral("cache.redis")).value("successful_calls").toDouble() > 10,
            10000);
    }

    void redisDiesTheBreakerOpensItComesBackItCloses() {
        // Listen to the stream first: the transition must arrive as its own event.
        QStringList transitions;
        QWebSocket stream;
        connect(&stream, &QWebSocket::textMessageReceived, this, [&](const QString& text) {
            QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            QJsonObject data = message.value("data").toObject();
            if (message.value("kind").toString() == sv(protocol::event::kBreaker) &&
                data.value("name").toString() == QLatin1String("cache.redis") &&
                data.contains(sv(protocol::field::kTransition))) {
                QJsonObject transition = data.value(sv(protocol::field::kTransition)).toObject();
                transitions.append(transition.value("from").toString() + "->" +
                                   transition.value("to").toString());
            }
        });
        QUrl url = demo_->url();
        url.setScheme(QStringLiteral("ws"));
        url.setPath(sv(protocol::path::kStream));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", HttpCall::bearer(stack_->viewerToken()));
        stream.open(request);

        const QJsonObject redis = stack_->server(QStringLiteral("redis"));
        const int pid = redis.value("pid").toInt();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGKILL), 0);

        QTRY_VERIFY_WITH_TIMEOUT(transitions.contains(QStringLiteral("closed->open")), 15000);
        QCOMPARE(stateOf(QStringLiteral("cache.redis")), int(protocol::BreakerState::Open));
        QVERIFY(breaker(QStringLiteral("cache.redis")).value("failure_rate").toDouble() >= 50);
        // The other dependencies are untouched, and so are the catalog reads above the cache:
        // without Redis they come from L1 and the database, without errors.
        QCOMPARE(stateOf(QStringLiteral("postgres.primary")), int(protocol::BreakerState::Closed));
        QCOMPARE(stateOf(QStringLiteral("catalog.cache")), int(protocol::BreakerState::Closed));

        // Redis returns on its port: after the wait in open, trial calls pass and it closes.
        QVERIFY(stack_->restartRedis());
        QTRY_VERIFY_WITH_TIMEOUT(transitions.contains(QStringLiteral("half_open->closed")), 20000);
        QVERIFY(transitions.indexOf(QStringLiteral("open->half_open")) >
                transitions.indexOf(QStringLiteral("closed->open")));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("cache.redis")),
                                  int(protocol::BreakerState::Closed), 5000);
        stream.close();
    }

    void breakerMetricsAreExported() {
        QUrl url = demo_->url();
        url.setPath(sv(protocol::path::kMetrics));
        auto reply = HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()));
        QVERIFY(reply.body.contains("switchboard_breaker_state{breaker=\"cache.redis\"}"));
        QVERIFY(
            reply.body.contains("switchboard_breaker_transitions_total{breaker=\"cache.redis\""));
    }
};

QTEST_GUILESS_MAIN(TestAgentBreakers)
#include "tst_agent_breakers.moc"
