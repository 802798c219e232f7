// A fleet round read through Prometheus, as pure logic (PrometheusAgentView.h): the agent id of
// a target (the id a hand-added agent gets, so both are one row), the join of the targets (a
// real capture of Prometheus 2.42's /api/v1/targets) with the rate and probe series by
// `instance`, and the snapshot and connection state the fleet's models read from it.
#include "PrometheusAgentView.h"
#include "PrometheusAnswers.h"
#include "PrometheusFixtures.h"

#include <QTest>
#include <cmath>
#include <limits>

using namespace switchboard;

namespace {

PrometheusSeries series(QMap<QString, QString> labels, double value, qint64 timeMs = 1000) {
    PrometheusSeries s;
    s.labels = std::move(labels);
    s.points.append({timeMs, value});
    return s;
}

PrometheusSeries probe(const QString& instance, const QString& metric, const QString& name,
                       double value) {
    return series({{QStringLiteral("__name__"), metric},
                   {QStringLiteral("instance"), instance},
                   {QStringLiteral("kind"), QStringLiteral("postgres")},
                   {QStringLiteral("probe"), name}},
                  value);
}

QList<PrometheusTarget> capturedTargets() {
    const auto parsed = PrometheusAnswers::targets(200, capturedPrometheusAnswer("targets.json"));
    return std::get<QList<PrometheusTarget>>(parsed);
}

} // namespace

class TestPrometheusAgentView : public QObject {
    Q_OBJECT

private slots:
    void agentIdIsTheScrapeUrlWithoutMetrics_data() {
        QTest::addColumn<QString>("scrapeUrl");
        QTest::addColumn<QString>("agentId");
        QTest::newRow("agent") << "http://127.0.0.1:7464/metrics"
                               << "http://127.0.0.1:7464";
        QTest::newRow("path prefix") << "http://127.0.0.1:9000/agent-007/metrics"
                                     << "http://127.0.0.1:9000/agent-007";
        QTest::newRow("query dropped") << "http://127.0.0.1:7464/metrics?x=1"
                                       << "http://127.0.0.1:7464";
        QTest::newRow("other path kept") << "https://10.0.0.5:8443/custom"
                                         << "https://10.0.0.5:8443/custom";
    }
    void agentIdIsTheScrapeUrlWithoutMetrics() {
        QFETCH(QString, scrapeUrl);
        QFETCH(QString, agentId);
        PrometheusTarget target;
        target.scrapeUrl = QUrl(scrapeUrl);
        QCOMPARE(agentIdOfTarget(target), agentId);
    }

    void joinsRatesAndProbesByInstance() {
        const QList<PrometheusTarget> targets = capturedTargets();
        QCOMPARE(targets.size(), 2);
        const QString first = targets.at(0).instance;
        const QString second = targets.at(1).instance;
        const QList<PrometheusSeries> rates = {
            series({{QStringLiteral("instance"), first}}, 42.5),
            series({{QStringLiteral("instance"), QStringLiteral("not-a-target")}}, 7),
        };
        const QList<PrometheusSeries> probes = {
            probe(first, QStringLiteral("switchboard_probe_up"), QStringLiteral("postgres.primary"),
                  1),
            probe(first, QStringLiteral("switchboard_probe_latency_seconds"),
                  QStringLiteral("postgres.primary"), 0.0025),
            probe(first, QStringLiteral("switchboard_probe_up"), QStringLiteral("redis"), 0),
            probe(second, QStringLiteral("switchboard_probe_latency_seconds"),
                  QStringLiteral("redis"), std::numeric_limits<double>::quiet_NaN()),
        };
        const QList<PrometheusAgentView> views = assembleFleetRound(targets, rates, probes, 5000);
        QCOMPARE(views.size(), 2);
        QCOMPARE(views.at(0).agentId, agentIdOfTarget(targets.at(0)));
        QCOMPARE(views.at(0).ratePerSecond, std::optional<double>(42.5));
        QCOMPARE(views.at(0).probes.size(), 2);
        const ProbeResult& primary = views.at(0).probes.at(0);
        QCOMPARE(primary.name, QStringLiteral("postgres.primary"));
        QCOMPARE(primary.kind, QStringLiteral("postgres"));
        QCOMPARE(primary.status, protocol::ProbeStatus::Up);
        QVERIFY(std::abs(primary.latencyMs - 2.5) < 1e-9);
        QCOMPARE(views.at(0).probes.at(1).status, protocol::ProbeStatus::Down);
        QVERIFY(!views.at(0).probes.at(1).error.isEmpty());
        // No rate and a NaN latency only: nothing invented for the second agent.
        QCOMPARE(views.at(1).ratePerSecond, std::nullopt);
        QVERIFY(views.at(1).probes.isEmpty());
        QCOMPARE(views.at(1).timeMs, qint64(5000));
    }

    void snapshotCarriesTheTargetsLabels() {
        const QList<PrometheusTarget> targets = capturedTargets();
        const QList<PrometheusAgentView> views = assembleFleetRound(
            targets, {series({{QStringLiteral("instance"), targets.at(0).instance}}, 3)}, {}, 9);
        const AgentSnapshot snapshot = views.at(0).snapshot();
        QCOMPARE(snapshot.info.instance, targets.at(0).instance);
        QCOMPARE(snapshot.info.region, targets.at(0).region);
        QCOMPARE(snapshot.info.service, targets.at(0).service);
        QVERIFY(!snapshot.info.region.isEmpty());
        QCOMPARE(snapshot.requests.ratePerSecond, 3.0);
        QCOMPARE(snapshot.timeMs, qint64(9));
        QVERIFY(!snapshot.replication && !snapshot.cache && snapshot.breakers.isEmpty());
    }

    void connectionFollowsTheScrapeHealth() {
        PrometheusAgentView view;
        view.target.health = PrometheusTarget::Health::Up;
        view.target.lastScrapeMs = 1'700'000'000'000;
        QCOMPARE(view.connectionState(), ConnectionState::Live);
        QVERIFY(view.errorText().isEmpty());
        QCOMPARE(view.lastScrape().toMSecsSinceEpoch(), qint64(1'700'000'000'000));
        view.target.health = PrometheusTarget::Health::Down;
        view.target.lastError = QStringLiteral("connection refused");
        QCOMPARE(view.connectionState(), ConnectionState::Stale);
        QCOMPARE(view.errorText(),
                 QStringLiteral("Prometheus cannot scrape this agent: connection refused"));
        view.target.health = PrometheusTarget::Health::Unknown;
        view.target.lastScrapeMs = 0;
        QCOMPARE(view.connectionState(), ConnectionState::Connecting);
        QVERIFY(!view.lastScrape().isValid());
    }
};

QTEST_GUILESS_MAIN(TestPrometheusAgentView)
#include "tst_prometheus_agent_view.moc"
