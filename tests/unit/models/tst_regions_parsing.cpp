// The regions document (docs/drills.md): the snapshot's "regions" object and the "regions"
// event as the parser delivers them, every field of a region, member and drill result read,
// nulls as unknown, and a document of odd types read tolerantly, never a failed message.
#include "RegionsTestData.h"
#include "StreamMessageParser.h"

#include <QJsonDocument>
#include <QTest>

using namespace switchboard;
using namespace regions_test_data;

namespace {

QByteArray snapshotFrame(const QByteArray& regions) {
    return R"({"type":"snapshot","seq":7,"stream":"9f","protocol":1,"snapshot":{"revision":7,)"
           R"("time_ms":1795000000000,"info":{"instance":"demo-1","protocol":1},"regions":)" +
           regions + "}}";
}

QByteArray eventFrame(const QByteArray& data) {
    return R"({"type":"event","seq":8,"stream":"9f","time_ms":1795000001000,"kind":"regions",)"
           R"("data":)" +
           data + "}";
}

// Every field of the wrong type.
const QByteArray kOdd = R"({"checked_ms":"soon","tier":4,"rto_target_ms":"15 s",
  "write_target":"pg-1","regions":[{"name":7,"health":"purple","timeline":"two",
  "cross_region_lag_bytes":-5,"members":[{"name":"m","lag_bytes":"0","port":"5432",
  "streaming":"yes"},"junk"]},"junk"],"drills":[{"rto_ms":"fast","met":{"rto":"yes"},
  "timeline":[{"t_ms":-3,"step":1}]},7]})";

} // namespace

class TestRegionsParsing : public QObject {
    Q_OBJECT

private slots:
    void snapshotAsDocumented() {
        const auto result = StreamMessageParser::parse(snapshotFrame(regionsJson()));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const AgentSnapshot& snapshot = std::get<SnapshotMessage>(*result.message).snapshot;
        QVERIFY(snapshot.regions.has_value());
        const RegionsStatus& regions = *snapshot.regions;
        QCOMPARE(regions.checkedMs, qint64(1795478100000));
        QCOMPARE(regions.targets.tier, QStringLiteral("critical"));
        QCOMPARE(regions.targets.rtoTargetMs, qint64(15000));
        QCOMPARE(regions.targets.rpoTargetMs, qint64(1000));
        QCOMPARE(regions.writeTarget.name, QStringLiteral("pg-us-east-2"));
        QCOMPARE(regions.writeTarget.epoch, qint64(3));
        QCOMPARE(regions.regions.size(), 2);

        const RegionStatus& active = regions.regions.at(0);
        QCOMPARE(active.name, QStringLiteral("us-east"));
        QVERIFY(active.isActive());
        QCOMPARE(active.cluster, QStringLiteral("us-east"));
        QCOMPARE(active.provider, QStringLiteral("patroni"));
        QVERIFY(!active.isDirect());
        QVERIFY(regions.regions.at(1).provider.isEmpty()); // an agent that does not say
        QCOMPARE(active.health, RegionHealth::Ok);
        QCOMPARE(active.leader, QStringLiteral("pg-us-east-2"));
        QCOMPARE(active.timeline, qint64(2));
        QCOMPARE(active.crossRegionLagBytes, qint64(-1)); // null: unknown
        QCOMPARE(active.members.size(), 2);
        const RegionMember& member = active.members.at(1);
        QCOMPARE(member.name, QStringLiteral("pg-us-east-2"));
        QCOMPARE(member.role, QStringLiteral("leader"));
        QCOMPARE(member.state, QStringLiteral("running"));
        QCOMPARE(member.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(member.port, qint64(5433));
        QCOMPARE(member.timeline, qint64(2));
        QCOMPARE(member.lagBytes, qint64(0));
        QVERIFY(member.streaming);
        QCOMPARE(active.history.size(), 1);
        QCOMPARE(active.history.at(0).timeline, qint64(1));
        QCOMPARE(active.history.at(0).lsn, qint64(83886472));
        QCOMPARE(active.history.at(0).leader, QStringLiteral("pg-us-east-1"));
        QCOMPARE(active.history.at(0).time, QStringLiteral("2026-11-23T23:54:22.336457+00:00"));

        const RegionStatus& standby = regions.regions.at(1);
        QVERIFY(!standby.isActive());
        QCOMPARE(standby.health, RegionHealth::Degraded);
        QCOMPARE(standby.crossRegionLagBytes, qint64(8192));
        QCOMPARE(standby.members.at(0).lagBytes, qint64(-1)); // null lag
        QVERIFY(!standby.members.at(1).streaming);
        QCOMPARE(regions.region(QStringLiteral("eu-west")), &standby);
        QCOMPARE(regions.region(QStringLiteral("ap-south")), nullptr);

        QCOMPARE(regions.drills.size(), 2);
        const DrillResult& drill = regions.drills.at(0);
        QCOMPARE(drill.id, QStringLiteral("d-1"));
        QCOMPARE(drill.kind, QStringLiteral("switchover"));
        QCOMPARE(drill.mode, QStringLiteral("live"));
        QCOMPARE(drill.region, QStringLiteral("us-east"));
        QCOMPARE(drill.from, QStringLiteral("pg-us-east-1"));
        QCOMPARE(drill.to, QStringLiteral("pg-us-east-2"));
        QVERIFY(drill.succeeded());
        QCOMPARE(drill.startedMs, kDrillStartedMs);
        QCOMPARE(drill.finishedMs, kDrillStartedMs + 4000);
        QCOMPARE(drill.rtoMs, qint64(1210));
        QCOMPARE(drill.rpoWrites, qint64(0));
        QCOMPARE(drill.rpoBytes, qint64(0));
        QCOMPARE(drill.rpoMs, qint64(0));
        QCOMPARE(drill.writeGapMs, qint64(980));
        QCOMPARE(drill.writesChecked, qint64(5120));
        QCOMPARE(drill.rtoTargetMs, qint64(15000));
        QCOMPARE(drill.rpoTargetMs, qint64(1000));
        QCOMPARE(drill.rtoMet, std::optional<bool>(true));
        QCOMPARE(drill.rpoMet, std::optional<bool>(true));
        QCOMPARE(drill.timeline.size(), 3);
        QCOMPARE(drill.timeline.at(1).tMs, qint64(12));
        QCOMPARE(drill.timeline.at(1).step, QStringLiteral("switchover"));
        QCOMPARE(drill.timeline.at(1).detail, QStringLiteral("POST /switchover: 200"));
        QVERIFY(drill.error.isEmpty());
        QCOMPARE(regions.lastDrillOf(QStringLiteral("eu-west"))->id, QStringLiteral("d-0"));
        QCOMPARE(regions.drills.at(1).rpoMet, std::optional<bool>(false));
    }

    void eventAsDocumented() {
        const auto result = StreamMessageParser::parse(eventFrame(regionsJson()));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const StreamEvent& event = std::get<StreamEvent>(*result.message);
        QCOMPARE(event.kind, StreamEvent::Kind::Regions);
        QCOMPARE(event.regions, parseRegionsStatus(regionsObject()));
    }

    void absentWithoutRegions() {
        const auto result = StreamMessageParser::parse(
            QByteArray(R"({"type":"snapshot","seq":7,"stream":"9f","protocol":1,"snapshot":)"
                       R"({"revision":7,"info":{"instance":"demo-1","protocol":1}}})"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(!std::get<SnapshotMessage>(*result.message).snapshot.regions.has_value());
    }

    void oddTypesAreReadTolerantly() {
        const auto result = StreamMessageParser::parse(snapshotFrame(kOdd));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const RegionsStatus& regions = *std::get<SnapshotMessage>(*result.message).snapshot.regions;
        QCOMPARE(regions.checkedMs, qint64(0));
        QVERIFY(regions.targets.tier.isEmpty());
        QCOMPARE(regions.targets.rtoTargetMs, qint64(-1));
        QVERIFY(regions.writeTarget.name.isEmpty());
        QCOMPARE(regions.regions.size(), 1);
        QCOMPARE(regions.regions.at(0).health, RegionHealth::Unknown);
        QCOMPARE(regions.regions.at(0).timeline, qint64(-1));
        QCOMPARE(regions.regions.at(0).crossRegionLagBytes, qint64(-1));
        QCOMPARE(regions.regions.at(0).members.size(), 1);
        QCOMPARE(regions.regions.at(0).members.at(0).lagBytes, qint64(-1));
        QCOMPARE(regions.regions.at(0).members.at(0).port, qint64(-1));
        QVERIFY(!regions.regions.at(0).members.at(0).streaming);
        QCOMPARE(regions.drills.size(), 1);
        QCOMPARE(regions.drills.at(0).rtoMs, qint64(-1));
        QVERIFY(!regions.drills.at(0).rtoMet.has_value());
        QCOMPARE(regions.drills.at(0).timeline.at(0).tMs, qint64(0));
    }

    void wordsForPeople() {
        QCOMPARE(regionHealthText(RegionHealth::Ok), QStringLiteral("healthy"));
        QCOMPARE(regionHealthText(RegionHealth::Unknown), QStringLiteral("not probed yet"));
        QCOMPARE(regionHealthColour(RegionHealth::Degraded), Health::Unknown);
        QCOMPARE(regionHealthColour(RegionHealth::Down), Health::Down);
        QCOMPARE(drillDurationText(-1), QStringLiteral("–"));
        QCOMPARE(drillDurationText(980), QStringLiteral("980 ms"));
        QCOMPARE(drillDurationText(1210), QStringLiteral("1.21 s"));
        QCOMPARE(drillDurationText(125000), QStringLiteral("2 min 5 s"));
        QCOMPARE(drillOutcomeText(QStringLiteral("aborted")), QStringLiteral("aborted"));
        QCOMPARE(drillOutcomeText(QString()), QStringLiteral("unknown"));
    }
};

QTEST_GUILESS_MAIN(TestRegionsParsing)
#include "tst_regions_parsing.moc"
