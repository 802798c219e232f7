// ShardsModel: two instances of one shard cluster (rows and the map from the freshest report,
// writes and reads summed over the instances), a stale instance (its rates no longer counted,
// its report used only when every instance is stale), a node that is down, the catalog down,
// moves on the buckets, and a second cluster. Runs under QAbstractItemModelTester throughout.
#include "ShardsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;
const QString kCatalog = QStringLiteral("127.0.0.1:41234");

ShardNode node(const QString& name, qint64 buckets, qint64 rows, double writes, double reads) {
    ShardNode n;
    n.name = name;
    n.target = QStringLiteral("127.0.0.1:4124") + name.right(1);
    n.status = protocol::ProbeStatus::Up;
    n.buckets = buckets;
    n.rows = rows;
    n.bytes = rows * 80;
    n.writesPerSecond = writes;
    n.readsPerSecond = reads;
    return n;
}

// Four buckets on two nodes: 0, 1, 2 on shard-1 (100 rows each), 3 on shard-2 (rowsOnLast).
// Every bucket gets `writes` writes/s and 1 read/s from this instance.
ShardsStatus report(qint64 checkedMs, qint64 rowsOnLast, double writes,
                    const QString& catalog = kCatalog) {
    ShardsStatus s;
    s.checkedMs = checkedMs;
    s.status = protocol::ProbeStatus::Up;
    s.catalog = catalog;
    s.version = 3;
    s.bucketCount = 4;
    s.nodes = {node(QStringLiteral("shard-1"), 3, 300, 3 * writes, 3.0),
               node(QStringLiteral("shard-2"), 1, rowsOnLast, writes, 1.0)};
    s.buckets.node = {0, 0, 0, 1};
    s.buckets.rows = {100, 100, 100, rowsOnLast};
    s.buckets.bytes = {8000, 8000, 8000, rowsOnLast * 80};
    s.buckets.writesPerSecond = {writes, writes, writes, writes};
    s.buckets.readsPerSecond = {1.0, 1.0, 1.0, 1.0};
    s.skew.rows = {1.5, 0.5};
    s.skew.load = {1.5, 0.5};
    return s;
}

AgentSnapshot snapshot(const QString& instance, const ShardsStatus& shards) {
    AgentSnapshot s;
    s.timeMs = shards.checkedMs;
    s.info.instance = instance;
    s.shards = shards;
    return s;
}

QString cell(const ShardsModel& model, int row, int column) {
    return model.index(row, column).data().toString();
}

} // namespace

class TestShardsModel : public QObject {
    Q_OBJECT

private slots:
    void twoInstancesOneCluster() {
        ShardsModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy changed(&model, &ShardsModel::clusterChanged);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        model.updateAgent(QStringLiteral("a"),
                          snapshot(QStringLiteral("demo-1"), report(kT0, 100, 2.0)));
        // b reports later, after a write to the last bucket: its rows are the ones shown.
        model.updateAgent(QStringLiteral("b"),
                          snapshot(QStringLiteral("demo-2"), report(kT0 + 1000, 140, 4.0)));
        QVERIFY(changed.count() >= 2);
        QCOMPARE(model.clusterKeys(), QStringList{kCatalog});
        QCOMPARE(model.clusterOf(QStringLiteral("a")), kCatalog);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, ShardsModel::NodeColumn), QStringLiteral("shard-1"));
        QCOMPARE(cell(model, 1, ShardsModel::TargetColumn), QStringLiteral("127.0.0.1:41242"));
        QCOMPARE(cell(model, 0, ShardsModel::HealthColumn), QStringLiteral("healthy"));
        QCOMPARE(cell(model, 0, ShardsModel::BucketsColumn), QStringLiteral("3"));
        QCOMPARE(cell(model, 1, ShardsModel::RowsColumn), QStringLiteral("140"));
        QCOMPARE(cell(model, 1, ShardsModel::BytesColumn), QStringLiteral("10.9 KiB"));
        // shard-2: (2 + 1) from a, (4 + 1) from b.
        QCOMPARE(model.index(1, 0).data(ShardsModel::OpsRole).toDouble(), 8.0);
        QCOMPARE(cell(model, 1, ShardsModel::OpsColumn), QStringLiteral("8.0 /s"));
        // 140 of 440 rows.
        QCOMPARE(cell(model, 1, ShardsModel::ShareColumn), QStringLiteral("31.8 %"));
        QCOMPARE(model.index(0, 0).data(ShardsModel::HealthRole).value<Health>(), Health::Up);

        const ShardCluster& cluster = model.current();
        QCOMPARE(cluster.sourceAgentId, QStringLiteral("b"));
        QCOMPARE(cluster.reporters,
                 (QStringList{QStringLiteral("demo-2"), QStringLiteral("demo-1")}));
        QCOMPARE(cluster.bucketCount, 4);
        QCOMPARE(cluster.buckets.size(), 4);
        QCOMPARE(cluster.buckets.at(3).node, 1);
        QCOMPARE(cluster.buckets.at(3).rows, qint64(140));
        QCOMPARE(cluster.buckets.at(0).opsPerSecond, 8.0); // (2 + 1) + (4 + 1)
        QVERIFY(!cluster.stale);
        // Rows skew as reported; load over the summed rates: 24 and 8 → mean 16.
        QCOMPARE(cluster.skew.rows.maxOverMean, 1.5);
        QCOMPARE(cluster.skew.load.maxOverMean, 1.5);
        QCOMPARE(cluster.skew.load.cv, 0.5);
    }

    void staleInstance() {
        ShardsModel model;
        QAbstractItemModelTester tester(&model);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        model.updateAgent(QStringLiteral("a"),
                          snapshot(QStringLiteral("demo-1"), report(kT0, 100, 2.0)));
        model.updateAgent(QStringLiteral("b"),
                          snapshot(QStringLiteral("demo-2"), report(kT0 + 1000, 140, 4.0)));
        const QDateTime since = QDateTime::fromMSecsSinceEpoch(kT0 + 2000);
        model.setConnectionState(QStringLiteral("b"), ConnectionState::Stale, since);
        // b's newer report is stale: a's is shown, and b's rates no longer count.
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a"));
        QCOMPARE(cell(model, 1, ShardsModel::RowsColumn), QStringLiteral("100"));
        QCOMPARE(model.index(1, 0).data(ShardsModel::OpsRole).toDouble(), 3.0);
        QVERIFY(!model.current().stale);
        QCOMPARE(cell(model, 0, ShardsModel::HealthColumn), QStringLiteral("healthy"));

        model.setConnectionState(QStringLiteral("a"), ConnectionState::Stale,
                                 QDateTime::fromMSecsSinceEpoch(kT0 + 1500));
        // Every reporter stale: the latest figures, summed over all, marked stale since when.
        QVERIFY(model.current().stale);
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("b"));
        QCOMPARE(model.current().staleSince, since);
        QCOMPARE(cell(model, 0, ShardsModel::HealthColumn),
                 QStringLiteral("stale since %1").arg(since.toString(QStringLiteral("HH:mm:ss"))));
        QCOMPARE(model.index(0, 0).data(ShardsModel::HealthRole).value<Health>(), Health::Unknown);
        QCOMPARE(model.index(1, 0).data(ShardsModel::OpsRole).toDouble(), 8.0);

        model.setConnectionState(QStringLiteral("b"), ConnectionState::Live);
        QVERIFY(!model.current().stale);
    }

    void nodeDown() {
        ShardsModel model;
        QAbstractItemModelTester tester(&model);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        ShardsStatus shards = report(kT0, 100, 2.0);
        shards.nodes[1].status = protocol::ProbeStatus::Down;
        shards.nodes[1].error = QStringLiteral("connection refused");
        shards.nodes[1].rows = -1;
        shards.nodes[1].bytes = -1;
        shards.nodes[1].writesPerSecond = -1;
        shards.nodes[1].readsPerSecond = -1;
        model.updateAgent(QStringLiteral("a"), snapshot(QStringLiteral("demo-1"), shards));
        QCOMPARE(cell(model, 1, ShardsModel::HealthColumn), QStringLiteral("down"));
        QCOMPARE(model.index(1, 0).data(ShardsModel::HealthRole).value<Health>(), Health::Down);
        QCOMPARE(model.index(1, 0).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("connection refused"));
        QCOMPARE(cell(model, 1, ShardsModel::RowsColumn), QStringLiteral("–"));
        QCOMPARE(cell(model, 1, ShardsModel::OpsColumn), QStringLiteral("–"));
        QCOMPARE(cell(model, 1, ShardsModel::ShareColumn), QStringLiteral("–"));
        // The healthy node holds every known row.
        QCOMPARE(cell(model, 0, ShardsModel::ShareColumn), QStringLiteral("100.0 %"));
        QCOMPARE(cell(model, 0, ShardsModel::HealthColumn), QStringLiteral("healthy"));
    }

    void catalogDownIsStale() {
        ShardsModel model;
        QAbstractItemModelTester tester(&model);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        model.updateAgent(QStringLiteral("a"),
                          snapshot(QStringLiteral("demo-1"), report(kT0, 100, 2.0)));
        ShardsStatus down = report(kT0 + 5000, 100, 2.0);
        down.status = protocol::ProbeStatus::Down;
        down.error = QStringLiteral("catalog: connection refused");
        model.applyShards(QStringLiteral("a"), down);
        down.checkedMs = kT0 + 10000;
        model.applyShards(QStringLiteral("a"), down);
        QVERIFY(model.current().stale);
        // Since the first failing report, not the latest.
        QCOMPARE(model.current().staleSince, QDateTime::fromMSecsSinceEpoch(kT0 + 5000));
        QCOMPARE(model.current().catalogError, QStringLiteral("catalog: connection refused"));
        QCOMPARE(model.index(0, 0).data(ShardsModel::ShardHealthRole).toInt(),
                 int(ShardHealth::Stale));
        model.applyShards(QStringLiteral("a"), report(kT0 + 15000, 100, 2.0));
        QVERIFY(!model.current().stale);
    }

    void movesOnBuckets() {
        ShardsModel model;
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        ShardsStatus shards = report(kT0, 100, 2.0);
        shards.moves = {ShardMove{1, 0, 1, QStringLiteral("copying"), 40, 100, 0.4},
                        ShardMove{2, 0, 1, QStringLiteral("done"), 100, 100, 1.0},
                        ShardMove{99, 0, 1, QStringLiteral("pending"), 0, 100, 0.0}};
        StreamEvent event;
        event.kind = StreamEvent::Kind::Shards;
        event.shards = shards;
        model.applyEvent(QStringLiteral("a"), event);
        const ShardCluster& cluster = model.current();
        QCOMPARE(cluster.moves.size(), 3);
        QCOMPARE(cluster.activeMoveCount(), 2);
        QVERIFY(cluster.buckets.at(1).isMoving());
        QCOMPARE(cluster.buckets.at(1).move->progress, 0.4);
        QVERIFY(!cluster.buckets.at(2).isMoving()); // done
        QVERIFY(cluster.buckets.at(2).move.has_value());
        QVERIFY(!cluster.buckets.at(0).move.has_value());
    }

    void clustersAndRemoval() {
        ShardsModel model;
        QAbstractItemModelTester tester(&model);
        model.setConnectionState(QStringLiteral("a"), ConnectionState::Live);
        model.setConnectionState(QStringLiteral("c"), ConnectionState::Live);
        model.updateAgent(QStringLiteral("a"),
                          snapshot(QStringLiteral("demo-1"), report(kT0, 100, 2.0)));
        ShardsStatus other = report(kT0, 50, 1.0, QStringLiteral("10.0.0.9:5432"));
        other.nodes.append(node(QStringLiteral("shard-3"), 0, 0, 0, 0));
        model.updateAgent(QStringLiteral("c"), snapshot(QStringLiteral("billing-1"), other));
        QCOMPARE(model.clusterKeys().size(), 2);
        QCOMPARE(model.currentCluster(), kCatalog);
        QCOMPARE(model.rowCount(), 2);
        model.setCurrentCluster(QStringLiteral("10.0.0.9:5432"));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.cluster(kCatalog).nodes.size(), 2);
        QVERIFY(model.cluster(QStringLiteral("nope")).isEmpty());

        // An agent reconfigured without shards drops its cluster.
        AgentSnapshot plain;
        plain.info.instance = QStringLiteral("billing-1");
        model.updateAgent(QStringLiteral("c"), plain);
        QCOMPARE(model.clusterKeys(), QStringList{kCatalog});
        QCOMPARE(model.currentCluster(), kCatalog);
        QCOMPARE(model.rowCount(), 2);
        model.removeAgent(QStringLiteral("a"));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.current().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestShardsModel)
#include "tst_shards_model.moc"
