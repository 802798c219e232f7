// Fleet wires its AgentClients into the models: a row per agent, rate points for the chart, and
// connection and probe changes in the event log.
#include "AgentSeries.h"
#include "FakeAgentServer.h"
#include "Fleet.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <optional>

using switchboard::AgentClient;
using switchboard::ConnectionState;
using switchboard::EventLogEntry;
using switchboard::Fleet;
using switchboard::FleetModel;
using switchboard::Health;
using switchboard::requestRateSeries;

class TestFleet : public QObject {
    Q_OBJECT

private slots:
    void agentsFeedTheModels() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        server.setGreeting(QStringLiteral("s1"), 1);

        Fleet fleet;
        AgentClient::Timing timing;
        timing.staleAfter = std::chrono::milliseconds(5000);
        timing.initialBackoff = std::chrono::milliseconds(50);
        fleet.setTiming(timing);
        QAbstractItemModelTester modelTester(
            fleet.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester logTester(fleet.eventLog(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy added(&fleet, &Fleet::agentAdded);
        QSignalSpy rates(&fleet, &Fleet::rateAppended);

        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QCOMPARE(added.count(), 1);
        QCOMPARE(fleet.agentIds(), QStringList{id});
        QCOMPARE(fleet.model()->rowCount(), 1);
        QCOMPARE(fleet.displayName(id), QStringLiteral("one"));
        QVERIFY(!fleet.hasData(id));

        QTRY_VERIFY(fleet.hasData(id));
        QCOMPARE(fleet.displayName(id), QStringLiteral("fake-1"));
        QTRY_COMPARE(fleet.model()->connectionState(id), ConnectionState::Live);
        QCOMPARE(fleet.series().size(requestRateSeries(id)), 1);

        server.sendRequests(2, QStringLiteral("s1"), 20.0,
                            QDateTime::currentMSecsSinceEpoch() + 1000);
        server.sendProbe(3, QStringLiteral("s1"), QStringLiteral("redis"), 2,
                         QStringLiteral("Connection refused"));
        QTRY_COMPARE(fleet.series().size(requestRateSeries(id)), 2);
        QCOMPARE(fleet.series().points(requestRateSeries(id)).back().value, 20.0);
        QVERIFY(rates.count() >= 2);
        QTRY_COMPARE(fleet.model()
                         ->index(0, FleetModel::ProbesColumn)
                         .data(FleetModel::HealthRole)
                         .value<Health>(),
                     Health::Down);

        // The log holds the state change to live and the probe going down, newest first (the
        // stand-in serves no /metrics: a "metrics scrape failing" line may come between).
        auto newestOf = [&fleet](EventLogEntry::Kind kind) -> std::optional<EventLogEntry> {
            for (int row = 0; row < fleet.eventLog()->rowCount(); ++row)
                if (fleet.eventLog()->entry(row).kind == kind)
                    return fleet.eventLog()->entry(row);
            return std::nullopt;
        };
        QTRY_VERIFY(newestOf(EventLogEntry::Kind::Probe).has_value());
        const EventLogEntry newest = *newestOf(EventLogEntry::Kind::Probe);
        QCOMPARE(newest.health, Health::Down);
        QVERIFY2(newest.message.contains(QLatin1String("redis down: Connection refused")),
                 qPrintable(newest.message));
        QCOMPARE(newest.agent, QStringLiteral("fake-1"));

        // The agent goes away: stale, logged.
        QSignalSpy states(&fleet, &Fleet::connectionStateChanged);
        server.shutDown();
        QTRY_COMPARE(fleet.model()->connectionState(id), ConnectionState::Stale);
        QVERIFY(fleet.model()
                    ->index(0, FleetModel::ConnectionColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("Stale since")));
        // Logged among the connection lines: the scraper's "metrics scrape failing" for the
        // closed port may come after it.
        auto loggedStale = [&fleet] {
            for (int row = 0; row < fleet.eventLog()->rowCount(); ++row) {
                const EventLogEntry entry = fleet.eventLog()->entry(row);
                if (entry.kind == EventLogEntry::Kind::Connection &&
                    entry.message.contains(QLatin1String("stale"), Qt::CaseInsensitive))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY(loggedStale());
        QVERIFY(states.count() >= 1);

        fleet.removeAgent(id);
        QCOMPARE(fleet.model()->rowCount(), 0);
        QCOMPARE(fleet.series().size(requestRateSeries(id)), 0);
        QVERIFY(!fleet.client(id));
    }

    // An agent that has just started sends a snapshot before its first statistics tick: the
    // chart gets no point from it (a zero there would draw a false drop), the next tick does.
    void snapshotWithoutStatisticsAddsNoRatePoint() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        Fleet fleet;
        const QString id = fleet.addAgent(server.url(), QStringLiteral("t"), QStringLiteral("one"));
        QTRY_VERIFY(server.connectionCount() > 0);
        server.send(R"({"type":"snapshot","seq":0,"stream":"s9","protocol":1,"snapshot":)"
                    R"({"revision":0,"time_ms":1,"info":{"service":"b","instance":"new",)"
                    R"("region":"r","agent_version":"0.1.0","protocol":1,"capabilities":[]},)"
                    R"("probes":[],"requests":{}}})");
        QTRY_VERIFY(fleet.hasData(id));
        QCOMPARE(fleet.series().size(requestRateSeries(id)), 0);
        server.sendRequests(1, QStringLiteral("s9"), 12.0);
        QTRY_COMPARE(fleet.series().size(requestRateSeries(id)), 1);
        QCOMPARE(fleet.series().points(requestRateSeries(id)).back().value, 12.0);
    }

    void sameUrlTwiceGetsDistinctIds() {
        Fleet fleet;
        const QUrl url(QStringLiteral("http://127.0.0.1:9"));
        const QString first = fleet.addAgent(url, QStringLiteral("t"));
        const QString second = fleet.addAgent(url, QStringLiteral("t"));
        QVERIFY(first != second);
        QCOMPARE(fleet.model()->rowCount(), 2);
        fleet.stopAll();
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
