// RegionsModel over a fleet: the freshest regions document among the agents (a live agent's
// before a stale one's, then the latest check), stale only once every reporter is, an agent
// that stops reporting regions dropped; the drill history newest first with its colours; and a
// region's members, a member running but not streaming amber. Every item model runs under
// QAbstractItemModelTester.
#include "RegionMembersModel.h"
#include "RegionsModel.h"
#include "RegionsTestData.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace switchboard;
using namespace regions_test_data;

namespace {

RegionsStatus regions(qint64 checkedMs, const QString& writeTarget) {
    RegionsStatus status = parseRegionsStatus(regionsObject());
    status.checkedMs = checkedMs;
    status.writeTarget.name = writeTarget;
    return status;
}

AgentSnapshot snapshot(const QString& instance, std::optional<RegionsStatus> status) {
    AgentSnapshot s;
    s.info.instance = instance;
    s.regions = std::move(status);
    return s;
}

} // namespace

class TestRegionsModel : public QObject {
    Q_OBJECT

private slots:
    void freshestDocumentOfTheLiveAgents() {
        RegionsModel model;
        QAbstractItemModelTester tester(model.drills());
        QSignalSpy changed(&model, &RegionsModel::regionsChanged);
        QVERIFY(model.current().isEmpty());

        model.setConnectionState(QStringLiteral("a1"), ConnectionState::Live);
        model.setConnectionState(QStringLiteral("a2"), ConnectionState::Live);
        model.updateAgent(QStringLiteral("a1"),
                          snapshot(QStringLiteral("demo-1"), regions(1000, QStringLiteral("old"))));
        model.updateAgent(QStringLiteral("a2"),
                          snapshot(QStringLiteral("demo-2"), regions(2000, QStringLiteral("new"))));
        QVERIFY(changed.count() >= 2);
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a2"));
        QCOMPARE(model.current().status.writeTarget.name, QStringLiteral("new"));
        QCOMPARE(model.current().reporters,
                 (QStringList{QStringLiteral("demo-2"), QStringLiteral("demo-1")}));
        QVERIFY(!model.current().stale);

        // An event newer still from a1 makes it the source.
        StreamEvent event;
        event.kind = StreamEvent::Kind::Regions;
        event.regions = regions(3000, QStringLiteral("newest"));
        model.applyEvent(QStringLiteral("a1"), event);
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a1"));

        // A live agent's older report beats a stale agent's newer one.
        const QDateTime since = QDateTime::currentDateTime().addSecs(-30);
        model.setConnectionState(QStringLiteral("a1"), ConnectionState::Stale, since);
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a2"));
        QVERIFY(!model.current().stale);

        // Every reporter stale: the freshest of them, marked stale since its last message.
        model.setConnectionState(QStringLiteral("a2"), ConnectionState::Stale, since.addSecs(-5));
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a1"));
        QVERIFY(model.current().stale);
        QCOMPARE(model.current().staleSince, since);

        // An agent whose snapshot has no regions any more drops its report; removal likewise.
        model.updateAgent(QStringLiteral("a1"), snapshot(QStringLiteral("demo-1"), std::nullopt));
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a2"));
        QCOMPARE(model.current().reporters, QStringList{QStringLiteral("demo-2")});
        model.removeAgent(QStringLiteral("a2"));
        QVERIFY(model.current().isEmpty());
        QCOMPARE(model.drills()->rowCount(), 0);
    }

    // Each agent keeps the drills it ran, and the freshest report may come from one that ran
    // none (scripts/demo --screenshot showed an empty history after its drill so): the history
    // is every reporter's, each drill once, newest first, and a region's last drill with it.
    void historyFromEveryReporter() {
        RegionsModel model;
        QAbstractItemModelTester tester(model.drills());
        model.setConnectionState(QStringLiteral("a1"), ConnectionState::Live);
        model.setConnectionState(QStringLiteral("a2"), ConnectionState::Live);
        RegionsStatus ranIt = regions(1000, QStringLiteral("w"));
        QVERIFY(!ranIt.drills.isEmpty());
        DrillResult newest = ranIt.drills.first();
        newest.id = QStringLiteral("d-newest");
        newest.startedMs = ranIt.drills.first().startedMs + 60000;
        ranIt.drills.prepend(newest);
        RegionsStatus ranNone = regions(2000, QStringLiteral("w"));
        ranNone.drills.clear();
        ranNone.drills.append(ranIt.drills.last()); // one drill both report
        model.updateAgent(QStringLiteral("a1"), snapshot(QStringLiteral("demo-1"), ranIt));
        model.updateAgent(QStringLiteral("a2"), snapshot(QStringLiteral("demo-2"), ranNone));
        QCOMPARE(model.current().sourceAgentId, QStringLiteral("a2"));
        QCOMPARE(model.drills()->rowCount(), ranIt.drills.size());
        QCOMPARE(model.drills()->drill(0)->id, QStringLiteral("d-newest"));
        for (int row = 1; row < model.drills()->rowCount(); ++row)
            QVERIFY(model.drills()->drill(row - 1)->startedMs >=
                    model.drills()->drill(row)->startedMs);
        QCOMPARE(model.current().status.lastDrillOf(newest.region)->id, QStringLiteral("d-newest"));
    }

    void historyNewestFirstWithVerdicts() {
        RegionsModel model;
        QAbstractItemModelTester tester(model.drills());
        RegionsStatus status = regions(1000, QStringLiteral("pg"));
        std::reverse(status.drills.begin(), status.drills.end()); // oldest first on the wire
        model.setConnectionState(QStringLiteral("a1"), ConnectionState::Live);
        model.applyRegions(QStringLiteral("a1"), status);
        const DrillHistoryModel& history = *model.drills();
        QCOMPARE(history.rowCount(), 2);
        QCOMPARE(history.drill(0)->id, QStringLiteral("d-1"));
        QCOMPARE(history.rowOf(QStringLiteral("d-0")), 1);
        QCOMPARE(history.drill(2), nullptr);
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return history.data(history.index(row, column), role);
        };
        QCOMPARE(cell(0, DrillHistoryModel::KindColumn).toString(), QStringLiteral("switchover"));
        QCOMPARE(cell(0, DrillHistoryModel::ModeColumn).toString(), QStringLiteral("live"));
        QCOMPARE(cell(0, DrillHistoryModel::OutcomeColumn).toString(), QStringLiteral("succeeded"));
        QCOMPARE(cell(0, DrillHistoryModel::RtoColumn).toString(), QStringLiteral("1.21 s (met)"));
        QCOMPARE(cell(0, DrillHistoryModel::RpoColumn).toString(),
                 QStringLiteral("0 writes, 0 ms (met)"));
        QCOMPARE(cell(0, DrillHistoryModel::OutcomeColumn, DrillHistoryModel::HealthRole)
                     .value<Health>(),
                 Health::Up);
        QCOMPARE(cell(1, DrillHistoryModel::OutcomeColumn).toString(), QStringLiteral("aborted"));
        QCOMPARE(cell(1, DrillHistoryModel::RtoColumn).toString(),
                 QStringLiteral("24.0 s (not met)"));
        QCOMPARE(cell(1, DrillHistoryModel::OutcomeColumn, DrillHistoryModel::HealthRole)
                     .value<Health>(),
                 Health::Down);
        QVERIFY(cell(1, DrillHistoryModel::OutcomeColumn, Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("stop condition")));
        QCOMPARE(
            cell(1, DrillHistoryModel::RegionColumn, DrillHistoryModel::DrillIdRole).toString(),
            QStringLiteral("d-0"));

        // A succeeded drill that missed a target is amber, not green.
        DrillResult missed = *history.drill(0);
        missed.rtoMet = false;
        QCOMPARE(DrillHistoryModel::drillHealth(missed), Health::Unknown);
    }

    void membersOfARegion() {
        RegionMembersModel model;
        QAbstractItemModelTester tester(&model);
        const RegionsStatus status = parseRegionsStatus(regionsObject());
        model.setMembers(status.regions.at(1).members);
        QCOMPARE(model.rowCount(), 2);
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role);
        };
        QCOMPARE(cell(0, RegionMembersModel::NameColumn).toString(),
                 QStringLiteral("pg-eu-west-1"));
        QCOMPARE(cell(0, RegionMembersModel::StreamingColumn).toString(), QStringLiteral("leader"));
        QCOMPARE(cell(0, RegionMembersModel::LagColumn).toString(), QStringLiteral("–"));
        QCOMPARE(cell(0, RegionMembersModel::AddressColumn).toString(),
                 QStringLiteral("127.0.0.1:5434"));
        QCOMPARE(cell(1, RegionMembersModel::StreamingColumn).toString(),
                 QStringLiteral("not streaming"));
        QCOMPARE(cell(1, RegionMembersModel::LagColumn).toString(), QStringLiteral("0 B"));
        QCOMPARE(cell(1, RegionMembersModel::StateColumn, RegionMembersModel::HealthRole)
                     .value<Health>(),
                 Health::Unknown);
        QVERIFY(
            !cell(1, RegionMembersModel::StreamingColumn, Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(cell(0, RegionMembersModel::StateColumn, RegionMembersModel::HealthRole)
                     .value<Health>(),
                 Health::Up);

        // Same count: updated in place; another count: reset.
        QList<RegionMember> members = status.regions.at(1).members;
        members[1].state = QStringLiteral("stopped");
        model.setMembers(members);
        QCOMPARE(cell(1, RegionMembersModel::StateColumn, RegionMembersModel::HealthRole)
                     .value<Health>(),
                 Health::Down);
        model.setMembers(status.regions.at(0).members.mid(0, 1));
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRegionsModel)
#include "tst_regions_model.moc"
