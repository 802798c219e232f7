// The architecture scorecard as pure logic (Scorecard.h): each line's pass, warn and fail at its
// limits with the reason naming the worst element, unknown (never pass) when nothing reports the
// figure, elements seen by several agents counted once, and the thresholds' JSON.
#include "Scorecard.h"

#include <QTest>

using namespace switchboard;

namespace {

ScorecardAgent agent(const QString& name, const QString& service = QStringLiteral("orders")) {
    ScorecardAgent a;
    a.name = name;
    a.snapshot.info.instance = name;
    a.snapshot.info.service = service;
    return a;
}

ReplicaStatus replica(const QString& name, double lagSeconds,
                      const QString& state = QStringLiteral("streaming")) {
    ReplicaStatus r;
    r.name = name;
    r.stateName = state;
    r.status = state == QLatin1String("streaming") ? protocol::ProbeStatus::Up
                                                   : protocol::ProbeStatus::Down;
    r.replayLagSeconds = lagSeconds;
    return r;
}

void withReplication(ScorecardAgent* a, QList<ReplicaStatus> replicas) {
    ReplicationStatus replication;
    replication.primary.name = QStringLiteral("pg-primary");
    replication.replicas = std::move(replicas);
    a->snapshot.replication = replication;
}

// A route's counters over the interval, without latency figures (an agent before them).
RouteRequestStats route(const QString& name, qint64 total, qint64 errors, double rate) {
    RouteRequestStats stats;
    stats.route = name;
    stats.total = total;
    stats.errors = errors;
    stats.ratePerSecond = rate;
    return stats;
}

const ScoreLine& lineOf(const QList<ScoreLine>& lines, const char* key) {
    static const ScoreLine none;
    for (const ScoreLine& line : lines)
        if (line.key == QLatin1String(key))
            return line;
    return none;
}

ScoreLine grade(const QList<ScorecardAgent>& agents, const char* key,
                const ScorecardThresholds& limits = {}) {
    return lineOf(gradeScorecard(agents, limits), key);
}

} // namespace

class TestScorecard : public QObject {
    Q_OBJECT

private slots:
    void nothingReportedIsUnknownNeverPass() {
        const QList<ScoreLine> lines = gradeScorecard({agent(QStringLiteral("a"))}, {});
        QCOMPARE(lines.size(), 11);
        for (const ScoreLine& line : lines) {
            if (line.key == QLatin1String("single_points_of_failure"))
                continue; // one instance of a service is itself a finding
            QVERIFY2(line.verdict == Verdict::Unknown, qPrintable(line.key));
            QVERIFY2(!line.why.isEmpty(), qPrintable(line.key));
        }
    }

    void replicaLagAtItsLimits_data() {
        QTest::addColumn<double>("lagSeconds");
        QTest::addColumn<Verdict>("verdict");
        QTest::newRow("well under") << 0.012 << Verdict::Pass;
        QTest::newRow("within the band") << 0.095 << Verdict::Warn;
        QTest::newRow("at the limit") << 0.100 << Verdict::Fail;
        QTest::newRow("over") << 2.5 << Verdict::Fail;
    }
    void replicaLagAtItsLimits() {
        QFETCH(double, lagSeconds);
        QFETCH(Verdict, verdict);
        ScorecardAgent a = agent(QStringLiteral("a"));
        withReplication(&a, {replica(QStringLiteral("pg-replica-1"), 0.001),
                             replica(QStringLiteral("pg-replica-2"), lagSeconds)});
        const ScoreLine line = grade({a}, "replica_lag");
        QCOMPARE(line.verdict, verdict);
        QVERIFY2(line.why.contains(QLatin1String("pg-replica-2")), qPrintable(line.why));
        QCOMPARE(line.concern, QStringLiteral("replication"));
    }

    void aReplicaNotStreamingFailsAndIsCountedOnce() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        ScorecardAgent b = agent(QStringLiteral("b"));
        for (ScorecardAgent* x : {&a, &b})
            withReplication(
                x, {replica(QStringLiteral("pg-replica-1"), 0.001),
                    replica(QStringLiteral("pg-replica-2"), 0, QStringLiteral("stopped"))});
        const ScoreLine line = grade({a, b}, "replica_lag");
        QCOMPARE(line.verdict, Verdict::Fail);
        QCOMPARE(line.figure, QStringLiteral("1 of 2 not streaming"));
        QVERIFY(line.why.contains(QLatin1String("pg-replica-2 (stopped)")));
    }

    void cacheHitRateNamesTheWorstInstance() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        ScorecardAgent b = agent(QStringLiteral("b"));
        a.snapshot.cache = CacheStatus{};
        a.snapshot.cache->hitRate = 91;
        b.snapshot.cache = CacheStatus{};
        b.snapshot.cache->hitRate = 62.5;
        ScoreLine line = grade({a, b}, "cache_hit_rate");
        QCOMPARE(line.verdict, Verdict::Fail);
        QVERIFY(line.why.contains(QLatin1String(" b")));
        b.snapshot.cache->hitRate = 74;
        QCOMPARE(grade({a, b}, "cache_hit_rate").verdict, Verdict::Warn);
        b.snapshot.cache->hitRate = -1; // no gets: only a counts
        QCOMPARE(grade({a, b}, "cache_hit_rate").verdict, Verdict::Pass);
    }

    void redisMemoryPerRedisNotPerInstance() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        a.snapshot.cache = CacheStatus{};
        a.snapshot.cache->redis.target = QStringLiteral("127.0.0.1:6379");
        a.snapshot.cache->redis.status = protocol::ProbeStatus::Up;
        a.snapshot.cache->redis.usedMemory = 80;
        a.snapshot.cache->redis.maxMemory = 100;
        QCOMPARE(grade({a}, "redis_memory").verdict, Verdict::Fail);
        a.snapshot.cache->redis.usedMemory = 70;
        QCOMPARE(grade({a}, "redis_memory").verdict, Verdict::Warn);
        a.snapshot.cache->redis.usedMemory = 10;
        QCOMPARE(grade({a}, "redis_memory").verdict, Verdict::Pass);
        a.snapshot.cache->redis.maxMemory = 0;
        const ScoreLine unbounded = grade({a}, "redis_memory");
        QCOMPARE(unbounded.verdict, Verdict::Warn);
        QVERIFY(unbounded.why.contains(QLatin1String("no maxmemory")));
        a.snapshot.cache->redis.status = protocol::ProbeStatus::Down;
        QCOMPARE(grade({a}, "redis_memory").verdict, Verdict::Fail);
    }

    void breakers() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        BreakerStatus pricing;
        pricing.name = QStringLiteral("pricing");
        a.snapshot.breakers = {pricing};
        QCOMPARE(grade({a}, "open_breakers").verdict, Verdict::Pass);
        a.snapshot.breakers[0].state = protocol::BreakerState::HalfOpen;
        QCOMPARE(grade({a}, "open_breakers").verdict, Verdict::Warn);
        a.snapshot.breakers[0].state = protocol::BreakerState::Open;
        const ScoreLine open = grade({a}, "open_breakers");
        QCOMPARE(open.verdict, Verdict::Fail);
        QVERIFY(open.why.contains(QLatin1String("pricing on a")));
        a.snapshot.breakers[0].state = protocol::BreakerState::ForcedOpen;
        QVERIFY(grade({a}, "open_breakers").why.contains(QLatin1String("forced")));
    }

    void errorRateOverTheLastInterval() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        a.snapshot.requests.routes = {route(QStringLiteral("orders.write"), 1000, 5, 100),
                                      route(QStringLiteral("catalog.read"), 1000, 0, 100)};
        QCOMPARE(grade({a}, "error_rate").verdict, Verdict::Pass); // 0.25 %
        a.snapshot.requests.routes[0].errors = 19;                 // 0.95 %: within the band
        QCOMPARE(grade({a}, "error_rate").verdict, Verdict::Warn);
        a.snapshot.requests.routes[0].errors = 300;
        const ScoreLine line = grade({a}, "error_rate");
        QCOMPARE(line.verdict, Verdict::Fail);
        QVERIFY2(line.why.contains(QLatin1String("orders.write")), qPrintable(line.why));
    }

    void p95LatencyNamesTheWorstRoute() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        ScorecardAgent b = agent(QStringLiteral("b"));
        a.snapshot.requests.routes = {route(QStringLiteral("orders.write"), 100, 0, 10),
                                      route(QStringLiteral("catalog.read"), 100, 0, 10)};
        QCOMPARE(grade({a}, "p95_latency").verdict, Verdict::Unknown); // an agent before them
        a.snapshot.requests.routes[0].latencyP95Ms = 120;
        a.snapshot.requests.routes[1].latencyP95Ms = 3.5;
        b.snapshot.requests.latencyP95Ms = 40; // only an overall figure: it counts as one
        QCOMPARE(grade({a, b}, "p95_latency").verdict, Verdict::Pass);
        b.snapshot.requests.latencyP95Ms = 470; // within the 10 % band of 500 ms
        const ScoreLine warn = grade({a, b}, "p95_latency");
        QCOMPARE(warn.verdict, Verdict::Warn);
        QCOMPARE(warn.figure, QStringLiteral("470 ms"));
        a.snapshot.requests.routes[0].latencyP95Ms = 900;
        const ScoreLine fail = grade({a, b}, "p95_latency");
        QCOMPARE(fail.verdict, Verdict::Fail);
        QVERIFY2(fail.why.contains(QLatin1String("orders.write on a")), qPrintable(fail.why));
        ScorecardThresholds relaxed;
        relaxed.p95LatencyMs = 1000;
        QCOMPARE(grade({a, b}, "p95_latency", relaxed).verdict, Verdict::Warn);
    }

    void poolUseOverEachPoolsLimit() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        QCOMPARE(grade({a}, "pool_use").verdict, Verdict::Unknown);
        a.snapshot.pools = {{QStringLiteral("postgres.primary"), 3, 5, 10},
                            {QStringLiteral("redis.cache"), 0, 2, 0}};
        QCOMPARE(grade({a}, "pool_use").verdict, Verdict::Pass); // 30 %; the unbounded ignored
        a.snapshot.pools[0].inUse = 8;                           // at the limit of 80 %
        const ScoreLine fail = grade({a}, "pool_use");
        QCOMPARE(fail.verdict, Verdict::Fail);
        QCOMPARE(fail.figure, QStringLiteral("80 %"));
        QVERIFY2(fail.why.contains(QLatin1String("postgres.primary on a")), qPrintable(fail.why));
        a.snapshot.pools.removeFirst();
        const ScoreLine unbounded = grade({a}, "pool_use");
        QCOMPARE(unbounded.verdict, Verdict::Unknown);
        QVERIFY2(unbounded.why.contains(QLatin1String("redis.cache")), qPrintable(unbounded.why));
    }

    void cpuOverEveryCoreTheProcessMayUse() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        ScorecardAgent b = agent(QStringLiteral("b"));
        QCOMPARE(grade({a}, "cpu").verdict, Verdict::Unknown);
        a.snapshot.process = ProcessStatus{1000, 120, 4, 1 << 20, {}}; // 30 % of four cores
        b.snapshot.process = ProcessStatus{1000, -1, 4, -1, QStringLiteral("no /proc")};
        QCOMPARE(grade({a, b}, "cpu").verdict, Verdict::Pass);
        a.snapshot.process->cpuPercent = 300; // 75 %
        const ScoreLine fail = grade({a, b}, "cpu");
        QCOMPARE(fail.verdict, Verdict::Fail);
        QCOMPARE(fail.figure, QStringLiteral("75 %"));
        QVERIFY2(fail.why.contains(QLatin1String(" a")), qPrintable(fail.why));
        const ScoreLine unmeasured = grade({b}, "cpu");
        QCOMPARE(unmeasured.verdict, Verdict::Unknown);
        QVERIFY2(unmeasured.why.contains(QLatin1String("no /proc")), qPrintable(unmeasured.why));
    }

    void lastDrillAgainstTheTier() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        a.snapshot.regions = RegionsStatus{};
        a.snapshot.regions->targets.tier = QStringLiteral("critical");
        QCOMPARE(grade({a}, "last_drill").verdict, Verdict::Warn); // none yet
        DrillResult drill;
        drill.kind = QStringLiteral("switchover");
        drill.region = QStringLiteral("us-east");
        drill.outcome = QStringLiteral("succeeded");
        drill.finishedMs = 10;
        drill.rtoMs = 400;
        drill.rpoWrites = 0;
        drill.rtoMet = true;
        drill.rpoMet = true;
        DrillResult older = drill;
        older.finishedMs = 5;
        older.rpoMet = false;
        a.snapshot.regions->drills = {older, drill};
        QCOMPARE(grade({a}, "last_drill").verdict, Verdict::Pass); // the newest counts
        a.snapshot.regions->drills[1].rpoMet = false;
        const ScoreLine missed = grade({a}, "last_drill");
        QCOMPARE(missed.verdict, Verdict::Fail);
        QVERIFY2(missed.why.contains(QLatin1String("critical's RPO")), qPrintable(missed.why));
    }

    void shardSkewByLoadElseRows() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        a.snapshot.shards = ShardsStatus{};
        a.snapshot.shards->nodes = {ShardNode{}, ShardNode{}};
        a.snapshot.shards->skew.rows.maxOverMean = 1.7;
        QCOMPARE(grade({a}, "shard_skew").verdict, Verdict::Fail);
        a.snapshot.shards->skew.load.maxOverMean = 1.1;
        const ScoreLine byLoad = grade({a}, "shard_skew");
        QCOMPARE(byLoad.verdict, Verdict::Pass);
        QVERIFY(byLoad.why.contains(QLatin1String("load")));
    }

    void singlePointsOfFailure() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        ScorecardAgent b = agent(QStringLiteral("b"));
        for (ScorecardAgent* x : {&a, &b})
            withReplication(x, {replica(QStringLiteral("pg-replica-1"), 0.001)});
        QCOMPARE(grade({a, b}, "single_points_of_failure").verdict, Verdict::Pass);
        // One instance of the service, a region with one node, a primary without replica.
        a.snapshot.regions = RegionsStatus{};
        RegionStatus eu;
        eu.name = QStringLiteral("eu-west");
        eu.members = {RegionMember{}};
        a.snapshot.regions->regions = {eu};
        withReplication(&a,
                        {replica(QStringLiteral("pg-replica-1"), 0, QStringLiteral("stopped"))});
        const ScoreLine line = grade({a}, "single_points_of_failure");
        QCOMPARE(line.verdict, Verdict::Fail);
        QCOMPARE(line.figure, QStringLiteral("3 found"));
        for (const char* finding : {"region eu-west has one database node",
                                    "PostgreSQL pg-primary has no streaming replica",
                                    "service orders runs one instance (a)"})
            QVERIFY2(line.why.contains(QLatin1String(finding)), qPrintable(line.why));
    }

    void thresholdsAreConfigurable() {
        ScorecardAgent a = agent(QStringLiteral("a"));
        withReplication(&a, {replica(QStringLiteral("pg-replica-1"), 0.150)});
        ScorecardThresholds limits;
        QCOMPARE(grade({a}, "replica_lag", limits).verdict, Verdict::Fail);
        limits.replicaLagMs = 500;
        const ScoreLine line = grade({a}, "replica_lag", limits);
        QCOMPARE(line.verdict, Verdict::Pass);
        QCOMPARE(line.title, QStringLiteral("Replica lag < 500 ms"));
    }

    void thresholdsJson() {
        ScorecardThresholds limits;
        limits.cpuPercent = 85;
        QString error;
        QCOMPARE(ScorecardThresholds::fromJson(limits.toJson(), &error), limits);
        const auto partial = ScorecardThresholds::fromJson(R"({"replica_lag_ms": 250})", &error);
        QVERIFY(partial);
        QCOMPARE(partial->replicaLagMs, 250.0);
        QCOMPARE(partial->p95LatencyMs, 500.0);
        QVERIFY(!ScorecardThresholds::fromJson(R"({"cpu_percent": "high"})", &error));
        QVERIFY2(error.contains(QLatin1String("cpu_percent")), qPrintable(error));
        QVERIFY(!ScorecardThresholds::fromJson("[1]", &error));
        QVERIFY(!ScorecardThresholds::fromJson("{", &error));
        QVERIFY(error.contains(QLatin1String("not JSON")));
    }

    void worstVerdictRanksUnknownBetweenPassAndWarn() {
        QCOMPARE(worstVerdict({}), Verdict::Pass);
        ScoreLine pass, unknown, warn, fail;
        pass.verdict = Verdict::Pass;
        unknown.verdict = Verdict::Unknown;
        warn.verdict = Verdict::Warn;
        fail.verdict = Verdict::Fail;
        QCOMPARE(worstVerdict({pass, unknown}), Verdict::Unknown);
        QCOMPARE(worstVerdict({unknown, warn, pass}), Verdict::Warn);
        QCOMPARE(worstVerdict({fail, warn}), Verdict::Fail);
    }
};

QTEST_GUILESS_MAIN(TestScorecard)
#include "tst_scorecard.moc"
