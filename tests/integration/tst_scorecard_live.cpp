// Issue 10's scorecard acceptance on the live full stack: two demo backends (one service, two
// instances) watched by the console's Fleet and graded by its ScorecardModel. Each line is made
// to fail on purpose and the test reads the verdict and the reason the console would show:
//  - replay paused on the us-east replica → replica lag fails naming it; resumed, it clears;
//  - the dependency slowed past 500 ms → p95 latency fails naming the route;
//  - Redis's maxmemory shrunk under what it holds and the catalog's working set grown past the
//    cache → Redis memory and the cache hit rate fail;
//  - the dependency failing every call → its breaker opens and the open-breakers line names it;
//  - CPU graded against a limit under what the demo burns (an operator's threshold);
//  - the us-east replica stopped (its Patroni node killed) → single points of failure names
//    us-east.
// Every change is undone before the next: a line that should not fail is checked to pass first.
#include "DemoBackend.h"
#include "Fleet.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ScorecardModel.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QTimer>
#include <memory>
#include <pqxx/pqxx>

using namespace switchboard;

namespace {

constexpr int kLineTimeoutMs = 40000;

QString describe(const ScoreLine& line) {
    return QStringLiteral("%1: %2, %3 (%4)")
        .arg(line.key, verdictName(line.verdict), line.figure, line.why);
}

} // namespace

class TestScorecardLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> first_;
    std::unique_ptr<DemoBackend> second_;
    std::unique_ptr<Fleet> fleet_;
    std::unique_ptr<ScorecardModel> scorecard_;

    ScoreLine line(const char* key) {
        scorecard_->recompute();
        for (const ScoreLine& line : scorecard_->lines())
            if (line.key == QLatin1String(key))
                return line;
        return {};
    }
    Verdict verdict(const char* key) { return line(key).verdict; }
    // Waits until the line has the verdict (and its reason names `naming`), then says it (the
    // figure and reason, for the log).
    bool reaches(const char* key, Verdict wanted, const QString& naming = {}) {
        QElapsedTimer elapsed;
        elapsed.start();
        while (elapsed.elapsed() < kLineTimeoutMs) {
            const ScoreLine now = line(key);
            if (now.verdict == wanted && now.why.contains(naming)) {
                qInfo("%s", qPrintable(describe(now)));
                return true;
            }
            QTest::qWait(250);
        }
        qWarning("waited for %s naming \"%s\", still %s", qPrintable(verdictName(wanted)),
                 qPrintable(naming), qPrintable(describe(line(key))));
        return false;
    }
    bool passes(const char* key) { return reaches(key, Verdict::Pass); }
    bool fails(const char* key, const QString& naming = {}) {
        return reaches(key, Verdict::Fail, naming);
    }

    std::string conninfoOf(const QString& server) const {
        return QStringLiteral("host=127.0.0.1 port=%1 user=switchboard dbname=switchboard "
                              "connect_timeout=5")
            .arg(stack_->server(server).value(QStringLiteral("port")).toInt())
            .toStdString();
    }
    // The us-east Patroni node that leads, or the one that does not, as the agents report it.
    QString usEastMember(bool leader) const {
        for (const ScorecardAgent& agent : scorecardAgentsOf(*fleet_))
            if (agent.snapshot.regions)
                for (const RegionStatus& region : agent.snapshot.regions->regions)
                    if (region.name == QLatin1String("us-east"))
                        for (const RegionMember& member : region.members)
                            if ((member.name == region.leader) == leader)
                                return member.name;
        return {};
    }
    QString usEastReplica() const { return usEastMember(false); }
    bool setKnobs(const QJsonObject& knobs) {
        for (DemoBackend* demo : {first_.get(), second_.get()}) {
            QUrl url = demo->dependencyUrl();
            url.setPath(QStringLiteral("/knobs"));
            if (HttpCall::run("PUT", url, {}, QJsonDocument(knobs).toJson()).status != 200)
                return false;
        }
        return true;
    }
    // The knobs as the demos started with them: what each test puts back.
    QJsonObject initialKnobs_;
    bool restoreKnobs() { return setKnobs(initialKnobs_); }
    QString redis(const QStringList& arguments) const {
        QProcess cli;
        cli.start(QStringLiteral("redis-cli"),
                  QStringList{QStringLiteral("-p"),
                              QString::number(stack_->server(QStringLiteral("redis"))
                                                  .value(QStringLiteral("port"))
                                                  .toInt())} +
                      arguments);
        cli.waitForFinished(10000);
        return QString::fromUtf8(cli.readAllStandardOutput()).trimmed();
    }
    bool stackCommand(const QStringList& arguments) {
        const QString failed = stack_->command(arguments);
        if (!failed.isEmpty())
            qWarning("%s", qPrintable(failed));
        return failed.isEmpty();
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>(QStringLiteral("full"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        first_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-sc1"));
        second_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-sc2"));
        QVERIFY2(first_->start(), qPrintable(first_->output()));
        QVERIFY2(second_->start(), qPrintable(second_->output()));
        fleet_ = std::make_unique<Fleet>();
        fleet_->addAgent(first_->url(), stack_->viewerToken());
        fleet_->addAgent(second_->url(), stack_->viewerToken());
        scorecard_ = std::make_unique<ScorecardModel>(fleet_.get());
        QTRY_VERIFY_WITH_TIMEOUT(!usEastReplica().isEmpty(), 30000);
        QUrl knobs = first_->dependencyUrl();
        knobs.setPath(QStringLiteral("/knobs"));
        initialKnobs_ = HttpCall::run("GET", knobs).json;
        initialKnobs_.remove(QStringLiteral("hot_tenant"));
        QVERIFY(initialKnobs_.contains(QStringLiteral("catalog_keys")));
    }
    void cleanupTestCase() {
        scorecard_.reset();
        fleet_.reset();
        second_.reset();
        first_.reset();
        stack_.reset();
    }

    void everyFigureIsReportedFromTheLiveStack() {
        // The agents report every figure the lines grade: none stays unknown once they have.
        for (const char* key : {"p95_latency", "replica_lag", "cache_hit_rate", "pool_use", "cpu",
                                "redis_memory", "open_breakers", "error_rate", "last_drill",
                                "shard_skew", "single_points_of_failure"}) {
            QTRY_VERIFY2_WITH_TIMEOUT(verdict(key) != Verdict::Unknown,
                                      qPrintable(describe(line(key))), kLineTimeoutMs);
            qInfo("%s", qPrintable(describe(line(key))));
        }
        QCOMPARE(scorecard_->lines().size(), 12); // and the capacity headroom
    }

    void pausedReplayFailsReplicaLag() {
        QVERIFY(passes("replica_lag"));
        const QString replica = usEastReplica();
        pqxx::connection db(conninfoOf(replica));
        pqxx::nontransaction(db).exec("SELECT pg_wal_replay_pause()");
        // Paused again and again while the test waits: a pause that something else resumes
        // (Patroni's loop, a recovery conflict) would otherwise leave the standby caught up before
        // a slow probe cycle (a sanitizer build) sees it behind.
        QTimer keepPaused;
        QObject::connect(&keepPaused, &QTimer::timeout, [&db] {
            try {
                pqxx::nontransaction(db).exec("SELECT pg_wal_replay_pause()");
            } catch (const std::exception& error) {
                qWarning("pausing replay again: %s", error.what());
            }
        });
        keepPaused.start(200);
        // The other standby (eu-west) may lag past the limit for a moment too: the line must
        // come to name the paused one. (Its lag in time is the agent's stall measure when the
        // primary's replay_lag stays at its last value: ReplayStall.)
        const bool failed = fails("replica_lag", replica);
        if (!failed)
            for (const ScorecardAgent& agent : scorecardAgentsOf(*fleet_))
                if (agent.snapshot.replication)
                    for (const ReplicaStatus& seen : agent.snapshot.replication->replicas)
                        qWarning("%s sees %s: %s, %.3f s", qPrintable(agent.name),
                                 qPrintable(seen.name), qPrintable(seen.stateName),
                                 seen.replayLagSeconds);
        keepPaused.stop();
        pqxx::nontransaction(db).exec("SELECT pg_wal_replay_resume()");
        QVERIFY(failed);
        QVERIFY(passes("replica_lag"));
    }

    void aSlowDependencyFailsP95Latency() {
        QVERIFY(passes("p95_latency"));
        QVERIFY(setKnobs({{"latency_ms", 700}}));
        const bool failed = fails("p95_latency", QStringLiteral("pricing.quote on demo-sc"));
        QVERIFY(restoreKnobs());
        QVERIFY(failed);
        QVERIFY(passes("p95_latency"));
    }

    void aShrunkCacheFailsRedisMemoryAndTheHitRate() {
        QVERIFY(passes("cache_hit_rate"));
        auto setting = [this](const char* name) {
            return redis(
                       {QStringLiteral("CONFIG"), QStringLiteral("GET"), QString::fromLatin1(name)})
                .section(QLatin1Char('\n'), 1);
        };
        const QString maxmemory = setting("maxmemory"), policy = setting("maxmemory-policy");
        QVERIFY(!maxmemory.isEmpty() && !policy.isEmpty());
        // The catalog's hot keys no longer fit: its working set is now a million items, evenly.
        QVERIFY(setKnobs({{"catalog_keys", 1000000}, {"catalog_skew", 0.0}}));
        QVERIFY(fails("cache_hit_rate", QStringLiteral("demo-sc")));
        // maxmemory just over what Redis holds: evictions from here, and 75 % is past.
        const qint64 used = redis({QStringLiteral("INFO"), QStringLiteral("memory")})
                                .section(QStringLiteral("used_memory:"), 1)
                                .section(QLatin1Char('\r'), 0, 0)
                                .section(QLatin1Char('\n'), 0, 0)
                                .toLongLong();
        QVERIFY(used > 0);
        QCOMPARE(redis({QStringLiteral("CONFIG"), QStringLiteral("SET"),
                        QStringLiteral("maxmemory-policy"), QStringLiteral("allkeys-lru")}),
                 QStringLiteral("OK"));
        QCOMPARE(redis({QStringLiteral("CONFIG"), QStringLiteral("SET"),
                        QStringLiteral("maxmemory"), QString::number(used + used / 10)}),
                 QStringLiteral("OK"));
        const QString redisPort = QString::number(
            stack_->server(QStringLiteral("redis")).value(QStringLiteral("port")).toInt());
        const bool failed = fails("redis_memory", redisPort);
        redis({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory"),
               maxmemory});
        redis({QStringLiteral("CONFIG"), QStringLiteral("SET"), QStringLiteral("maxmemory-policy"),
               policy});
        QVERIFY(restoreKnobs());
        QVERIFY(failed);
        QVERIFY(passes("cache_hit_rate"));
    }

    void anOpenBreakerFailsItsLine() {
        QVERIFY(passes("open_breakers"));
        QVERIFY(setKnobs({{"error_rate", 1.0}}));
        const bool failed = fails("open_breakers", QStringLiteral("pricing on demo-sc"));
        QVERIFY(restoreKnobs());
        QVERIFY(failed);
        QVERIFY(passes("open_breakers"));
    }

    void aBusyProcessFailsCpu() {
        // The demo burns a few percent of a core: graded against a limit under that, as an
        // operator may set it, the line fails naming the busiest instance, and passes again at
        // the default. (Connection-pool use is graded the same way: tst_scorecard; its live
        // figure, tst_agent_scorecard_figures. A pool of four cannot be filled on purpose here
        // reliably: a blocked read holds its lease only until its statement timeout.)
        ScorecardThresholds strict = scorecard_->thresholds();
        strict.cpuPercent = 0.01;
        scorecard_->setThresholds(strict);
        QVERIFY(fails("cpu", QStringLiteral("demo-sc")));
        scorecard_->setThresholds({});
        QVERIFY(passes("cpu"));
    }

    void aStoppedStandbyIsASinglePointOfFailure() {
        const QString replica = usEastReplica();
        QVERIFY(!line("single_points_of_failure").why.contains(QLatin1String("us-east")));
        QVERIFY(stackCommand({QStringLiteral("kill"), QStringLiteral("--name"), replica}));
        QTRY_VERIFY2_WITH_TIMEOUT(
            line("single_points_of_failure").why.contains(QLatin1String("region us-east has one")),
            qPrintable(describe(line("single_points_of_failure"))), kLineTimeoutMs);
        QCOMPARE(verdict("single_points_of_failure"), Verdict::Fail);
        qInfo("%s", qPrintable(describe(line("single_points_of_failure"))));
        QVERIFY(stackCommand({QStringLiteral("start-node"), QStringLiteral("--name"), replica}));
    }
};

QTEST_GUILESS_MAIN(TestScorecardLive)
#include "tst_scorecard_live.moc"
