// The HA probe's pure parts against real Patroni 3.0.2 answers (tests/data/patroni): members
// from GET /cluster, streaming from the leader's GET /patroni, timeline history, WAL positions,
// the health rules of docs/drills.md and the "regions" document's fields. Also a probe round
// against a Patroni that does not answer: the region is down with the reason, never a throw.
#include "ha_monitor.h"
#include "stream_hub.h"
#include "switchboard/protocol.h"

#include <QTest>
#include <fstream>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>

using namespace switchboard;
using nlohmann::json;

namespace {

json capture(const std::string& name) {
    std::ifstream in(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/data/patroni/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

// The us-east region as the captures before the switchover show it, streaming marked.
HaRegion usEast() {
    HaRegion region;
    region.name = "us-east";
    region.role = "active";
    region.cluster = "us-east";
    region.members = parseClusterMembers(capture("us-east-leader-cluster.json"));
    markStreaming(region.members, capture("us-east-leader-patroni.json"));
    region.history = parseHistory(capture("us-east-leader-history.json"));
    return region;
}

HaConfig twoRegions() {
    HaConfig config;
    config.enabled = true;
    config.rtoTargetMs = 15000;
    config.regions = {{"us-east", "active", "us-east", {"http://127.0.0.1:1"}, {}},
                      {"eu-west", "standby", "eu-west", {"http://127.0.0.1:1"}, {}}};
    return config;
}

} // namespace

class TestHaParsing : public QObject {
    Q_OBJECT

private slots:
    void clusterMembersFromTheLeader() {
        auto members = parseClusterMembers(capture("us-east-leader-cluster.json"));
        QCOMPARE(members.size(), std::size_t(2));
        QCOMPARE(members[0].name, std::string("pg-us-east-1"));
        QCOMPARE(members[0].role, std::string("replica"));
        QCOMPARE(members[0].state, std::string("running"));
        QCOMPARE(members[0].host, std::string("127.0.0.1"));
        QCOMPARE(members[0].port, 56123);
        QCOMPARE(members[0].apiUrl, std::string("http://127.0.0.1:60081")); // "/patroni" cut
        QCOMPARE(members[0].timeline, std::int64_t(1));
        QVERIFY(members[0].lagBytes.has_value());
        QCOMPARE(*members[0].lagBytes, std::int64_t(0));
        QVERIFY(!members[0].isLeader());
        QCOMPARE(members[1].name, std::string("pg-us-east-2"));
        QVERIFY(members[1].isLeader());
        QVERIFY(!members[1].lagBytes.has_value()); // Patroni gives a leader no lag
        QCOMPARE(members[1].port, 33709);
        QVERIFY(!members[0].streaming && !members[1].streaming); // until markStreaming
    }

    void clusterMembersFromTheReplicaAreTheSame() {
        auto fromLeader = parseClusterMembers(capture("us-east-leader-cluster.json"));
        auto fromReplica = parseClusterMembers(capture("us-east-replica-cluster.json"));
        QCOMPARE(fromReplica.size(), fromLeader.size());
        for (std::size_t i = 0; i < fromLeader.size(); ++i) {
            QCOMPARE(fromReplica[i].name, fromLeader[i].name);
            QCOMPARE(fromReplica[i].role, fromLeader[i].role);
            QCOMPARE(fromReplica[i].apiUrl, fromLeader[i].apiUrl);
        }
    }

    void standbyLeaderCluster() {
        auto members = parseClusterMembers(capture("eu-west-standby-leader-cluster.json"));
        QCOMPARE(members.size(), std::size_t(1));
        QCOMPARE(members[0].role, std::string("standby_leader"));
        QVERIFY(!members[0].isLeader()); // not the writable leader
        HaRegion region;
        region.members = members;
        QVERIFY(region.leaderMember() != nullptr); // but its region's leader
        QCOMPARE(region.leaderMember()->name, std::string("pg-eu-west-1"));
        QCOMPARE(region.member("pg-eu-west-1")->port, 46827);
        QVERIFY(region.member("pg-us-east-1") == nullptr);
    }

    void afterSwitchover() {
        HaRegion region;
        region.members = parseClusterMembers(capture("after-switchover-new-leader-cluster.json"));
        markStreaming(region.members, capture("after-switchover-new-leader-patroni.json"));
        region.history = parseHistory(capture("after-switchover-new-leader-history.json"));
        QCOMPARE(region.leaderMember()->name, std::string("pg-us-east-1"));
        QCOMPARE(region.leaderMember()->timeline, std::int64_t(2));
        QVERIFY(region.member("pg-us-east-2")->streaming);
        QCOMPARE(region.history.size(), std::size_t(1));
        const HaTimelineSwitch& entry = region.history[0];
        QCOMPARE(entry.timeline, std::int64_t(1));
        QCOMPARE(entry.lsn, std::int64_t(83886472));
        QCOMPARE(entry.reason, std::string("no recovery target specified"));
        QCOMPARE(entry.time, std::string("2026-11-23T23:54:22.336457+00:00"));
        QCOMPARE(entry.leader, std::string("pg-us-east-1"));
        assessHealth(region);
        QCOMPARE(region.health, std::string("ok"));
        QCOMPARE(region.timeline, std::int64_t(2));
    }

    void historyWithoutPromotionIsEmpty() {
        for (const char* name : {"us-east-leader-history.json", "us-east-replica-history.json",
                                 "eu-west-standby-leader-history.json"})
            QVERIFY(parseHistory(capture(name)).empty());
        // A row without the new leader (older Patroni), and rows that are not rows.
        auto rows = parseHistory(json::parse(R"([[1, 100, "r", "t"], "x", [2], {"a": 1}])"));
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].lsn, std::int64_t(100));
        QVERIFY(rows[0].leader.empty());
    }

    void streamingFromTheLeadersReplication() {
        HaRegion region = usEast();
        QVERIFY(region.member("pg-us-east-1")->streaming); // listed "streaming"
        QVERIFY(region.member("pg-us-east-2")->streaming); // the leader itself
        // The eu-west standby leader is in the same list: the active leader's answer marks it.
        auto standby = parseClusterMembers(capture("eu-west-standby-leader-cluster.json"));
        markStreaming(standby, capture("eu-west-standby-leader-patroni.json"));
        QVERIFY(!standby[0].streaming); // its own /patroni lists no upstream
        markStreaming(standby, capture("us-east-leader-patroni.json"));
        QVERIFY(standby[0].streaming);
    }

    void runningIsNotStreaming() {
        auto members = parseClusterMembers(capture("us-east-leader-cluster.json"));
        json patroni = capture("us-east-leader-patroni.json");
        patroni["replication"][0]["state"] = "catchup";
        markStreaming(members, patroni);
        QVERIFY(!members[0].streaming); // "running" in /cluster, but catching up
        auto noList = parseClusterMembers(capture("us-east-leader-cluster.json"));
        markStreaming(noList, capture("us-east-replica-patroni.json")); // no replication[]
        QVERIFY(!noList[0].streaming);
        QVERIFY(noList[1].streaming);
    }

    void walPositions() {
        QCOMPARE(walPosition(capture("us-east-leader-patroni.json")).value(),
                 std::int64_t(83886176));
        QCOMPARE(walPosition(capture("us-east-replica-patroni.json")).value(),
                 std::int64_t(83886176));
        QCOMPARE(walPosition(capture("eu-west-standby-leader-patroni.json")).value(),
                 std::int64_t(83886176));
        QCOMPARE(walPosition(capture("after-switchover-new-leader-patroni.json")).value(),
                 std::int64_t(83887496));
        QVERIFY(!walPosition(json::object()).has_value());
        QVERIFY(!walPosition(json()).has_value());
    }

    void odditiesAreSkippedNotThrown() {
        QVERIFY(parseClusterMembers(json()).empty());
        QVERIFY(parseClusterMembers(json::parse(R"({"members": 3})")).empty());
        auto members = parseClusterMembers(json::parse(
            R"({"members": [{"name": "a", "role": "replica", "lag": "unknown", "port": "x"},
                            {"role": "leader"}, 7]})"));
        QCOMPARE(members.size(), std::size_t(1)); // the nameless one and the 7 skipped
        QVERIFY(!members[0].lagBytes.has_value());
        QCOMPARE(members[0].port, 0);
        markStreaming(members, json::parse(R"({"replication": [3, {"state": "streaming"}]})"));
        QVERIFY(!members[0].streaming);
        QVERIFY(parseHistory(json::object()).empty());
    }

    void healthOk() {
        HaRegion region = usEast();
        assessHealth(region);
        QCOMPARE(region.health, std::string("ok"));
        QCOMPARE(region.leader, std::string("pg-us-east-2"));
        QCOMPARE(region.timeline, std::int64_t(1));
        QVERIFY(region.error.empty());
    }

    void healthDegradedWhenAMemberIsDown() {
        HaRegion region = usEast();
        region.members[0].state = "stopped";
        assessHealth(region);
        QCOMPARE(region.health, std::string("degraded"));
        QCOMPARE(region.leader, std::string("pg-us-east-2"));
        QVERIFY(region.error.find("pg-us-east-1 is stopped") != std::string::npos);
    }

    void healthDegradedWhenAReplicaDoesNotStream() {
        HaRegion region = usEast();
        region.members[0].streaming = false;
        assessHealth(region);
        QCOMPARE(region.health, std::string("degraded"));
        QVERIFY(region.error.find("pg-us-east-1 is not streaming") != std::string::npos);
    }

    void healthDownWithoutALeader() {
        HaRegion region = usEast();
        region.members[1].role = "replica";
        assessHealth(region);
        QCOMPARE(region.health, std::string("down"));
        QVERIFY(region.leader.empty());
        QCOMPARE(region.error, std::string("no leader"));
    }

    void regionsDocumentFields() {
        HaConfig config = twoRegions();
        HaRegion region = usEast();
        assessHealth(region);
        json target = {{"name", "pg-us-east-2"}, {"epoch", 3}};
        json drills = json::array({json{{"id", "d-1"}}});
        json document = regionsDocument(config, {region}, target, drills, 1795000000000);
        namespace field = protocol::field;
        QCOMPARE(document[field::kCheckedMs].get<std::int64_t>(), std::int64_t(1795000000000));
        QCOMPARE(document[field::kTier].get<std::string>(), std::string("critical"));
        QCOMPARE(document[field::kRtoTargetMs].get<std::int64_t>(), std::int64_t(15000));
        QCOMPARE(document[field::kRpoTargetMs].get<std::int64_t>(), std::int64_t(300000));
        QCOMPARE(document[field::kWriteTarget]["epoch"].get<int>(), 3);
        QCOMPARE(document[field::kDrills].size(), std::size_t(1));
        const json& regions = document[field::kRegions];
        QCOMPARE(regions.size(), std::size_t(2)); // eu-west listed before its first reading
        const json& east = regions[0];
        QCOMPARE(east["name"].get<std::string>(), std::string("us-east"));
        QCOMPARE(east["role"].get<std::string>(), std::string("active"));
        QCOMPARE(east["cluster"].get<std::string>(), std::string("us-east"));
        QCOMPARE(east["health"].get<std::string>(), std::string("ok"));
        QCOMPARE(east["leader"].get<std::string>(), std::string("pg-us-east-2"));
        QCOMPARE(east["timeline"].get<int>(), 1);
        QVERIFY(east["cross_region_lag_bytes"].is_null());
        QCOMPARE(east["error"].get<std::string>(), std::string());
        QCOMPARE(east["history"].size(), std::size_t(0));
        const json& member = east["members"][0];
        for (const char* key :
             {"name", "role", "state", "host", "port", "timeline", "lag_bytes", "streaming"})
            QVERIFY2(member.contains(key), key);
        QCOMPARE(member["port"].get<int>(), 56123);
        QCOMPARE(member["lag_bytes"].get<int>(), 0);
        QVERIFY(member["streaming"].get<bool>());
        QVERIFY(east["members"][1]["lag_bytes"].is_null());
        const json& west = regions[1];
        QCOMPARE(west["name"].get<std::string>(), std::string("eu-west"));
        QCOMPARE(west["role"].get<std::string>(), std::string("standby"));
        QCOMPARE(west["health"].get<std::string>(), std::string("unknown"));
        QVERIFY(west["members"].empty());

        // History rows as the spec writes them; no write target yet: null.
        HaRegion after;
        after.name = "us-east";
        after.history = parseHistory(capture("after-switchover-new-leader-history.json"));
        document = regionsDocument(config, {after}, json(), json::array(), 1);
        QVERIFY(document[field::kWriteTarget].is_null());
        const json& row = document[field::kRegions][0]["history"][0];
        QCOMPARE(row["timeline"].get<int>(), 1);
        QCOMPARE(row["lsn"].get<std::int64_t>(), std::int64_t(83886472));
        QCOMPARE(row["reason"].get<std::string>(), std::string("no recovery target specified"));
        QCOMPARE(row["time"].get<std::string>(), std::string("2026-11-23T23:54:22.336457+00:00"));
        QCOMPARE(row["leader"].get<std::string>(), std::string("pg-us-east-1"));
    }

    void unreachablePatroniIsDown() {
        HaConfig config = twoRegions();
        StreamHub hub(json::object(), 64, "s", [] { return std::int64_t(1); });
        prometheus::Registry registry;
        HaMonitor monitor(config, hub, registry, 500);
        QVERIFY(monitor.regions().empty());
        bool told = false;
        monitor.onLeaderChange([&told](const std::string&, const std::string&) { told = true; });
        auto regions = monitor.refresh();
        QCOMPARE(regions.size(), std::size_t(2));
        for (const auto& region : regions) {
            QCOMPARE(region.health, std::string("down"));
            QVERIFY2(region.error.find("no Patroni REST API answered") != std::string::npos,
                     region.error.c_str());
            QVERIFY(!region.crossRegionLagBytes.has_value());
        }
        QVERIFY(!told);
        std::ostringstream metrics;
        prometheus::TextSerializer().Serialize(metrics, registry.Collect());
        QVERIFY(metrics.str().find("switchboard_region_up{region=\"us-east\"} 0") !=
                std::string::npos);
        QVERIFY(metrics.str().find("switchboard_region_lag_bytes{region=\"eu-west\"} Nan") !=
                std::string::npos);
        json snapshot = hub.snapshot();
        QVERIFY(snapshot.contains("regions"));
        QCOMPARE(snapshot["regions"]["regions"][0]["health"].get<std::string>(),
                 std::string("down"));

        // Drills newest first, at most 20; the write target shown.
        for (int i = 0; i < 25; ++i)
            monitor.addDrill({{"id", "d-" + std::to_string(i)}});
        monitor.setWriteTarget("pg-us-east-1", 4);
        snapshot = hub.snapshot();
        QCOMPARE(snapshot["regions"]["drills"].size(), std::size_t(20));
        QCOMPARE(snapshot["regions"]["drills"][0]["id"].get<std::string>(), std::string("d-24"));
        QCOMPARE(snapshot["regions"]["write_target"]["name"].get<std::string>(),
                 std::string("pg-us-east-1"));
        QCOMPARE(snapshot["regions"]["write_target"]["epoch"].get<int>(), 4);

        HaMember member;
        member.host = "10.0.0.1";
        member.port = 5433;
        QCOMPARE(monitor.conninfoOf(member),
                 std::string("dbname=postgres connect_timeout=2 host=10.0.0.1 port=5433"));
    }
};

QTEST_GUILESS_MAIN(TestHaParsing)
#include "tst_ha_parsing.moc"
