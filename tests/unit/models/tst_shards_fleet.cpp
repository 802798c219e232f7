// Fleet feeds the shards model from a real stream (an in-process fake agent): the cluster from
// the snapshot, then a shards event with a move under way, and the agent going away.
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

QJsonObject shards(qint64 checkedMs, const QJsonArray& moves, qint64 version) {
    const QJsonArray nodes{QJsonObject{{"name", "shard-1"},
                                       {"target", "127.0.0.1:41240"},
                                       {"status", 1},
                                       {"buckets", 3},
                                       {"rows", 300},
                                       {"bytes", 24000},
                                       {"writes_per_s", 6.0},
                                       {"reads_per_s", 3.0}},
                           QJsonObject{{"name", "shard-2"},
                                       {"target", "127.0.0.1:41241"},
                                       {"status", 1},
                                       {"buckets", 1},
                                       {"rows", 100},
                                       {"bytes", 8000},
                                       {"writes_per_s", 2.0},
                                       {"reads_per_s", 1.0}}};
    const QJsonObject buckets{{"node", QJsonArray{0, 0, 0, 1}},
                              {"rows", QJsonArray{100, 100, 100, 100}},
                              {"bytes", QJsonArray{8000, 8000, 8000, 8000}},
                              {"writes_per_s", QJsonArray{2.0, 2.0, 2.0, 2.0}},
                              {"reads_per_s", QJsonArray{1.0, 1.0, 1.0, 1.0}}};
    return {{"checked_ms", checkedMs}, {"status", 1},       {"catalog", "127.0.0.1:41234"},
            {"version", version},      {"bucket_count", 4}, {"nodes", nodes},
            {"buckets", buckets},      {"moves", moves}};
}

QByteArray snapshotFrame() {
    return stream_frames::snapshotFrame(1, QStringLiteral("s1"), kT0,
                                        {{"shards", shards(kT0, {}, 3)}});
}

QByteArray eventFrame(qint64 seq, qint64 timeMs, const QJsonObject& data) {
    return stream_frames::eventFrame(seq, QStringLiteral("s1"), QStringLiteral("shards"), timeMs,
                                     data);
}

} // namespace

class TestShardsFleet : public QObject {
    Q_OBJECT

private slots:
    void streamFeedsShards() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        Fleet fleet;
        ShardsModel* model = fleet.shards();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QTRY_VERIFY(server.connectionCount() > 0);
        server.send(snapshotFrame());
        QTRY_COMPARE(model->rowCount(), 2);
        QTRY_VERIFY(!model->current().stale); // live once the snapshot is in
        QCOMPARE(model->clusterOf(id), QStringLiteral("127.0.0.1:41234"));
        QCOMPARE(model->current().reporters, QStringList{QStringLiteral("fake-1")});
        QCOMPARE(model->current().version, qint64(3));
        QCOMPARE(model->index(0, ShardsModel::OpsColumn).data().toString(),
                 QStringLiteral("9.0 /s"));
        QVERIFY(model->current().moves.isEmpty());
        // The Overview's snapshot follows the events too.
        QVERIFY(fleet.model()->snapshot(id)->shards.has_value());

        const QJsonArray moves{QJsonObject{{"bucket", 2},
                                           {"from", 0},
                                           {"to", 1},
                                           {"phase", "copying"},
                                           {"rows_copied", 40},
                                           {"rows_total", 100},
                                           {"progress", 0.4}}};
        server.send(eventFrame(2, kT0 + 5000, shards(kT0 + 5000, moves, 4)));
        QTRY_COMPARE(model->current().version, qint64(4));
        QCOMPARE(model->current().activeMoveCount(), 1);
        QVERIFY(model->current().buckets.at(2).isMoving());
        QCOMPARE(model->current().buckets.at(2).move->progress, 0.4);
        QCOMPARE(fleet.model()->snapshot(id)->shards->version, qint64(4));

        fleet.removeAgent(id);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(model->current().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestShardsFleet)
#include "tst_shards_fleet.moc"
