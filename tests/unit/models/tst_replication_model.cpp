// ReplicationModel: a row per node, deduplicated across instances of one backend; reads/s from
// the read router's counter deltas over agent time; healthy, lagging, down and stale rows; the
// bounded lag history. Runs under QAbstractItemModelTester throughout.
#include "ReplicationModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;

ReplicaStatus replica(const QString& name, double lagSeconds, qint64 lagBytes = 8192) {
    ReplicaStatus r;
    r.name = name;
    r.target = QStringLiteral("127.0.0.1:4123") + name.right(1);
    r.stateName = QStringLiteral("streaming");
    r.status = protocol::ProbeStatus::Up;
    r.syncState = QStringLiteral("async");
    r.replayLagSeconds = lagSeconds;
    r.replayLagBytes = lagBytes;
    return r;
}

ReplicationStatus replication(qint64 checkedMs, QList<ReplicaStatus> replicas,
                              const QString& primaryTarget = QStringLiteral("127.0.0.1:41234")) {
    ReplicationStatus status;
    status.checkedMs = checkedMs;
    status.status = protocol::ProbeStatus::Up;
    status.primary.name = QStringLiteral("primary");
    status.primary.target = primaryTarget;
    status.primary.status = protocol::ProbeStatus::Up;
    status.primary.timeline = 1;
    status.replicas = std::move(replicas);
    return status;
}

ReadRouterStatus router(qint64 primaryReads, qint64 replicaReads) {
    ReadRouterStatus r;
    r.maxLagMs = 100;
    r.maxLagBytes = 16777216;
    r.targets.append(
        {QStringLiteral("primary"), QStringLiteral("primary"), true, {}, primaryReads, 0.0});
    r.targets.append(
        {QStringLiteral("pg-replica-1"), QStringLiteral("replica"), true, {}, replicaReads, 0.0});
    return r;
}

AgentSnapshot snapshot(const QString& instance, qint64 timeMs, const ReplicationStatus& status,
                       const ReadRouterStatus& readRouter) {
    AgentSnapshot s;
    s.timeMs = timeMs;
    s.info.instance = instance;
    s.replication = status;
    s.readRouter = readRouter;
    return s;
}

QString cell(const ReplicationModel& model, int row, int column) {
    return model.data(model.index(row, column)).toString();
}

ReplicationHealth healthOf(const ReplicationModel& model, int row) {
    return static_cast<ReplicationHealth>(
        model.data(model.index(row, 0), ReplicationModel::ReplicationHealthRole).toInt());
}

} // namespace

class TestReplicationModel : public QObject {
    Q_OBJECT

private slots:
    void rowPerNode() {
        ReplicationModel model;
        QAbstractItemModelTester tester(&model);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        model.updateAgent(
            QStringLiteral("a"),
            snapshot(QStringLiteral("demo-1"), kT0,
                     replication(kT0, {replica(QStringLiteral("pg-replica-1"), 0.012)}),
                     router(0, 0)));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ReplicationModel::ColumnCount));
        QCOMPARE(cell(model, 0, ReplicationModel::RoleColumn), QStringLiteral("primary"));
        QCOMPARE(cell(model, 1, ReplicationModel::RoleColumn), QStringLiteral("replica"));
        QVERIFY(cell(model, 1, ReplicationModel::NodeColumn)
                    .startsWith(QStringLiteral("pg-replica-1")));
        QCOMPARE(cell(model, 1, ReplicationModel::StateColumn), QStringLiteral("streaming"));
        QCOMPARE(cell(model, 1, ReplicationModel::SyncColumn), QStringLiteral("async"));
        QCOMPARE(cell(model, 1, ReplicationModel::LagBytesColumn), QStringLiteral("8.0 KiB"));
        QCOMPARE(cell(model, 1, ReplicationModel::LagSecondsColumn), QStringLiteral("12 ms"));
        QCOMPARE(cell(model, 1, ReplicationModel::EligibleColumn), QStringLiteral("yes"));
        QCOMPARE(cell(model, 1, ReplicationModel::ReportedByColumn), QStringLiteral("demo-1"));
        QCOMPARE(cell(model, 1, ReplicationModel::HealthColumn), QStringLiteral("healthy"));
        QCOMPARE(model.data(model.index(1, 0), ReplicationModel::HealthRole).value<Health>(),
                 Health::Up);
        // No reads/s before two router reports.
        QCOMPARE(cell(model, 1, ReplicationModel::ReadsColumn), QStringLiteral("–"));
        QCOMPARE(model.replicaKeys().size(), 1);
    }

    void absentReplicationMakesNoRows() {
        ReplicationModel model;
        QAbstractItemModelTester tester(&model);
        AgentSnapshot older;
        older.info.instance = QStringLiteral("old");
        model.updateAgent(QStringLiteral("a"), older);
        QCOMPARE(model.rowCount(), 0);
        // ... and a later snapshot without it drops the rows it had fed.
        model.updateAgent(QStringLiteral("a"),
                          snapshot(QStringLiteral("demo-1"), kT0,
                                   replication(kT0, {replica(QStringLiteral("pg-replica-1"), 0)}),
                                   router(0, 0)));
        QCOMPARE(model.rowCount(), 2);
        model.updateAgent(QStringLiteral("a"), older);
        QCOMPARE(model.rowCount(), 0);
    }

    void dedupAcrossInstancesAndSumsReads() {
        ReplicationModel model;
        QAbstractItemModelTester tester(&model);
        const QString a = QStringLiteral("a"), b = QStringLiteral("b");
        model.setConnectionState(a, ConnectionState::Live);
        model.setConnectionState(b, ConnectionState::Live);
        const auto nodes = QList<ReplicaStatus>{replica(QStringLiteral("pg-replica-1"), 0.01)};
        model.updateAgent(
            a, snapshot(QStringLiteral("demo-1"), kT0, replication(kT0, nodes), router(100, 1000)));
        model.updateAgent(b, snapshot(QStringLiteral("demo-2"), kT0, replication(kT0 + 500, nodes),
                                      router(0, 0)));
        QCOMPARE(model.rowCount(), 2); // one primary, one replica: same database
        // The freshest report comes first, the other instance is counted.
        QCOMPARE(cell(model, 1, ReplicationModel::ReportedByColumn), QStringLiteral("demo-2 (+1)"));
        QVERIFY(model.data(model.index(1, ReplicationModel::ReportedByColumn), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("demo-1")));

        // 2 s later on a's clock: 40 more replica reads (20/s); 1 s later on b's: 5 (5/s).
        model.applyReadRouter(a, router(110, 1040), kT0 + 2000);
        model.applyReadRouter(b, router(2, 5), kT0 + 1000);
        QCOMPARE(model.data(model.index(1, 0), ReplicationModel::ReadsPerSecondRole).toDouble(),
                 25.0);
        QCOMPARE(cell(model, 1, ReplicationModel::ReadsColumn), QStringLiteral("25.0 /s"));
        QCOMPARE(model.data(model.index(0, 0), ReplicationModel::ReadsPerSecondRole).toDouble(),
                 7.0); // 10/2 s + 2/1 s

        // A counter that goes back is a restarted agent: its rate is unknown, not negative.
        model.applyReadRouter(b, router(0, 1), kT0 + 2000);
        QCOMPARE(model.data(model.index(1, 0), ReplicationModel::ReadsPerSecondRole).toDouble(),
                 20.0);

        // Another database (another primary target) is another set of rows.
        model.updateAgent(QStringLiteral("c"),
                          snapshot(QStringLiteral("other"), kT0,
                                   replication(kT0, nodes, QStringLiteral("10.0.0.9:5432")),
                                   router(0, 0)));
        QCOMPARE(model.rowCount(), 4);
        model.removeAgent(QStringLiteral("c"));
        QCOMPARE(model.rowCount(), 2);
    }

    void laggingDownAndStale() {
        ReplicationModel model;
        QAbstractItemModelTester tester(&model);
        const QString a = QStringLiteral("a");
        model.setConnectionState(a, ConnectionState::Live);
        ReplicaStatus gone = replica(QStringLiteral("pg-replica-3"), 0);
        gone.stateName = QStringLiteral("down");
        gone.status = protocol::ProbeStatus::Down;
        gone.error = QStringLiteral("connection refused");
        ReplicaStatus bytesBehind = replica(QStringLiteral("pg-replica-4"), 0.0, 32 * 1048576);
        model.updateAgent(a,
                          snapshot(QStringLiteral("demo-1"), kT0,
                                   replication(kT0, {replica(QStringLiteral("pg-replica-1"), 0.05),
                                                     replica(QStringLiteral("pg-replica-2"), 2.4),
                                                     gone, bytesBehind}),
                                   router(0, 0)));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(healthOf(model, 1), ReplicationHealth::Healthy);
        QCOMPARE(healthOf(model, 2), ReplicationHealth::Lagging); // 2.4 s > 100 ms
        QCOMPARE(cell(model, 2, ReplicationModel::HealthColumn), QStringLiteral("lagging"));
        QCOMPARE(cell(model, 2, ReplicationModel::LagSecondsColumn), QStringLiteral("2.4 s"));
        QCOMPARE(model.data(model.index(2, 0), ReplicationModel::HealthRole).value<Health>(),
                 Health::Unknown);
        QCOMPARE(healthOf(model, 3), ReplicationHealth::Down);
        QCOMPARE(cell(model, 3, ReplicationModel::HealthColumn), QStringLiteral("down"));
        QCOMPARE(cell(model, 3, ReplicationModel::LagSecondsColumn), QStringLiteral("–"));
        QCOMPARE(model.data(model.index(3, 0), Qt::ToolTipRole).toString(),
                 QStringLiteral("connection refused"));
        QCOMPARE(model.data(model.index(3, 0), ReplicationModel::HealthRole).value<Health>(),
                 Health::Down);
        QCOMPARE(healthOf(model, 4), ReplicationHealth::Lagging); // 32 MiB > 16 MiB
        QCOMPARE(cell(model, 4, ReplicationModel::LagBytesColumn), QStringLiteral("32.0 MiB"));

        // The probe's primary side fails: the primary is down, the replicas' figures are old.
        ReplicationStatus failed = replication(
            kT0 + 1000, {replica(QStringLiteral("pg-replica-1"), 0.05),
                         replica(QStringLiteral("pg-replica-2"), 2.4), gone, bytesBehind});
        failed.status = protocol::ProbeStatus::Down;
        failed.error = QStringLiteral("timeout");
        model.applyReplication(a, failed);
        QCOMPARE(healthOf(model, 0), ReplicationHealth::Down);
        QCOMPARE(healthOf(model, 1), ReplicationHealth::Stale);
        const QString since =
            QDateTime::fromMSecsSinceEpoch(kT0 + 1000).toString(QStringLiteral("HH:mm:ss"));
        QCOMPARE(cell(model, 1, ReplicationModel::HealthColumn),
                 QStringLiteral("stale since ") + since);
        // Still failing later: "since" stays at the first failure.
        failed.checkedMs = kT0 + 5000;
        model.applyReplication(a, failed);
        QCOMPARE(cell(model, 1, ReplicationModel::HealthColumn),
                 QStringLiteral("stale since ") + since);

        // The agent itself goes stale: every row is stale since the connection's time.
        model.applyReplication(
            a, replication(kT0 + 6000, {replica(QStringLiteral("pg-replica-1"), 0.05)}));
        const QDateTime staleSince = QDateTime::fromMSecsSinceEpoch(kT0 + 7000);
        model.setConnectionState(a, ConnectionState::Stale, staleSince);
        QCOMPARE(healthOf(model, 0), ReplicationHealth::Stale);
        QCOMPARE(healthOf(model, 1), ReplicationHealth::Stale);
        QCOMPARE(cell(model, 0, ReplicationModel::HealthColumn),
                 QStringLiteral("stale since ") + staleSince.toString(QStringLiteral("HH:mm:ss")));
        QCOMPARE(model.staleSince(), staleSince);
        model.setConnectionState(a, ConnectionState::Live);
        QVERIFY(!model.staleSince().isValid());
    }

    void lagHistoryIsBounded() {
        ReplicationModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy changed(&model, &ReplicationModel::historyChanged);
        const QString a = QStringLiteral("a");
        model.setConnectionState(a, ConnectionState::Live);
        model.applyReadRouter(a, router(0, 0), kT0);
        const qsizetype total = ReplicationModel::kHistoryCapacity + 50;
        for (qsizetype i = 0; i < total; ++i)
            model.applyReplication(
                a,
                replication(kT0 + i * 1000, {replica(QStringLiteral("pg-replica-1"), double(i))}));
        const QString key = model.replicaKeys().value(0);
        const auto* history = model.lagHistory(key);
        QVERIFY(history);
        QCOMPARE(history->size(), ReplicationModel::kHistoryCapacity);
        QCOMPARE(history->front().seconds, 50.0); // the oldest 50 fell out
        QCOMPARE(history->back().timeMs, kT0 + (total - 1) * 1000);
        QCOMPARE(changed.count(), int(total));
        // A second instance's older report of the same replica does not go back in time.
        model.applyReplication(QStringLiteral("b"),
                               replication(kT0, {replica(QStringLiteral("pg-replica-1"), 99.0)}));
        QCOMPARE(model.lagHistory(key)->back().timeMs, kT0 + (total - 1) * 1000);
        QCOMPARE(model.maxLagSeconds(), 0.1);
    }

    void overviewSummary() {
        ReplicationStatus status = replication(kT0, {replica(QStringLiteral("pg-replica-1"), 0.012),
                                                     replica(QStringLiteral("pg-replica-2"), 2.4)});
        QCOMPARE(replicationSummaryText(status, router(0, 0)),
                 QStringLiteral("pg-replica-1 streaming, 12 ms · pg-replica-2 lagging 2.4 s"));
        QCOMPARE(replicationWorstHealth(status, router(0, 0)), ReplicationHealth::Lagging);
        status.replicas[1].stateName = QStringLiteral("down");
        QVERIFY(replicationSummaryText(status, router(0, 0))
                    .endsWith(QStringLiteral("pg-replica-2 down")));
        QCOMPARE(replicationBytesText(512), QStringLiteral("512 B"));
        QCOMPARE(replicationBytesText(5 * 1048576 / 2), QStringLiteral("2.5 MiB"));
    }
};

QTEST_GUILESS_MAIN(TestReplicationModel)
#include "tst_replication_model.moc"
