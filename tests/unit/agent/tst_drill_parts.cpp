// The drill's pure parts: the preflight's verdicts and reasons per candidate, the write
// router's ledger (epochs, first and last acknowledgements, error rate), the fault command
// runner, and drill.run's refusals of bad params.
#include "drill_action.h"
#include "drill_preflight.h"
#include "fault_command.h"
#include "switchboard/protocol.h"
#include "write_router_core.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <thread>

using namespace switchboard;

namespace {

HaMember member(std::string name, std::string role, std::int64_t timeline,
                std::optional<std::int64_t> lag, bool streaming) {
    HaMember m;
    m.name = std::move(name);
    m.role = std::move(role);
    m.state = "running";
    m.host = "127.0.0.1";
    m.port = 5432;
    m.timeline = timeline;
    m.lagBytes = lag;
    m.streaming = streaming;
    return m;
}

HaRegion region(std::vector<HaMember> members) {
    HaRegion r;
    r.name = "us-east";
    r.role = "active";
    r.members = std::move(members);
    for (const auto& m : r.members)
        if (m.isLeader())
            r.leader = m.name;
    return r;
}

const PreflightCheck* find(const DrillPreflight& preflight, const std::string& name) {
    for (const auto& check : preflight.checks)
        if (check.name == name)
            return &check;
    return nullptr;
}

DrillPreflightInput input(const HaRegion& r, std::string kind = "switchover") {
    DrillPreflightInput in;
    in.region = &r;
    in.kind = std::move(kind);
    in.maxLagBytes = 1024;
    in.reachable = [](const HaMember&) {
        return std::string();
    };
    return in;
}

} // namespace

class TestDrillParts : public QObject {
    Q_OBJECT

private slots:
    void preflightPassesAStreamingReplica() {
        const HaRegion r = region(
            {member("a", "leader", 2, std::nullopt, true), member("b", "replica", 2, 0, true)});
        const DrillPreflight p = drillPreflight(input(r));
        QVERIFY(p.passed());
        QCOMPARE(p.chosen, std::string("b"));
        QCOMPARE(p.leader, std::string("a"));
        QCOMPARE(find(p, "b: streaming")->verdict, protocol::verdict::kPass);
        QCOMPARE(p.candidates.size(), std::size_t(1));
    }

    void preflightRefusesAReplicaThatIsNotStreaming() {
        const HaRegion r = region(
            {member("a", "leader", 2, std::nullopt, true), member("b", "replica", 2, 0, false)});
        const DrillPreflight p = drillPreflight(input(r));
        QVERIFY(!p.passed());
        QVERIFY(p.chosen.empty());
        const PreflightCheck* streaming = find(p, "b: streaming");
        QCOMPARE(streaming->verdict, protocol::verdict::kFail);
        QVERIFY(streaming->detail.find("does not list it as streaming") != std::string::npos);
    }

    void preflightGivesEachFailureItsReason() {
        const HaRegion r = region({member("a", "leader", 3, std::nullopt, true),
                                   member("b", "replica", 2, 4096, true),
                                   member("c", "replica", 3, std::nullopt, true)});
        DrillPreflightInput in = input(r);
        in.reachable = [](const HaMember& m) {
            return m.name == "c" ? std::string("connection refused") : std::string();
        };
        const DrillPreflight p = drillPreflight(in);
        QVERIFY(!p.passed());
        QCOMPARE(find(p, "b: lag")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "b: lag")->detail, std::string("4096 B behind the leader (limit 1024 B)"));
        QCOMPARE(find(p, "b: timeline")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "c: reachable")->detail, std::string("connection refused"));
        QCOMPARE(find(p, "c: lag")->detail,
                 std::string("no lag is known for it (the leader has no walsender for it)"));
    }

    void preflightPicksTheLeastLaggingCandidate() {
        const HaRegion r =
            region({member("a", "leader", 1, std::nullopt, true),
                    member("b", "replica", 1, 900, true), member("c", "replica", 1, 10, true)});
        QCOMPARE(drillPreflight(input(r)).chosen, std::string("c"));
        DrillPreflightInput in = input(r);
        in.candidate = "b";
        QCOMPARE(drillPreflight(in).chosen, std::string("b"));
        in.candidate = "zz";
        const DrillPreflight unknown = drillPreflight(in);
        QVERIFY(!unknown.passed());
        QCOMPARE(find(unknown, "candidate")->detail, std::string("zz is not a member of us-east"));
    }

    void preflightChecksLeaderFaultCommandAndOtherDrills() {
        const HaRegion r =
            region({member("b", "replica", 1, 0, true), member("c", "replica", 1, 0, true)});
        DrillPreflightInput in = input(r, "failover");
        in.otherDrillRunning = true;
        const DrillPreflight p = drillPreflight(in);
        QCOMPARE(find(p, "leader")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "fault_command")->verdict, protocol::verdict::kFail);
        QCOMPARE(find(p, "no other drill")->verdict, protocol::verdict::kFail);
        QVERIFY(!p.passed());
    }

    void ledgerTracksEpochsAndAcknowledgements() {
        WriteRouterCore core("primary", "host=a");
        QCOMPARE(core.epoch(), std::uint64_t(1));
        const auto first = core.begin();
        const auto second = core.begin();
        core.finish(first, true);
        core.finish(second, false);
        core.finish(second, true); // reported twice: the first report stands
        QCOMPARE(core.follow("primary", "host=a"), std::uint64_t(1)); // same: no new epoch
        const auto epoch = core.follow("b", "host=b");
        QCOMPARE(epoch, std::uint64_t(2));
        QCOMPARE(core.target().name, std::string("b"));
        QVERIFY(!core.firstAcknowledgedFrom(epoch));
        const auto third = core.begin();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        core.finish(third, true);
        QCOMPARE(core.firstAcknowledgedFrom(epoch)->sequence, third);
        QCOMPARE(core.lastAcknowledgedBefore(epoch)->sequence, first);
        QCOMPARE(core.writesSince(0).size(), std::size_t(3));
        QCOMPARE(core.errorRatePct(60000, core.writesSince(0).back().doneMs), 100.0 / 3);
        QCOMPARE(core.repoint("b", "host=b"), std::uint64_t(3)); // a repoint always bumps
        QVERIFY(!core.runId().empty());
    }

    void ledgerKeepsTheNewestWrites() {
        WriteRouterCore core("primary", "host=a");
        std::uint64_t last = 0;
        for (std::size_t i = 0; i < WriteRouterCore::kCapacity + 10; ++i)
            core.finish(last = core.begin(), true);
        const auto kept = core.writesSince(0);
        QCOMPARE(kept.size(), WriteRouterCore::kCapacity);
        QCOMPARE(kept.front().sequence, std::uint64_t(11));
        QCOMPARE(kept.back().sequence, last);
        QCOMPARE(core.errorRatePct(60000, kept.back().doneMs), 0.0);
    }

    void faultCommandRunsWithTheMemberSubstituted() {
        QTemporaryDir dir;
        const std::string out = dir.filePath(QStringLiteral("out")).toStdString();
        const FaultOutcome ok = runFaultCommand(
            {"/bin/sh", "-c", "echo \"$0\" > " + out, "node={member}"}, "pg-1", 5000);
        QVERIFY2(ok.ok, ok.error.c_str());
        std::ifstream in(out);
        std::string line;
        std::getline(in, line);
        QCOMPARE(line, std::string("node=pg-1"));
        QCOMPARE(runFaultCommand({"/bin/false"}, "x", 5000).error,
                 std::string("/bin/false exited with status 1"));
        QVERIFY(runFaultCommand({"/no/such/program"}, "x", 5000).error.find("cannot start") == 0);
        QVERIFY(runFaultCommand({}, "x", 5000).error == "no fault command configured");
        const FaultOutcome slow = runFaultCommand({"/bin/sleep", "5"}, "x", 200);
        QVERIFY(slow.error.find("did not finish within 200 ms; killed") != std::string::npos);
    }

    void drillParamsAreCheckedFieldByField() {
        auto reason = [](const nlohmann::json& params) {
            try {
                DrillAction::parse(params, "us-east");
            } catch (const ActionError& error) {
                return error.reason() + ": " + error.what();
            }
            return std::string("accepted");
        };
        QCOMPARE(reason({{"kind", "switchover"}, {"mode", "plan"}}), std::string("accepted"));
        QCOMPARE(reason({{"mode", "plan"}}), std::string("bad_request: params.kind is missing"));
        QCOMPARE(reason({{"kind", "restart"}, {"mode", "plan"}}),
                 std::string("bad_request: params.kind must be switchover, failover, "
                             "region_failover or region_failback"));
        QCOMPARE(reason({{"kind", "failover"}, {"mode", "fast"}}),
                 std::string("bad_request: params.mode must be plan, simulated or live"));
        QCOMPARE(reason({{"kind", "failover"}, {"mode", "plan"}, {"candidate", 3}}),
                 std::string("bad_request: params.candidate must be a string"));
        QCOMPARE(reason({{"kind", "failover"}, {"mode", "plan"}, {"force", true}}),
                 std::string("bad_request: params.force is not a parameter of drill.run"));
        QVERIFY(reason({{"kind", "switchover"}, {"mode", "live"}}).find("region_not_confirmed") ==
                0);
        QVERIFY(reason({{"kind", "switchover"}, {"mode", "live"}, {"confirm_region", "eu-west"}})
                    .find("region_not_confirmed") == 0);
        QCOMPARE(reason({{"kind", "switchover"}, {"mode", "live"}, {"confirm_region", "us-east"}}),
                 std::string("accepted"));
    }
};

QTEST_GUILESS_MAIN(TestDrillParts)
#include "tst_drill_parts.moc"
