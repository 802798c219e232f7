// A direct region's view (no Patroni) from one replication report: who leads, each member's
// role, state, streaming and lag, the leader's WAL position, and the health assessHealth()
// derives from them; LSN text to bytes.
#include "direct_region.h"

#include <QTest>

using namespace switchboard;
using Status = protocol::ProbeStatus;

namespace {

const std::vector<DirectMember> kMembers{
    {"pg-primary", "host=127.0.0.1 port=5432"},
    {"pg-replica-1", "host=127.0.0.1 port=5433"},
    {"pg-replica-2", "host=127.0.0.1 port=5434"},
};

HaRegionConfig directConfig() {
    HaRegionConfig config;
    config.name = "local";
    config.provider = "direct";
    config.primaryName = "pg-primary";
    return config;
}

ReplicaReport replica(std::string name, std::string target, std::string state,
                      bool selfInRecovery = true, Status self = Status::Up) {
    ReplicaReport report;
    report.name = std::move(name);
    report.target = std::move(target);
    report.state = std::move(state);
    report.timeline = 1;
    report.replayLagBytes = 4096;
    report.self.status = self;
    report.self.inRecovery = selfInRecovery;
    return report;
}

// pg-primary leading, pg-replica-1 streaming, pg-replica-2 as the test says.
ReplicationReport report(ReplicaReport second) {
    ReplicationReport r;
    r.checkedMs = 1000;
    r.primary.target = "127.0.0.1:5432";
    r.primary.status = Status::Up;
    r.primary.timeline = 1;
    r.primary.currentLsn = "0/3000060";
    r.replicas = {replica("pg-replica-1", "127.0.0.1:5433", "streaming"), std::move(second)};
    return r;
}

const HaMember& named(const HaRegion& region, const std::string& name) {
    return *region.member(name);
}

} // namespace

class TestDirectRegion : public QObject {
    Q_OBJECT

private slots:
    void aHealthyRegion() {
        HaRegion region =
            directRegionFromReport(directConfig(), kMembers, "pg-primary",
                                   report(replica("pg-replica-2", "127.0.0.1:5434", "streaming")));
        assessHealth(region);
        QCOMPARE(region.provider, std::string("direct"));
        QCOMPARE(region.leader, std::string("pg-primary"));
        QCOMPARE(region.health, std::string("ok"));
        QCOMPARE(region.leaderWalLsn.value_or(-1), std::int64_t(0x3000060));
        QCOMPARE(region.members.size(), std::size_t(3));
        const HaMember& leader = named(region, "pg-primary");
        QCOMPARE(leader.role, std::string("leader"));
        QCOMPARE(leader.port, 5432);
        QCOMPARE(leader.conninfo, std::string("host=127.0.0.1 port=5432"));
        const HaMember& first = named(region, "pg-replica-1");
        QCOMPARE(first.role, std::string("replica"));
        QVERIFY(first.streaming);
        QCOMPARE(first.lagBytes.value_or(-1), std::int64_t(4096));
        QCOMPARE(first.host, std::string("127.0.0.1"));
        QCOMPARE(first.port, 5433);
    }

    void aReplicaTheLeaderDoesNotListHasNoLag() {
        HaRegion region = directRegionFromReport(
            directConfig(), kMembers, "pg-primary",
            report(replica("pg-replica-2", "127.0.0.1:5434", "not_connected")));
        assessHealth(region);
        const HaMember& second = named(region, "pg-replica-2");
        QVERIFY(!second.streaming);
        QVERIFY(!second.lagBytes);
        QCOMPARE(second.state, std::string("not_connected"));
        QCOMPARE(region.health, std::string("degraded"));
        QVERIFY(region.error.find("pg-replica-2") != std::string::npos);
    }

    void aFencedOldPrimaryIsDetached() {
        // After a direct switchover: pg-replica-1 leads, pg-primary is out of recovery too.
        ReplicationReport r = report(replica("pg-replica-2", "127.0.0.1:5434", "streaming"));
        r.primary.target = "127.0.0.1:5433";
        r.replicas = {replica("pg-primary", "127.0.0.1:5432", "not_connected", false),
                      replica("pg-replica-2", "127.0.0.1:5434", "streaming")};
        HaRegion region = directRegionFromReport(directConfig(), kMembers, "pg-replica-1", r);
        assessHealth(region);
        QCOMPARE(region.leader, std::string("pg-replica-1"));
        QCOMPARE(named(region, "pg-primary").role, std::string("detached"));
        QVERIFY(!named(region, "pg-primary").streaming);
        QCOMPARE(region.members.front().name, std::string("pg-primary")); // configured order
        QCOMPARE(region.health, std::string("degraded"));
    }

    void aLeaderThatDoesNotAnswerLeavesNoLeader() {
        ReplicationReport r = report(replica("pg-replica-2", "127.0.0.1:5434", "unknown"));
        r.primary.status = Status::Down;
        r.primary.error = "connection refused";
        HaRegion region = directRegionFromReport(directConfig(), kMembers, "pg-primary", r);
        assessHealth(region);
        QVERIFY(region.leader.empty());
        QCOMPARE(region.health, std::string("down"));
        QVERIFY(region.error.find("connection refused") != std::string::npos);
        QVERIFY(!region.leaderWalLsn);
    }

    void lsnText() {
        QCOMPARE(lsnBytes("0/0").value_or(-1), std::int64_t(0));
        QCOMPARE(lsnBytes("16/B374D848").value_or(-1), std::int64_t(0x16B374D848));
        QVERIFY(!lsnBytes(""));
        QVERIFY(!lsnBytes("16"));
        QVERIFY(!lsnBytes("/1"));
        QVERIFY(!lsnBytes("1/"));
        QVERIFY(!lsnBytes("x/1"));
        QVERIFY(!lsnBytes("1/2 "));
        QVERIFY(!lsnBytes("100000000/0"));
    }
};

QTEST_GUILESS_MAIN(TestDirectRegion)
#include "tst_direct_region.moc"
