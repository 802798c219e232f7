// The figures a scorecard grades, as the console reads them: request latency percentiles
// (overall and per route), connection pools and the host process, from a snapshot and from
// their events, folded into FleetModel's snapshot; what an older agent leaves out stays absent.
#include "FleetModel.h"
#include "StreamFrames.h"
#include "StreamMessageParser.h"

#include <QJsonArray>
#include <QTest>

using switchboard::AgentSnapshot;
using switchboard::FleetModel;
using switchboard::PoolStatus;
using switchboard::SnapshotMessage;
using switchboard::StreamEvent;
using switchboard::StreamMessageParser;

namespace {

QJsonObject latency(double p50, double p95, double p99, double max) {
    return {{"count", 100}, {"p50", p50}, {"p95", p95}, {"p99", p99}, {"max", max}};
}

QJsonObject requestsDocument() {
    return {{"interval_ms", 1000},
            {"total", 1200},
            {"errors", 3},
            {"rate_per_s", 59.0},
            {"latency_ms", latency(4.5, 120.0, 310.0, 402.0)},
            {"routes", QJsonArray{QJsonObject{{"route", "orders.write"},
                                              {"total", 400},
                                              {"errors", 1},
                                              {"rate_per_s", 20.0},
                                              {"latency_ms", latency(6, 130, 320, 400)}},
                                  QJsonObject{{"route", "idle.route"},
                                              {"total", 0},
                                              {"errors", 0},
                                              {"rate_per_s", 0.0},
                                              {"latency_ms", QJsonValue::Null}}}}};
}

QJsonArray poolsDocument() {
    return {QJsonObject{{"name", "postgres.primary"}, {"in_use", 3}, {"open", 5}, {"max", 10}},
            QJsonObject{{"name", "unbounded"}, {"in_use", 2}, {"open", 2}, {"max", 0}},
            QJsonObject{{"name", "half"}, {"in_use", 1}},         // no open or max: left out
            QJsonObject{{"in_use", 1}, {"open", 1}, {"max", 1}}}; // no name: left out
}

QJsonObject processDocument() {
    return {{"interval_ms", 1000},
            {"cpu_percent", 37.5},
            {"cpu_count", 2},
            {"rss_bytes", 52428800},
            {"error", ""}};
}

AgentSnapshot parseSnapshot(const QJsonObject& reports) {
    const auto result =
        StreamMessageParser::parse(stream_frames::snapshotFrame(7, "s", 1000, reports));
    if (!result.ok())
        qFatal("%s", qPrintable(result.error));
    return std::get<SnapshotMessage>(*result.message).snapshot;
}

StreamEvent parseEvent(const QString& kind, const QJsonObject& data, qint64 seq = 8) {
    const auto result =
        StreamMessageParser::parse(stream_frames::eventFrame(seq, "s", kind, 2000, data));
    if (!result.ok())
        qFatal("%s", qPrintable(result.error));
    return std::get<StreamEvent>(*result.message);
}

} // namespace

class TestScorecardParsing : public QObject {
    Q_OBJECT

private slots:
    void latencyPercentilesOverallAndPerRoute() {
        const AgentSnapshot snapshot = parseSnapshot({{"requests", requestsDocument()}});
        QCOMPARE(snapshot.requests.latencyP50Ms, std::optional<double>(4.5));
        QCOMPARE(snapshot.requests.latencyP95Ms, std::optional<double>(120.0));
        QCOMPARE(snapshot.requests.latencyP99Ms, std::optional<double>(310.0));
        QCOMPARE(snapshot.requests.latencyMaxMs, std::optional<double>(402.0));
        QCOMPARE(snapshot.requests.routes.size(), 2);
        QCOMPARE(snapshot.requests.routes.at(0).latencyP95Ms, std::optional<double>(130.0));
        // A route without a request in the interval has no percentiles, not zeros.
        QVERIFY(!snapshot.requests.routes.at(1).latencyP50Ms);
        QVERIFY(!snapshot.requests.routes.at(1).latencyP99Ms);
    }

    void olderAgentsLeaveEverythingAbsent() {
        QJsonObject requests = requestsDocument();
        requests.remove("latency_ms");
        requests.insert("routes", QJsonArray{QJsonObject{{"route", "r"}, {"total", 1}}});
        const AgentSnapshot snapshot = parseSnapshot({{"requests", requests}});
        QVERIFY(!snapshot.requests.latencyP50Ms);
        QVERIFY(!snapshot.requests.latencyP95Ms);
        QVERIFY(!snapshot.requests.routes.at(0).latencyP95Ms);
        QVERIFY(snapshot.pools.isEmpty());
        QVERIFY(!snapshot.process);
    }

    void badLatencyIsAnErrorNamingIt() {
        QJsonObject requests = requestsDocument();
        requests.insert("latency_ms", QJsonObject{{"p95", "slow"}});
        QString error;
        QVERIFY(!StreamMessageParser::parseRequests(requests, &error));
        QVERIFY2(error.contains("latency_ms") && error.contains("p95"), qPrintable(error));
        requests.insert("latency_ms", 12);
        QVERIFY(!StreamMessageParser::parseRequests(requests, &error));
        QVERIFY2(error.contains("latency_ms"), qPrintable(error));
    }

    void poolsInTheSnapshot() {
        const AgentSnapshot snapshot = parseSnapshot({{"pools", poolsDocument()}});
        QCOMPARE(snapshot.pools.size(), 2);
        const PoolStatus& primary = snapshot.pools.at(0);
        QCOMPARE(primary.name, QStringLiteral("postgres.primary"));
        QCOMPARE(primary.inUse, 3);
        QCOMPARE(primary.open, 5);
        QCOMPARE(primary.max, 10);
        QCOMPARE(primary.useRatio(), 0.3);
        QCOMPARE(snapshot.pools.at(1).useRatio(), -1.0); // no limit: no share of one
    }

    void processInTheSnapshot() {
        const AgentSnapshot snapshot = parseSnapshot({{"process", processDocument()}});
        QVERIFY(snapshot.process);
        QCOMPARE(snapshot.process->cpuPercent, 37.5);
        QCOMPARE(snapshot.process->cpuCount, 2);
        QCOMPARE(snapshot.process->rssBytes, Q_INT64_C(52428800));
        QCOMPARE(snapshot.process->intervalMs, 1000);
        QCOMPARE(snapshot.process->cpuPercentOfAllCores(), 18.75);
    }

    void unmeasuredProcessFiguresStayUnknown() {
        const AgentSnapshot snapshot = parseSnapshot(
            {{"process", QJsonObject{{"cpu_percent", -1}, {"rss_bytes", "lots"}, {"error", "x"}}}});
        QVERIFY(snapshot.process);
        QCOMPARE(snapshot.process->cpuPercent, -1.0);
        QCOMPARE(snapshot.process->rssBytes, -1);
        QCOMPARE(snapshot.process->cpuPercentOfAllCores(), -1.0);
        QCOMPARE(snapshot.process->error, QStringLiteral("x"));
    }

    void eventsOfTheNewKinds() {
        const StreamEvent pools = parseEvent("pools", {{"pools", poolsDocument()}});
        QCOMPARE(pools.kind, StreamEvent::Kind::Pools);
        QCOMPARE(pools.pools.size(), 2);
        const StreamEvent process = parseEvent("process", processDocument());
        QCOMPARE(process.kind, StreamEvent::Kind::Process);
        QCOMPARE(process.process.cpuPercent, 37.5);
        const StreamEvent requests = parseEvent("requests", requestsDocument());
        QCOMPARE(requests.requests.latencyP99Ms, std::optional<double>(310.0));
    }

    void theFleetFoldsThemIntoTheSnapshot() {
        FleetModel model;
        model.updateAgent("a", parseSnapshot({}));
        QVERIFY(model.snapshot("a")->pools.isEmpty());
        QVERIFY(!model.snapshot("a")->process);

        model.applyEvent("a", parseEvent("pools", {{"pools", poolsDocument()}}, 8));
        model.applyEvent("a", parseEvent("process", processDocument(), 9));
        model.applyEvent("a", parseEvent("requests", requestsDocument(), 10));
        const AgentSnapshot folded = *model.snapshot("a");
        QCOMPARE(folded.pools.size(), 2);
        QCOMPARE(folded.pools.at(0).inUse, 3);
        QVERIFY(folded.process);
        QCOMPARE(folded.process->rssBytes, Q_INT64_C(52428800));
        QCOMPARE(folded.requests.latencyP95Ms, std::optional<double>(120.0));
        QCOMPARE(folded.revision, 10);

        // A later pools event replaces the list: a pool the backend forgot disappears.
        model.applyEvent("a", parseEvent("pools", {{"pools", QJsonArray{}}}, 11));
        QVERIFY(model.snapshot("a")->pools.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestScorecardParsing)
#include "tst_scorecard_parsing.moc"
