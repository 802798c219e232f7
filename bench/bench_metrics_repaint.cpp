// Issue 9: a repaint of the Metrics view's chart with 100 series x 3600 points (1 h at 1 Hz),
// offscreen. Each frame appends a point to every series (the data moves, so nothing is skipped),
// then refreshes the chart (the store's decimated view, one min/max pair per pixel column) and
// repaints it synchronously; the time of both is the frame. The same frames are then drawn by a
// Qt Charts QChartView fed the same decimated points (QXYSeries::replace), the measurement that
// chose QPainter for MetricChart.
//
//   bench_metrics_repaint [frames] [series] [qtcharts frames]      (defaults 200 100 50)
// Goal: MetricChart's p99 <= 16 ms a frame. Exits 1 when missed.
#include "LabelFilter.h"
#include "MetricChart.h"
#include "MetricsTimeRange.h"
#include "TimeSeriesStore.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace switchboard;
using Clock = std::chrono::steady_clock;

namespace {

constexpr qint64 kStartMs = 1'795'000'000'000;
constexpr int kPoints = 3600;
constexpr double kGoalMs = 16.0;
const QSize kChartSize(1280, 480);

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p / 100.0 * values.size()))];
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

SeriesKey seriesKey(int index) {
    return SeriesKey(
        QStringLiteral("bench_rate"),
        {{QStringLiteral("agent"), QStringLiteral("agent-%1").arg(index, 3, 10, QChar(u'0'))}});
}

// A wave per series, different phases, so lines cross and decimation keeps real min/max pairs.
double valueAt(int series, qint64 second) {
    return 100.0 + 50.0 * std::sin(second / 60.0 + series) + (second * 7919 % 13);
}

void appendFrame(TimeSeriesStore& store, int series, qint64 second) {
    for (int s = 0; s < series; ++s)
        store.append(seriesKey(s), kStartMs + second * 1000, valueAt(s, second));
}

void report(const char* what, const std::vector<double>& frames, int points) {
    std::printf("%-28s frames %4zu  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%d points drawn)\n",
                what, frames.size(), percentile(frames, 50), percentile(frames, 99),
                percentile(frames, 100), points);
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int frames = argc > 1 ? std::atoi(argv[1]) : 200;
    const int series = argc > 2 ? std::atoi(argv[2]) : 100;
    const int chartsFrames = argc > 3 ? std::atoi(argv[3]) : 50;

    TimeSeriesStore store;
    for (qint64 second = 0; second < kPoints; ++second)
        appendFrame(store, series, second);
    qint64 second = kPoints;
    MetricsTimeRange range([&second] { return kStartMs + (second - 1) * 1000; });
    range.setWindow(3600 * 1000);

    // MetricChart: what the Metrics view draws.
    std::vector<double> times;
    std::vector<double> reads; // of which reading the store (decimated)
    int drawn = 0;
    {
        MetricChart chart(&store, &range, nullptr,
                          {QStringLiteral("bench_rate"),
                           QStringLiteral("gauge"),
                           {},
                           MetricInfo::StoredAs::RatePerSecond},
                          {});
        chart.resize(kChartSize);
        chart.show();
        QCoreApplication::processEvents();
        for (int frame = 0; frame < frames; ++frame, ++second) {
            appendFrame(store, series, second);
            const auto start = Clock::now();
            chart.refresh();
            reads.push_back(msSince(start));
            chart.repaint();
            times.push_back(msSince(start));
        }
        drawn = chart.data().pointCount();
        std::printf("series %d x %d points, chart %dx%d (plot %d px wide)\n", series, kPoints,
                    kChartSize.width(), kChartSize.height(),
                    static_cast<int>(chart.mapping().plot.width()));
        report("MetricChart (QPainter)", times, drawn);
        report("  of which the store's read", reads, drawn);
    }

    // Qt Charts with the same decimated points: the alternative measured.
    std::vector<double> chartsTimes;
    if (chartsFrames > 0) {
        auto* qchart = new QChart;
        QChartView view(qchart);
        view.resize(kChartSize);
        auto* timeAxis = new QDateTimeAxis;
        auto* valueAxis = new QValueAxis;
        qchart->addAxis(timeAxis, Qt::AlignBottom);
        qchart->addAxis(valueAxis, Qt::AlignLeft);
        valueAxis->setRange(0, 220);
        std::vector<QLineSeries*> lines;
        for (int s = 0; s < series; ++s) {
            auto* line = new QLineSeries;
            line->setName(seriesKey(s).canonical());
            qchart->addSeries(line);
            line->attachAxis(timeAxis);
            line->attachAxis(valueAxis);
            lines.push_back(line);
        }
        qchart->legend()->hide();
        view.show();
        QCoreApplication::processEvents();
        for (int frame = 0; frame < chartsFrames; ++frame, ++second) {
            appendFrame(store, series, second);
            const auto start = Clock::now();
            const MetricsTimeRange::Range shown = range.visible();
            const int columns = std::max(1, static_cast<int>(qchart->plotArea().width()));
            int points = 0;
            for (int s = 0; s < series; ++s) {
                QList<QPointF> xy;
                for (const SeriesPoint& point :
                     store.decimated(seriesKey(s), shown.fromMs, shown.toMs, columns))
                    xy.append(QPointF(static_cast<qreal>(point.timeMs), point.value));
                points += static_cast<int>(xy.size());
                lines[static_cast<size_t>(s)]->replace(xy);
            }
            timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(shown.fromMs),
                               QDateTime::fromMSecsSinceEpoch(shown.toMs));
            view.repaint();
            chartsTimes.push_back(msSince(start));
            drawn = points;
        }
        report("QChartView (Qt Charts)", chartsTimes, drawn);
    }

    const double p99 = percentile(times, 99);
    const bool met = p99 <= kGoalMs;
    std::printf("goal MetricChart p99 <= %.0f ms: %s (%.2f ms)\n", kGoalMs, met ? "met" : "MISSED",
                p99);
    return met ? 0 : 1;
}
