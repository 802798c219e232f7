// Issue 11's fault injection on the minimal stack: two demo backends write (sequence-numbered
// orders on pg-primary through the write router, sharded orders on shard-1 and shard-2) while
// the console's Fleet watches them, and one fault at a time hits a server or a process:
//  - kill -9 of the replica: the Replication view shows it down, the read router sends it no
//    reads; restarted (scripts/stack start-node), it is healthy and gets reads again;
//  - kill -9 of a shard node: the Shards view shows it down, the other node keeps taking
//    writes, no write is acknowledged for the dead one; restarted, it takes writes again;
//  - kill -9 of Redis: the Cache view shows Redis down, the L2 breaker opens, the demos keep
//    answering from L1 and the database; restarted, the cache recovers;
//  - kill -9 of the console (the real binary, offscreen): the agent lets go of its connections
//    and notices nothing else; a new console connects;
//  - SIGSTOP of an agent for 8 s: the Fleet shows it stale while its event loop keeps turning;
//    SIGCONT: live again;
//  - kill -9 of a demo instance: the Fleet shows it stale, the other keeps serving; restarted on
//    its port, it is live again.
// After each, every write any demo saw acknowledged is counted on the databases: none may be
// lost (the design promises 0 for all of these). Each fault prints its figures (FaultLine.h).
#include "AcknowledgedOrders.h"
#include "AcknowledgedWrites.h"
#include "DemoBackend.h"
#include "FaultLine.h"
#include "Fleet.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "TcpConnections.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <csignal>
#include <functional>
#include <memory>
#include <pqxx/pqxx>

using namespace switchboard;

namespace {

constexpr const char* kReplica = "pg-replica-1";
// How long the agent stays stopped: well past the console's staleness threshold (1.5 s) and its
// handshake timeout (5 s), so both show.
constexpr int kStoppedMs = 8000;

QJsonObject named(const QJsonArray& array, const char* key, const QString& name) {
    for (const auto& value : array)
        if (value.toObject().value(QLatin1String(key)).toString() == name)
            return value.toObject();
    return {};
}

// Runs `undo` when the scope ends, however a test slot ends (a failed QVERIFY returns early).
struct Undo {
    std::function<void()> undo;
    ~Undo() {
        if (undo)
            undo();
    }
};

} // namespace

class TestFaultInjection : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> first_;
    std::unique_ptr<DemoBackend> second_;
    std::unique_ptr<Fleet> fleet_;
    QTemporaryDir files_;
    // Every file a demo process wrote its acknowledged writes into (one pair per start: a
    // restarted demo begins a new run of sequence numbers).
    QStringList writesFiles_;
    QStringList ordersFiles_;
    QString firstId_, secondId_;

    std::string conninfo(const QString& server) const {
        return stack_->server(server).value(QStringLiteral("conninfo")).toString().toStdString();
    }
    bool stackCommand(const QStringList& arguments) {
        const QString failed = stack_->command(arguments, 60000);
        if (!failed.isEmpty())
            qWarning("%s", qPrintable(failed));
        return failed.isEmpty();
    }
    // Starts `demo` with fresh acknowledgement files; `port` 0 picks a free one.
    bool startDemo(DemoBackend& demo, const QString& instance, int port = 0) {
        const QString stem = files_.filePath(instance + QString::number(writesFiles_.size()));
        writesFiles_.append(stem + QStringLiteral(".writes"));
        ordersFiles_.append(stem + QStringLiteral(".orders"));
        demo.setExtraArguments({QStringLiteral("--acked-writes"), writesFiles_.last(),
                                QStringLiteral("--acked-file"), ordersFiles_.last(),
                                QStringLiteral("--rate"), QStringLiteral("20")});
        return demo.start(port);
    }
    // Counts every acknowledged write of every demo start, and how many of them the databases
    // lack: sequenced orders on pg-primary, sharded orders on either shard node.
    void countWrites(FaultFigures& figures) {
        figures.acknowledged = 0;
        figures.lost = 0;
        for (const QString& file : writesFiles_) {
            const auto [run, sequences] = acknowledgedWrites(file);
            if (run.empty())
                continue;
            figures.acknowledged += qint64(sequences.size());
            figures.lost += qint64(
                missingWrites(conninfo(QStringLiteral("pg-primary")), run, sequences).size());
        }
        std::set<long long> orders;
        for (const QString& file : ordersFiles_)
            orders.merge(acknowledgedOrders(file));
        figures.acknowledged += qint64(orders.size());
        figures.lost += qint64(
            missingOrders(
                {conninfo(QStringLiteral("shard-1")), conninfo(QStringLiteral("shard-2"))}, orders)
                .size());
    }
    long long acknowledgedSequences(const QString& file) const {
        return qint64(acknowledgedWrites(file).second.size());
    }
    std::set<long long> acknowledgedOrdersOfAll() const {
        std::set<long long> orders;
        for (const QString& file : ordersFiles_)
            orders.merge(acknowledgedOrders(file));
        return orders;
    }

    HttpResult get(const DemoBackend& demo, const QString& path) const {
        QUrl url = demo.url();
        url.setPath(path);
        return HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()));
    }
    QJsonObject snapshot(const DemoBackend& demo) const {
        return get(demo, QStringLiteral("/v1/snapshot")).json;
    }
    QJsonObject routeOf(const DemoBackend& demo, const QString& route) const {
        return named(snapshot(demo).value("requests").toObject().value("routes").toArray(), "route",
                     route);
    }
    qint64 routeErrors(const QString& route) const {
        return routeOf(*first_, route).value("errors").toInteger() +
               routeOf(*second_, route).value("errors").toInteger();
    }
    qint64 readsTo(const QString& target) const {
        return named(snapshot(*first_).value("read_router").toObject().value("targets").toArray(),
                     "name", target)
            .value("reads")
            .toInteger(-1);
    }
    bool eligible(const QString& target) const {
        return named(snapshot(*first_).value("read_router").toObject().value("targets").toArray(),
                     "name", target)
            .value("eligible")
            .toBool();
    }
    QString l2Breaker(const DemoBackend& demo) const {
        return snapshot(demo)
            .value("cache")
            .toObject()
            .value("layers")
            .toObject()
            .value("l2")
            .toObject()
            .value("breaker")
            .toString();
    }
    qint64 rowsOn(const QString& shard) const {
        pqxx::connection db(conninfo(shard));
        pqxx::nontransaction tx(db);
        return tx.exec1("SELECT count(*) FROM demo_sharded_orders")[0].as<qint64>();
    }

    // What the console's models show.
    ReplicationHealth replicationHealth(const QString& node) const {
        const ReplicationModel& model = *fleet_->replication();
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.nodeName(
                    model.index(row, 0).data(ReplicationModel::NodeKeyRole).toString()) == node)
                return ReplicationHealth(
                    model.index(row, 0).data(ReplicationModel::ReplicationHealthRole).toInt());
        return ReplicationHealth::Stale;
    }
    ShardHealth shardHealth(const QString& node) const {
        const ShardCluster& cluster = fleet_->shards()->current();
        const int index = cluster.nodeIndex(node);
        return index < 0 ? ShardHealth::Stale : cluster.nodes.at(index).health;
    }
    CacheHealth cacheHealth() const { return fleet_->cache()->current().health(); }
    bool redisUp() const {
        return fleet_->cache()->current().redis.status == protocol::ProbeStatus::Up;
    }
    ConnectionState state(const QString& agentId) const { return fleet_->client(agentId)->state(); }

    QString consoleBinary() const { return QStringLiteral(SWITCHBOARD_CONSOLE_BINARY); }
    // The real console, offscreen, watching the first demo with the viewer token.
    void startConsole(QProcess& console) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        // Its settings in the test's folder, not the user's.
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           files_.filePath(QStringLiteral("xdg")));
        console.setProcessEnvironment(environment);
        console.setProcessChannelMode(QProcess::MergedChannels);
        console.start(consoleBinary(), {QStringLiteral("--connect"), first_->url().toString(),
                                        QStringLiteral("--token-file"), stack_->viewerTokenFile()});
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        stack_ = std::make_unique<LocalStack>(QStringLiteral("minimal"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        first_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-fault1"));
        second_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-fault2"));
        QVERIFY2(startDemo(*first_, QStringLiteral("demo-fault1")), qPrintable(first_->output()));
        QVERIFY2(startDemo(*second_, QStringLiteral("demo-fault2")), qPrintable(second_->output()));
        fleet_ = std::make_unique<Fleet>();
        firstId_ = fleet_->addAgent(first_->url(), stack_->viewerToken());
        secondId_ = fleet_->addAgent(second_->url(), stack_->viewerToken());
        QTRY_COMPARE_WITH_TIMEOUT(state(firstId_), ConnectionState::Live, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(state(secondId_), ConnectionState::Live, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedSequences(writesFiles_.at(0)) > 20, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedOrdersOfAll().size() > 20, 30000);
    }
    void cleanupTestCase() {
        fleet_.reset();
        second_.reset();
        first_.reset();
        stack_.reset();
    }

    void replicaKilled() {
        const QString replica = QString::fromLatin1(kReplica);
        QTRY_VERIFY_WITH_TIMEOUT(replicationHealth(replica) == ReplicationHealth::Healthy, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(readsTo(replica) > 0, 15000);
        Undo restart{[&] {
            stackCommand({QStringLiteral("start-node"), QStringLiteral("--name"), replica});
        }};
        FaultFigures figures;
        QElapsedTimer clock;
        clock.start();
        QVERIFY(stackCommand({QStringLiteral("kill"), QStringLiteral("--name"), replica}));
        QTRY_VERIFY_WITH_TIMEOUT(replicationHealth(replica) == ReplicationHealth::Down, 20000);
        figures.detectedMs = clock.elapsed();
        // Reads route away: none to the replica, the primary takes them.
        QTRY_VERIFY_WITH_TIMEOUT(!eligible(replica), 10000);
        const qint64 replicaReads = readsTo(replica);
        const qint64 primaryReads = readsTo(QStringLiteral("primary"));
        QTest::qWait(1500);
        QCOMPARE(readsTo(replica), replicaReads);
        QVERIFY(readsTo(QStringLiteral("primary")) > primaryReads);

        clock.restart();
        QVERIFY(stackCommand({QStringLiteral("start-node"), QStringLiteral("--name"), replica}));
        QTRY_VERIFY_WITH_TIMEOUT(replicationHealth(replica) == ReplicationHealth::Healthy, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(readsTo(replica) > replicaReads, 15000);
        figures.recoveredMs = clock.elapsed();
        countWrites(figures);
        printFault("replica-kill", figures);
        QCOMPARE(figures.lost, qint64(0));
    }

    void shardNodeKilled() {
        const QString dead = QStringLiteral("shard-1");
        const QString alive = QStringLiteral("shard-2");
        QTRY_VERIFY_WITH_TIMEOUT(shardHealth(dead) == ShardHealth::Healthy, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(shardHealth(alive) == ShardHealth::Healthy, 30000);
        Undo restart{[&] {
            stackCommand({QStringLiteral("start-node"), QStringLiteral("--name"), dead});
        }};
        const qint64 errorsBefore = routeErrors(QStringLiteral("orders.sharded"));
        FaultFigures figures;
        QElapsedTimer clock;
        clock.start();
        QVERIFY(stackCommand({QStringLiteral("kill"), QStringLiteral("--name"), dead}));
        QTRY_VERIFY_WITH_TIMEOUT(shardHealth(dead) == ShardHealth::Down, 20000);
        figures.detectedMs = clock.elapsed();
        QCOMPARE(shardHealth(alive), ShardHealth::Healthy);

        // The other node keeps taking writes; the dead one's writes fail, and none of the
        // orders acknowledged from now on is on the dead node: they are all on the other one.
        const std::set<long long> ackedBefore = acknowledgedOrdersOfAll();
        const qint64 aliveRows = rowsOn(alive);
        QTRY_VERIFY_WITH_TIMEOUT(rowsOn(alive) > aliveRows + 10, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(routeErrors(QStringLiteral("orders.sharded")) > errorsBefore,
                                 15000);
        std::set<long long> ackedDuring = acknowledgedOrdersOfAll();
        for (long long id : ackedBefore)
            ackedDuring.erase(id);
        QVERIFY(!ackedDuring.empty());
        QCOMPARE(missingOrders({conninfo(alive)}, ackedDuring).size(), std::size_t(0));

        clock.restart();
        QVERIFY(stackCommand({QStringLiteral("start-node"), QStringLiteral("--name"), dead}));
        QTRY_VERIFY_WITH_TIMEOUT(shardHealth(dead) == ShardHealth::Healthy, 30000);
        const qint64 deadRows = rowsOn(dead);
        QTRY_VERIFY_WITH_TIMEOUT(rowsOn(dead) > deadRows + 5, 20000);
        figures.recoveredMs = clock.elapsed();
        countWrites(figures);
        printFault("shard-node-kill", figures);
        QCOMPARE(figures.lost, qint64(0));
    }

    void redisKilled() {
        QTRY_VERIFY_WITH_TIMEOUT(redisUp() && cacheHealth() != CacheHealth::Stale, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(l2Breaker(*first_), QStringLiteral("closed"), 15000);
        const qint64 errorsBefore = routeErrors(QStringLiteral("catalog.cached"));
        const qint64 servedBefore =
            routeOf(*first_, QStringLiteral("catalog.cached")).value("total").toInteger();
        const qint64 pid = stack_->server(QStringLiteral("redis")).value("pid").toInteger();
        QVERIFY(pid > 0);
        bool restarted = false;
        Undo restart{[&] {
            if (!restarted)
                stack_->restartRedis();
        }};
        FaultFigures figures;
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(cacheHealth(), CacheHealth::RedisDown, 15000);
        figures.detectedMs = clock.elapsed();
        QTRY_COMPARE_WITH_TIMEOUT(l2Breaker(*first_), QStringLiteral("open"), 15000);
        // The demos keep answering: cached reads go on without an error.
        QTRY_VERIFY_WITH_TIMEOUT(
            routeOf(*first_, QStringLiteral("catalog.cached")).value("total").toInteger() >
                servedBefore + 20,
            15000);
        QCOMPARE(routeErrors(QStringLiteral("catalog.cached")), errorsBefore);

        clock.restart();
        restarted = stack_->restartRedis();
        QVERIFY(restarted);
        QTRY_VERIFY_WITH_TIMEOUT(redisUp() && cacheHealth() != CacheHealth::RedisDown &&
                                     cacheHealth() != CacheHealth::Stale,
                                 20000);
        QTRY_COMPARE_WITH_TIMEOUT(l2Breaker(*first_), QStringLiteral("closed"), 20000);
        figures.recoveredMs = clock.elapsed();
        QCOMPARE(routeErrors(QStringLiteral("catalog.cached")), errorsBefore);
        countWrites(figures);
        printFault("redis-kill", figures);
        QCOMPARE(figures.lost, qint64(0));
    }

    void consoleKilled() {
        QProcess console;
        startConsole(console);
        QVERIFY2(console.waitForStarted(10000), qPrintable(console.errorString()));
        const int agentPort = first_->port();
        QTRY_VERIFY_WITH_TIMEOUT(
            !tcp_connections::clientPortsOf(console.processId(), agentPort).isEmpty(), 30000);
        QTest::qWait(1000); // its stream and its first /metrics scrape
        const QSet<int> clientPorts =
            tcp_connections::clientPortsOf(console.processId(), agentPort);
        QVERIFY(!clientPorts.isEmpty());
        QCOMPARE(tcp_connections::serverSideOf(agentPort, clientPorts), int(clientPorts.size()));

        const qint64 writesBefore = acknowledgedSequences(writesFiles_.at(0));
        const qint64 writeErrors =
            routeOf(*first_, QStringLiteral("orders.write")).value("errors").toInteger();
        const qsizetype outputBefore = first_->output().size();
        FaultFigures figures;
        QElapsedTimer clock;
        clock.start();
        console.kill();
        QVERIFY(console.waitForFinished(10000));
        // The agent lets go of every connection the console had: nothing left established or
        // half-closed on its side.
        QTRY_COMPARE_WITH_TIMEOUT(tcp_connections::serverSideOf(agentPort, clientPorts), 0, 10000);
        figures.detectedMs = clock.elapsed();
        // And notices nothing else: its writes go on, without an error, its own stream to the
        // test's Fleet stays live, and it says nothing about it.
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedSequences(writesFiles_.at(0)) > writesBefore + 20,
                                 15000);
        QCOMPARE(routeOf(*first_, QStringLiteral("orders.write")).value("errors").toInteger(),
                 writeErrors);
        QCOMPARE(state(firstId_), ConnectionState::Live);
        QCOMPARE(get(*first_, QStringLiteral("/healthz")).status, 200);
        const QString said = first_->output().mid(outputBefore);
        QVERIFY2(!said.contains(QStringLiteral("error"), Qt::CaseInsensitive), qPrintable(said));

        // A new console connects as the first did, and stays connected.
        clock.restart();
        QProcess again;
        startConsole(again);
        QVERIFY2(again.waitForStarted(10000), qPrintable(again.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(
            !tcp_connections::clientPortsOf(again.processId(), agentPort).isEmpty(), 30000);
        figures.recoveredMs = clock.elapsed();
        QTest::qWait(1500);
        const QSet<int> againPorts = tcp_connections::clientPortsOf(again.processId(), agentPort);
        QVERIFY(!againPorts.isEmpty());
        QCOMPARE(tcp_connections::serverSideOf(agentPort, againPorts), int(againPorts.size()));
        again.terminate();
        QVERIFY(again.waitForFinished(15000));
        countWrites(figures);
        printFault("console-kill", figures);
        QCOMPARE(figures.lost, qint64(0));
    }

    void agentStopped() {
        QTRY_COMPARE_WITH_TIMEOUT(state(firstId_), ConnectionState::Live, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(state(secondId_), ConnectionState::Live, 15000);
        // The console's event loop must keep turning while an agent hangs: a 100 ms timer, and
        // the longest gap between two of its ticks.
        QElapsedTimer sinceTick;
        qint64 longestGapMs = 0;
        QTimer ticker;
        ticker.setInterval(100);
        connect(&ticker, &QTimer::timeout, this,
                [&] { longestGapMs = std::max(longestGapMs, sinceTick.restart()); });
        sinceTick.start();
        ticker.start();

        bool resumed = false;
        Undo resume{[&] {
            if (!resumed)
                first_->signal(SIGCONT);
        }};
        FaultFigures figures;
        QElapsedTimer clock;
        clock.start();
        QVERIFY(first_->signal(SIGSTOP));
        QTRY_COMPARE_WITH_TIMEOUT(state(firstId_), ConnectionState::Stale, 10000);
        figures.detectedMs = clock.elapsed();
        // The fleet row says so, and the other agent stays live.
        const FleetModel& rows = *fleet_->model();
        QCOMPARE(rows.index(rows.rowOfAgent(firstId_), FleetModel::ConnectionColumn)
                     .data(FleetModel::ConnectionStateRole)
                     .value<ConnectionState>(),
                 ConnectionState::Stale);
        QTest::qWait(int(std::max<qint64>(0, kStoppedMs - clock.elapsed())));
        QCOMPARE(state(firstId_), ConnectionState::Stale);
        QCOMPARE(state(secondId_), ConnectionState::Live);

        clock.restart();
        resumed = first_->signal(SIGCONT);
        QVERIFY(resumed);
        QTRY_COMPARE_WITH_TIMEOUT(state(firstId_), ConnectionState::Live, 20000);
        const qint64 writes = acknowledgedSequences(writesFiles_.at(0));
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedSequences(writesFiles_.at(0)) > writes + 10, 15000);
        figures.recoveredMs = clock.elapsed();
        ticker.stop();
        qInfo("longest gap between the console's 100 ms ticks: %lld ms",
              static_cast<long long>(longestGapMs));
        QVERIFY2(longestGapMs < 1000, "the console's event loop stalled");
        countWrites(figures);
        printFault("agent-sigstop", figures);
        QCOMPARE(figures.lost, qint64(0));
    }

    void demoInstanceKilled() {
        QTRY_COMPARE_WITH_TIMEOUT(state(firstId_), ConnectionState::Live, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(state(secondId_), ConnectionState::Live, 15000);
        const int port = second_->port();
        FaultFigures figures;
        QElapsedTimer clock;
        clock.start();
        second_->kill();
        QTRY_COMPARE_WITH_TIMEOUT(state(secondId_), ConnectionState::Stale, 10000);
        figures.detectedMs = clock.elapsed();
        // The other instance keeps serving, and the console keeps it live.
        const qint64 writes = acknowledgedSequences(writesFiles_.at(0));
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedSequences(writesFiles_.at(0)) > writes + 20, 15000);
        QCOMPARE(state(firstId_), ConnectionState::Live);

        clock.restart();
        QVERIFY2(startDemo(*second_, QStringLiteral("demo-fault2"), port),
                 qPrintable(second_->output()));
        QTRY_COMPARE_WITH_TIMEOUT(state(secondId_), ConnectionState::Live, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedSequences(writesFiles_.last()) > 5, 15000);
        figures.recoveredMs = clock.elapsed();
        countWrites(figures);
        printFault("demo-instance-kill", figures);
        QCOMPARE(figures.lost, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestFaultInjection)
#include "tst_fault_injection.moc"
