// Fleet feeds the replication model and the Overview's replication column from a real stream
// (an in-process fake agent): nodes from the snapshot, lag from replication events, reads/s from
// read_router events, and the Overview's short text following along.
#include "FakeAgentServer.h"
#include "Fleet.h"
#include "StreamFrames.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;

QJsonObject replication(qint64 checkedMs, double replayLagSeconds) {
    const QJsonObject primary{
        {"name", "primary"}, {"target", "127.0.0.1:41234"}, {"status", 1}, {"timeline", 1}};
    const QJsonObject replica{{"name", "pg-replica-1"},          {"target", "127.0.0.1:41235"},
                              {"state_name", "streaming"},       {"status", 1},
                              {"sync_state", "async"},           {"replay_lag_bytes", 8192},
                              {"replay_lag_s", replayLagSeconds}};
    return {{"checked_ms", checkedMs},
            {"status", 1},
            {"primary", primary},
            {"replicas", QJsonArray{replica}}};
}

QJsonObject router(qint64 replicaReads) {
    return {{"max_lag_ms", 100},
            {"max_lag_bytes", 16777216},
            {"targets", QJsonArray{QJsonObject{{"name", "pg-replica-1"},
                                               {"role", "replica"},
                                               {"eligible", true},
                                               {"reads", replicaReads}}}}};
}

QByteArray snapshotFrame() {
    return stream_frames::snapshotFrame(
        1, QStringLiteral("s1"), kT0,
        {{"replication", replication(kT0, 0.012)}, {"read_router", router(1000)}});
}

QByteArray eventFrame(qint64 seq, const QString& kind, qint64 timeMs, const QJsonObject& data) {
    return stream_frames::eventFrame(seq, QStringLiteral("s1"), kind, timeMs, data);
}

} // namespace

class TestReplicationFleet : public QObject {
    Q_OBJECT

private slots:
    void streamFeedsReplicationAndOverview() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        Fleet fleet;
        QAbstractItemModelTester tester(fleet.replication(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QTRY_VERIFY(server.connectionCount() > 0);
        server.send(snapshotFrame());
        ReplicationModel* model = fleet.replication();
        QTRY_COMPARE(model->rowCount(), 2);
        QTRY_COMPARE(model->health(1), ReplicationHealth::Healthy);
        const int overviewRow = fleet.model()->rowOfAgent(id);
        auto overviewText = [&] {
            return fleet.model()
                ->index(overviewRow, FleetModel::ReplicationColumn)
                .data()
                .toString();
        };
        QCOMPARE(overviewText(), QStringLiteral("pg-replica-1 streaming, 12 ms"));

        // 2 s of agent time, 300 reads: 150/s.
        server.send(eventFrame(2, QStringLiteral("read_router"), kT0 + 2000, router(1300)));
        QTRY_COMPARE(model->index(1, 0).data(ReplicationModel::ReadsPerSecondRole).toDouble(),
                     150.0);

        server.send(
            eventFrame(3, QStringLiteral("replication"), kT0 + 3000, replication(kT0 + 3000, 2.4)));
        QTRY_COMPARE(model->health(1), ReplicationHealth::Lagging);
        QCOMPARE(overviewText(), QStringLiteral("pg-replica-1 lagging 2.4 s"));
        QCOMPARE(fleet.model()
                     ->index(overviewRow, FleetModel::ReplicationColumn)
                     .data(FleetModel::HealthRole)
                     .value<Health>(),
                 Health::Unknown);
        QCOMPARE(model->lagHistory(model->replicaKeys().value(0))->size(), 2);

        fleet.removeAgent(id);
        QCOMPARE(model->rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestReplicationFleet)
#include "tst_replication_fleet.moc"
