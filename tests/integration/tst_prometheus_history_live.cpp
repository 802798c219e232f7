// The Metrics view's data through a real Prometheus: the full stack's Prometheus 2.42 scraping
// two demo backends. PrometheusHistory reads the catalog from Prometheus's metadata (the
// request counter a rate, as the direct scraper keeps it) and loads the last two minutes of
// switchboard_requests_total into a TimeSeriesStore under the scraper's keys (agent=<agent URL>,
// no target labels), points ascending and non-negative; a filter on one agent loads only its
// series. In the Metrics view (offscreen), an event at the time of one of those points is marked
// in the pixel column of that point, on the line.
#include "AgentSeries.h"
#include "DemoBackend.h"
#include "LocalStack.h"
#include "MetricChart.h"
#include "MetricsView.h"
#include "PrometheusHistory.h"
#include "PrometheusSource.h"
#include "StackFile.h"
#include "TimeRangeBar.h"
#include "TimeSeriesStore.h"
#include "TimelineAnnotations.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <memory>

using namespace switchboard;

namespace {

const QStringList kInstances{QStringLiteral("demo-hist-1"), QStringLiteral("demo-hist-2")};
const QString kRequests = QStringLiteral("switchboard_requests_total");

} // namespace

class TestPrometheusHistoryLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::vector<std::unique_ptr<DemoBackend>> demos_;
    std::unique_ptr<PrometheusSource> source_;
    QHash<QString, QString> agentByInstance_;
    QSet<QString> targetLabels_;
    MetricInfo requests_;

    QString agentOf(int demo) const { return agentByInstance_.value(kInstances.at(demo)); }

    // Loads the last two minutes of the request rate into `store`; the error's sentence if any.
    QString loadRequests(TimeSeriesStore* store, const LabelFilter& filter) {
        PrometheusHistory history(source_.get(), store);
        history.setAgents(agentByInstance_);
        history.setTargetLabelNames(targetLabels_);
        QSignalSpy loaded(&history, &PrometheusHistory::loaded);
        QSignalSpy failed(&history, &PrometheusHistory::failed);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        history.load({{requests_, filter}}, now - 120'000, now, 600);
        QDeadlineTimer deadline(10000);
        while (loaded.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
            loaded.wait(100);
        if (!failed.isEmpty())
            return failed.first().first().toString();
        return loaded.isEmpty() ? QStringLiteral("no answer in 10 s") : QString();
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>(QStringLiteral("full"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        QString error;
        const auto stackFile = StackFile::load(stack_->stackFile(), &error);
        QVERIFY2(stackFile, qPrintable(error));
        QVERIFY2(!stackFile->prometheusUrl.isEmpty(), "the full stack lists no Prometheus");
        source_ = std::make_unique<PrometheusSource>(stackFile->prometheusUrl);
        source_->setTimeout(std::chrono::milliseconds(5000));

        for (const QString& instance : kInstances) {
            auto demo = std::make_unique<DemoBackend>(stack_->stackFile(), instance);
            demo->setExtraArguments({QStringLiteral("--region"), QStringLiteral("us-east")});
            QVERIFY2(demo->start(), qPrintable(demo->output()));
            const QString added = stack_->addAgent(instance, demo->url(), QStringLiteral("us-east"),
                                                   QStringLiteral("checkout"));
            QVERIFY2(added.isEmpty(), qPrintable(added));
            // The console's id of an agent: its URL, as the workspace lists it.
            agentByInstance_.insert(instance, demo->url().toString());
            demos_.push_back(std::move(demo));
        }

        // As the window would: both agents discovered up, and the labels their targets carry.
        QSignalSpy discovered(source_.get(), &PrometheusSource::targetsDiscovered);
        QDeadlineTimer deadline(30000);
        int up = 0;
        while (up < kInstances.size() && !deadline.hasExpired()) {
            discovered.clear();
            source_->discoverTargets();
            if (!discovered.wait(5000))
                continue;
            up = 0;
            for (const auto& target : discovered.first().at(1).value<QList<PrometheusTarget>>()) {
                for (auto it = target.labels.cbegin(); it != target.labels.cend(); ++it)
                    targetLabels_.insert(it.key());
                if (kInstances.contains(target.instance) &&
                    target.health == PrometheusTarget::Health::Up)
                    ++up;
            }
            if (up < kInstances.size())
                QTest::qWait(250);
        }
        QCOMPARE(up, kInstances.size());
        QVERIFY(targetLabels_.contains(QStringLiteral("region")));
    }

    void cleanupTestCase() {
        source_.reset();
        for (auto& demo : demos_)
            demo->stop();
        demos_.clear();
        stack_.reset(); // scripts/stack down: Prometheus with the rest
    }

    void catalogNamesTheRequestCounterARate() {
        TimeSeriesStore store;
        PrometheusHistory history(source_.get(), &store);
        QSignalSpy changed(&history, &PrometheusHistory::catalogChanged);
        QSignalSpy failed(&history, &PrometheusHistory::failed);
        // Prometheus learns the metadata with its first scrapes of the agents.
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired()) {
            changed.clear();
            history.refreshCatalog();
            QVERIFY(changed.wait(5000) || !failed.isEmpty());
            for (const MetricInfo& info : history.catalog())
                if (info.name == kRequests)
                    requests_ = info;
            if (!requests_.name.isEmpty())
                break;
            QTest::qWait(500);
        }
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(requests_.name, kRequests);
        QCOMPARE(requests_.type, QStringLiteral("counter"));
        QCOMPARE(requests_.storedAs, MetricInfo::StoredAs::RatePerSecond);
    }

    void loadsTwoMinutesOfTheRequestRate() {
        QVERIFY(!requests_.name.isEmpty());
        // Some seconds of 1 s scrapes, so every rate window holds a few samples.
        QTest::qWait(8000);
        TimeSeriesStore store;
        const QString error = loadRequests(&store, {});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QList<SeriesKey> keys = store.seriesOf(kRequests);
        QVERIFY(!keys.isEmpty());
        QSet<QString> agents;
        bool anyRequests = false;
        for (const SeriesKey& key : keys) {
            agents.insert(key.label(agentLabel()));
            // The scraper's keys: the sample's own labels and the agent, nothing of the target.
            for (const char* target : {"instance", "job", "region", "service", "__name__"})
                QVERIFY2(key.label(QString::fromLatin1(target)).isEmpty(),
                         qPrintable(key.canonical()));
            QVERIFY2(!key.label(QStringLiteral("route")).isEmpty(), qPrintable(key.canonical()));
            const QList<SeriesPoint> points = store.points(key);
            QVERIFY2(!points.isEmpty(), qPrintable(key.canonical()));
            for (qsizetype i = 0; i < points.size(); ++i) {
                QVERIFY2(std::isfinite(points.at(i).value) && points.at(i).value >= 0,
                         qPrintable(QString::number(points.at(i).value)));
                if (i > 0)
                    QVERIFY(points.at(i).timeMs > points.at(i - 1).timeMs);
                anyRequests = anyRequests || points.at(i).value > 0;
            }
        }
        QCOMPARE(agents, (QSet<QString>{agentOf(0), agentOf(1)}));
        QVERIFY(anyRequests); // the demos serve requests all along

        // Loading again replaces the range: the series grows by the seconds that passed, at a
        // 1 s step, and never repeats a time (checked above, on the next pass).
        const qsizetype before = store.size(keys.first());
        QElapsedTimer elapsed;
        elapsed.start();
        QVERIFY(loadRequests(&store, {}).isEmpty());
        const qsizetype after = store.size(keys.first());
        QVERIFY2(after <= before + elapsed.elapsed() / 1000 + 2,
                 qPrintable(QStringLiteral("%1 then %2").arg(before).arg(after)));
        const QList<SeriesPoint> points = store.points(keys.first());
        for (qsizetype i = 1; i < points.size(); ++i)
            QVERIFY(points.at(i).timeMs > points.at(i - 1).timeMs);
    }

    // The Metrics view's timeline against Prometheus's timestamps: an event at the time of the
    // highest point Prometheus gave is marked in that point's pixel column, where the line is.
    void annotationsLineUpWithPrometheusHistory() {
        QVERIFY(!requests_.name.isEmpty());
        TimeSeriesStore store;
        const LabelFilter filter = LabelFilter::parse(QStringLiteral("agent=%1").arg(agentOf(0)));
        QVERIFY(loadRequests(&store, filter).isEmpty());
        const QList<SeriesKey> keys = store.seriesOf(kRequests);
        QVERIFY(!keys.isEmpty());
        // The busiest series (a route's successes: errors are a flat zero on the axis), charted
        // alone, so the line in the column is its.
        SeriesKey key = keys.first();
        double busiest = -1;
        for (const SeriesKey& candidate : keys)
            for (const SeriesPoint& point : store.points(candidate))
                if (point.value > busiest) {
                    busiest = point.value;
                    key = candidate;
                }
        const QList<SeriesPoint> points = store.points(key);
        QVERIFY(points.size() >= 3);
        QVERIFY(busiest > 0);
        // An inner point (not at the range's edge), the highest of them.
        SeriesPoint event = points.at(1);
        for (qsizetype i = 1; i + 1 < points.size(); ++i)
            if (points.at(i).value >= event.value)
                event = points.at(i);
        TimelineAnnotations annotations;
        annotations.add({event.timeMs, TimelineAnnotation::Kind::Breaker,
                         QStringLiteral("payments closed → open"), agentOf(0), "payments"});
        const qint64 now = points.last().timeMs;
        MetricsView view(&store, &annotations, nullptr, [now] { return now; });
        view.resize(1300, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        MetricChart* chart = view.addChart(
            requests_, LabelFilter::parse(QStringLiteral("agent=%1, route=%2, outcome=%3")
                                              .arg(agentOf(0), key.label(QStringLiteral("route")),
                                                   key.label(QStringLiteral("outcome")))));
        // Just the points Prometheus gave, across the whole width.
        view.timeRange()->setCustom({points.first().timeMs, points.last().timeMs});
        view.refreshNow();
        const auto markers = chart->annotationMarkers();
        QCOMPARE(markers.size(), 1);
        const double x = markers.front().second;
        QCOMPARE(x, std::round(chart->mapping().xOf(event.timeMs)));
        // The line passes through (x, y of the event's value), give or take its pen: an
        // antialiased line beside the marker drawn over it in that very column, so a pixel of
        // about the line's colour within two columns and three rows.
        const QImage image = chart->grab().toImage();
        const QColor line = chart->data().lines().front().color;
        const int y = int(std::round(chart->mapping().yOf(event.value)));
        const auto nearLine = [&line](const QColor& c) {
            return std::abs(c.red() - line.red()) + std::abs(c.green() - line.green()) +
                       std::abs(c.blue() - line.blue()) <
                   90;
        };
        bool onTheLine = false;
        for (int dx = -2; dx <= 2 && !onTheLine; ++dx)
            for (int dy = -3; dy <= 3 && !onTheLine; ++dy)
                onTheLine = dx != 0 && nearLine(QColor(image.pixel(int(x) + dx, y + dy)));
        if (!onTheLine)
            image.save(QStringLiteral("/tmp/annot-debug.png"));
        QVERIFY2(onTheLine, qPrintable(QStringLiteral("no line pixel near (%1, %2): value %3, %4 "
                                                      "points, %5")
                                           .arg(x)
                                           .arg(y)
                                           .arg(event.value)
                                           .arg(points.size())
                                           .arg(key.canonical())));
    }

    void aFilterOnOneAgentLoadsOnlyIts() {
        QVERIFY(!requests_.name.isEmpty());
        TimeSeriesStore store;
        const QString error =
            loadRequests(&store, LabelFilter::parse(QStringLiteral("agent=%1").arg(agentOf(1))));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QList<SeriesKey> keys = store.seriesOf(kRequests);
        QVERIFY(!keys.isEmpty());
        for (const SeriesKey& key : keys)
            QCOMPARE(key.label(agentLabel()), agentOf(1));
    }
};

QTEST_MAIN(TestPrometheusHistoryLive)
#include "tst_prometheus_history_live.moc"
