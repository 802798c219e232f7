// The region drills' pure parts: the preflight's verdicts and reasons per database (the standby
// leader, each shard standby), what region_failback needs configured, drill.run's params for
// the region kinds, and the conninfo's host and port the shard checks compare.
#include "drill_action.h"
#include "region_preflight.h"
#include "switchboard/protocol.h"
#include "switchboard/shard_router.h"

#include <QTest>

using namespace switchboard;

namespace {

HaMember member(std::string name, std::string role, bool streaming) {
    HaMember m;
    m.name = std::move(name);
    m.role = std::move(role);
    m.state = "running";
    m.host = "127.0.0.1";
    m.port = 5432;
    m.timeline = 1;
    m.streaming = streaming;
    return m;
}

HaRegion region(std::string name, std::vector<HaMember> members,
                std::optional<std::int64_t> lag = std::nullopt) {
    HaRegion r;
    r.name = std::move(name);
    r.members = std::move(members);
    for (const auto& m : r.members)
        if (m.isLeader() || m.role == "standby_leader")
            r.leader = m.name;
    r.crossRegionLagBytes = lag;
    return r;
}

ShardPairReading shard(std::string node, bool streaming, bool fromActive,
                       std::optional<std::int64_t> lag) {
    ShardPairReading s;
    s.node = std::move(node);
    s.activeConninfo = "host=127.0.0.1 port=7001 user=u";
    s.targetConninfo = "host=127.0.0.1 port=7002 user=u";
    s.inRecovery = true;
    s.streaming = streaming;
    s.fromActive = fromActive;
    s.lagBytes = lag;
    return s;
}

RegionPreflightInput failover(std::optional<std::int64_t> crossLag = 0,
                              bool standbyStreaming = true) {
    RegionPreflightInput in;
    in.kind = "region_failover";
    in.maxLagBytes = 1024;
    in.active = region("us-east", {member("a1", "leader", true), member("a2", "replica", true)});
    in.target = region("eu-west", {member("e1", "standby_leader", standbyStreaming)}, crossLag);
    in.shards = {shard("shard-1", true, true, 0), shard("shard-2", true, true, 100)};
    return in;
}

const PreflightCheck* find(const RegionPreflight& preflight, const std::string& name) {
    for (const auto& check : preflight.checks)
        if (check.name == name)
            return &check;
    return nullptr;
}

} // namespace

class TestRegionParts : public QObject {
    Q_OBJECT

private slots:
    void failoverPassesWhenEveryDatabaseStreams() {
        const RegionPreflight p = regionPreflight(failover());
        QVERIFY(p.passed());
        QCOMPARE(find(p, "e1: streaming")->verdict, protocol::verdict::kPass);
        QCOMPARE(find(p, "shard-2: lag")->detail,
                 std::string("100 B behind 127.0.0.1:7001 (limit 1024 B)"));
        QCOMPARE(find(p, "target region")->detail, std::string("eu-west takes over from us-east"));
    }

    void failoverRefusesAStandbyLeaderThatDoesNotStream() {
        const RegionPreflight p = regionPreflight(failover(0, false));
        QVERIFY(!p.passed());
        QCOMPARE(find(p, "e1: streaming")->verdict, protocol::verdict::kFail);
        QVERIFY(find(p, "e1: streaming")->detail.find("does not list it as streaming") !=
                std::string::npos);
    }

    void failoverRefusesLagBeyondTheLimitOrUnknown() {
        RegionPreflight p = regionPreflight(failover(4096));
        QCOMPARE(find(p, "e1: lag")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "e1: lag")->detail, std::string("4096 B behind us-east (limit 1024 B)"));
        p = regionPreflight(failover(std::nullopt));
        QCOMPARE(find(p, "e1: lag")->verdict, protocol::verdict::kFail);
    }

    void failoverRefusesAShardStandbyOfAnotherServerOrNotStreaming() {
        RegionPreflightInput in = failover();
        in.shards = {shard("shard-1", true, false, 0), shard("shard-2", false, false, 0)};
        const RegionPreflight p = regionPreflight(in);
        QVERIFY(!p.passed());
        QCOMPARE(find(p, "shard-1: streaming")->detail,
                 std::string("its standby streams, but not from 127.0.0.1:7001 (its active "
                             "server)"));
        QCOMPARE(find(p, "shard-2: streaming")->detail,
                 std::string("its standby's WAL receiver is not streaming"));
    }

    void failoverRefusesAShardStandbyThatDoesNotAnswerOrIsPrimary() {
        RegionPreflightInput in = failover();
        in.shards[0].error = "connection refused";
        in.shards[1].inRecovery = false;
        const RegionPreflight p = regionPreflight(in);
        QCOMPARE(find(p, "shard-1: standby")->detail,
                 std::string("its server in eu-west does not answer: connection refused"));
        QCOMPARE(find(p, "shard-2: standby")->verdict, protocol::verdict::kFail);
    }

    void failoverRefusesTheActiveRegionAndAnotherDrill() {
        RegionPreflightInput in = failover();
        in.target = in.active;
        in.otherDrillRunning = true;
        const RegionPreflight p = regionPreflight(in);
        QCOMPARE(find(p, "target region")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "no other drill")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "a1: standby leader")->verdict, protocol::verdict::kFail);
    }

    void failoverRefusesUnpairedShards() {
        RegionPreflightInput in = failover();
        in.shardsProblem = "ha.regions[eu-west].shards has no server for shard-2";
        QCOMPARE(find(regionPreflight(in), "shards")->verdict, protocol::verdict::kFail);
    }

    void failbackNeedsBothStandbyClustersAndTheRejoinCommand() {
        RegionPreflightInput in;
        in.kind = "region_failback";
        in.active = region("eu-west", {member("e1", "leader", true)});
        in.target = region("us-east", {member("a1", "leader", false)});
        in.shards = {shard("shard-1", false, false, std::nullopt)};
        in.targetStandbyConfigured = true;
        RegionPreflight p = regionPreflight(in);
        QVERIFY(!p.passed());
        QCOMPARE(find(p, "standby_cluster")->detail,
                 std::string("ha.regions[eu-west].standby_cluster is not configured: the drill "
                             "cannot make it follow the other region"));
        QCOMPARE(find(p, "shard_rejoin_command")->verdict, protocol::verdict::kFail);
        // The streaming checks wait until the target follows: not at plan time.
        QVERIFY(!find(p, "shard-1: streaming"));
        in.activeStandbyConfigured = true;
        in.rejoinCommandConfigured = true;
        p = regionPreflight(in);
        QVERIFY(p.passed());
        QCOMPARE(find(p, "us-east: cluster")->detail, std::string("a1 leads us-east (leader)"));
    }

    void unknownRegionsFail() {
        RegionPreflightInput in;
        in.kind = "region_failover";
        QVERIFY(!regionPreflight(in).passed());
    }

    void conninfoHostAndPort() {
        QCOMPARE(conninfoHostPort("host=10.0.0.1 port=6543 user=u"),
                 std::make_pair(std::string("10.0.0.1"), 6543));
        QCOMPARE(conninfoHostPort("user=u host=h"), std::make_pair(std::string("h"), 5432));
    }

    void shardRouterRepointsANodeAndKeepsItsBuckets() {
        ShardRouter router(4);
        QVERIFY(router.apply({1, {"s1", "s2"}, {"port=1", "port=2"}, {0, 1, 0, 1}}));
        QVERIFY(router.repointNode("s2", "port=20"));
        QVERIFY(!router.repointNode("s3", "port=30"));
        QCOMPARE(router.nodeConninfo(1), std::string("port=20"));
        QCOMPARE(router.nodeConninfo(0), std::string("port=1"));
        QCOMPARE(router.map().nodeConninfos[1], std::string("port=20"));
        QCOMPARE(router.routeBucket(1).node, 1); // the buckets did not move
        // A newer map from the catalog (which still names the old server) keeps the repoint:
        // apply() sets only the conninfos of nodes it adds.
        QVERIFY(router.apply({2, {"s1", "s2"}, {"port=1", "port=2"}, {0, 0, 0, 1}}));
        QCOMPARE(router.nodeConninfo(1), std::string("port=20"));
    }

    void regionDrillParams() {
        auto reason = [](const nlohmann::json& params) {
            try {
                DrillAction::parse(params, "eu-west");
            } catch (const ActionError& error) {
                return error.reason() + ": " + error.what();
            }
            return std::string("accepted");
        };
        QCOMPARE(reason({{"kind", "region_failover"}, {"mode", "plan"}}), std::string("accepted"));
        QCOMPARE(reason({{"kind", "region_failback"}, {"mode", "simulated"}}),
                 std::string("accepted"));
        QVERIFY(reason({{"kind", "region_failover"}, {"mode", "plan"}, {"candidate", "x"}})
                    .find("bad_request: params.candidate is for switchover and failover") == 0);
        const std::string unconfirmed = reason({{"kind", "region_failover"}, {"mode", "live"}});
        QVERIFY(unconfirmed.find("region_not_confirmed: a live region drill makes eu-west") == 0);
        QCOMPARE(
            reason({{"kind", "region_failover"}, {"mode", "live"}, {"confirm_region", "eu-west"}}),
            std::string("accepted"));
    }
};

QTEST_GUILESS_MAIN(TestRegionParts)
#include "tst_region_parts.moc"
