// FleetModel and EventLogModel under QAbstractItemModelTester: rows appear and go, snapshots
// and events fold in, connection states show with their colour, and the log stays bounded.
#include "EventLogModel.h"
#include "FleetModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using switchboard::AgentSnapshot;
using switchboard::ConnectionState;
using switchboard::EventLogEntry;
using switchboard::EventLogModel;
using switchboard::FleetModel;
using switchboard::Health;
using switchboard::ProbeResult;
using switchboard::PrometheusAgentView;
using switchboard::PrometheusTarget;
using switchboard::StreamEvent;
using switchboard::protocol::ProbeStatus;

namespace {

ProbeResult probe(const QString& name, ProbeStatus status, const QString& error = {}) {
    ProbeResult result;
    result.name = name;
    result.kind = QStringLiteral("postgres");
    result.status = status;
    result.latencyMs = 0.8;
    result.error = error;
    return result;
}

AgentSnapshot snapshot(const QString& instance, double rate) {
    AgentSnapshot result;
    result.revision = 10;
    result.timeMs = 1795000000000;
    result.info.instance = instance;
    result.info.region = QStringLiteral("us-east");
    result.info.agentVersion = QStringLiteral("0.1.0");
    result.info.protocolVersion = 1;
    result.probes = {probe(QStringLiteral("postgres.primary"), ProbeStatus::Up),
                     probe(QStringLiteral("redis"), ProbeStatus::Up)};
    result.requests.ratePerSecond = rate;
    return result;
}

QVariant cell(const FleetModel& model, int row, int column, int role = Qt::DisplayRole) {
    return model.data(model.index(row, column), role);
}

} // namespace

class TestFleetModel : public QObject {
    Q_OBJECT

private slots:
    void aPrometheusRoundIsOneBatch() {
        FleetModel model;
        model.addAgent(QStringLiteral("http://127.0.0.1:1"), QStringLiteral("listed"));
        QList<PrometheusAgentView> round;
        for (int i = 1; i <= 300; ++i) {
            PrometheusAgentView view;
            view.agentId = QStringLiteral("http://127.0.0.1:%1").arg(i);
            view.target.instance = QStringLiteral("agent-%1").arg(i);
            view.target.region = i % 2 ? QStringLiteral("us-east") : QStringLiteral("eu-west");
            view.target.health =
                i == 7 ? PrometheusTarget::Health::Down : PrometheusTarget::Health::Up;
            view.target.lastError = QStringLiteral("connection refused");
            view.target.lastScrapeMs = QDateTime::currentMSecsSinceEpoch();
            view.ratePerSecond = i;
            round.append(view);
        }
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.updateFromPrometheus(round);
        // 299 new rows (the listed agent is the first target) in one insertion, one change.
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.rowCount(), 300);
        const QString seventh = QStringLiteral("http://127.0.0.1:7");
        QCOMPARE(model.rowOfAgent(seventh), 6);
        QCOMPARE(model.displayName(seventh), QStringLiteral("agent-7"));
        QCOMPARE(model.connectionState(seventh), ConnectionState::Stale);
        const QModelIndex connection = model.index(6, FleetModel::ConnectionColumn);
        QVERIFY2(
            connection.data().toString().startsWith(QLatin1String("Prometheus: scrape failing")),
            qPrintable(connection.data().toString()));
        QVERIFY(connection.data(Qt::ToolTipRole).toString().contains(QLatin1String("refused")));
        QCOMPARE(model.index(6, FleetModel::RegionColumn).data().toString(),
                 QStringLiteral("us-east"));
        QCOMPARE(
            model.index(6, FleetModel::RateColumn).data(FleetModel::RatePerSecondRole).toDouble(),
            7.0);
        QVERIFY(model.index(0, FleetModel::ConnectionColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("Prometheus: scraped")));
        QVERIFY(model.isThroughPrometheus(QStringLiteral("http://127.0.0.1:1")));
        // Back to streams: the row speaks of its connection again.
        model.clearPrometheus(QStringLiteral("http://127.0.0.1:1"));
        QVERIFY(!model.isThroughPrometheus(QStringLiteral("http://127.0.0.1:1")));
        QCOMPARE(model.index(0, FleetModel::ConnectionColumn).data().toString(),
                 QStringLiteral("Live"));
        // Removing a row keeps every other row found where it is.
        model.removeAgent(QStringLiteral("http://127.0.0.1:3"));
        QCOMPARE(model.rowOfAgent(seventh), 5);
        QCOMPARE(model.agentId(5), seventh);
    }

    void rowsFollowTheFleet() {
        FleetModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(FleetModel::ColumnCount));
        model.addAgent(QStringLiteral("http://a"), QStringLiteral("alpha"));
        model.addAgent(QStringLiteral("http://b"));
        model.addAgent(QStringLiteral("http://a")); // already there
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, FleetModel::InstanceColumn).toString(), QStringLiteral("alpha"));
        QCOMPARE(cell(model, 1, FleetModel::InstanceColumn).toString(), QStringLiteral("http://b"));
        QCOMPARE(cell(model, 0, FleetModel::ConnectionColumn).toString(),
                 QStringLiteral("Connecting"));
        QCOMPARE(
            cell(model, 0, FleetModel::ConnectionColumn, FleetModel::HealthRole).value<Health>(),
            Health::Unknown);
        QCOMPARE(model.agentIds(),
                 (QStringList{QStringLiteral("http://a"), QStringLiteral("http://b")}));
        model.removeAgent(QStringLiteral("http://a"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOfAgent(QStringLiteral("http://b")), 0);
        QCOMPARE(model.rowOfAgent(QStringLiteral("http://a")), -1);
        QVERIFY(!model.headerData(FleetModel::RateColumn, Qt::Horizontal).toString().isEmpty());
    }

    void snapshotsAndEventsFoldIn() {
        FleetModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString id = QStringLiteral("http://a");
        model.addAgent(id, QStringLiteral("label"));

        // Events before any snapshot have nothing to fold into.
        StreamEvent early;
        early.kind = StreamEvent::Kind::Requests;
        early.requests.ratePerSecond = 99;
        model.applyEvent(id, early);
        QCOMPARE(cell(model, 0, FleetModel::RateColumn).toString(), QString());

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.updateAgent(id, snapshot(QStringLiteral("demo-1"), 59.0));
        model.setConnectionState(id, ConnectionState::Live);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(cell(model, 0, FleetModel::InstanceColumn).toString(), QStringLiteral("demo-1"));
        QCOMPARE(cell(model, 0, FleetModel::RegionColumn).toString(), QStringLiteral("us-east"));
        QCOMPARE(cell(model, 0, FleetModel::VersionColumn).toString(), QStringLiteral("0.1.0"));
        QCOMPARE(cell(model, 0, FleetModel::RateColumn).toString(), QStringLiteral("59.0 /s"));
        QCOMPARE(cell(model, 0, FleetModel::RateColumn, FleetModel::RatePerSecondRole).toDouble(),
                 59.0);
        QCOMPARE(cell(model, 0, FleetModel::ProbesColumn, FleetModel::HealthRole).value<Health>(),
                 Health::Up);
        QCOMPARE(cell(model, 0, FleetModel::InstanceColumn, FleetModel::HealthRole).value<Health>(),
                 Health::Up);

        StreamEvent requests;
        requests.kind = StreamEvent::Kind::Requests;
        requests.seq = 11;
        requests.requests.ratePerSecond = 12.5;
        model.applyEvent(id, requests);
        QCOMPARE(cell(model, 0, FleetModel::RateColumn).toString(), QStringLiteral("12.5 /s"));

        StreamEvent down;
        down.kind = StreamEvent::Kind::Probe;
        down.seq = 12;
        down.probe = probe(QStringLiteral("redis"), ProbeStatus::Down, QStringLiteral("refused"));
        model.applyEvent(id, down);
        QCOMPARE(cell(model, 0, FleetModel::ProbesColumn, FleetModel::HealthRole).value<Health>(),
                 Health::Down);
        QVERIFY(cell(model, 0, FleetModel::ProbesColumn)
                    .toString()
                    .contains(QLatin1String("redis down: refused")));
        QCOMPARE(model.snapshot(id)->probes.size(), 2);
        QCOMPARE(model.snapshot(id)->revision, 12);

        StreamEvent added;
        added.kind = StreamEvent::Kind::Probe;
        added.seq = 13;
        added.probe = probe(QStringLiteral("shard-1"), ProbeStatus::Unknown);
        model.applyEvent(id, added);
        QCOMPARE(model.snapshot(id)->probes.size(), 3);
    }

    // An agent with no dependencies to probe is healthy while live, and says why the cell is bare.
    void anAgentWithoutProbesIsHealthyWhileLive() {
        FleetModel model;
        const QString id = QStringLiteral("http://bare");
        model.addAgent(id, QStringLiteral("bare"));
        AgentSnapshot bare = snapshot(QStringLiteral("bare-1"), 0.0);
        bare.probes.clear();
        model.updateAgent(id, bare);
        model.setConnectionState(id, ConnectionState::Live);
        QCOMPARE(cell(model, 0, FleetModel::ProbesColumn).toString(),
                 QStringLiteral("no probes configured"));
        QCOMPARE(cell(model, 0, FleetModel::ProbesColumn, FleetModel::HealthRole).value<Health>(),
                 Health::Up);
        QCOMPARE(cell(model, 0, FleetModel::InstanceColumn, FleetModel::HealthRole).value<Health>(),
                 Health::Up);
        model.setConnectionState(id, ConnectionState::Stale);
        QCOMPARE(cell(model, 0, FleetModel::ProbesColumn, FleetModel::HealthRole).value<Health>(),
                 Health::Unknown);
    }

    void connectionStates_data() {
        QTest::addColumn<ConnectionState>("state");
        QTest::addColumn<QString>("text");
        QTest::addColumn<Health>("health");
        QTest::newRow("live") << ConnectionState::Live << "Live" << Health::Up;
        QTest::newRow("connecting")
            << ConnectionState::Connecting << "Connecting" << Health::Unknown;
        QTest::newRow("stale") << ConnectionState::Stale << "Stale since 12:34:56"
                               << Health::Unknown;
        QTest::newRow("unauthorized")
            << ConnectionState::Unauthorized << "Unauthorized" << Health::Down;
        QTest::newRow("incompatible")
            << ConnectionState::Incompatible << "Incompatible" << Health::Down;
    }

    void connectionStates() {
        QFETCH(ConnectionState, state);
        QFETCH(QString, text);
        QFETCH(Health, health);
        FleetModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString id = QStringLiteral("http://a");
        model.updateAgent(id, snapshot(QStringLiteral("demo-1"), 1.0));
        const QDateTime since(QDate(2026, 1, 2), QTime(12, 34, 56));
        model.setConnectionState(id, state, since, QStringLiteral("why"));
        QCOMPARE(cell(model, 0, FleetModel::ConnectionColumn).toString(), text);
        QCOMPARE(
            cell(model, 0, FleetModel::ConnectionColumn, FleetModel::HealthRole).value<Health>(),
            health);
        QCOMPARE(cell(model, 0, 0, FleetModel::ConnectionStateRole).value<ConnectionState>(),
                 state);
        QCOMPARE(cell(model, 0, 0, FleetModel::ErrorTextRole).toString(), QStringLiteral("why"));
        // Healthy probes on a stream that is not live are not shown as healthy now.
        if (state != ConnectionState::Live)
            QCOMPARE(
                cell(model, 0, FleetModel::ProbesColumn, FleetModel::HealthRole).value<Health>(),
                Health::Unknown);
        QCOMPARE(model.connectionState(id), state);
    }

    void eventLogIsNewestFirstAndBounded() {
        EventLogModel log(3);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 5; ++i) {
            EventLogEntry entry;
            entry.time = QDateTime(QDate(2026, 1, 2), QTime(10, 0, i));
            entry.agent = QStringLiteral("demo-1");
            entry.kind = i % 2 ? EventLogEntry::Kind::Probe : EventLogEntry::Kind::Connection;
            entry.health = Health::Down;
            entry.message = QStringLiteral("message %1").arg(i);
            log.append(entry);
        }
        QCOMPARE(log.rowCount(), 3);
        QCOMPARE(log.entry(0).message, QStringLiteral("message 4"));
        QCOMPARE(log.entry(2).message, QStringLiteral("message 2"));
        QCOMPARE(log.data(log.index(0, EventLogModel::TimeColumn)).toString(),
                 QStringLiteral("10:00:04"));
        QCOMPARE(log.data(log.index(0, EventLogModel::KindColumn)).toString(),
                 QStringLiteral("Connection"));
        QCOMPARE(log.data(log.index(1, EventLogModel::KindColumn)).toString(),
                 QStringLiteral("Probe"));
        QCOMPARE(log.data(log.index(0, 0), EventLogModel::HealthRole).value<Health>(),
                 Health::Down);
        QCOMPARE(log.entry(7).message, QString());
        log.clear();
        QCOMPARE(log.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFleetModel)
#include "tst_fleet_model.moc"
