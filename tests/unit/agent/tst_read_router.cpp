// The lag-aware read router (issue 5): eligibility from replication reports, round robin over
// the eligible replicas, the primary as the fallback, per-target counts, the why-not texts, the
// published document and the configuration's validation.
#include "read_router_publisher.h"
#include "replication_report.h"
#include "stream_hub.h"
#include "switchboard/read_router.h"

#include <QTest>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>
#include <thread>

using switchboard::ReadRouter;
using switchboard::ReadRouterConfig;
using switchboard::ReplicaReport;
using switchboard::ReplicationReport;
using Status = switchboard::protocol::ProbeStatus;

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

// A healthy, streaming, caught-up replica.
ReplicaReport replica(const std::string& name, double lagSeconds = 0, std::int64_t lagBytes = 0) {
    ReplicaReport row;
    row.name = name;
    row.state = "streaming";
    row.status = Status::Up;
    row.self.status = Status::Up;
    row.replayLagSeconds = lagSeconds;
    row.replayLagBytes = lagBytes;
    return row;
}

ReplicationReport report(std::vector<ReplicaReport> rows) {
    ReplicationReport result;
    result.primary.status = Status::Up;
    result.replicas = std::move(rows);
    return result;
}

std::vector<std::string> twoReplicas() {
    return {"r1", "r2"};
}

} // namespace

class TestReadRouter : public QObject {
    Q_OBJECT

private slots:
    void noReportYetMeansThePrimary() {
        ReadRouter router(twoReplicas());
        QCOMPARE(router.targetCount(), std::size_t(3));
        QVERIFY(!router.eligible(1));
        QCOMPARE(router.whyNot(1), std::string("no replication report yet"));
        auto route = router.route();
        QCOMPARE(route.index, 0);
        QCOMPARE(std::string(route.name), std::string("primary"));
        QVERIFY(router.eligible(0));
        QCOMPARE(router.whyNot(0), std::string());
    }

    void roundRobinOverTheEligibleReplicas() {
        ReadRouter router(twoReplicas());
        router.update(report({replica("r1"), replica("r2")}));
        std::vector<int> seen;
        for (int i = 0; i < 6; ++i)
            seen.push_back(router.route().index);
        QCOMPARE(seen, (std::vector<int>{1, 2, 1, 2, 1, 2}));
        QCOMPARE(router.reads(0), std::uint64_t(0));
        QCOMPARE(router.reads(1), std::uint64_t(3));
        QCOMPARE(router.reads(2), std::uint64_t(3));
        QCOMPARE(std::string(router.route().name), std::string("r1"));
    }

    void lagInSecondsOverTheLimit() {
        ReadRouter router(twoReplicas());
        router.update(report({replica("r1", 2.4), replica("r2", 0.05)}));
        QVERIFY(!router.eligible(1));
        QVERIFY(router.eligible(2));
        QCOMPARE(router.whyNot(1), std::string("replay lag 2.4 s > 100 ms"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(router.route().index, 2);
        router.update(report({replica("r1", 0.25), replica("r2", 0.1)})); // at the limit: in
        QCOMPARE(router.whyNot(1), std::string("replay lag 250 ms > 100 ms"));
        QVERIFY(router.eligible(2));
    }

    void lagInBytesOverTheLimit() {
        ReadRouter router(twoReplicas());
        router.update(report({replica("r1", 0, 20 * kMiB), replica("r2", 0, 16 * kMiB)}));
        QVERIFY(!router.eligible(1));
        QVERIFY(router.eligible(2));
        QCOMPARE(router.whyNot(1), std::string("replay lag 20 MiB > 16 MiB"));
    }

    void downAndNotConnected() {
        ReadRouter router(twoReplicas());
        auto down = replica("r1");
        down.state = "down";
        down.status = Status::Down;
        down.self.status = Status::Down;
        down.self.error = "connection refused";
        auto detached = replica("r2");
        detached.state = "not_connected";
        detached.status = Status::Down;
        detached.error = "no walsender for r2";
        detached.self.status = Status::Down;
        router.update(report({down, detached}));
        QCOMPARE(router.whyNot(1), std::string("down: connection refused"));
        QCOMPARE(router.whyNot(2), std::string("not connected: no walsender for r2"));
        QCOMPARE(router.route().index, 0);
        // Answering itself is up, even while the primary lists no walsender for it.
        detached.self.status = Status::Up;
        router.update(report({down, detached}));
        QVERIFY(router.eligible(2));
        // The primary seeing it streaming is up, even when its own connection failed.
        down.state = "streaming";
        down.status = Status::Up;
        router.update(report({down, detached}));
        QVERIFY(router.eligible(1));
    }

    void aReplicaMissingFromTheReport() {
        ReadRouter router(twoReplicas());
        router.update(report({replica("r2")}));
        QVERIFY(!router.eligible(1));
        QCOMPARE(router.whyNot(1), std::string("not in the replication report"));
    }

    void changesAreReportedOnce() {
        ReadRouter router(twoReplicas());
        std::vector<ReadRouter::Change> seen;
        router.setChangeListener([&](const std::vector<ReadRouter::Change>& changes) {
            seen.insert(seen.end(), changes.begin(), changes.end());
        });
        router.update(report({replica("r1"), replica("r2", 3.0)}));
        QCOMPARE(seen.size(), std::size_t(2)); // r1 became eligible; r2's reason is news
        QCOMPARE(seen[0].name, std::string("r1"));
        QVERIFY(seen[0].eligible);
        QCOMPARE(seen[1].reason, ReadRouter::Reason::LagTime);
        seen.clear();
        router.update(report({replica("r1"), replica("r2", 4.0)})); // nothing new
        QVERIFY(seen.empty());
        router.update(report({replica("r1", 1.0), replica("r2")}));
        QCOMPARE(seen.size(), std::size_t(2));
        QCOMPARE(std::string(ReadRouter::reasonName(seen[0].reason)), std::string("lag_time"));
        QCOMPARE(std::string(ReadRouter::reasonName(seen[1].reason)), std::string("caught_up"));
    }

    void twoThreadsCountEveryRead() {
        ReadRouter router(twoReplicas());
        router.update(report({replica("r1"), replica("r2")}));
        constexpr int kPerThread = 200000;
        auto reader = [&] {
            for (int i = 0; i < kPerThread; ++i)
                router.route();
        };
        std::thread a(reader), b(reader);
        a.join();
        b.join();
        // Every cursor value is taken once, so the two replicas split the reads exactly.
        QCOMPARE(router.reads(1), std::uint64_t(kPerThread));
        QCOMPARE(router.reads(2), std::uint64_t(kPerThread));
        QCOMPARE(router.reads(0), std::uint64_t(0));
    }

    void updatesWhileRouting() {
        ReadRouter router(twoReplicas());
        router.update(report({replica("r1"), replica("r2")}));
        std::atomic<bool> done{false};
        std::thread updater([&] {
            for (int i = 0; !done.load(); ++i)
                router.update(report({replica("r1", i % 2 ? 5.0 : 0.0), replica("r2")}));
        });
        std::uint64_t routed = 0, toThePrimary = 0;
        for (; routed < 100000; ++routed)
            toThePrimary += router.route().index == 0;
        done = true;
        updater.join();
        QCOMPARE(toThePrimary, std::uint64_t(0)); // r2 stays eligible throughout
        QCOMPARE(router.reads(0) + router.reads(1) + router.reads(2), routed);
    }

    void documentAndMetrics() {
        prometheus::Registry registry;
        switchboard::StreamHub hub{{{"instance", "i"}}, 64, "s", [] {
                                       return 0;
                                   }};
        ReadRouter router({"r1"});
        switchboard::ReadRouterPublisher publisher(router, hub, registry);
        publisher.prime(1000);
        router.update(report({replica("r1", 2.4)})); // a change: published at once
        for (int i = 0; i < 4; ++i)
            router.route();
        publisher.tick(3000);
        auto document = publisher.document();
        QCOMPARE(document["max_lag_ms"].get<int>(), 100);
        QCOMPARE(document["max_lag_bytes"].get<std::int64_t>(), 16 * kMiB);
        auto targets = document["targets"];
        QCOMPARE(targets.size(), std::size_t(2));
        QCOMPARE(targets[0]["role"].get<std::string>(), std::string("primary"));
        QCOMPARE(targets[0]["reads"].get<int>(), 4);
        QCOMPARE(targets[0]["rate_per_s"].get<double>(), 2.0);
        QCOMPARE(targets[1]["eligible"].get<bool>(), false);
        QCOMPARE(targets[1]["why_not"].get<std::string>(),
                 std::string("replay lag 2.4 s > 100 ms"));
        QCOMPARE(hub.snapshot()["revision"].get<int>(), 2); // the change, then the tick

        std::ostringstream text;
        prometheus::TextSerializer().Serialize(text, registry.Collect());
        std::string metrics = text.str();
        QVERIFY(metrics.find("switchboard_read_router_reads_total{target=\"primary\"} 4") !=
                std::string::npos);
        QVERIFY(metrics.find("switchboard_read_router_eligible{target=\"r1\"} 0") !=
                std::string::npos);
        QVERIFY(metrics.find("reason=\"lag_time\"") != std::string::npos);
    }

    void configValidationNamesTheKey() {
        ReadRouterConfig bad;
        bad.maxLagMs = -1;
        try {
            ReadRouter router({"r1"}, bad);
            QFAIL("a negative max_lag_ms was accepted");
        } catch (const switchboard::ConfigError& error) {
            QCOMPARE(error.key(), std::string("read_router.max_lag_ms"));
        }
        bad = {};
        bad.maxLagBytes = -5;
        try {
            bad.validate();
            QFAIL("a negative max_lag_bytes was accepted");
        } catch (const switchboard::ConfigError& error) {
            QCOMPARE(error.key(), std::string("read_router.max_lag_bytes"));
        }
        std::vector<std::string> tooMany(64, "r");
        QVERIFY_THROWS_EXCEPTION(switchboard::ConfigError, ReadRouter{tooMany});
    }

    void configFromJsonAndEnvironment() {
        std::string text = "{\"token_files\": [\"t\"], \"read_router\": "
                           "{\"max_lag_ms\": 250, \"max_lag_bytes\": 1048576}}";
        auto config = switchboard::AgentConfig::fromJson(text);
        QCOMPARE(config.readRouter.maxLagMs, 250);
        QCOMPARE(config.readRouter.maxLagBytes, std::int64_t(kMiB));
        config = switchboard::AgentConfig::fromJson(text,
                                                    {{"SWITCHBOARD_READ_ROUTER_MAX_LAG_MS", "40"}});
        QCOMPARE(config.readRouter.maxLagMs, 40);
        try {
            switchboard::AgentConfig::fromJson(
                "{\"token_files\": [\"t\"], \"read_router\": {\"max_lag_ms\": \"x\"}}");
            QFAIL("a string max_lag_ms was accepted");
        } catch (const switchboard::ConfigError& error) {
            QCOMPARE(error.key(), std::string("read_router.max_lag_ms"));
        }
        try {
            switchboard::AgentConfig::fromJson(text,
                                               {{"SWITCHBOARD_READ_ROUTER_MAX_LAG_MS", "-3"}});
            QFAIL("a negative SWITCHBOARD_READ_ROUTER_MAX_LAG_MS was accepted");
        } catch (const switchboard::ConfigError& error) {
            QCOMPARE(error.key(), std::string("SWITCHBOARD_READ_ROUTER_MAX_LAG_MS"));
        }
    }
};

QTEST_GUILESS_MAIN(TestReadRouter)
#include "tst_read_router.moc"
