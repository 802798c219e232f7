#include "MetricsView.h"

#include "AgentSeries.h"
#include "ErrorBanner.h"
#include "MetricBrowser.h"
#include "MetricChart.h"
#include "SeriesCsv.h"
#include "StaleBanner.h"
#include "Theme.h"
#include "TimeRangeBar.h"
#include "TimeSeriesStore.h"

#include <QDateTime>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

namespace switchboard {

MetricsView::MetricsView(const TimeSeriesStore* store, const TimelineAnnotations* annotations,
                         QWidget* parent, MetricsTimeRange::Clock now)
    : QWidget(parent)
    , m_store(store)
    , m_annotations(annotations)
    , m_range(now ? std::move(now) : MetricsTimeRange::Clock([store] {
        return std::max(QDateTime::currentMSecsSinceEpoch(), store->latestTimeMs());
    }))
    , m_browser(new MetricBrowser(store, this))
    , m_rangeBar(new TimeRangeBar(&m_range, this))
    , m_stale(new StaleBanner(QStringLiteral("metricsStaleBanner"), this))
    , m_exportError(new ErrorBanner(this))
    , m_historyError(new ErrorBanner(this))
    , m_emptyHint(new QLabel(this))
    , m_scroll(new QScrollArea(this))
    , m_chartArea(new QWidget)
    , m_chartLayout(new QVBoxLayout(m_chartArea)) {
    setObjectName(QStringLiteral("metricsView"));
    m_emptyHint->setObjectName(QStringLiteral("metricsEmptyHint"));
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setText(tr("No charts yet. Pick a metric on the left (double-click or Add chart); "
                            "a label filter such as agent=… narrows the series it shows."));
    m_chartLayout->setContentsMargins(0, 0, 0, 0);
    m_chartLayout->setSpacing(6);
    m_chartLayout->addWidget(m_emptyHint, 1);
    m_scroll->setObjectName(QStringLiteral("metricCharts"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_chartArea);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_rangeBar);
    rightLayout->addWidget(m_stale);
    rightLayout->addWidget(m_exportError);
    rightLayout->addWidget(m_historyError);
    rightLayout->addWidget(m_scroll, 1);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_browser);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({300, 1000});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_browser, &MetricBrowser::metricChosen, this,
            [this](const MetricInfo& info, const LabelFilter& filter) {
                m_chartChosen = true;
                addChart(info, filter);
            });
    connect(&m_range, &MetricsTimeRange::changed, this, &MetricsView::refreshNow);
    connect(m_rangeBar, &TimeRangeBar::exportPngRequested, this,
            [this] { exportWithDialog(true); });
    connect(m_rangeBar, &TimeRangeBar::exportCsvRequested, this,
            [this] { exportWithDialog(false); });
    // Once a second: the time axis moves while live, and new points arrive at about that pace.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &MetricsView::refreshNow);
    m_tick.start();

    m_historyError->setObjectName(QStringLiteral("metricsHistoryError"));
    m_historyDebounce.setSingleShot(true);
    m_historyDebounce.setInterval(kHistoryDebounceMs);
    connect(&m_historyDebounce, &QTimer::timeout, this, &MetricsView::emitHistoryWanted);
    connect(&m_range, &MetricsTimeRange::changed, this, &MetricsView::wantHistory);
    // The charts' width follows the scroll area's viewport (a window resize, the splitter).
    m_scroll->viewport()->installEventFilter(this);
    m_historyReload.setInterval(kHistoryReloadMs);
    connect(&m_historyReload, &QTimer::timeout, this, [this] {
        if (m_range.isLive())
            emitHistoryWanted();
    });
    m_historyReload.start();
    refreshNow();
}

bool MetricsView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_scroll->viewport() && event->type() == QEvent::Resize)
        wantHistory();
    return QWidget::eventFilter(watched, event);
}

QList<ChartRequest> MetricsView::chartRequests() const {
    QList<ChartRequest> requests;
    requests.reserve(m_charts.size());
    for (const MetricChart* chart : m_charts)
        requests.append({chart->info(), chart->data().filter()});
    return requests;
}

int MetricsView::plotWidth() const {
    int width = 1;
    for (const MetricChart* chart : m_charts)
        width = std::max(width, static_cast<int>(chart->mapping().plot.width()));
    return width;
}

void MetricsView::wantHistory() {
    m_historyDebounce.start(); // restarts: one emission once the changes stop
}

void MetricsView::emitHistoryWanted() {
    m_historyDebounce.stop();
    if (m_charts.isEmpty())
        return;
    const MetricsTimeRange::Range range = m_range.visible();
    emit historyWanted(chartRequests(), range.fromMs, range.toMs, plotWidth());
}

void MetricsView::showHistoryError(const QString& sentence) {
    if (sentence == m_historyErrorShown)
        return;
    m_historyErrorShown = sentence;
    m_historyError->showMessage(
        tr("The charts' history could not be loaded: %1. They show what was loaded before; "
           "while live it is asked again every few seconds.")
            .arg(sentence));
}

void MetricsView::clearHistoryError() {
    m_historyErrorShown.clear();
    if (m_historyError->isVisible() || m_historyError->messageCount() > 0)
        m_historyError->dismiss();
}

QLabel* MetricsView::staleBanner() const {
    return m_stale;
}

void MetricsView::setCatalog(const QList<MetricInfo>& catalog) {
    m_browser->setCatalog(catalog);
    bool changed = false;
    for (MetricChart* chart : std::as_const(m_charts)) {
        const MetricInfo info = m_browser->info(chart->info().name);
        changed = changed || !(info == chart->info());
        chart->setInfo(info);
    }
    // A chart of a counter the catalog now names a rate is asked again, as a rate.
    if (changed)
        wantHistory();
}

void MetricsView::setTheme(const Theme& theme) {
    m_stale->setTheme(theme);
    for (MetricChart* chart : std::as_const(m_charts))
        chart->setTheme(theme);
}

void MetricsView::setValueNamer(LabelValueNamer namer) {
    m_namer = std::move(namer);
    for (MetricChart* chart : std::as_const(m_charts))
        chart->setValueNamer(m_namer);
}

MetricChart* MetricsView::addChart(const QString& metricName, const LabelFilter& filter) {
    return addChart(m_browser->info(metricName), filter);
}

MetricChart* MetricsView::addChart(const MetricInfo& info, const LabelFilter& filter) {
    auto* chart = new MetricChart(m_store, &m_range, m_annotations, info, filter, m_chartArea);
    m_charts.append(chart);
    chart->setValueNamer(m_namer);
    m_chartLayout->addWidget(chart, 1);
    // A layout shows a new child of a visible parent only later (queued): show it now, so it
    // lays out and reads the store at its real width at once.
    chart->show();
    connect(chart, &MetricChart::crosshairMoved, this,
            [this](qint64 timeMs) { setCrosshair(timeMs); });
    connect(chart, &MetricChart::crosshairLeft, this, [this] { setCrosshair(std::nullopt); });
    connect(chart, &MetricChart::closeRequested, this, [this, chart] {
        m_chartChosen = true;
        removeChart(chart);
    });
    updateEmptyHint();
    // Lay the chart out now, so its first read of the store is for its real width.
    m_chartLayout->activate();
    chart->refresh();
    updateStale();
    wantHistory();
    return chart;
}

void MetricsView::removeChart(MetricChart* chart) {
    if (!m_charts.removeOne(chart))
        return;
    chart->hide();
    chart->deleteLater();
    updateEmptyHint();
    updateStale();
    wantHistory();
}

void MetricsView::updateEmptyHint() {
    m_emptyHint->setVisible(m_charts.isEmpty());
}

void MetricsView::refreshNow() {
    if (m_browserRevision != m_store->revision()) {
        m_browserRevision = m_store->revision();
        m_browser->refresh();
    }
    // The first data of a fleet: its request rate, until the operator picks charts of his own.
    const QString rate = requestRateSeries(QString()).metricName();
    if (!m_chartChosen && m_charts.isEmpty() && !m_store->seriesOf(rate).isEmpty())
        addChart(rate);
    for (MetricChart* chart : std::as_const(m_charts))
        chart->refresh();
    updateStale();
}

void MetricsView::setCrosshair(std::optional<qint64> timeMs) {
    for (MetricChart* chart : std::as_const(m_charts))
        chart->setCrosshair(timeMs);
}

void MetricsView::updateStale() {
    qint64 newest = 0;
    bool any = false;
    for (const MetricChart* chart : std::as_const(m_charts)) {
        any = any || !chart->data().lines().isEmpty();
        newest = std::max(newest, chart->data().newestMs());
    }
    // Paused or zoomed, old points are what was asked for; live, they mean silence.
    const qint64 age = m_range.now() - newest;
    const bool stale = any && m_range.isLive() && newest > 0 && age > kStaleAfterMs;
    if (stale)
        m_stale->setText(
            tr("Stale: the newest point shown is %1 s old (at %2). The agents may have stopped "
               "reporting; check the Overview's connections.")
                .arg(age / 1000)
                .arg(QDateTime::fromMSecsSinceEpoch(newest).toString(QStringLiteral("HH:mm:ss"))));
    m_stale->setVisible(stale);
}

QImage MetricsView::renderCharts() const {
    return m_chartArea->grab().toImage();
}

bool MetricsView::exportPng(const QString& path, QString* error) const {
    const QImage image = renderCharts();
    if (!image.isNull() && image.save(path, "PNG"))
        return true;
    if (error)
        *error = tr("Could not write %1").arg(path);
    return false;
}

QString MetricsView::csv() const {
    QList<SeriesKey> keys;
    for (const MetricChart* chart : m_charts)
        for (const ChartLine& line : chart->data().lines())
            if (!keys.contains(line.key))
                keys.append(line.key);
    const MetricsTimeRange::Range range = m_range.visible();
    return seriesCsv(*m_store, keys, range.fromMs, range.toMs);
}

bool MetricsView::exportCsv(const QString& path, QString* error) const {
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) &&
        file.write(csv().toUtf8()) >= 0 && file.flush())
        return true;
    if (error)
        *error = tr("Could not write %1: %2").arg(path, file.errorString());
    return false;
}

void MetricsView::exportWithDialog(bool png) {
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString path = QFileDialog::getSaveFileName(
        this, png ? tr("Export charts as PNG") : tr("Export visible data as CSV"),
        QStringLiteral("metrics-%1.%2")
            .arg(stamp, png ? QStringLiteral("png") : QStringLiteral("csv")),
        png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!(png ? exportPng(path, &error) : exportCsv(path, &error)))
        m_exportError->showMessage(error);
}

} // namespace switchboard
