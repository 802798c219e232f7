// The HA probe against the full profile's real Patroni clusters (its own stack, stopped in the
// destructor): us-east (active, both nodes' REST URLs) and eu-west (standby, behind a dead URL
// that must be skipped). One refresh() reads the leader, the members, who streams, the
// timeline and the cross-region lag; the "regions" document reaches the snapshot; the leader
// callback fires on the first reading with the leader's direct conninfo; the probe thread
// publishes on its own; the region gauges reach Prometheus; an agent with "ha" offers the
// regions capability and document.
#include "HttpCall.h"
#include "LocalStack.h"
#include "ha_monitor.h"
#include "stream_hub.h"
#include "switchboard/agent.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <atomic>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>

using namespace switchboard;
using nlohmann::json;

namespace {

std::string restUrl(const QJsonObject& server) {
    return "http://127.0.0.1:" + std::to_string(server.value(QStringLiteral("rest_port")).toInt());
}

} // namespace

class TestHaMonitor : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    HaConfig config_;
    std::string leaderAtStart_; // the stack file's us-east leader when `up` returned

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>(QStringLiteral("full"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        const QJsonObject east1 = stack_->server(QStringLiteral("pg-us-east-1"));
        const QJsonObject east2 = stack_->server(QStringLiteral("pg-us-east-2"));
        const QJsonObject west1 = stack_->server(QStringLiteral("pg-eu-west-1"));
        QVERIFY(!east1.isEmpty() && !east2.isEmpty() && !west1.isEmpty());
        QCOMPARE(east1.value(QStringLiteral("cluster")).toString(), QStringLiteral("us-east"));
        QCOMPARE(west1.value(QStringLiteral("region")).toString(), QStringLiteral("eu-west"));
        for (const auto& server : {east1, east2})
            if (server.value(QStringLiteral("role")).toString() == QStringLiteral("leader"))
                leaderAtStart_ = server.value(QStringLiteral("name")).toString().toStdString();
        QVERIFY(!leaderAtStart_.empty());

        config_.enabled = true;
        config_.tier = "critical";
        config_.rtoTargetMs = 15000;
        config_.rpoTargetMs = 1000;
        config_.intervalMs = 300;
        config_.memberConninfo = "user=switchboard dbname=switchboard connect_timeout=2";
        config_.regions = {
            {"us-east", "active", "us-east", {restUrl(east1), restUrl(east2)}, {}},
            // Port 1 refuses at once: the probe must go on to the next URL.
            {"eu-west", "standby", "eu-west", {"http://127.0.0.1:1", restUrl(west1)}, {}}};
        config_.validate();
    }

    void cleanupTestCase() { stack_.reset(); }

    void clientReadsPatroni() {
        PatroniClient client(2000);
        PatroniReply cluster = client.get(config_.regions[0].patroni[0], "/cluster");
        QCOMPARE(cluster.status, 200);
        QVERIFY(cluster.error.empty());
        QVERIFY(cluster.json.contains("members"));
        PatroniReply missing = client.get(config_.regions[0].patroni[0], "/no-such-path");
        QVERIFY(missing.error.empty());
        QVERIFY(missing.status >= 400);
        PatroniReply refused = client.get("http://127.0.0.1:1", "/cluster");
        QCOMPARE(refused.status, 0);
        QVERIFY(!refused.error.empty());
        QVERIFY(refused.json.is_null());
    }

    void refreshReadsBothRegions() {
        StreamHub hub(json::object(), 64, "s", [] { return std::int64_t(1); });
        prometheus::Registry registry;
        HaMonitor monitor(config_, hub, registry, 2000);
        std::vector<std::pair<std::string, std::string>> leaders;
        monitor.onLeaderChange([&leaders](const std::string& name, const std::string& conninfo) {
            leaders.emplace_back(name, conninfo);
        });

        // `up` waits for the us-east replica to stream; the standby cluster may still be
        // catching up: give it a few rounds.
        std::vector<HaRegion> regions;
        QElapsedTimer clock;
        clock.start();
        auto allOk = [&regions] {
            return regions.size() == 2 && regions[0].health == "ok" && regions[1].health == "ok" &&
                   regions[1].crossRegionLagBytes.has_value();
        };
        while (!allOk() && clock.elapsed() < 30000) {
            regions = monitor.refresh();
            if (!allOk())
                QTest::qWait(300);
        }
        QVERIFY2(allOk(), regions.size() == 2 ? (regions[0].health + " " + regions[0].error +
                                                 " / " + regions[1].health + " " + regions[1].error)
                                                    .c_str()
                                              : "no regions");

        const HaRegion& east = regions[0];
        QCOMPARE(east.name, std::string("us-east"));
        QCOMPARE(east.leader, leaderAtStart_);
        QCOMPARE(east.members.size(), std::size_t(2));
        QVERIFY(east.error.empty());
        QVERIFY(east.timeline >= 1);
        QVERIFY(east.leaderWalLsn.has_value());
        QVERIFY(!east.crossRegionLagBytes.has_value()); // the active region has none
        for (const auto& member : east.members) {
            QVERIFY2(member.streaming, member.name.c_str());
            QCOMPARE(member.state, std::string("running"));
            QCOMPARE(member.host, std::string("127.0.0.1"));
            QVERIFY(member.port > 0);
            QCOMPARE(member.timeline, east.timeline);
            QVERIFY(member.apiUrl.starts_with("http://127.0.0.1:"));
            QCOMPARE(member.isLeader(), member.name == leaderAtStart_);
        }
        QCOMPARE(east.history.size(), std::size_t(east.timeline - 1));

        const HaRegion& west = regions[1];
        QCOMPARE(west.leader, std::string("pg-eu-west-1"));
        QCOMPARE(west.members.size(), std::size_t(1));
        QCOMPARE(west.members[0].role, std::string("standby_leader"));
        QVERIFY(west.members[0].streaming); // listed by the us-east leader
        QVERIFY(*west.crossRegionLagBytes >= 0);
        QVERIFY(west.error.empty()); // the dead first URL was skipped, not reported

        // The leader callback: once, on the first reading, with the leader's direct address.
        QCOMPARE(leaders.size(), std::size_t(1));
        QCOMPARE(leaders[0].first, leaderAtStart_);
        const HaMember* leader = east.member(leaderAtStart_);
        QCOMPARE(leaders[0].second,
                 config_.memberConninfo + " host=127.0.0.1 port=" + std::to_string(leader->port));
        QCOMPARE(monitor.region("eu-west")->leader, std::string("pg-eu-west-1"));

        // The document in the snapshot, as docs/drills.md shows it.
        const json document = hub.snapshot()["regions"];
        QCOMPARE(document["tier"].get<std::string>(), std::string("critical"));
        QCOMPARE(document["rto_target_ms"].get<int>(), 15000);
        QCOMPARE(document["rpo_target_ms"].get<int>(), 1000);
        QVERIFY(document["write_target"].is_null());
        QVERIFY(document["drills"].is_array());
        QVERIFY(document["checked_ms"].get<std::int64_t>() > 0);
        const json& eastDocument = document["regions"][0];
        QCOMPARE(eastDocument["health"].get<std::string>(), std::string("ok"));
        QCOMPARE(eastDocument["leader"].get<std::string>(), leaderAtStart_);
        QVERIFY(eastDocument["cross_region_lag_bytes"].is_null());
        QCOMPARE(eastDocument["members"].size(), std::size_t(2));
        const json& westDocument = document["regions"][1];
        QCOMPARE(westDocument["role"].get<std::string>(), std::string("standby"));
        QVERIFY(westDocument["cross_region_lag_bytes"].is_number_integer());
        QVERIFY(westDocument["members"][0]["streaming"].get<bool>());

        // A second round with the same leader does not call back again.
        monitor.refresh();
        QCOMPARE(leaders.size(), std::size_t(1));

        std::ostringstream metrics;
        prometheus::TextSerializer().Serialize(metrics, registry.Collect());
        QVERIFY(metrics.str().find("switchboard_region_up{region=\"us-east\"} 1") !=
                std::string::npos);
        QVERIFY(metrics.str().find("switchboard_region_lag_bytes{region=\"eu-west\"}") !=
                std::string::npos);
    }

    void threadPublishesOnItsOwn() {
        std::atomic<int> published{0};
        StreamHub hub(json::object(), 64, "s", [] { return std::int64_t(1); });
        prometheus::Registry registry;
        HaMonitor monitor(config_, hub, registry, 2000);
        hub.subscribe(
            this,
            [&published](const std::string& message) {
                if (message.find("\"regions\"") != std::string::npos)
                    ++published;
                return true;
            },
            std::nullopt, "");
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(published.load() >= 2, 10000);
        monitor.stop();
        hub.unsubscribe(this);
        QVERIFY(!monitor.regions().empty());
    }

    void agentOffersRegions() {
        AgentConfig config;
        config.listen = "127.0.0.1:0";
        config.tokenFiles = {stack_->viewerTokenFile().toStdString()};
        config.ha = config_;
        Agent agent(config);
        agent.start();
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(agent.port());
        const QByteArray token = HttpCall::bearer(stack_->viewerToken());
        HttpResult info = HttpCall::run("GET", QUrl(base + QStringLiteral("/v1/info")), token);
        QCOMPARE(info.status, 200);
        QVERIFY(info.json.value(QStringLiteral("capabilities"))
                    .toArray()
                    .contains(QStringLiteral("regions")));
        auto eastLeader = [&] {
            HttpResult snapshot =
                HttpCall::run("GET", QUrl(base + QStringLiteral("/v1/snapshot")), token);
            return snapshot.json.value(QStringLiteral("regions"))
                .toObject()
                .value(QStringLiteral("regions"))
                .toArray()
                .at(0)
                .toObject()
                .value(QStringLiteral("leader"))
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(eastLeader(), QString::fromStdString(leaderAtStart_), 10000);
        agent.stop();
    }

    // Last: it moves the leader. A planned switchover through PatroniClient::post (Patroni
    // answers it in plain text), then the probe sees the new leader on a new timeline, the
    // history row that records it, and tells the listener once.
    void switchoverIsSeen() {
        StreamHub hub(json::object(), 64, "s", [] { return std::int64_t(1); });
        prometheus::Registry registry;
        HaMonitor monitor(config_, hub, registry, 2000);
        std::vector<std::string> leaders;
        monitor.onLeaderChange(
            [&leaders](const std::string& name, const std::string&) { leaders.push_back(name); });
        const HaRegion before = monitor.refresh()[0];
        QCOMPARE(before.leader, leaderAtStart_);
        std::string candidate;
        for (const auto& member : before.members)
            if (member.name != before.leader)
                candidate = member.name;

        // Patroni answers a switchover once it is done (1.5-3 s here): longer than the probe's 2 s.
        PatroniReply reply =
            PatroniClient(30000).post(before.leaderMember()->apiUrl, "/switchover",
                                      {{"leader", before.leader}, {"candidate", candidate}});
        QVERIFY2(reply.status == 200 || reply.status == 202,
                 (std::to_string(reply.status) + " " + reply.error + " " + reply.body).c_str());
        QVERIFY(reply.json.is_null()); // "Successfully switched over to ..." is not JSON

        HaRegion after;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 60000) {
            after = monitor.refresh()[0];
            if (after.leader == candidate && after.health == "ok")
                break;
            QTest::qWait(300);
        }
        QCOMPARE(after.leader, candidate);
        QVERIFY2(after.health == "ok", after.error.c_str());
        QCOMPARE(after.timeline, before.timeline + 1);
        QCOMPARE(after.history.size(), before.history.size() + 1);
        QCOMPARE(after.history.back().timeline, before.timeline);
        QCOMPARE(after.history.back().leader, candidate);
        QCOMPARE(leaders, (std::vector<std::string>{before.leader, candidate}));
    }
};

QTEST_GUILESS_MAIN(TestHaMonitor)
#include "tst_ha_monitor.moc"
