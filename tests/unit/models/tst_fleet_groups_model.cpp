// The fleet folded per region and per service: agents, live ones, ones with a problem (not
// live, or a failing probe) and their requests/s together; following the fleet model.
#include "FleetGroupsModel.h"
#include "FleetModel.h"

#include <QTest>

using namespace switchboard;

namespace {

AgentSnapshot snapshot(const QString& instance, const QString& region, const QString& service,
                       double rate, bool probeFails = false) {
    AgentSnapshot result;
    result.revision = 1;
    result.info.instance = instance;
    result.info.region = region;
    result.info.service = service;
    result.requests.ratePerSecond = rate;
    ProbeResult probe;
    probe.name = QStringLiteral("postgres.primary");
    probe.status = probeFails ? protocol::ProbeStatus::Down : protocol::ProbeStatus::Up;
    result.probes = {probe};
    return result;
}

} // namespace

class TestFleetGroupsModel : public QObject {
    Q_OBJECT

private slots:
    void foldsPerRegionAndPerService() {
        FleetModel fleet;
        fleet.updateAgent(QStringLiteral("a"), snapshot("a", "us-east", "orders", 10));
        fleet.updateAgent(QStringLiteral("b"), snapshot("b", "us-east", "pricing", 5, true));
        fleet.updateAgent(QStringLiteral("c"), snapshot("c", "eu-west", "orders", 2.5));
        fleet.addAgent(QStringLiteral("d")); // connecting: nothing said yet
        for (const char* id : {"a", "b", "c"})
            fleet.setConnectionState(QString::fromLatin1(id), ConnectionState::Live);

        FleetGroupsModel groups(&fleet);
        groups.refresh();
        QCOMPARE(groups.rowCount(), 3); // (unknown), eu-west, us-east: sorted by name
        const auto& byRegion = groups.groups();
        QCOMPARE(byRegion.at(0).name, QStringLiteral("(unknown)"));
        QCOMPARE(byRegion.at(0).problems, 1); // not live
        QCOMPARE(byRegion.at(2).name, QStringLiteral("us-east"));
        QCOMPARE(byRegion.at(2).agentIds, QStringList({"a", "b"}));
        QCOMPARE(byRegion.at(2).live, 2);
        QCOMPARE(byRegion.at(2).problems, 1); // b's probe fails
        QCOMPARE(byRegion.at(2).ratePerSecond, 15.0);
        QCOMPARE(groups.data(groups.index(2, 0), FleetGroupsModel::HealthRole).value<Health>(),
                 Health::Down);
        QCOMPARE(groups.data(groups.index(1, 0), FleetGroupsModel::HealthRole).value<Health>(),
                 Health::Up);
        QCOMPARE(groups.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Region"));

        groups.setGrouping(FleetGroupsModel::Grouping::Service);
        QCOMPARE(groups.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Service"));
        const auto& byService = groups.groups();
        QCOMPARE(byService.size(), 3);
        QCOMPARE(byService.at(1).name, QStringLiteral("orders"));
        QCOMPARE(byService.at(1).agentIds, QStringList({"a", "c"}));
        QCOMPARE(byService.at(1).ratePerSecond, 12.5);
        QCOMPARE(byService.at(1).problems, 0);
    }

    void followsTheFleetAMomentLater() {
        FleetModel fleet;
        FleetGroupsModel groups(&fleet);
        QCOMPARE(groups.rowCount(), 0);
        fleet.updateAgent(QStringLiteral("a"), snapshot("a", "us-east", "orders", 1));
        QTRY_COMPARE(groups.rowCount(), 1);
        fleet.updateAgent(QStringLiteral("b"), snapshot("b", "eu-west", "orders", 1));
        QTRY_COMPARE(groups.rowCount(), 2);
        fleet.removeAgent(QStringLiteral("b"));
        QTRY_COMPARE(groups.rowCount(), 1);
        QCOMPARE(groups.groups().at(0).name, QStringLiteral("us-east"));
    }
};

QTEST_GUILESS_MAIN(TestFleetGroupsModel)
#include "tst_fleet_groups_model.moc"
