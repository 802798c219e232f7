// The parser's breaker additions: the snapshot's "breakers" array and the "breaker" stream
// event, with and without a transition, and every malformed breaker refused with a message
// naming the field.
#include "StreamMessageParser.h"

#include <QTest>

using switchboard::BreakerOverride;
using switchboard::BreakerStatus;
using switchboard::BreakerTransition;
using switchboard::SnapshotMessage;
using switchboard::StreamEvent;
using switchboard::StreamMessageParser;
using switchboard::protocol::BreakerState;

namespace {

// As the agent's BreakerPublisher writes it (backend-agent/src/breaker_publisher.cpp).
const QByteArray kSnapshotFrame = R"({"type":"snapshot","seq":42,"stream":"9f","protocol":1,
  "snapshot":{"revision":42,"time_ms":1795000000000,
    "info":{"service":"checkout","instance":"demo-1","protocol":1},
    "breakers":[
      {"name":"redis","state":1,"state_name":"open","failure_rate":100.0,"slow_call_rate":0.0,
       "buffered_calls":20,"successful_calls":950,"failed_calls":12,"not_permitted_calls":31,
       "since_ms":1794999990000},
      {"name":"postgres.primary","state":0,"state_name":"closed","failure_rate":-1,
       "slow_call_rate":-1,"buffered_calls":3,"successful_calls":3,"failed_calls":0,
       "not_permitted_calls":0,"since_ms":1794999000000}]}})";

QByteArray breakerEvent(const QByteArray& data) {
    return R"({"type":"event","seq":43,"stream":"9f","kind":"breaker","time_ms":1795000001000,)"
           R"("data":)" +
           data + "}";
}

// A breaker as a current agent sends it: thresholds from its config and the override in force.
const QByteArray kOverriddenBreaker = R"({"name":"redis","state":3,"state_name":"forced_open",
  "failure_rate":-1,"slow_call_rate":-1,"failure_rate_threshold":50.0,
  "slow_call_rate_threshold":100.0,
  "override":{"mode":"force_open","expires_ms":1795000063001,"by":"alice"}})";
const QByteArray kNoExpiryOverride = R"({"name":"redis","state":4,"failure_rate_threshold":25.5,
  "override":{"mode":"disable","expires_ms":null,"by":"bob"}})";
const QByteArray kNullOverride = R"({"name":"redis","state":0,"override":null})";

// One malformed breaker field, for malformed_data().
QByteArray withField(const QByteArray& fieldJson) {
    return breakerEvent(QByteArray(R"({"name":"a","state":3,)") + fieldJson + "}");
}

} // namespace

class TestBreakerParsing : public QObject {
    Q_OBJECT

private slots:
    void snapshotCarriesBreakers() {
        const auto result = StreamMessageParser::parse(kSnapshotFrame);
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto& snapshot = std::get<SnapshotMessage>(*result.message).snapshot;
        QCOMPARE(snapshot.breakers.size(), 2);
        const BreakerStatus& redis = snapshot.breakers.at(0);
        QCOMPARE(redis.name, QStringLiteral("redis"));
        QCOMPARE(redis.state, BreakerState::Open);
        QCOMPARE(redis.stateName, QStringLiteral("open"));
        QCOMPARE(redis.failureRate, 100.0);
        QCOMPARE(redis.slowCallRate, 0.0);
        QCOMPARE(redis.bufferedCalls, 20);
        QCOMPARE(redis.successfulCalls, 950);
        QCOMPARE(redis.failedCalls, 12);
        QCOMPARE(redis.notPermittedCalls, 31);
        QCOMPARE(redis.sinceMs, 1794999990000);
        QVERIFY(!redis.transition);
        // -1: below the minimum number of calls, kept as such (not turned into 0 %).
        QCOMPARE(snapshot.breakers.at(1).failureRate, -1.0);
        QCOMPARE(snapshot.breakers.at(1).state, BreakerState::Closed);
    }

    void snapshotWithoutBreakersIsFine() {
        // Agents before breakers existed send no such field.
        const auto result = StreamMessageParser::parse(
            R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,"snapshot":{"probes":[]}})");
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(std::get<SnapshotMessage>(*result.message).snapshot.breakers.isEmpty());
    }

    void tickEvent() {
        const auto result = StreamMessageParser::parse(breakerEvent(
            R"({"name":"redis","state":2,"state_name":"half_open","failure_rate":12.5,
                "slow_call_rate":-1,"buffered_calls":8,"successful_calls":7,"failed_calls":1,
                "not_permitted_calls":40,"since_ms":1795000000500})"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto& event = std::get<StreamEvent>(*result.message);
        QCOMPARE(event.kind, StreamEvent::Kind::Breaker);
        QCOMPARE(event.kindName, QStringLiteral("breaker"));
        QCOMPARE(event.seq, 43);
        QCOMPARE(event.timeMs, 1795000001000);
        QCOMPARE(event.breaker.state, BreakerState::HalfOpen);
        QCOMPARE(event.breaker.failureRate, 12.5);
        QCOMPARE(event.breaker.slowCallRate, -1.0);
        QCOMPARE(event.breaker.notPermittedCalls, 40);
        QVERIFY(!event.breaker.transition);
    }

    void transitionEvent() {
        const auto result = StreamMessageParser::parse(breakerEvent(
            R"({"name":"redis","state":1,"state_name":"open","failure_rate":60.0,
                "slow_call_rate":0,"buffered_calls":10,"successful_calls":4,"failed_calls":6,
                "not_permitted_calls":0,"since_ms":1795000001000,
                "transition":{"from":"closed","to":"open","reason":"failure_rate"}})"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto& breaker = std::get<StreamEvent>(*result.message).breaker;
        QVERIFY(breaker.transition);
        QCOMPARE(*breaker.transition,
                 (BreakerTransition{QStringLiteral("closed"), QStringLiteral("open"),
                                    QStringLiteral("failure_rate")}));
    }

    void overrideAndThresholds() {
        const auto result = StreamMessageParser::parse(breakerEvent(kOverriddenBreaker));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const BreakerStatus& breaker = std::get<StreamEvent>(*result.message).breaker;
        QCOMPARE(breaker.state, BreakerState::ForcedOpen);
        QCOMPARE(breaker.failureRateThreshold, 50.0);
        QCOMPARE(breaker.slowCallRateThreshold, 100.0);
        QVERIFY(breaker.override.has_value());
        QCOMPARE(*breaker.override, (BreakerOverride{QStringLiteral("force_open"), 1795000063001,
                                                     QStringLiteral("alice")}));
    }

    void overrideWithoutExpiry() {
        const auto result = StreamMessageParser::parse(breakerEvent(kNoExpiryOverride));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const BreakerStatus& breaker = std::get<StreamEvent>(*result.message).breaker;
        QCOMPARE(breaker.failureRateThreshold, 25.5);
        QCOMPARE(breaker.slowCallRateThreshold, -1.0); // not sent
        QVERIFY(breaker.override.has_value());
        QCOMPARE(breaker.override->mode, QStringLiteral("disable"));
        QCOMPARE(breaker.override->expiresMs, 0); // null: no expiry
        QCOMPARE(breaker.override->by, QStringLiteral("bob"));
    }

    void nullOverrideIsNone() {
        const auto result = StreamMessageParser::parse(breakerEvent(kNullOverride));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(!std::get<StreamEvent>(*result.message).breaker.override);
    }

    void olderAgentSendsNeither() {
        // kSnapshotFrame is what agents before thresholds and overrides sent.
        const auto result = StreamMessageParser::parse(kSnapshotFrame);
        QVERIFY2(result.ok(), qPrintable(result.error));
        const BreakerStatus& redis =
            std::get<SnapshotMessage>(*result.message).snapshot.breakers.at(0);
        QVERIFY(!redis.override);
        QCOMPARE(redis.failureRateThreshold, -1.0);
        QCOMPARE(redis.slowCallRateThreshold, -1.0);
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("errorContains");

        QTest::newRow("breakers not array")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,
                "snapshot":{"breakers":{}}})")
            << "\"breakers\"";
        QTest::newRow("breaker not object")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,
                "snapshot":{"breakers":[3]}})")
            << "breakers[0]";
        QTest::newRow("breaker without name")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,
                "snapshot":{"breakers":[{"name":"a","state":0},{"state":0}]}})")
            << "breakers[1]: missing field \"name\"";
        QTest::newRow("empty name") << breakerEvent(R"({"name":"","state":0})") << "\"name\"";
        QTest::newRow("no state") << breakerEvent(R"({"name":"a"})") << "\"state\"";
        QTest::newRow("state out of range")
            << breakerEvent(R"({"name":"a","state":9})") << "unknown value 9";
        QTest::newRow("state as text")
            << breakerEvent(R"({"name":"a","state":"open"})") << "\"state\"";
        QTest::newRow("rate not number")
            << breakerEvent(R"({"name":"a","state":0,"failure_rate":"high"})") << "failure_rate";
        QTest::newRow("counter fraction")
            << breakerEvent(R"({"name":"a","state":0,"failed_calls":1.5})") << "failed_calls";
        QTest::newRow("counter negative")
            << breakerEvent(R"({"name":"a","state":0,"not_permitted_calls":-3})") << "negative";
        QTest::newRow("transition not object")
            << breakerEvent(R"({"name":"a","state":1,"transition":"closed->open"})")
            << "\"transition\"";
        QTest::newRow("transition without to")
            << breakerEvent(R"({"name":"a","state":1,"transition":{"from":"closed"}})")
            << "transition: missing field \"to\"";
        QTest::newRow("threshold as text")
            << withField("\"failure_rate_threshold\":\"50\"") << "\"failure_rate_threshold\"";
        QTest::newRow("slow threshold as bool")
            << withField("\"slow_call_rate_threshold\":true") << "\"slow_call_rate_threshold\"";
        QTest::newRow("override not object")
            << withField("\"override\":\"force_open\"") << "field \"override\" is not an object";
        QTest::newRow("override without mode")
            << withField("\"override\":{\"by\":\"alice\"}") << "override: missing field \"mode\"";
        QTest::newRow("override mode not string")
            << withField("\"override\":{\"mode\":1}") << "override: field \"mode\"";
        QTest::newRow("override expiry as text")
            << withField("\"override\":{\"mode\":\"disable\",\"expires_ms\":\"soon\"}")
            << "override: field \"expires_ms\"";
        QTest::newRow("override by not string")
            << withField("\"override\":{\"mode\":\"disable\",\"by\":7}")
            << "override: field \"by\"";
        QTest::newRow("event without data")
            << QByteArray(R"({"type":"event","seq":1,"stream":"x","kind":"breaker"})")
            << "\"data\"";
    }

    void malformed() {
        QFETCH(QByteArray, frame);
        QFETCH(QString, errorContains);
        const auto result = StreamMessageParser::parse(frame);
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(errorContains),
                 qPrintable(QStringLiteral("error was: ") + result.error));
    }
};

QTEST_GUILESS_MAIN(TestBreakerParsing)
#include "tst_breaker_parsing.moc"
