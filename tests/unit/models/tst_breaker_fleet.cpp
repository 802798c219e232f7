// Fleet feeds the breaker board and timeline from a real stream (an in-process fake agent):
// breakers from the snapshot, ticks and transitions from events, stale when the agent goes,
// and a change missed while disconnected recorded as such when the next snapshot shows it.
#include "FakeAgentServer.h"
#include "Fleet.h"
#include "StreamFrames.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using switchboard::AgentClient;
using switchboard::BreakerBoardModel;
using switchboard::breakerHealth;
using switchboard::breakerReasonText;
using switchboard::BreakerTransitionEntry;
using switchboard::EventLogEntry;
using switchboard::EventLogModel;
using switchboard::Fleet;
using switchboard::protocol::BreakerState;

namespace {

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

QJsonObject breaker(int state, const QString& stateName, double failureRate, qint64 failed,
                    qint64 sinceMs = nowMs() - 5000) {
    return {{"name", "redis"},          {"state", state},
            {"state_name", stateName},  {"failure_rate", failureRate},
            {"slow_call_rate", 0.0},    {"buffered_calls", 10},
            {"successful_calls", 100},  {"failed_calls", failed},
            {"not_permitted_calls", 0}, {"since_ms", sinceMs}};
}

QByteArray snapshotFrame(qint64 seq, const QString& stream, const QJsonObject& redis) {
    return stream_frames::snapshotFrame(seq, stream, nowMs(), {{"breakers", QJsonArray{redis}}});
}

QByteArray eventFrame(qint64 seq, const QString& stream, const QJsonObject& data) {
    return stream_frames::eventFrame(seq, stream, QStringLiteral("breaker"), nowMs(), data);
}

} // namespace

class TestBreakerFleet : public QObject {
    Q_OBJECT

private slots:
    void streamFeedsBoardAndTimeline() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        Fleet fleet;
        AgentClient::Timing timing;
        timing.staleAfter = std::chrono::milliseconds(5000);
        timing.initialBackoff = std::chrono::milliseconds(50);
        timing.maxBackoff = std::chrono::milliseconds(200);
        fleet.setTiming(timing);
        QAbstractItemModelTester boardTester(
            fleet.breakers(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester timelineTester(
            fleet.breakerTimeline(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        BreakerBoardModel* board = fleet.breakers();

        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QTRY_VERIFY(server.connectionCount() > 0);
        server.send(snapshotFrame(1, QStringLiteral("s1"), breaker(0, "closed", 0, 0)));
        QTRY_COMPARE(board->rowCount(), 1);
        const QModelIndex instance = board->instanceIndex(QStringLiteral("redis"), id);
        QCOMPARE(instance.data().toString(), QStringLiteral("checkout/fake-1"));
        QCOMPARE(instance.data(BreakerBoardModel::StateRole).toInt(), int(BreakerState::Closed));

        QJsonObject open = breaker(1, "open", 60, 6);
        open.insert("transition",
                    QJsonObject{{"from", "closed"}, {"to", "open"}, {"reason", "failure_rate"}});
        server.send(eventFrame(2, QStringLiteral("s1"), open));
        QTRY_COMPARE(fleet.breakerTimeline()->rowCount(), 1);
        const BreakerTransitionEntry entry = fleet.breakerTimeline()->entry(0);
        QCOMPARE(entry.agentId, id);
        QCOMPARE(entry.instance, QStringLiteral("checkout/fake-1"));
        QCOMPARE(entry.breaker, QStringLiteral("redis"));
        QCOMPARE(entry.from, QStringLiteral("closed"));
        QCOMPARE(entry.to, QStringLiteral("open"));
        QCOMPARE(entry.reason, QStringLiteral("failure_rate"));
        // The Events dock hears of it too, in words and with the open state's health.
        const EventLogModel* events = fleet.eventLog();
        bool logged = false;
        for (int row = 0; row < events->rowCount(); ++row) {
            const EventLogEntry line = events->entry(row);
            if (line.kind == EventLogEntry::Kind::Breaker) {
                logged = true;
                QCOMPARE(line.message, QStringLiteral("redis: Closed → Open, ") +
                                           breakerReasonText(QStringLiteral("failure_rate")));
                QCOMPARE(line.health, breakerHealth(BreakerState::Open));
            }
        }
        QVERIFY(logged);
        QCOMPARE(instance.data(BreakerBoardModel::StateRole).toInt(), int(BreakerState::Open));
        // A tick is no transition.
        server.send(eventFrame(3, QStringLiteral("s1"), breaker(1, "open", 60, 6)));
        QTRY_COMPARE(fleet.client(id)->lastSeq(), 3);
        QCOMPARE(fleet.breakerTimeline()->rowCount(), 1);
        // The overview's snapshot keeps the breaker current as well.
        QCOMPARE(fleet.model()->snapshot(id)->breakers.value(0).state, BreakerState::Open);

        // The agent goes away: its breakers say their data is stale.
        const quint16 port = server.port();
        server.shutDown();
        QTRY_VERIFY(instance.data(BreakerBoardModel::IsStaleRole).toBool());
        QVERIFY(instance.data(BreakerBoardModel::StatusTextRole)
                    .toString()
                    .startsWith(QLatin1String("stale since")));

        // It comes back restarted (a new stream), closed: the change happened unheard.
        QVERIFY(server.listen(port));
        const int before = server.connectionCount();
        QTRY_VERIFY(server.connectionCount() > before);
        // It closed as it started again, after the last transition the console heard.
        server.send(
            snapshotFrame(1, QStringLiteral("s2"), breaker(0, "closed", 0, 0, nowMs() + 1)));
        QTRY_COMPARE(fleet.breakerTimeline()->rowCount(), 2);
        const BreakerTransitionEntry missed = fleet.breakerTimeline()->entry(0);
        QCOMPARE(missed.from, QStringLiteral("open"));
        QCOMPARE(missed.to, QStringLiteral("closed"));
        QCOMPARE(missed.reason, QLatin1String(BreakerTransitionEntry::kMissedReason));
        QTRY_VERIFY(!instance.data(BreakerBoardModel::IsStaleRole).toBool());
        QCOMPARE(instance.data(BreakerBoardModel::StateRole).toInt(), int(BreakerState::Closed));

        fleet.removeAgent(id);
        QCOMPARE(board->rowCount(), 0);
        QCOMPARE(fleet.breakerTimeline()->rowCount(), 2); // history stays
    }
};

QTEST_GUILESS_MAIN(TestBreakerFleet)
#include "tst_breaker_fleet.moc"
