// The parser's shards document: the snapshot's "shards" object and the "shards" event, as
// docs/protocol.md shows them; missing fields keep their defaults and fields of the wrong type
// are ignored, never a failed message or a crash.
#include "StreamMessageParser.h"

#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using protocol::ProbeStatus;

namespace {

const QByteArray kShards = R"({"checked_ms":1795000000000,"status":1,"error":"",
  "catalog":"127.0.0.1:41234","version":3,"bucket_count":3,
  "nodes":[
    {"name":"shard-1","target":"127.0.0.1:41240","status":1,"error":"","buckets":2,
     "rows":171,"bytes":13680,"writes_per_s":10.0,"reads_per_s":2.5},
    {"name":"shard-2","target":"127.0.0.1:41241","status":2,"error":"connection refused",
     "buckets":1,"rows":-1,"bytes":-1,"writes_per_s":-1,"reads_per_s":-1}],
  "buckets":{"node":[0,1,0],"rows":[80,75,91],"bytes":[6400,6000,7280],
             "writes_per_s":[0.1,0.0,0.3],"reads_per_s":[0.0,0.0,0.1]},
  "skew":{"rows":{"max_over_mean":1.07,"cv":0.04},
          "bytes":{"max_over_mean":1.06,"cv":0.04},
          "load":{"max_over_mean":1.90,"cv":0.45}},
  "moves":[{"bucket":1,"from":1,"to":0,"phase":"copying","rows_copied":200,
            "rows_total":480,"progress":0.42}]})";

// Every field of the wrong type: strings for numbers, numbers for strings, objects for arrays.
const QByteArray kOdd = R"({"checked_ms":"soon","status":"up","error":7,
  "catalog":["x"],"version":1.5,"bucket_count":"many",
  "nodes":[{"name":3,"rows":"lots","buckets":2},"not a node",
           {"name":"shard-9","status":9,"writes_per_s":"fast","reads_per_s":1.5}],
  "buckets":{"node":[0,"one",null],"rows":{"0":1},"bytes":[1,2,3],"writes_per_s":"x"},
  "skew":{"rows":"even","load":{"max_over_mean":"2","cv":0.5}},
  "moves":[{"bucket":"1","phase":4,"progress":7},"junk"]})";

QByteArray snapshotFrame(const QByteArray& shards) {
    return R"({"type":"snapshot","seq":7,"stream":"9f","protocol":1,"snapshot":{"revision":7,)"
           R"("time_ms":1795000000000,"info":{"instance":"demo-1","protocol":1},"shards":)" +
           shards + "}}";
}

QByteArray eventFrame(const QByteArray& data) {
    return R"({"type":"event","seq":8,"stream":"9f","time_ms":1795000001000,"kind":"shards",)"
           R"("data":)" +
           data + "}";
}

ShardsStatus parsedSnapshot(const QByteArray& shards, bool* ok) {
    const auto result = StreamMessageParser::parse(snapshotFrame(shards));
    *ok = result.ok();
    if (!result.ok())
        return {};
    const auto& snapshot = std::get<SnapshotMessage>(*result.message).snapshot;
    *ok = snapshot.shards.has_value();
    return snapshot.shards.value_or(ShardsStatus());
}

} // namespace

class TestShardsParsing : public QObject {
    Q_OBJECT

private slots:
    void snapshotCarriesShards() {
        bool ok = false;
        const ShardsStatus shards = parsedSnapshot(kShards, &ok);
        QVERIFY(ok);
        QCOMPARE(shards.checkedMs, qint64(1795000000000));
        QCOMPARE(shards.status, ProbeStatus::Up);
        QCOMPARE(shards.catalog, QStringLiteral("127.0.0.1:41234"));
        QCOMPARE(shards.version, qint64(3));
        QCOMPARE(shards.bucketCount, 3);
        QCOMPARE(shards.nodes.size(), 2);
        const ShardNode& first = shards.nodes.at(0);
        QCOMPARE(first.name, QStringLiteral("shard-1"));
        QCOMPARE(first.target, QStringLiteral("127.0.0.1:41240"));
        QCOMPARE(first.status, ProbeStatus::Up);
        QCOMPARE(first.buckets, qint64(2));
        QCOMPARE(first.rows, qint64(171));
        QCOMPARE(first.bytes, qint64(13680));
        QCOMPARE(first.writesPerSecond, 10.0);
        QCOMPARE(first.readsPerSecond, 2.5);
        const ShardNode& down = shards.nodes.at(1);
        QCOMPARE(down.status, ProbeStatus::Down);
        QCOMPARE(down.error, QStringLiteral("connection refused"));
        QCOMPARE(down.rows, qint64(-1));
        QCOMPARE(shards.nodeName(1), QStringLiteral("shard-2"));
        QCOMPARE(shards.nodeName(2), QString());

        QCOMPARE(shards.buckets.node, (QList<int>{0, 1, 0}));
        QCOMPARE(shards.buckets.rows, (QList<qint64>{80, 75, 91}));
        QCOMPARE(shards.buckets.bytes, (QList<qint64>{6400, 6000, 7280}));
        QCOMPARE(shards.buckets.writesPerSecond, (QList<double>{0.1, 0.0, 0.3}));
        QCOMPARE(shards.buckets.readsPerSecond, (QList<double>{0.0, 0.0, 0.1}));

        QCOMPARE(shards.skew.rows.maxOverMean, 1.07);
        QCOMPARE(shards.skew.rows.cv, 0.04);
        QCOMPARE(shards.skew.bytes.maxOverMean, 1.06);
        QCOMPARE(shards.skew.load.maxOverMean, 1.90);
        QCOMPARE(shards.skew.load.cv, 0.45);

        QCOMPARE(shards.moves.size(), 1);
        const ShardMove& move = shards.moves.at(0);
        QCOMPARE(move.bucket, 1);
        QCOMPARE(move.from, 1);
        QCOMPARE(move.to, 0);
        QCOMPARE(move.phase, QStringLiteral("copying"));
        QCOMPARE(move.rowsCopied, qint64(200));
        QCOMPARE(move.rowsTotal, qint64(480));
        QCOMPARE(move.progress, 0.42);
        QVERIFY(!move.isFinished());
    }

    void eventCarriesShards() {
        const auto result = StreamMessageParser::parse(eventFrame(kShards));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto& event = std::get<StreamEvent>(*result.message);
        QCOMPARE(event.kind, StreamEvent::Kind::Shards);
        QCOMPARE(event.seq, qint64(8));
        QCOMPARE(event.shards.nodes.size(), 2);
        QCOMPARE(event.shards.moves.size(), 1);
        bool ok = false;
        QCOMPARE(event.shards, parsedSnapshot(kShards, &ok));
    }

    void absentFromOlderAgents() {
        const auto result = StreamMessageParser::parse(QByteArray(
            R"({"type":"snapshot","seq":1,"stream":"s","protocol":1,"snapshot":{"revision":1}})"));
        QVERIFY(result.ok());
        QVERIFY(!std::get<SnapshotMessage>(*result.message).snapshot.shards.has_value());
    }

    void missingFieldsKeepDefaults() {
        bool ok = false;
        const ShardsStatus shards =
            parsedSnapshot(R"({"nodes":[{"name":"shard-1"}],"buckets":{"node":[0,0]}})", &ok);
        QVERIFY(ok);
        QCOMPARE(shards.status, ProbeStatus::Unknown);
        QCOMPARE(shards.catalog, QString());
        // Without bucket_count the columns say how many buckets there are.
        QCOMPARE(shards.bucketCount, 2);
        QCOMPARE(shards.nodes.at(0).rows, qint64(-1));
        QCOMPARE(shards.nodes.at(0).writesPerSecond, -1.0);
        QVERIFY(shards.buckets.rows.isEmpty());
        QCOMPARE(shards.skew, ShardSkew());
        QVERIFY(shards.moves.isEmpty());
    }

    void wrongTypesAreIgnored() {
        bool ok = false;
        const ShardsStatus shards = parsedSnapshot(kOdd, &ok);
        QVERIFY(ok); // the rest of the snapshot is not lost over it
        QCOMPARE(shards.checkedMs, qint64(0));
        QCOMPARE(shards.status, ProbeStatus::Unknown);
        QCOMPARE(shards.error, QString());
        QCOMPARE(shards.catalog, QString());
        QCOMPARE(shards.version, qint64(0)); // 1.5 is no version
        QCOMPARE(shards.bucketCount, 3);     // from the node column
        QCOMPARE(shards.nodes.size(), 2);    // "not a node" is skipped
        QCOMPARE(shards.nodes.at(0).name, QString());
        QCOMPARE(shards.nodes.at(0).rows, qint64(-1));
        QCOMPARE(shards.nodes.at(0).buckets, qint64(2));
        QCOMPARE(shards.nodes.at(1).status, ProbeStatus::Unknown); // 9 is no status
        QCOMPARE(shards.nodes.at(1).writesPerSecond, -1.0);
        QCOMPARE(shards.nodes.at(1).readsPerSecond, 1.5);
        // Positions are kept: a wrong element is unknown, not dropped.
        QCOMPARE(shards.buckets.node, (QList<int>{0, -1, -1}));
        QVERIFY(shards.buckets.rows.isEmpty());
        QCOMPARE(shards.buckets.bytes, (QList<qint64>{1, 2, 3}));
        QVERIFY(shards.buckets.writesPerSecond.isEmpty());
        QCOMPARE(shards.skew.rows, SkewFigures());
        QCOMPARE(shards.skew.load.maxOverMean, 0.0);
        QCOMPARE(shards.skew.load.cv, 0.5);
        QCOMPARE(shards.moves.size(), 1);
        QCOMPARE(shards.moves.at(0).bucket, -1);
        QCOMPARE(shards.moves.at(0).phase, QString());
        QCOMPARE(shards.moves.at(0).progress, 1.0); // clamped to 0..1
    }

    void shardsOfTheWrongTypeCountAsAbsent() {
        const auto result = StreamMessageParser::parse(snapshotFrame("[1,2]"));
        QVERIFY(result.ok());
        QVERIFY(!std::get<SnapshotMessage>(*result.message).snapshot.shards.has_value());
    }

    void skewOfFigures() {
        QCOMPARE(skewOf({}), SkewFigures());
        QCOMPARE(skewOf({0, 0}), SkewFigures());
        const SkewFigures even = skewOf({10, 10, 10});
        QCOMPARE(even.maxOverMean, 1.0);
        QCOMPARE(even.cv, 0.0);
        // mean 20, largest 30, population deviation 10: CV 0.5; unknown (-1) left out.
        const SkewFigures skewed = skewOf({10, 30, -1});
        QCOMPARE(skewed.maxOverMean, 1.5);
        QCOMPARE(skewed.cv, 0.5);
    }

    void textsForPeople() {
        QCOMPARE(shardSkewText(QStringLiteral("rows"), {1.07, 0.04}),
                 QStringLiteral("rows: max/mean 1.07, CV 0.04"));
        QCOMPARE(shardCountText(20480), QStringLiteral("20,480"));
        QCOMPARE(shardCountText(-1), QStringLiteral("–"));
        QCOMPARE(shardRateText(2.5), QStringLiteral("2.5 /s"));
        QCOMPARE(shardRateText(120.4), QStringLiteral("120 /s"));
        QCOMPARE(shardRateText(-1), QStringLiteral("–"));
        QCOMPARE(shardMovePhaseLabel(QStringLiteral("catching_up")), QStringLiteral("catching up"));
    }
};

QTEST_GUILESS_MAIN(TestShardsParsing)
#include "tst_shards_parsing.moc"
