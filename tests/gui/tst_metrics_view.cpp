// The Metrics view offscreen, on a store filled with known points and a clock the test steps:
// the browser's filters, charts of a metric's series, the shared range (presets, pause, zoom),
// the crosshair, the exports, the timeline's markers drawn where their time is, and what it asks
// of a history loader (historyWanted, debounced) and how it shows that loader's failures.
#include "ErrorBanner.h"
#include "FakeHttpAgent.h"
#include "GuiTestHelpers.h"
#include "LabelFilter.h"
#include "MetricBrowser.h"
#include "MetricChart.h"
#include "MetricsView.h"
#include "PrometheusHistory.h"
#include "PrometheusSource.h"
#include "TimeRangeBar.h"
#include "TimeSeriesStore.h"
#include "TimelineAnnotations.h"

#include <QFile>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace switchboard;

namespace {

constexpr qint64 kStartMs = 1'795'000'000'000; // whole minutes, so times print evenly
constexpr qint64 kMinute = 60'000;

SeriesKey key(const char* metric, const char* agent, const char* route = nullptr) {
    QList<SeriesKey::Label> labels{{QStringLiteral("agent"), QString::fromLatin1(agent)}};
    if (route)
        labels.append({QStringLiteral("route"), QString::fromLatin1(route)});
    return SeriesKey(QString::fromLatin1(metric), labels);
}

// 20 minutes at 1 Hz: value = seconds since start (+ an offset per series), so any point's
// value says its time.
void fill(TimeSeriesStore& store, const SeriesKey& series, double offset, qint64 untilMs) {
    for (qint64 t = kStartMs; t <= untilMs; t += 1000)
        store.append(series, t, offset + static_cast<double>(t - kStartMs) / 1000.0);
}

} // namespace

class TstMetricsView : public QObject {
    Q_OBJECT

    TimeSeriesStore* m_store = nullptr;
    TimelineAnnotations* m_annotations = nullptr;
    qint64 m_now = 0;

    std::unique_ptr<MetricsView> makeView() {
        auto view = std::make_unique<MetricsView>(m_store, m_annotations, nullptr,
                                                  [this] { return m_now; });
        view->resize(1300, 900);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get()))
            qFatal("not exposed");
        view->setCatalog({{QStringLiteral("http_requests_total"), QStringLiteral("counter"),
                           QStringLiteral("Requests handled"), MetricInfo::StoredAs::RatePerSecond},
                          {QStringLiteral("queue_depth"), QStringLiteral("gauge"),
                           QStringLiteral("Jobs waiting"), MetricInfo::StoredAs::Value}});
        return view;
    }

private slots:
    void init() {
        m_store = new TimeSeriesStore;
        m_annotations = new TimelineAnnotations;
        m_now = kStartMs + 20 * kMinute;
        fill(*m_store, key("http_requests_total", "a", "/users"), 0, m_now);
        fill(*m_store, key("http_requests_total", "b", "/users"), 1000, m_now);
        fill(*m_store, key("http_requests_total", "b", "/orders"), 2000, m_now);
        fill(*m_store, key("queue_depth", "a"), 0, m_now);
    }
    void cleanup() {
        delete m_annotations;
        delete m_store;
    }

    void browserFiltersNarrowTheList() {
        auto view = makeView();
        MetricBrowser* browser = view->browser();
        QCOMPARE(browser->visibleMetrics(), QStringList({"http_requests_total", "queue_depth"}));
        // The catalog's help is the tooltip, the unit hint is on the row.
        QListWidgetItem* first = browser->list()->item(0);
        QVERIFY2(first->toolTip().contains(QLatin1String("Requests handled")),
                 qPrintable(first->toolTip()));
        QVERIFY2(first->text().contains(QLatin1String("/s")), qPrintable(first->text()));
        browser->setNameFilter(QStringLiteral("QUEUE"));
        QCOMPARE(browser->visibleMetrics(), QStringList({"queue_depth"}));
        browser->setNameFilter(QString());
        browser->setLabelFilter(QStringLiteral("agent=b"));
        QCOMPARE(browser->visibleMetrics(), QStringList({"http_requests_total"}));
        browser->setLabelFilter(QStringLiteral("route!=/users agent=a"));
        QCOMPARE(browser->visibleMetrics(), QStringList({"queue_depth"}));
        browser->setLabelFilter(QStringLiteral("agent"));
        QVERIFY(!gui_test::text(*view, "metricLabelError").isEmpty());
    }

    void choosingAMetricChartsItsSeries() {
        auto view = makeView();
        view->browser()->setLabelFilter(QStringLiteral("agent=b"));
        view->browser()->choose(QStringLiteral("http_requests_total"));
        QCOMPARE(view->charts().size(), 1);
        MetricChart* filtered = view->charts().front();
        QVERIFY(filtered->title().contains(QLatin1String("agent=\"b\"")));
        QCOMPARE(filtered->data().lines().size(), 2);
        QCOMPARE(filtered->data().lines().at(0).name, QStringLiteral("route=/orders"));
        QCOMPARE(filtered->data().lines().at(1).name, QStringLiteral("route=/users"));

        MetricChart* all = view->addChart(QStringLiteral("http_requests_total"));
        QCOMPARE(view->charts().size(), 2);
        QCOMPARE(all->data().lines().size(), 3);
        QCOMPARE(all->data().lines().at(0).name, QStringLiteral("agent=a, route=/users"));
        QCOMPARE(all->info().unitSuffix(), QStringLiteral("/s"));
        // Never more points than the plot has pixel columns can show (a min/max pair each).
        for (const ChartLine& line : all->data().lines())
            QVERIFY(line.points.size() <= 2 * all->mapping().plot.width() + 2);

        gui_test::click(*all, "removeChart");
        QTRY_COMPARE(view->charts().size(), 1);
    }

    void rangePickerSetsTheXRange() {
        auto view = makeView();
        MetricChart* chart = view->addChart(QStringLiteral("queue_depth"));
        const auto presets = TimeRangeBar::presets();
        for (int i = 0; i < presets.size(); ++i) {
            view->rangeBar()->pickPreset(i);
            QCOMPARE(chart->mapping().fromMs, m_now - presets.at(i).second);
            QCOMPARE(chart->mapping().toMs, m_now);
        }
        view->timeRange()->setCustom({kStartMs + kMinute, kStartMs + 3 * kMinute});
        QCOMPARE(chart->mapping().fromMs, kStartMs + kMinute);
        QCOMPARE(chart->mapping().toMs, kStartMs + 3 * kMinute);
        // The chart's first point is the range's first second.
        QCOMPARE(chart->data().lines().front().points.front().timeMs, kStartMs + kMinute);
    }

    void pauseHoldsTheRangeWhilePointsArriveAndResumeFollows() {
        auto view = makeView();
        MetricChart* chart = view->addChart(QStringLiteral("queue_depth"));
        view->rangeBar()->pickPreset(0);
        gui_test::click(*view, "pauseMetrics");
        QVERIFY(view->timeRange()->isPaused());
        const PlotMapping held = chart->mapping();
        for (int i = 0; i < 30; ++i) {
            m_now += 1000;
            m_store->append(key("queue_depth", "a"), m_now, 42);
        }
        view->refreshNow();
        QCOMPARE(chart->mapping().toMs, held.toMs);
        QCOMPARE(chart->data().lines().front().points.back().timeMs, held.toMs);
        gui_test::click(*view, "pauseMetrics"); // now "Resume"
        QVERIFY(view->timeRange()->isLive());
        QCOMPARE(chart->mapping().toMs, m_now);
        QCOMPARE(chart->data().lines().front().points.back().value, 42.0);
    }

    void zoomNarrowsEveryChartAndResetRestores() {
        auto view = makeView();
        MetricChart* first = view->addChart(QStringLiteral("queue_depth"));
        MetricChart* second = view->addChart(QStringLiteral("http_requests_total"));
        view->rangeBar()->pickPreset(1);
        const qint64 from = m_now - 10 * kMinute;
        view->timeRange()->zoomTo({from, from + kMinute});
        for (MetricChart* chart : {first, second}) {
            QCOMPARE(chart->mapping().fromMs, from);
            QCOMPARE(chart->mapping().toMs, from + kMinute);
        }
        // Zoomed, time passing does not move the picture.
        m_now += 5000;
        view->refreshNow();
        QCOMPARE(second->mapping().toMs, from + kMinute);
        // The wheel zooms in around the pointer, on every chart.
        view->timeRange()->zoomBy(0.5, from + 30'000);
        QCOMPARE(first->mapping().fromMs, from + 15'000);
        QCOMPARE(second->mapping().toMs, from + 45'000);
        view->timeRange()->panBy(10'000);
        QCOMPARE(second->mapping().fromMs, from + 25'000);
        gui_test::click(*view, "resetZoom");
        QVERIFY(view->timeRange()->isLive());
        for (MetricChart* chart : {first, second}) {
            QCOMPARE(chart->mapping().fromMs, m_now - 15 * kMinute);
            QCOMPARE(chart->mapping().toMs, m_now);
        }
    }

    void crosshairSaysTheStoresValues() {
        auto view = makeView();
        MetricChart* chart = view->addChart(QStringLiteral("http_requests_total"));
        view->rangeBar()->pickPreset(2); // 1 h: decimated, the crosshair still reads raw points
        const qint64 at = kStartMs + 7 * kMinute + 3000;
        view->setCrosshair(at);
        const auto values = chart->crosshairValues();
        QCOMPARE(values.size(), 3);
        for (const auto& [line, point] : values) {
            const QList<SeriesPoint> stored = m_store->points(line->key, at, at);
            QCOMPARE(stored.size(), 1);
            QCOMPARE(point, stored.front());
        }
        // Between two samples: the nearer one.
        view->setCrosshair(at + 400);
        QCOMPARE(chart->crosshairValues().front().second.timeMs, at);
        view->setCrosshair(std::nullopt);
        QVERIFY(chart->crosshairValues().isEmpty());
    }

    void csvExportHoldsTheVisibleRawPoints() {
        auto view = makeView();
        view->addChart(QStringLiteral("http_requests_total"), LabelFilter::parse("agent=b"));
        // The narrowest range there is: 5 s, six samples.
        view->timeRange()->setCustom({kStartMs + kMinute, kStartMs + kMinute + 5000});
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("metrics.csv"));
        QString error;
        QVERIFY2(view->exportCsv(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
        QCOMPARE(lines.size(), 8);
        QCOMPARE(lines.at(0),
                 QStringLiteral("time,\"http_requests_total{agent=\"\"b\"\",route=\"\"/"
                                "orders\"\"}\",\"http_requests_total{agent=\"\"b\"\","
                                "route=\"\"/users\"\"}\""));
        const QString start =
            QDateTime::fromMSecsSinceEpoch(kStartMs + kMinute, Qt::UTC).toString(Qt::ISODateWithMs);
        QCOMPARE(lines.at(1), start + QStringLiteral(",2060,1060"));
        for (int second = 1; second <= 5; ++second)
            QCOMPARE(lines.at(1 + second),
                     QDateTime::fromMSecsSinceEpoch(kStartMs + kMinute + second * 1000, Qt::UTC)
                             .toString(Qt::ISODateWithMs) +
                         QStringLiteral(",%1,%2").arg(2060 + second).arg(1060 + second));
        QCOMPARE(lines.at(7), QString());
        QVERIFY(!view->exportCsv(dir.filePath(QStringLiteral("no/such/dir/x.csv")), &error));
        QVERIFY(!error.isEmpty());
    }

    void pngExportWritesAnImage() {
        auto view = makeView();
        view->addChart(QStringLiteral("queue_depth"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("metrics.png"));
        QVERIFY(view->exportPng(path));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 500 && image.height() > 200);
    }

    // A marker at time t is drawn at the x of the series' point at time t, on every chart: the
    // spike's top pixel and the marker's column are the same.
    void annotationsAreAlignedOnEveryChart() {
        TimeSeriesStore spikes;
        const qint64 spikeMs = kStartMs + 10 * kMinute + 17'000;
        for (qint64 t = kStartMs; t <= m_now; t += 1000) {
            spikes.append(key("spike", "a"), t, t == spikeMs ? 100.0 : 0.0);
            spikes.append(key("other", "a"), t, t == spikeMs ? 50.0 : 10.0);
        }
        m_annotations->add({spikeMs, TimelineAnnotation::Kind::Breaker,
                            QStringLiteral("payments closed → open"), "a", "b1"});
        m_annotations->add({spikeMs + 3 * kMinute, TimelineAnnotation::Kind::Drill,
                            QStringLiteral("switchover drill"), "", "d1"});
        MetricsView view(&spikes, m_annotations, nullptr, [this] { return m_now; });
        view.resize(1300, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        MetricChart* first = view.addChart(QStringLiteral("spike"));
        MetricChart* second = view.addChart(QStringLiteral("other"));
        view.rangeBar()->pickPreset(1);
        gui_test::saveScreenshot(view, QStringLiteral("metrics-annotations-test.png"));

        const QColor breaker = ChartColors::annotationColor(TimelineAnnotation::Kind::Breaker);
        for (MetricChart* chart : {first, second}) {
            const auto markers = chart->annotationMarkers();
            QCOMPARE(markers.size(), 2);
            const double x = markers.front().second;
            QCOMPARE(x, std::round(chart->mapping().xOf(spikeMs)));

            const QImage image = chart->grab().toImage();
            const QRect plot = chart->mapping().plot.toRect();
            // The marker's column holds its colour (dashed: some of its pixels).
            int markerPixels = 0;
            for (int y = plot.top(); y < plot.bottom(); ++y)
                markerPixels += QColor(image.pixel(int(x), y)) == breaker;
            QVERIFY2(markerPixels > plot.height() / 4, qPrintable(QString::number(markerPixels)));
            // The line's highest pixel (the spike) is in that column, give or take the pen.
            const QColor lineColor = chart->data().lines().front().color;
            int topX = -1;
            for (int y = plot.top(); y < plot.bottom() && topX < 0; ++y)
                for (int px = plot.left(); px < plot.right(); ++px)
                    if (QColor(image.pixel(px, y)) == lineColor) {
                        topX = px;
                        break;
                    }
            QVERIFY(topX >= 0);
            QVERIFY2(std::abs(topX - x) <= 1,
                     qPrintable(QStringLiteral("spike at %1, marker at %2").arg(topX).arg(x)));
        }
    }

    void staleDataIsSaid() {
        auto view = makeView();
        view->addChart(QStringLiteral("queue_depth"));
        QVERIFY(view->staleBanner()->isHidden());
        m_now += 2 * kMinute; // nothing appended meanwhile
        view->refreshNow();
        QVERIFY(!view->staleBanner()->isHidden());
        QVERIFY2(view->staleBanner()->text().contains(QLatin1String("120 s")),
                 qPrintable(view->staleBanner()->text()));
        view->timeRange()->pause(); // asked for old data: not stale
        view->refreshNow();
        QVERIFY(view->staleBanner()->isHidden());
    }

    // The stream's requests/s alone (what every fleet has before the scraper): charted by
    // itself, one line per agent, named after the agent.
    void theRequestRateIsChartedWithoutACatalog() {
        TimeSeriesStore rates;
        for (const char* agent : {"http://127.0.0.1:1", "http://127.0.0.1:2"})
            fill(rates, key("switchboard_requests_per_second", agent), 0, m_now);
        MetricsView view(&rates, m_annotations, nullptr, [this] { return m_now; });
        view.resize(1000, 700);
        QCOMPARE(view.charts().size(), 1);
        MetricChart* chart = view.charts().front();
        QCOMPARE(chart->info().unitSuffix(), QStringLiteral("/s"));
        QCOMPARE(chart->data().lines().size(), 2);
        QCOMPARE(chart->data().lines().at(1).name, QStringLiteral("agent=http://127.0.0.1:2"));
    }

    // Many series: the legend stays readable ("+N more") and repaint reads the store once.
    void manySeriesKeepALegendOfWhatFits() {
        TimeSeriesStore many;
        for (int i = 0; i < 60; ++i)
            for (qint64 t = m_now - kMinute; t <= m_now; t += 1000)
                many.append(SeriesKey(QStringLiteral("wide"), {{"agent", QString::number(i)}}), t,
                            i);
        MetricsView view(&many, m_annotations, nullptr, [this] { return m_now; });
        view.resize(1300, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        MetricChart* chart = view.addChart(QStringLiteral("wide"));
        QCOMPARE(chart->data().lines().size(), 60);
        // 60 lines on this plot: one min/max pair per 2 px would pass the point budget, so a
        // line gets fewer columns (never under one pair per 4 px).
        const int width = static_cast<int>(chart->mapping().plot.width());
        QCOMPARE(MetricChartLines::columnsFor(width, 60),
                 std::max(width / 4, MetricChartLines::kPointBudget / 120));
        QCOMPARE(MetricChartLines::columnsFor(width, 2), width / 2);
        QCOMPARE(MetricChartLines::columnsFor(width, 1000), width / 4);
        QVERIFY(!chart->refresh()); // nothing moved: nothing read
        many.append(SeriesKey(QStringLiteral("wide"), {{"agent", "0"}}), m_now + 1, 1);
        QVERIFY(chart->refresh());
        gui_test::saveScreenshot(view, QStringLiteral("metrics-many-series-test.png"));
    }

    // Adding a chart asks for its history once the view has settled: one signal, however many
    // layout passes the new chart causes, with the chart, the visible range and the plot width.
    void historyIsWantedOnceAfterAChartIsAdded() {
        auto view = makeView();
        QSignalSpy wanted(view.get(), &MetricsView::historyWanted);
        QTest::qWait(MetricsView::kHistoryDebounceMs + 100);
        QVERIFY(wanted.isEmpty()); // no charts: nothing to ask for
        view->addChart(QStringLiteral("http_requests_total"),
                       LabelFilter::parse(QStringLiteral("agent=b")));
        QVERIFY(wanted.isEmpty()); // debounced
        QVERIFY(wanted.wait(1000));
        QTest::qWait(MetricsView::kHistoryDebounceMs + 100);
        QCOMPARE(wanted.size(), 1);
        const auto charts = wanted.first().at(0).value<QList<ChartRequest>>();
        QCOMPARE(charts.size(), 1);
        QCOMPARE(charts.first().info.name, QStringLiteral("http_requests_total"));
        QCOMPARE(charts.first().info.storedAs, MetricInfo::StoredAs::RatePerSecond);
        QCOMPARE(charts.first().filter.text(), QStringLiteral("agent=\"b\""));
        const MetricsTimeRange::Range range = view->timeRange()->visible();
        QCOMPARE(wanted.first().at(1).toLongLong(), range.fromMs);
        QCOMPARE(wanted.first().at(2).toLongLong(), range.toMs);
        const int width = wanted.first().at(3).toInt();
        QCOMPARE(width, view->plotWidth());
        QVERIFY2(width > 300 && width < 1300, qPrintable(QString::number(width)));
    }

    // Range changes in a burst (a preset, then a zoom) make one request for the final range;
    // a narrower window (the splitter dragged) asks again with the new width.
    void rangeAndWidthChangesAskAgainDebounced() {
        auto view = makeView();
        view->addChart(QStringLiteral("queue_depth"));
        QSignalSpy wanted(view.get(), &MetricsView::historyWanted);
        QVERIFY(wanted.wait(1000)); // the chart's own request
        wanted.clear();
        view->timeRange()->setWindow(5 * kMinute);
        view->timeRange()->zoomTo({m_now - 2 * kMinute, m_now - kMinute});
        QVERIFY(wanted.wait(1000));
        QTest::qWait(MetricsView::kHistoryDebounceMs + 100);
        QCOMPARE(wanted.size(), 1);
        QCOMPARE(wanted.first().at(1).toLongLong(), m_now - 2 * kMinute);
        QCOMPARE(wanted.first().at(2).toLongLong(), m_now - kMinute);
        const int wide = wanted.first().at(3).toInt();

        wanted.clear();
        view->resize(900, 900);
        QVERIFY(wanted.wait(1000));
        QVERIFY2(
            wanted.last().at(3).toInt() < wide,
            qPrintable(QStringLiteral("%1 then %2").arg(wide).arg(wanted.last().at(3).toInt())));
    }

    void historyErrorsShowAndClear() {
        auto view = makeView();
        ErrorBanner* banner = view->historyErrorBanner();
        QVERIFY(!banner->isVisible());
        const QString sentence = QStringLiteral("Prometheus cannot be reached: Connection refused");
        view->showHistoryError(sentence);
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->message().contains(sentence), qPrintable(banner->message()));
        // A live reload failing the same way again does not pile up messages.
        view->showHistoryError(sentence);
        QCOMPARE(banner->messageCount(), 1);
        // The next load succeeds: the banner goes.
        view->clearHistoryError();
        QVERIFY(!banner->isVisible());
        view->showHistoryError(sentence);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->messageCount(), 1);
    }

    // The wiring docs/metrics.md shows, against a stand-in Prometheus answering a real capture:
    // a chart added asks, PrometheusHistory loads, the chart draws the agent's series; a
    // refused query shows on the banner, and the next good load clears it.
    void prometheusHistoryFillsTheCharts() {
        bool refuse = false;
        FakeHttpAgent prometheus;
        QVERIFY(prometheus.listen());
        prometheus.setHandler([&refuse](const HttpExchange&) {
            QFile file(QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/data/prometheus-api/%1")
                           .arg(refuse ? QStringLiteral("error_bad_data.json")
                                       : QStringLiteral("query_range_requests.json")));
            file.open(QIODevice::ReadOnly);
            return HttpAnswer{HttpAnswer::Kind::Reply, refuse ? 400 : 200, file.readAll(), {}};
        });
        PrometheusSource source(prometheus.url());
        PrometheusHistory history(&source, m_store);
        const QString agent = QStringLiteral("http://127.0.0.1:7464");
        history.setAgents({{QStringLiteral("demo-1"), agent}});
        history.setTargetLabelNames({QStringLiteral("region")});
        m_now = 1'795'499'650'000; // the capture's last point
        auto view = makeView();
        connect(view.get(), &MetricsView::historyWanted, &history, &PrometheusHistory::load);
        connect(&history, &PrometheusHistory::loaded, view.get(), &MetricsView::clearHistoryError);
        connect(&history, &PrometheusHistory::failed, view.get(), &MetricsView::showHistoryError);
        QSignalSpy loaded(&history, &PrometheusHistory::loaded);

        MetricChart* chart = view->addChart({QStringLiteral("switchboard_requests_total"),
                                             QStringLiteral("counter"),
                                             {},
                                             MetricInfo::StoredAs::RatePerSecond});
        QVERIFY(loaded.wait(3000));
        view->refreshNow();
        QCOMPARE(chart->data().lines().size(), 6); // one per route
        for (const ChartLine& line : chart->data().lines())
            QCOMPARE(line.key.label(QStringLiteral("agent")), agent);

        refuse = true;
        QSignalSpy failed(&history, &PrometheusHistory::failed);
        view->timeRange()->setWindow(15 * kMinute);
        QVERIFY(failed.wait(3000));
        QVERIFY(view->historyErrorBanner()->isVisible());
        QVERIFY2(view->historyErrorBanner()->message().contains(QLatin1String("bad_data")),
                 qPrintable(view->historyErrorBanner()->message()));
        refuse = false;
        view->timeRange()->setWindow(5 * kMinute);
        QVERIFY(loaded.wait(3000));
        QVERIFY(!view->historyErrorBanner()->isVisible());
        QCOMPARE(chart->data().lines().size(), 6);
    }
};

QTEST_MAIN(TstMetricsView)
#include "tst_metrics_view.moc"
