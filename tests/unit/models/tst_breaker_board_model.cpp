// BreakerBoardModel under QAbstractItemModelTester: one row per breaker name with its instances
// below, the worst state and "Open 1 / Closed 1" on top, calls/s from counter differences,
// time in state on the agent's clock, stale agents flagged, the failure-rate history bounded,
// and value changes coalesced into one dataChanged per burst.
#include "BreakerBoardModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using switchboard::AgentSnapshot;
using switchboard::BreakerBoardModel;
using switchboard::BreakerOverride;
using switchboard::BreakerStatus;
using switchboard::BreakerTransition;
using switchboard::ConnectionState;
using switchboard::Health;
using switchboard::protocol::BreakerState;

namespace {

constexpr qint64 kT0 = 1795000000000;
const QString kA = QStringLiteral("http://a:1");
const QString kB = QStringLiteral("http://b:2");

BreakerStatus breaker(const QString& name, BreakerState state, double failureRate = 0.0,
                      qint64 successful = 0, qint64 failed = 0, qint64 notPermitted = 0) {
    BreakerStatus result;
    result.name = name;
    result.state = state;
    result.failureRate = failureRate;
    result.slowCallRate = 0.0;
    result.successfulCalls = successful;
    result.failedCalls = failed;
    result.notPermittedCalls = notPermitted;
    result.bufferedCalls = 10;
    result.sinceMs = kT0 - 60'000;
    return result;
}

AgentSnapshot snapshot(const QString& instance, QList<BreakerStatus> breakers,
                       qint64 timeMs = kT0) {
    AgentSnapshot result;
    result.timeMs = timeMs;
    result.info.service = QStringLiteral("checkout");
    result.info.instance = instance;
    result.breakers = std::move(breakers);
    return result;
}

QVariant value(const BreakerBoardModel& model, const QModelIndex& index, int role) {
    return model.data(index, role);
}

} // namespace

class TestBreakerBoardModel : public QObject {
    Q_OBJECT

private slots:
    void oneRowPerBreakerWithItsInstances() {
        BreakerBoardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateAgent(kA,
                          snapshot(QStringLiteral("demo-1"),
                                   {breaker(QStringLiteral("redis"), BreakerState::Open),
                                    breaker(QStringLiteral("postgres"), BreakerState::Closed)}));
        model.updateAgent(kB,
                          snapshot(QStringLiteral("demo-2"),
                                   {breaker(QStringLiteral("redis"), BreakerState::Closed),
                                    breaker(QStringLiteral("payments"), BreakerState::Closed)}));
        model.flushPendingChanges();

        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(BreakerBoardModel::ColumnCount));
        // Sorted by name in the source; views sort as they like through a proxy.
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("payments"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("postgres"));
        QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("redis"));
        const QModelIndex redis = model.groupIndex(QStringLiteral("redis"));
        QCOMPARE(model.rowCount(redis), 2);
        QVERIFY(value(model, redis, BreakerBoardModel::IsGroupRole).toBool());
        QCOMPARE(value(model, redis, BreakerBoardModel::InstanceCountRole).toInt(), 2);
        const QModelIndex first = model.index(0, 0, redis);
        QCOMPARE(first.data().toString(), QStringLiteral("checkout/demo-1"));
        QCOMPARE(first.data(BreakerBoardModel::AgentIdRole).toString(), kA);
        QCOMPARE(first.data(BreakerBoardModel::BreakerNameRole).toString(),
                 QStringLiteral("redis"));
        QVERIFY(!first.data(BreakerBoardModel::IsGroupRole).toBool());
        QCOMPARE(model.index(1, 0, redis).data().toString(), QStringLiteral("checkout/demo-2"));
        QCOMPARE(model.instanceIndex(QStringLiteral("redis"), kB).row(), 1);
        QCOMPARE(model.breaker(kA, QStringLiteral("redis"))->state, BreakerState::Open);
        QVERIFY(!model.breaker(kA, QStringLiteral("payments")));
        QCOMPARE(model.headerData(BreakerBoardModel::FailureRateColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Failure"));
    }

    void worstStateAndSummary() {
        BreakerBoardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateAgent(kA,
                          snapshot(QStringLiteral("demo-1"),
                                   {breaker(QStringLiteral("redis"), BreakerState::Closed, 5)}));
        model.updateAgent(kB, snapshot(QStringLiteral("demo-2"),
                                       {breaker(QStringLiteral("redis"), BreakerState::Open, 80)}));
        const QModelIndex redis = model.groupIndex(QStringLiteral("redis"));
        QCOMPARE(redis.data(BreakerBoardModel::StateRole).toInt(), int(BreakerState::Open));
        QCOMPARE(redis.data(BreakerBoardModel::StateLabelRole).toString(), QStringLiteral("Open"));
        QCOMPARE(redis.data(BreakerBoardModel::SummaryRole).toString(),
                 QStringLiteral("Open 1 / Closed 1"));
        QCOMPARE(redis.data(BreakerBoardModel::HealthRole).value<Health>(), Health::Down);
        QCOMPARE(redis.data(BreakerBoardModel::FailureRateRole).toDouble(), 80.0);
        QCOMPARE(redis.siblingAtColumn(BreakerBoardModel::FailureRateColumn).data().toString(),
                 QStringLiteral("80.0 %"));
        QCOMPARE(model.boardSummary(), QStringLiteral("Open 1"));

        // Worst first, each state once; forced open counts apart from open.
        QCOMPARE(BreakerBoardModel::summaryText({BreakerState::Closed, BreakerState::HalfOpen,
                                                 BreakerState::Closed, BreakerState::Open,
                                                 BreakerState::ForcedOpen, BreakerState::Closed,
                                                 BreakerState::HalfOpen}),
                 QStringLiteral("Open 1 / Forced open 1 / Half-open 2 / Closed 3"));
        QCOMPARE(BreakerBoardModel::summaryText({}), QString());

        // The open one recovers: the tile turns closed, green.
        model.applyBreaker(kB, breaker(QStringLiteral("redis"), BreakerState::Closed, 0),
                           kT0 + 1000);
        QCOMPARE(redis.data(BreakerBoardModel::SummaryRole).toString(), QStringLiteral("Closed 2"));
        QCOMPARE(redis.data(BreakerBoardModel::HealthRole).value<Health>(), Health::Up);
    }

    void callsPerSecondFromCounterDifferences() {
        BreakerBoardModel model;
        const QString name = QStringLiteral("redis");
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 0, 100, 10, 5), kT0);
        const QModelIndex instance = model.instanceIndex(name, kA);
        // One report is no rate.
        QCOMPARE(instance.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), -1.0);
        QCOMPARE(
            instance.siblingAtColumn(BreakerBoardModel::CallsPerSecondColumn).data().toString(),
            QStringLiteral("–"));

        // 60 permitted calls (successful + failed) and 4 refused over 2 s.
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 0, 150, 20, 9), kT0 + 2000);
        QCOMPARE(instance.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), 30.0);
        QCOMPARE(instance.data(BreakerBoardModel::NotPermittedPerSecondRole).toDouble(), 2.0);
        QCOMPARE(instance.data(BreakerBoardModel::NotPermittedCallsRole).toLongLong(), 9);
        QCOMPARE(
            instance.siblingAtColumn(BreakerBoardModel::CallsPerSecondColumn).data().toString(),
            QStringLiteral("30.0"));

        // A transition event 10 ms after the tick keeps the last rate: 5 calls in 10 ms is
        // not 500 calls/s.
        model.applyBreaker(kA, breaker(name, BreakerState::Open, 60, 150, 25, 9), kT0 + 2010);
        QCOMPARE(instance.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), 30.0);
        // The next tick measures from the last baseline (kT0 + 2000): 10 calls in 1 s.
        model.applyBreaker(kA, breaker(name, BreakerState::Open, 60, 150, 30, 19), kT0 + 3000);
        QCOMPARE(instance.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), 10.0);
        QCOMPARE(instance.data(BreakerBoardModel::NotPermittedPerSecondRole).toDouble(), 10.0);

        // Counters that go back mean the agent restarted: no rate until the next report.
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 0, 3, 0, 0), kT0 + 4000);
        QCOMPARE(instance.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), -1.0);
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 0, 13, 0, 0), kT0 + 5000);
        QCOMPARE(instance.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), 10.0);

        // The tile sums its instances' rates and counts; an instance without a rate adds none.
        model.applyBreaker(kB, breaker(name, BreakerState::Closed, 0, 0, 0, 7), kT0 + 5000);
        const QModelIndex group = model.groupIndex(name);
        QCOMPARE(group.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), 10.0);
        model.applyBreaker(kB, breaker(name, BreakerState::Closed, 0, 5, 0, 7), kT0 + 6000);
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 0, 23, 0, 0), kT0 + 6000);
        QCOMPARE(group.data(BreakerBoardModel::CallsPerSecondRole).toDouble(), 15.0);
        QCOMPARE(group.data(BreakerBoardModel::NotPermittedCallsRole).toLongLong(), 7);
    }

    void timeInStateOnTheAgentsClock() {
        BreakerBoardModel model;
        BreakerStatus open = breaker(QStringLiteral("redis"), BreakerState::Open);
        open.sinceMs = kT0 - 125'000;
        model.applyBreaker(kA, open, kT0);
        const QModelIndex instance = model.instanceIndex(QStringLiteral("redis"), kA);
        QCOMPARE(instance.data(BreakerBoardModel::TimeInStateRole).toLongLong(), 125'000);
        QCOMPARE(instance.siblingAtColumn(BreakerBoardModel::TimeInStateColumn).data().toString(),
                 QStringLiteral("2 min 5 s"));
        // The next report moves it on, whatever the console's own clock says.
        model.applyBreaker(kA, open, kT0 + 5000);
        QCOMPARE(instance.data(BreakerBoardModel::TimeInStateRole).toLongLong(), 130'000);
        // The tile shows how long its worst state has lasted on the instance in it longest.
        BreakerStatus laterOpen = open;
        laterOpen.sinceMs = kT0 - 10'000;
        model.applyBreaker(kB, laterOpen, kT0 + 5000);
        const QModelIndex group = model.groupIndex(QStringLiteral("redis"));
        QCOMPARE(group.data(BreakerBoardModel::TimeInStateRole).toLongLong(), 130'000);
        // A closed instance does not count: the tile's state is open.
        model.applyBreaker(kA, breaker(QStringLiteral("redis"), BreakerState::Closed), kT0 + 5000);
        QCOMPARE(group.data(BreakerBoardModel::TimeInStateRole).toLongLong(), 15'000);
        // Not sent: unknown, not "0 s".
        BreakerStatus noSince = open;
        noSince.sinceMs = 0;
        model.applyBreaker(kA, noSince, kT0 + 6000);
        QCOMPARE(instance.data(BreakerBoardModel::TimeInStateRole).toLongLong(), -1);
        QCOMPARE(instance.siblingAtColumn(BreakerBoardModel::TimeInStateColumn).data().toString(),
                 QStringLiteral("–"));
    }

    void staleAgentsAreFlagged() {
        BreakerBoardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateAgent(kA, snapshot(QStringLiteral("demo-1"),
                                       {breaker(QStringLiteral("redis"), BreakerState::Open)}));
        model.updateAgent(kB, snapshot(QStringLiteral("demo-2"),
                                       {breaker(QStringLiteral("redis"), BreakerState::Closed)}));
        model.setConnectionState(kA, ConnectionState::Live);
        model.setConnectionState(kB, ConnectionState::Live);
        const QModelIndex group = model.groupIndex(QStringLiteral("redis"));
        const QModelIndex a = model.instanceIndex(QStringLiteral("redis"), kA);
        QVERIFY(!a.data(BreakerBoardModel::IsStaleRole).toBool());
        QCOMPARE(a.data(BreakerBoardModel::StatusTextRole).toString(), QString());

        const QDateTime since = QDateTime::fromMSecsSinceEpoch(kT0);
        model.setConnectionState(kA, ConnectionState::Stale, since);
        const QString sinceText = since.toString(QStringLiteral("HH:mm:ss"));
        QVERIFY(a.data(BreakerBoardModel::IsStaleRole).toBool());
        QCOMPARE(a.data(BreakerBoardModel::StaleSinceRole).toDateTime(), since);
        QCOMPARE(a.data(BreakerBoardModel::StatusTextRole).toString(),
                 QStringLiteral("stale since %1").arg(sinceText));
        // The last state is still shown, but not in a colour that claims it is current.
        QCOMPARE(a.data(BreakerBoardModel::StateRole).toInt(), int(BreakerState::Open));
        QCOMPARE(a.siblingAtColumn(BreakerBoardModel::StateColumn).data().toString(),
                 QStringLiteral("Open (stale)"));
        QCOMPARE(a.data(BreakerBoardModel::HealthRole).value<Health>(), Health::Unknown);
        QVERIFY(!group.data(BreakerBoardModel::IsStaleRole).toBool());
        QCOMPARE(group.data(BreakerBoardModel::StatusTextRole).toString(),
                 QStringLiteral("1 of 2 instances stale"));

        model.setConnectionState(kB, ConnectionState::Unauthorized, since.addSecs(5));
        QVERIFY(group.data(BreakerBoardModel::IsStaleRole).toBool());
        QCOMPARE(group.data(BreakerBoardModel::StatusTextRole).toString(),
                 QStringLiteral("all stale, since %1").arg(sinceText));

        model.setConnectionState(kA, ConnectionState::Live);
        model.setConnectionState(kB, ConnectionState::Live);
        QVERIFY(!group.data(BreakerBoardModel::IsStaleRole).toBool());
        QCOMPARE(group.data(BreakerBoardModel::StatusTextRole).toString(), QString());
        QCOMPARE(a.data(BreakerBoardModel::HealthRole).value<Health>(), Health::Down);
    }

    void failureHistoryIsOnePointASecondAndBounded() {
        BreakerBoardModel model;
        const QString name = QStringLiteral("redis");
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 10), kT0);
        model.applyBreaker(kA, breaker(name, BreakerState::Closed, 20), kT0 + 1000);
        // A transition in the same second: one point, the higher.
        model.applyBreaker(kA, breaker(name, BreakerState::Open, 60), kT0 + 1400);
        model.applyBreaker(kA, breaker(name, BreakerState::Open, -1), kT0 + 2000);
        const QModelIndex instance = model.instanceIndex(name, kA);
        QCOMPARE(instance.data(BreakerBoardModel::FailureHistoryRole).value<QList<double>>(),
                 (QList<double>{10, 60, -1}));
        // A silence leaves a gap rather than a line across it.
        model.applyBreaker(kA, breaker(name, BreakerState::Open, 70), kT0 + 10'000);
        QCOMPARE(instance.data(BreakerBoardModel::FailureHistoryRole).value<QList<double>>(),
                 (QList<double>{10, 60, -1, -1, 70}));

        // The tile's history is the worst instance each second.
        model.applyBreaker(kB, breaker(name, BreakerState::Open, 90), kT0 + 10'300);
        const QList<double> group = model.groupIndex(name)
                                        .data(BreakerBoardModel::FailureHistoryRole)
                                        .value<QList<double>>();
        QCOMPARE(group.back(), 90.0);

        for (int i = 0; i < 300; ++i)
            model.applyBreaker(kA, breaker(name, BreakerState::Closed, i % 100),
                               kT0 + 11'000 + i * 1000);
        const QList<double> bounded =
            instance.data(BreakerBoardModel::FailureHistoryRole).value<QList<double>>();
        QCOMPARE(bounded.size(), BreakerBoardModel::kHistoryLength);
        QCOMPARE(bounded.back(), 99.0); // i = 299
        QCOMPARE(model.groupIndex(name)
                     .data(BreakerBoardModel::FailureHistoryRole)
                     .value<QList<double>>()
                     .size(),
                 BreakerBoardModel::kHistoryLength);
    }

    void transitionsAndThreshold() {
        BreakerBoardModel model;
        BreakerStatus open = breaker(QStringLiteral("redis"), BreakerState::Open, 60);
        open.transition = BreakerTransition{QStringLiteral("closed"), QStringLiteral("open"),
                                            QStringLiteral("failure_rate")};
        model.applyBreaker(kA, open, kT0);
        const QModelIndex instance = model.instanceIndex(QStringLiteral("redis"), kA);
        QCOMPARE(instance.data(BreakerBoardModel::LastTransitionRole).toString(),
                 QStringLiteral("Closed → Open, failure rate over threshold"));
        QCOMPARE(model.groupIndex(QStringLiteral("redis"))
                     .data(BreakerBoardModel::LastTransitionRole)
                     .toString(),
                 QStringLiteral("Closed → Open, failure rate over threshold"));
        // The following tick has no transition; the last one stays known.
        open.transition.reset();
        model.applyBreaker(kA, open, kT0 + 1000);
        QVERIFY(!instance.data(BreakerBoardModel::LastTransitionRole).toString().isEmpty());

        QCOMPARE(instance.data(BreakerBoardModel::FailureThresholdRole).toDouble(), -1.0);
        model.setFailureThreshold(QStringLiteral("redis"), 50.0);
        QCOMPARE(instance.data(BreakerBoardModel::FailureThresholdRole).toDouble(), 50.0);
        QCOMPARE(model.groupIndex(QStringLiteral("redis"))
                     .data(BreakerBoardModel::FailureThresholdRole)
                     .toDouble(),
                 50.0);
    }

    void thresholdFromTheAgent() {
        BreakerBoardModel model;
        model.setFailureThreshold(QStringLiteral("redis"), 50.0); // the fallback
        BreakerStatus sent = breaker(QStringLiteral("redis"), BreakerState::Closed);
        sent.failureRateThreshold = 30.0;
        model.applyBreaker(kA, sent, kT0);
        const QModelIndex instance = model.instanceIndex(QStringLiteral("redis"), kA);
        const QModelIndex group = model.groupIndex(QStringLiteral("redis"));
        QCOMPARE(instance.data(BreakerBoardModel::FailureThresholdRole).toDouble(), 30.0);
        QCOMPARE(group.data(BreakerBoardModel::FailureThresholdRole).toDouble(), 30.0);
        // An older agent next to it sends none: it falls back, the group keeps the sent one.
        model.applyBreaker(kB, breaker(QStringLiteral("redis"), BreakerState::Closed), kT0);
        QCOMPARE(model.instanceIndex(QStringLiteral("redis"), kB)
                     .data(BreakerBoardModel::FailureThresholdRole)
                     .toDouble(),
                 50.0);
        QCOMPARE(group.data(BreakerBoardModel::FailureThresholdRole).toDouble(), 30.0);
        // Two agents with different configs: the group draws the lower, where it opens first.
        BreakerStatus lower = sent;
        lower.failureRateThreshold = 20.0;
        model.applyBreaker(kB, lower, kT0 + 1000);
        QCOMPARE(group.data(BreakerBoardModel::FailureThresholdRole).toDouble(), 20.0);
    }

    void overrideText() {
        BreakerBoardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        BreakerStatus forced = breaker(QStringLiteral("redis"), BreakerState::ForcedOpen);
        forced.override =
            BreakerOverride{QStringLiteral("force_open"), kT0 + 240000, QStringLiteral("alice")};
        model.updateAgent(kA, snapshot(QStringLiteral("demo-1"), {forced}));
        model.updateAgent(kB, snapshot(QStringLiteral("demo-2"),
                                       {breaker(QStringLiteral("redis"), BreakerState::Closed)}));
        const QModelIndex instance = model.instanceIndex(QStringLiteral("redis"), kA);
        const QModelIndex group = model.groupIndex(QStringLiteral("redis"));
        QCOMPARE(instance.data(BreakerBoardModel::OverrideTextRole).toString(),
                 QStringLiteral("forced open by alice · 4 min left"));
        QCOMPARE(group.data(BreakerBoardModel::OverrideTextRole).toString(),
                 QStringLiteral("checkout/demo-1: forced open by alice · 4 min left"));
        QCOMPARE(model.instanceIndex(QStringLiteral("redis"), kB)
                     .data(BreakerBoardModel::OverrideTextRole)
                     .toString(),
                 QString());

        // Time left runs on the agent's clock: the next report, 3 min 30 s later.
        model.applyBreaker(kA, forced, kT0 + 210000);
        QCOMPARE(instance.data(BreakerBoardModel::OverrideTextRole).toString(),
                 QStringLiteral("forced open by alice · 30 s left"));
        model.applyBreaker(kA, forced, kT0 + 250000);
        QCOMPARE(instance.data(BreakerBoardModel::OverrideTextRole).toString(),
                 QStringLiteral("forced open by alice · expiring"));

        // Without expiry; and two overridden instances are counted on the tile.
        BreakerStatus disabled = breaker(QStringLiteral("redis"), BreakerState::Disabled);
        disabled.override = BreakerOverride{QStringLiteral("disable"), 0, QStringLiteral("bob")};
        model.applyBreaker(kB, disabled, kT0 + 250000);
        QCOMPARE(model.instanceIndex(QStringLiteral("redis"), kB)
                     .data(BreakerBoardModel::OverrideTextRole)
                     .toString(),
                 QStringLiteral("disabled by bob · no expiry"));
        QCOMPARE(group.data(BreakerBoardModel::OverrideTextRole).toString(),
                 QStringLiteral("2 instances overridden"));

        // The override lifted: gone from both rows.
        model.applyBreaker(kA, breaker(QStringLiteral("redis"), BreakerState::Closed),
                           kT0 + 260000);
        model.applyBreaker(kB, breaker(QStringLiteral("redis"), BreakerState::Closed),
                           kT0 + 260000);
        QCOMPARE(instance.data(BreakerBoardModel::OverrideTextRole).toString(), QString());
        QCOMPARE(group.data(BreakerBoardModel::OverrideTextRole).toString(), QString());
    }

    void breakersAndAgentsGo() {
        BreakerBoardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.updateAgent(kA,
                          snapshot(QStringLiteral("demo-1"),
                                   {breaker(QStringLiteral("redis"), BreakerState::Closed),
                                    breaker(QStringLiteral("postgres"), BreakerState::Closed)}));
        model.updateAgent(kB, snapshot(QStringLiteral("demo-2"),
                                       {breaker(QStringLiteral("redis"), BreakerState::Closed)}));
        QCOMPARE(model.rowCount(), 2);
        // The agent restarted without its postgres breaker: the row goes, it is not "stale".
        model.updateAgent(kA, snapshot(QStringLiteral("demo-1"),
                                       {breaker(QStringLiteral("redis"), BreakerState::Closed)}));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowCount(model.groupIndex(QStringLiteral("redis"))), 2);
        model.removeAgent(kA);
        QCOMPARE(model.rowCount(model.groupIndex(QStringLiteral("redis"))), 1);
        model.removeAgent(kB);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.boardSummary(), QString());
        model.flushPendingChanges(); // nothing left to signal about, nothing to crash on
    }

    void childIndexesSurviveGroupsArrivingBeforeThem() {
        BreakerBoardModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.applyBreaker(kA, breaker(QStringLiteral("redis"), BreakerState::Open), kT0);
        const QPersistentModelIndex child = model.instanceIndex(QStringLiteral("redis"), kA);
        model.applyBreaker(kA, breaker(QStringLiteral("alpha"), BreakerState::Closed), kT0);
        model.applyBreaker(kA, breaker(QStringLiteral("beta"), BreakerState::Closed), kT0);
        QVERIFY(child.isValid());
        QCOMPARE(child.parent().row(), 2);
        QCOMPARE(child.data(BreakerBoardModel::BreakerNameRole).toString(),
                 QStringLiteral("redis"));
        model.removeAgent(kA);
        QVERIFY(!child.isValid());
    }

    void valueChangesComeAsOneSignalPerBurst() {
        BreakerBoardModel model;
        model.applyBreaker(kA, breaker(QStringLiteral("redis"), BreakerState::Closed), kT0);
        model.applyBreaker(kB, breaker(QStringLiteral("redis"), BreakerState::Closed), kT0);
        model.applyBreaker(kA, breaker(QStringLiteral("postgres"), BreakerState::Closed), kT0);
        model.flushPendingChanges();

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        for (int tick = 1; tick <= 5; ++tick) {
            model.applyBreaker(kA, breaker(QStringLiteral("redis"), BreakerState::Closed, tick),
                               kT0 + tick * 1000);
            model.applyBreaker(kB, breaker(QStringLiteral("redis"), BreakerState::Closed, tick),
                               kT0 + tick * 1000);
        }
        QCOMPARE(changed.count(), 0); // not yet: the burst may not be over
        // One for the tile, one for its two instance rows; postgres did not change.
        QTRY_COMPARE(changed.count(), 2);
        const QModelIndex redis = model.groupIndex(QStringLiteral("redis"));
        const auto first = changed.at(0);
        const auto second = changed.at(1);
        QCOMPARE(first.at(0).toModelIndex().parent(), redis);
        QCOMPARE(first.at(0).toModelIndex().row(), 0);
        QCOMPARE(first.at(1).toModelIndex().row(), 1);
        QCOMPARE(second.at(0).toModelIndex(), redis);
        QCOMPARE(second.at(1).toModelIndex().row(), redis.row());
        QCOMPARE(redis.data(BreakerBoardModel::FailureRateRole).toDouble(), 5.0);
    }
};

QTEST_GUILESS_MAIN(TestBreakerBoardModel)
#include "tst_breaker_board_model.moc"
