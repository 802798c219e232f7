// Issue 9's direct polling on a real agent: the fleet scrapes a demo backend's /metrics, the
// metric catalog names its counters as rates, the store holds its series with real values (the
// demo's requests/s from switchboard_requests_total), and an agent removed takes its series.
#include "AgentSeries.h"
#include "DemoBackend.h"
#include "Fleet.h"
#include "LocalStack.h"

#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace switchboard;

class TestMetricsScraperLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>(QStringLiteral("minimal"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-m1"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void scrapesTheAgentsMetricsIntoTheStore() {
        Fleet fleet;
        fleet.scraper().setInterval(std::chrono::milliseconds(500));
        QSignalSpy catalog(&fleet, &Fleet::metricCatalogChanged);
        const QString id = fleet.addAgent(demo_->url(), stack_->viewerToken());
        QTRY_VERIFY_WITH_TIMEOUT(fleet.scraper().scrapes(id) >= 3, 20000);
        QVERIFY(catalog.count() >= 1);

        const QList<MetricInfo> metrics = fleet.metricCatalog();
        const auto requests =
            std::find_if(metrics.begin(), metrics.end(), [](const MetricInfo& metric) {
                return metric.name == QLatin1String("switchboard_requests_total");
            });
        QVERIFY(requests != metrics.end());
        QCOMPARE(requests->type, QStringLiteral("counter"));
        QCOMPARE(requests->storedAs, MetricInfo::StoredAs::RatePerSecond);

        // The demo serves requests all the time: some route's rate is above zero.
        double highest = 0;
        int series = 0;
        for (const SeriesKey& key :
             fleet.series().seriesOf(QStringLiteral("switchboard_requests_total"))) {
            QCOMPARE(key.label(agentLabel()), id);
            ++series;
            for (const auto& point : fleet.series().points(key))
                highest = std::max(highest, point.value);
        }
        QVERIFY(series > 0);
        QVERIFY2(highest > 0, "no route's request rate above zero");
        QVERIFY(highest < 100000);

        fleet.removeAgent(id);
        QTest::qWait(1500); // a scrape still on the parser thread appends nothing now
        QVERIFY(fleet.series().seriesOf(QStringLiteral("switchboard_requests_total")).isEmpty());
        fleet.stopAll();
    }

    void anUnauthorizedScrapeSaysSo() {
        Fleet fleet;
        QSignalSpy failed(&fleet.scraper(), &MetricsScraper::scrapeFailed);
        fleet.addAgent(demo_->url(), QStringLiteral("not-a-token"));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("HTTP 401")),
                 qPrintable(failed.first().at(1).toString()));
        // The Events dock says it once, however many scrapes fail after.
        fleet.scraper().setInterval(std::chrono::milliseconds(300));
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 3, 10000);
        int lines = 0;
        const EventLogModel* log = fleet.eventLog();
        for (int row = 0; row < log->rowCount(); ++row)
            lines += log->entry(row).message.startsWith(QLatin1String("metrics scrape failing"));
        QCOMPARE(lines, 1);
        fleet.stopAll();
    }
};

QTEST_GUILESS_MAIN(TestMetricsScraperLive)
#include "tst_metrics_scraper_live.moc"
