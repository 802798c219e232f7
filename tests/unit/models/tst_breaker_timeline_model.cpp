// BreakerTimelineModel under QAbstractItemModelTester: newest first by the agents' times, a
// late entry placed where it happened, bounded, and texts and colour for each transition.
#include "BreakerTimelineModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using switchboard::BreakerTimelineModel;
using switchboard::BreakerTransitionEntry;
using switchboard::Health;

namespace {

constexpr qint64 kT0 = 1795000000000;

BreakerTransitionEntry entry(qint64 timeMs, const QString& to, const QString& breaker = "redis",
                             const QString& from = "closed",
                             const QString& reason = "failure_rate") {
    BreakerTransitionEntry result;
    result.timeMs = timeMs;
    result.agentId = QStringLiteral("http://a:1");
    result.instance = QStringLiteral("checkout/demo-1");
    result.breaker = breaker;
    result.from = from;
    result.to = to;
    result.reason = reason;
    return result;
}

} // namespace

class TestBreakerTimelineModel : public QObject {
    Q_OBJECT

private slots:
    void newestFirstByTime() {
        BreakerTimelineModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(entry(kT0, QStringLiteral("open")));
        model.append(
            entry(kT0 + 60'000, QStringLiteral("half_open"), "redis", "open", "wait_elapsed"));
        model.append(
            entry(kT0 + 61'000, QStringLiteral("closed"), "redis", "half_open", "trials_passed"));
        // Another agent's report, late: it happened between the first two.
        model.append(entry(kT0 + 30'000, QStringLiteral("open"), "payments"));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.entry(0).timeMs, kT0 + 61'000);
        QCOMPARE(model.entry(1).timeMs, kT0 + 60'000);
        QCOMPARE(model.entry(2).breaker, QStringLiteral("payments"));
        QCOMPARE(model.entry(3).timeMs, kT0);
        // Same time: the one heard later is the newer.
        model.append(
            entry(kT0 + 61'000, QStringLiteral("forced_open"), "redis", "closed", "operator"));
        QCOMPARE(model.entry(0).to, QStringLiteral("forced_open"));
        QCOMPARE(model.entry(1).to, QStringLiteral("closed"));
    }

    void textsAndColour() {
        BreakerTimelineModel model;
        model.append(entry(kT0, QStringLiteral("open")));
        const auto cell = [&](int column, int role = Qt::DisplayRole) {
            return model.index(0, column).data(role);
        };
        QCOMPARE(cell(BreakerTimelineModel::TimeColumn).toString(),
                 QDateTime::fromMSecsSinceEpoch(kT0).toString(QStringLiteral("HH:mm:ss")));
        QCOMPARE(cell(BreakerTimelineModel::InstanceColumn).toString(),
                 QStringLiteral("checkout/demo-1"));
        QCOMPARE(cell(BreakerTimelineModel::BreakerColumn).toString(), QStringLiteral("redis"));
        QCOMPARE(cell(BreakerTimelineModel::TransitionColumn).toString(),
                 QStringLiteral("Closed → Open"));
        QCOMPARE(cell(BreakerTimelineModel::ReasonColumn).toString(),
                 QStringLiteral("failure rate over threshold"));
        // Only the transition cell is coloured, by the state it went to.
        QCOMPARE(cell(BreakerTimelineModel::TransitionColumn, BreakerTimelineModel::HealthRole)
                     .value<Health>(),
                 Health::Down);
        QVERIFY(
            !cell(BreakerTimelineModel::ReasonColumn, BreakerTimelineModel::HealthRole).isValid());
        QCOMPARE(cell(0, BreakerTimelineModel::ToStateRole).toString(), QStringLiteral("open"));
        QCOMPARE(cell(0, BreakerTimelineModel::TimeRole).toDateTime().toMSecsSinceEpoch(), kT0);

        model.append(entry(kT0 + 1, QStringLiteral("closed"), "redis", "open",
                           BreakerTransitionEntry::kMissedReason));
        QCOMPARE(model.index(0, BreakerTimelineModel::ReasonColumn).data().toString(),
                 QStringLiteral("missed while not connected"));
        QCOMPARE(model.index(0, BreakerTimelineModel::TransitionColumn)
                     .data(BreakerTimelineModel::HealthRole)
                     .value<Health>(),
                 Health::Up);
        // A name this console does not know is shown as sent.
        model.append(
            entry(kT0 + 2, QStringLiteral("quarantined"), "redis", "closed", "solar_flare"));
        QCOMPARE(model.index(0, BreakerTimelineModel::TransitionColumn).data().toString(),
                 QStringLiteral("Closed → quarantined"));
        QCOMPARE(model.index(0, BreakerTimelineModel::ReasonColumn).data().toString(),
                 QStringLiteral("solar_flare"));
        QVERIFY(!model.headerData(BreakerTimelineModel::ReasonColumn, Qt::Horizontal)
                     .toString()
                     .isEmpty());
    }

    void bounded() {
        BreakerTimelineModel model(5);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 12; ++i)
            model.append(
                entry(kT0 + i * 1000, i % 2 ? QStringLiteral("open") : QStringLiteral("closed")));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.capacity(), 5);
        QCOMPARE(model.entry(0).timeMs, kT0 + 11'000);
        QCOMPARE(model.entry(4).timeMs, kT0 + 7'000);
        // Older than everything kept: it would be the first to go, so it is not kept at all.
        model.append(entry(kT0, QStringLiteral("open")));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.entry(4).timeMs, kT0 + 7'000);
        // In the middle: the oldest makes room.
        model.append(entry(kT0 + 8'500, QStringLiteral("open")));
        QCOMPARE(model.entry(3).timeMs, kT0 + 8'500);
        QCOMPARE(model.entry(4).timeMs, kT0 + 8'000);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.entry(0), BreakerTransitionEntry{});
    }
};

QTEST_GUILESS_MAIN(TestBreakerTimelineModel)
#include "tst_breaker_timeline_model.moc"
