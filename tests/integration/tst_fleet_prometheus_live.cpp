// Issue 9's acceptance, fleet side: the console's Fleet reading the full stack's real Prometheus
// scraping a real demo backend. Below the direct limit, the agent Prometheus lists joins the
// fleet by discovery and is streamed directly (a stream per agent, live with the viewer token);
// past it, the fleet drops the streams and shows the agent from Prometheus's rounds: its
// instance, region and service from the target's labels, its probes from
// switchboard_probe_up, its request rate from rate(switchboard_requests_total), history from
// query_range in the rate series, and a Connection cell that speaks of scrapes. Prometheus
// unreachable is a failure with a sentence, and the fleet keeps what it showed.
#include "AgentSeries.h"
#include "DemoBackend.h"
#include "Fleet.h"
#include "LocalStack.h"
#include "PrometheusFleetFeed.h"
#include "StackFile.h"
#include "TokenFile.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace switchboard;

namespace {

const QString kInstance = QStringLiteral("demo-fleet-1");

// Runs the event loop until `done` or `timeoutMs`; true if done.
template <typename Done> bool waitFor(Done done, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done() && !deadline.hasExpired())
        QTest::qWait(100);
    return done();
}

} // namespace

class TestFleetPrometheusLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QUrl prometheusUrl_;
    QString viewerToken_;

    QString agentId() const { return demo_->url().toString(QUrl::StripTrailingSlash); }

    FleetSourcePolicy limit(int directLimit) const {
        FleetSourcePolicy policy;
        policy.directLimit = directLimit;
        return policy;
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>(QStringLiteral("full"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        QString error;
        const auto stackFile = StackFile::load(stack_->stackFile(), &error);
        QVERIFY2(stackFile, qPrintable(error));
        prometheusUrl_ = stackFile->prometheusUrl;
        QVERIFY2(!prometheusUrl_.isEmpty(), "the full stack lists no Prometheus");
        const auto token = TokenFile::load(stackFile->viewerTokenFile, &error);
        QVERIFY2(token, qPrintable(error));
        viewerToken_ = token->token;

        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), kInstance);
        demo_->setExtraArguments({QStringLiteral("--region"), QStringLiteral("eu-west")});
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        const QString added = stack_->addAgent(kInstance, demo_->url(), QStringLiteral("eu-west"),
                                               QStringLiteral("orders"));
        QVERIFY2(added.isEmpty(), qPrintable(added));
    }

    void cleanupTestCase() {
        if (demo_)
            demo_->stop();
        demo_.reset();
        stack_.reset(); // scripts/stack down: Prometheus with the rest
    }

    void belowTheLimitDiscoveredAgentsAreStreamed() {
        Fleet fleet;
        QSignalSpy rounds(&fleet, &Fleet::prometheusRoundApplied);
        fleet.setPrometheus(prometheusUrl_, limit(30), viewerToken_);
        QCOMPARE(fleet.source(), FleetSource::DirectAgents);
        QVERIFY2(waitFor([&] { return fleet.agentIds().contains(agentId()); }, 30000),
                 qPrintable(fleet.agentIds().join(QLatin1Char(' '))));
        QVERIFY(fleet.isDiscovered(agentId()));
        QVERIFY(fleet.client(agentId()) != nullptr); // a stream, with the viewer token
        QVERIFY(fleet.actions(agentId()) != nullptr);
        QVERIFY(waitFor(
            [&] { return fleet.model()->connectionState(agentId()) == ConnectionState::Live; },
            20000));
        QCOMPARE(fleet.displayName(agentId()), kInstance); // the agent's own word, by stream
        QVERIFY(!fleet.model()->isThroughPrometheus(agentId()));
        QVERIFY(fleet.sourceReason().contains(QLatin1String("at most 30 polled directly")));
        QVERIFY(rounds.size() >= 1);
        fleet.stopAll();
    }

    void pastTheLimitTheFleetIsReadThroughPrometheus() {
        Fleet fleet;
        QSignalSpy sourceChanged(&fleet, &Fleet::sourceChanged);
        fleet.setPrometheus(prometheusUrl_, limit(0), viewerToken_);
        // An empty fleet is within any limit; the first discovery finds one agent past it.
        QVERIFY(waitFor([&] { return fleet.source() == FleetSource::Prometheus; }, 20000));
        QCOMPARE(sourceChanged.last().first().value<FleetSource>(), FleetSource::Prometheus);
        // The first round: discovery, rates, probes and 15 minutes of history at once.
        QVERIFY(waitFor(
            [&] {
                const auto snapshot = fleet.model()->snapshot(agentId());
                return snapshot && !snapshot->probes.isEmpty() &&
                       fleet.series().size(requestRateSeries(agentId())) > 0;
            },
            30000));
        QVERIFY(fleet.client(agentId()) == nullptr);  // no stream per agent
        QVERIFY(fleet.actions(agentId()) != nullptr); // but it can still be acted on
        QVERIFY(fleet.model()->isThroughPrometheus(agentId()));
        const AgentSnapshot snapshot = *fleet.model()->snapshot(agentId());
        QCOMPARE(snapshot.info.instance, kInstance);
        QCOMPARE(snapshot.info.region, QStringLiteral("eu-west"));
        QCOMPARE(snapshot.info.service, QStringLiteral("orders"));
        // The demo's probes (postgres primary, replicas, redis) as Prometheus last scraped them.
        const auto primary =
            std::find_if(snapshot.probes.begin(), snapshot.probes.end(), [](const ProbeResult& p) {
                return p.name == QLatin1String("postgres.primary");
            });
        QVERIFY(primary != snapshot.probes.end());
        QCOMPARE(primary->status, protocol::ProbeStatus::Up);
        QVERIFY(primary->latencyMs > 0 && primary->latencyMs < 5000);
        QCOMPARE(fleet.model()->connectionState(agentId()), ConnectionState::Live);
        const int row = fleet.model()->rowOfAgent(agentId());
        const QString connection =
            fleet.model()->index(row, FleetModel::ConnectionColumn).data().toString();
        QVERIFY2(connection.startsWith(QLatin1String("Prometheus: scraped")),
                 qPrintable(connection));
        // The demo serves requests all along: a positive rate, from Prometheus.
        QVERIFY(waitFor(
            [&] {
                const auto now = fleet.model()->snapshot(agentId());
                return now && now->requests.ratePerSecond > 0.5;
            },
            20000));
        const QList<SeriesPoint> rates = fleet.series().points(requestRateSeries(agentId()));
        for (qsizetype i = 1; i < rates.size(); ++i)
            QVERIFY(rates.at(i).timeMs >= rates.at(i - 1).timeMs);
        fleet.stopAll();
    }

    void theFleetSwitchesWhenTheLimitIsCrossed() {
        Fleet fleet;
        fleet.setPrometheus(prometheusUrl_, limit(30), viewerToken_);
        QVERIFY(waitFor(
            [&] { return fleet.model()->connectionState(agentId()) == ConnectionState::Live; },
            30000));
        QVERIFY(fleet.client(agentId()) != nullptr);
        // The same fleet with a lower limit: the stream goes, Prometheus's rounds take over.
        fleet.setPrometheus(prometheusUrl_, limit(0), viewerToken_);
        QCOMPARE(fleet.source(), FleetSource::Prometheus);
        QVERIFY(fleet.client(agentId()) == nullptr);
        QVERIFY(waitFor([&] { return fleet.model()->isThroughPrometheus(agentId()); }, 20000));
        // And back: the agent is streamed again.
        fleet.setPrometheus(prometheusUrl_, limit(30), viewerToken_);
        QCOMPARE(fleet.source(), FleetSource::DirectAgents);
        QVERIFY(fleet.client(agentId()) != nullptr);
        QVERIFY(!fleet.model()->isThroughPrometheus(agentId()));
        QVERIFY(waitFor(
            [&] { return fleet.model()->connectionState(agentId()) == ConnectionState::Live; },
            20000));
        fleet.stopAll();
    }

    void anUnreachablePrometheusIsASentence() {
        Fleet fleet;
        QSignalSpy failed(&fleet, &Fleet::prometheusFailed);
        // A port nothing listens on (Prometheus's own port + 1 is not used by the stack).
        QUrl nowhere(QStringLiteral("http://127.0.0.1:1"));
        fleet.setPrometheus(nowhere, limit(0), viewerToken_);
        QVERIFY(failed.wait(15000));
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("cannot be reached")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(fleet.agentIds().isEmpty()); // nothing invented
        fleet.stopAll();
    }
};

QTEST_GUILESS_MAIN(TestFleetPrometheusLive)
#include "tst_fleet_prometheus_live.moc"
