// StreamMessageParser: well-formed frames become typed messages, and anything else becomes an
// error string naming what is wrong, never a crash.
#include "StreamMessageParser.h"

#include <QTest>
#include <switchboard/protocol.h>

using switchboard::ProbeResult;
using switchboard::SnapshotMessage;
using switchboard::StreamEvent;
using switchboard::StreamMessageParser;
using switchboard::protocol::ProbeStatus;

namespace {

const QByteArray kSnapshotFrame = R"({
  "type": "snapshot", "seq": 42, "stream": "9f00", "protocol": 1,
  "snapshot": {
    "revision": 42, "time_ms": 1795000000000,
    "info": {"service": "checkout", "instance": "demo-1", "region": "us-east",
             "agent_version": "0.1.0", "protocol": 1,
             "capabilities": ["probes", "requests", "stream", "metrics"]},
    "probes": [
      {"name": "postgres.primary", "kind": "postgres", "target": "127.0.0.1:41234",
       "status": 1, "latency_ms": 0.8, "error": "", "checked_ms": 1795000000000,
       "detail": {"in_recovery": false}},
      {"name": "redis", "kind": "redis", "target": "127.0.0.1:41240",
       "status": 2, "latency_ms": 0, "error": "Connection refused", "checked_ms": 1795000000000,
       "detail": {}}
    ],
    "requests": {"interval_ms": 1000, "total": 1200, "errors": 3, "rate_per_s": 59.0,
                 "routes": [{"route": "orders.write", "total": 400, "errors": 1,
                             "rate_per_s": 20.0}]}
  }
})";

} // namespace

class TestStreamMessageParser : public QObject {
    Q_OBJECT

private slots:
    void snapshot() {
        const auto result = StreamMessageParser::parse(kSnapshotFrame);
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto* message = std::get_if<SnapshotMessage>(&*result.message);
        QVERIFY(message);
        QCOMPARE(message->seq, 42);
        QCOMPARE(message->streamId, QStringLiteral("9f00"));
        QCOMPARE(message->protocolVersion, switchboard::protocol::kVersion);
        QCOMPARE(message->snapshot.revision, 42);
        QCOMPARE(message->snapshot.timeMs, Q_INT64_C(1795000000000));
        QCOMPARE(message->snapshot.info.instance, QStringLiteral("demo-1"));
        QCOMPARE(message->snapshot.info.region, QStringLiteral("us-east"));
        QCOMPARE(message->snapshot.info.agentVersion, QStringLiteral("0.1.0"));
        QCOMPARE(message->snapshot.info.capabilities.size(), 4);
        QCOMPARE(message->snapshot.probes.size(), 2);
        const ProbeResult& primary = message->snapshot.probes.at(0);
        QCOMPARE(primary.status, ProbeStatus::Up);
        QCOMPARE(primary.latencyMs, 0.8);
        QCOMPARE(primary.detail.value(QStringLiteral("in_recovery")).toBool(), false);
        QCOMPARE(message->snapshot.probes.at(1).status, ProbeStatus::Down);
        QCOMPARE(message->snapshot.probes.at(1).error, QStringLiteral("Connection refused"));
        QCOMPARE(message->snapshot.requests.ratePerSecond, 59.0);
        QCOMPARE(message->snapshot.requests.routes.size(), 1);
        QCOMPARE(message->snapshot.requests.routes.at(0).route, QStringLiteral("orders.write"));
    }

    void events_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("seq");

        QTest::newRow("probe") << QByteArray(
                                      R"({"type":"event","seq":43,"stream":"9f","kind":"probe",
            "time_ms":1795000000500,"data":{"name":"redis","status":1,"latency_ms":0.3}})")
                               << int(StreamEvent::Kind::Probe) << qint64(43);
        QTest::newRow("requests")
            << QByteArray(R"({"type":"event","seq":44,"stream":"9f","kind":"requests",
            "time_ms":1795000001000,"data":{"interval_ms":1000,"total":5,"errors":0,
            "rate_per_s":12.5,"routes":[]}})")
            << int(StreamEvent::Kind::Requests) << qint64(44);
        QTest::newRow("unknown kind keeps its seq")
            << QByteArray(
                   R"({"type":"event","seq":45,"stream":"9f","kind":"future_kind","data":{}})")
            << int(StreamEvent::Kind::Unknown) << qint64(45);
    }

    void events() {
        QFETCH(QByteArray, frame);
        QFETCH(int, kind);
        QFETCH(qint64, seq);
        const auto result = StreamMessageParser::parse(frame);
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto* event = std::get_if<StreamEvent>(&*result.message);
        QVERIFY(event);
        QCOMPARE(int(event->kind), kind);
        QCOMPARE(event->seq, seq);
        QCOMPARE(event->streamId, QStringLiteral("9f"));
        if (event->kind == StreamEvent::Kind::Requests)
            QCOMPARE(event->requests.ratePerSecond, 12.5);
        if (event->kind == StreamEvent::Kind::Probe) {
            QCOMPARE(event->probe.name, QStringLiteral("redis"));
            QCOMPARE(event->probe.status, ProbeStatus::Up);
        }
    }

    void otherProtocolVersionStopsAtTheNumber() {
        // A future agent's snapshot may look different; the version alone must come through.
        const auto result = StreamMessageParser::parse(
            R"({"type":"snapshot","seq":1,"stream":"x","protocol":2,"snapshot":"whatever"})");
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(std::get<SnapshotMessage>(*result.message).protocolVersion, 2);
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("errorContains");

        QTest::newRow("empty") << QByteArray() << "not JSON";
        QTest::newRow("garbage") << QByteArray("\x01\xff{{") << "not JSON";
        QTest::newRow("truncated") << kSnapshotFrame.left(80) << "not JSON";
        QTest::newRow("array") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("no type") << QByteArray(R"({"seq":1,"stream":"x"})") << "\"type\"";
        QTest::newRow("unknown type")
            << QByteArray(R"({"type":"hello","seq":1,"stream":"x"})") << "unknown message type";
        QTest::newRow("seq string")
            << QByteArray(R"({"type":"event","seq":"1","stream":"x"})") << "\"seq\"";
        QTest::newRow("seq fraction")
            << QByteArray(R"({"type":"event","seq":1.5,"stream":"x"})") << "not an integer";
        QTest::newRow("seq negative")
            << QByteArray(R"({"type":"event","seq":-1,"stream":"x"})") << "negative";
        QTest::newRow("seq huge") << QByteArray(R"({"type":"event","seq":1e300,"stream":"x"})")
                                  << "not an integer";
        QTest::newRow("empty stream")
            << QByteArray(R"({"type":"event","seq":1,"stream":""})") << "\"stream\"";
        QTest::newRow("no protocol")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","snapshot":{}})")
            << "\"protocol\"";
        QTest::newRow("snapshot not object")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,"snapshot":3})")
            << "\"snapshot\"";
        QTest::newRow("probes not array")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,
                "snapshot":{"probes":{}}})")
            << "\"probes\"";
        QTest::newRow("probe without name")
            << QByteArray(R"({"type":"snapshot","seq":1,"stream":"x","protocol":1,
                "snapshot":{"probes":[{"status":1}]}})")
            << "probes[0]";
        QTest::newRow("probe status out of range")
            << QByteArray(R"({"type":"event","seq":1,"stream":"x","kind":"probe",
                "data":{"name":"p","status":7}})")
            << "unknown value 7";
        QTest::newRow("event without data")
            << QByteArray(R"({"type":"event","seq":1,"stream":"x","kind":"requests"})")
            << "\"data\"";
        QTest::newRow("rate not number")
            << QByteArray(R"({"type":"event","seq":1,"stream":"x","kind":"requests",
                "data":{"rate_per_s":"fast"}})")
            << "rate_per_s";
        QTest::newRow("route not object")
            << QByteArray(R"({"type":"event","seq":1,"stream":"x","kind":"requests",
                "data":{"routes":[5]}})")
            << "routes[0]";
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

QTEST_GUILESS_MAIN(TestStreamMessageParser)
#include "tst_stream_message_parser.moc"
