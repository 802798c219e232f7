// The replication report as the protocol's "replication" document (every field, a replica
// without a slot as null), and the state store keeping the last "replication" and "read_router"
// events in the snapshot, while a snapshot without them keeps its old shape.
#include "replication_monitor.h"
#include "state_store.h"
#include "switchboard/protocol.h"

#include <QTest>

using nlohmann::json;
using switchboard::ReplicationReport;
namespace protocol = switchboard::protocol;
namespace field = protocol::field;

class TestReplicationJson : public QObject {
    Q_OBJECT

    static ReplicationReport sample() {
        ReplicationReport report;
        report.checkedMs = 1795000000000;
        report.primary.target = "127.0.0.1:41234";
        report.primary.status = protocol::ProbeStatus::Up;
        report.primary.timeline = 1;
        report.primary.currentLsn = "0/3000060";
        switchboard::ReplicaReport streaming;
        streaming.name = "pg-replica-1";
        streaming.target = "127.0.0.1:41235";
        streaming.state = "streaming";
        streaming.status = protocol::ProbeStatus::Up;
        streaming.syncState = "async";
        streaming.timeline = 1;
        streaming.writeLagBytes = 1;
        streaming.flushLagBytes = 2;
        streaming.replayLagBytes = 8192;
        streaming.writeLagSeconds = 0.25;
        streaming.flushLagSeconds = 0.5;
        streaming.replayLagSeconds = 0.75;
        streaming.slot = switchboard::ReplicationSlot{"slot_pg_replica_1", true, 16384};
        streaming.self.status = protocol::ProbeStatus::Up;
        streaming.self.inRecovery = true;
        streaming.self.receiveLsn = "0/3000060";
        streaming.self.replayLsn = "0/3000000";
        streaming.self.replayPaused = true;
        streaming.self.replayLagSeconds = 0.75;
        switchboard::ReplicaReport gone;
        gone.name = "pg-replica-2";
        gone.state = "down";
        gone.status = protocol::ProbeStatus::Down;
        gone.error = "the primary has no walsender for pg-replica-2";
        gone.self.status = protocol::ProbeStatus::Down;
        gone.self.error = "connection refused";
        report.replicas = {streaming, gone};
        return report;
    }

private slots:
    void reportBecomesTheProtocolDocument() {
        json doc = switchboard::replicationJson(sample());
        QCOMPARE(doc[field::kCheckedMs].get<std::int64_t>(), std::int64_t(1795000000000));
        QCOMPARE(doc[field::kStatus].get<int>(), 1);
        QCOMPARE(doc[field::kError].get<std::string>(), std::string());
        const json& primary = doc[field::kPrimary];
        QCOMPARE(primary[field::kName].get<std::string>(), std::string("primary"));
        QCOMPARE(primary[field::kTarget].get<std::string>(), std::string("127.0.0.1:41234"));
        QCOMPARE(primary[field::kTimeline].get<int>(), 1);
        QCOMPARE(primary[field::kCurrentLsn].get<std::string>(), std::string("0/3000060"));
        QCOMPARE(primary[field::kInRecovery].get<bool>(), false);
        QCOMPARE(doc[field::kReplicas].size(), std::size_t(2));
        const json& first = doc[field::kReplicas][0];
        QCOMPARE(first[field::kName].get<std::string>(), std::string("pg-replica-1"));
        QCOMPARE(first[field::kReplicationState].get<std::string>(), std::string("streaming"));
        QCOMPARE(first[field::kSyncState].get<std::string>(), std::string("async"));
        QCOMPARE(first[field::kWriteLagBytes].get<int>(), 1);
        QCOMPARE(first[field::kFlushLagBytes].get<int>(), 2);
        QCOMPARE(first[field::kReplayLagBytes].get<int>(), 8192);
        QCOMPARE(first[field::kWriteLagSeconds].get<double>(), 0.25);
        QCOMPARE(first[field::kFlushLagSeconds].get<double>(), 0.5);
        QCOMPARE(first[field::kReplayLagSeconds].get<double>(), 0.75);
        QCOMPARE(first[field::kSlot][field::kName].get<std::string>(),
                 std::string("slot_pg_replica_1"));
        QCOMPARE(first[field::kSlot][field::kActive].get<bool>(), true);
        QCOMPARE(first[field::kSlot][field::kRetainedWalBytes].get<int>(), 16384);
        const json& self = first[field::kSelf];
        QCOMPARE(self[field::kStatus].get<int>(), 1);
        QCOMPARE(self[field::kInRecovery].get<bool>(), true);
        QCOMPARE(self[field::kReceiveLsn].get<std::string>(), std::string("0/3000060"));
        QCOMPARE(self[field::kReplayLsn].get<std::string>(), std::string("0/3000000"));
        QCOMPARE(self[field::kReplayPaused].get<bool>(), true);
        QCOMPARE(self[field::kReplayLagSeconds].get<double>(), 0.75);
        const json& second = doc[field::kReplicas][1];
        QVERIFY(second[field::kSlot].is_null());
        QCOMPARE(second[field::kReplicationState].get<std::string>(), std::string("down"));
        QCOMPARE(second[field::kStatus].get<int>(), 2);
        QCOMPARE(second[field::kSelf][field::kError].get<std::string>(),
                 std::string("connection refused"));
    }

    void primaryDownShowsAtTheTop() {
        ReplicationReport report = sample();
        report.primary.status = protocol::ProbeStatus::Down;
        report.primary.error = "connection refused";
        json doc = switchboard::replicationJson(report);
        QCOMPARE(doc[field::kStatus].get<int>(), 2);
        QCOMPARE(doc[field::kError].get<std::string>(), std::string("connection refused"));
        QCOMPARE(doc[field::kPrimary][field::kError].get<std::string>(),
                 std::string("connection refused"));
    }

    void snapshotWithoutReplicationIsUnchanged() {
        switchboard::StateStore store(json{{"instance", "i-1"}});
        store.apply(protocol::event::kRequests, json{{"rate", 1}}, 1);
        json snapshot = store.snapshot(5);
        QVERIFY(!snapshot.contains(field::kReplication));
        QVERIFY(!snapshot.contains(field::kReadRouter));
        QCOMPARE(snapshot.size(), std::size_t(7));
    }

    void snapshotKeepsTheLastReplicationAndRouter() {
        switchboard::StateStore store(json{{"instance", "i-1"}});
        json first = switchboard::replicationJson(sample());
        store.apply(protocol::event::kReplication, first, 1);
        ReplicationReport later = sample();
        later.checkedMs += 1000;
        json second = switchboard::replicationJson(later);
        store.apply(protocol::event::kReplication, second, 2);
        json router = {{field::kMaxLagMs, 100}, {field::kTargets, json::array()}};
        store.apply(protocol::event::kReadRouter, router, 3);
        json snapshot = store.snapshot(5);
        QVERIFY(snapshot[field::kReplication] == second);
        QVERIFY(snapshot[field::kReadRouter] == router);
        QCOMPARE(snapshot[field::kRevision].get<int>(), 3);
    }
};

QTEST_GUILESS_MAIN(TestReplicationJson)
#include "tst_replication_json.moc"
