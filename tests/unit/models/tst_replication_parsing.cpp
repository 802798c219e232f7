// The parser's replication and read router additions: the snapshot's "replication" and
// "read_router" objects and their events, absent for older agents, and malformed documents
// refused with a message naming the field.
#include "StreamMessageParser.h"

#include <QTest>

using switchboard::SnapshotMessage;
using switchboard::StreamEvent;
using switchboard::StreamMessageParser;
using switchboard::protocol::ProbeStatus;

namespace {

// As docs/protocol.md shows them: one streaming replica with a slot and its own view.
const QByteArray kReplication = R"({"checked_ms":1795000000000,"status":1,"error":"",
  "primary":{"name":"primary","target":"127.0.0.1:41234","status":1,"error":"","timeline":1,
             "current_lsn":"0/3000060","in_recovery":false},
  "replicas":[
    {"name":"pg-replica-1","target":"127.0.0.1:41235","state_name":"streaming","status":1,
     "error":"","sync_state":"async","timeline":1,"write_lag_bytes":0,"flush_lag_bytes":0,
     "replay_lag_bytes":8192,"write_lag_s":0.0,"flush_lag_s":0.0,"replay_lag_s":0.012,
     "slot":{"name":"slot_pg_replica_1","active":true,"retained_wal_bytes":16384},
     "self":{"status":1,"error":"","in_recovery":true,"receive_lsn":"0/3000060",
             "replay_lsn":"0/3000000","replay_paused":false,"replay_lag_s":0.012}},
    {"name":"pg-replica-2","target":"127.0.0.1:41236","state_name":"down","status":2,
     "error":"connection refused","slot":null}]})";

const QByteArray kRouter = R"({"max_lag_ms":100,"max_lag_bytes":16777216,"targets":[
  {"name":"primary","role":"primary","eligible":true,"why_not":"","reads":1200,"rate_per_s":2.0},
  {"name":"pg-replica-1","role":"replica","eligible":false,
   "why_not":"replay lag 2.4 s > 100 ms","reads":5400,"rate_per_s":0.0}]})";

QByteArray snapshotFrame(const QByteArray& extra) {
    return R"({"type":"snapshot","seq":7,"stream":"9f","protocol":1,"snapshot":{"revision":7,)"
           R"("time_ms":1795000000000,"info":{"instance":"demo-1","protocol":1})" +
           extra + "}}";
}

QByteArray eventFrame(const QByteArray& kind, const QByteArray& data) {
    return R"({"type":"event","seq":8,"stream":"9f","time_ms":1795000001000,"kind":")" + kind +
           R"(","data":)" + data + "}";
}

QByteArray replicaWith(const QByteArray& fieldJson) {
    return R"({"status":1,"replicas":[{"name":"r",)" + fieldJson + "}]}";
}

} // namespace

class TestReplicationParsing : public QObject {
    Q_OBJECT

private slots:
    void snapshotCarriesReplicationAndRouter() {
        const QByteArray extra = QByteArray(",\"replication\":") + kReplication +
                                 QByteArray(",\"read_router\":") + kRouter;
        const auto result = StreamMessageParser::parse(snapshotFrame(extra));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto& snapshot = std::get<SnapshotMessage>(*result.message).snapshot;
        QVERIFY(snapshot.replication.has_value());
        const auto& replication = *snapshot.replication;
        QCOMPARE(replication.checkedMs, qint64(1795000000000));
        QCOMPARE(replication.status, ProbeStatus::Up);
        QCOMPARE(replication.primary.target, QStringLiteral("127.0.0.1:41234"));
        QCOMPARE(replication.primary.timeline, qint64(1));
        QCOMPARE(replication.primary.currentLsn, QStringLiteral("0/3000060"));
        QCOMPARE(replication.replicas.size(), 2);
        const auto& first = replication.replicas.at(0);
        QCOMPARE(first.name, QStringLiteral("pg-replica-1"));
        QCOMPARE(first.stateName, QStringLiteral("streaming"));
        QCOMPARE(first.syncState, QStringLiteral("async"));
        QCOMPARE(first.replayLagBytes, qint64(8192));
        QCOMPARE(first.replayLagSeconds, 0.012);
        QVERIFY(first.slot.has_value());
        QCOMPARE(first.slot->retainedWalBytes, qint64(16384));
        QVERIFY(first.slot->active);
        QVERIFY(first.self.has_value());
        QVERIFY(first.self->inRecovery);
        QCOMPARE(first.self->replayLsn, QStringLiteral("0/3000000"));
        const auto& second = replication.replicas.at(1);
        QCOMPARE(second.status, ProbeStatus::Down);
        QCOMPARE(second.error, QStringLiteral("connection refused"));
        QVERIFY(!second.slot.has_value()); // null: no slot
        QVERIFY(!second.self.has_value());

        QVERIFY(snapshot.readRouter.has_value());
        QCOMPARE(snapshot.readRouter->maxLagMs, qint64(100));
        QCOMPARE(snapshot.readRouter->maxLagBytes, qint64(16777216));
        QCOMPARE(snapshot.readRouter->targets.size(), 2);
        QCOMPARE(snapshot.readRouter->targets.at(1).whyNot,
                 QStringLiteral("replay lag 2.4 s > 100 ms"));
        QVERIFY(!snapshot.readRouter->targets.at(1).eligible);
        QCOMPARE(snapshot.readRouter->targets.at(1).reads, qint64(5400));
    }

    void absentForOlderAgents() {
        const auto result = StreamMessageParser::parse(snapshotFrame({}));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const auto& snapshot = std::get<SnapshotMessage>(*result.message).snapshot;
        QVERIFY(!snapshot.replication.has_value());
        QVERIFY(!snapshot.readRouter.has_value());
    }

    void events() {
        auto result = StreamMessageParser::parse(eventFrame("replication", kReplication));
        QVERIFY2(result.ok(), qPrintable(result.error));
        auto streamEvent = std::get<StreamEvent>(*result.message);
        QCOMPARE(streamEvent.kind, StreamEvent::Kind::Replication);
        QCOMPARE(streamEvent.replication.replicas.size(), 2);

        result = StreamMessageParser::parse(eventFrame("read_router", kRouter));
        QVERIFY2(result.ok(), qPrintable(result.error));
        streamEvent = std::get<StreamEvent>(*result.message);
        QCOMPARE(streamEvent.kind, StreamEvent::Kind::ReadRouter);
        QCOMPARE(streamEvent.timeMs, qint64(1795000001000));
        QCOMPARE(streamEvent.readRouter.targets.at(0).reads, qint64(1200));
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("expected"); // part of the error message

        QTest::newRow("replication not an object")
            << snapshotFrame(",\"replication\":[]") << QStringLiteral("\"replication\"");
        QTest::newRow("read_router not an object")
            << snapshotFrame(",\"read_router\":3") << QStringLiteral("\"read_router\"");
        QTest::newRow("replicas not an array")
            << eventFrame("replication", "{\"replicas\":{}}") << QStringLiteral("\"replicas\"");
        QTest::newRow("replica not an object")
            << eventFrame("replication", "{\"replicas\":[1]}") << QStringLiteral("replicas[0]");
        QTest::newRow("replica lag a string")
            << eventFrame("replication", replicaWith("\"replay_lag_s\":\"2\""))
            << QStringLiteral("\"replay_lag_s\"");
        QTest::newRow("replica lag bytes fractional")
            << eventFrame("replication", replicaWith("\"replay_lag_bytes\":1.5"))
            << QStringLiteral("\"replay_lag_bytes\"");
        QTest::newRow("replica status unknown")
            << eventFrame("replication", replicaWith("\"status\":9"))
            << QStringLiteral("\"status\"");
        QTest::newRow("slot not an object")
            << eventFrame("replication", replicaWith("\"slot\":true"))
            << QStringLiteral("\"slot\"");
        QTest::newRow("slot active not a boolean")
            << eventFrame("replication", replicaWith("\"slot\":{\"active\":1}"))
            << QStringLiteral("slot: field \"active\"");
        QTest::newRow("self paused not a boolean")
            << eventFrame("replication", replicaWith("\"self\":{\"replay_paused\":\"no\"}"))
            << QStringLiteral("self: field \"replay_paused\"");
        QTest::newRow("primary not an object")
            << eventFrame("replication", "{\"primary\":\"x\"}") << QStringLiteral("\"primary\"");
        QTest::newRow("primary in_recovery a number")
            << eventFrame("replication", "{\"primary\":{\"in_recovery\":0}}")
            << QStringLiteral("primary: field \"in_recovery\"");
        QTest::newRow("replica without name")
            << eventFrame("replication", "{\"replicas\":[{\"status\":1}]}")
            << QStringLiteral("missing field \"name\"");
        QTest::newRow("targets not an array")
            << eventFrame("read_router", "{\"targets\":\"x\"}") << QStringLiteral("\"targets\"");
        QTest::newRow("target eligible a string")
            << eventFrame("read_router", "{\"targets\":[{\"name\":\"p\",\"eligible\":\"yes\"}]}")
            << QStringLiteral("targets[0]: field \"eligible\"");
        QTest::newRow("target reads a string")
            << eventFrame("read_router", "{\"targets\":[{\"name\":\"p\",\"reads\":\"1\"}]}")
            << QStringLiteral("field \"reads\"");
        QTest::newRow("max_lag_ms a string")
            << eventFrame("read_router", "{\"max_lag_ms\":\"100\"}")
            << QStringLiteral("\"max_lag_ms\"");
        QTest::newRow("replication event data missing")
            << QByteArray(
                   "{\"type\":\"event\",\"seq\":8,\"stream\":\"9f\",\"kind\":\"replication\"}")
            << QStringLiteral("\"data\"");
    }

    void malformed() {
        QFETCH(QByteArray, frame);
        QFETCH(QString, expected);
        const auto result = StreamMessageParser::parse(frame);
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(expected), qPrintable(result.error));
    }
};

QTEST_GUILESS_MAIN(TestReplicationParsing)
#include "tst_replication_parsing.moc"
