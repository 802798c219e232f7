#include "CacheHitRateChart.h"

#include "CacheModel.h"
#include "ChartStyle.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

namespace switchboard {

namespace {

// As the other charts: live enough, and a burst of reports makes one repaint.
constexpr int kCoalesceMs = 300;

QPen linePen(const QColor& color, qreal width, Qt::PenStyle style = Qt::SolidLine) {
    QPen pen(color);
    pen.setWidthF(width);
    pen.setStyle(style);
    return pen;
}

} // namespace

CacheHitRateChart::CacheHitRateChart(const CacheModel* model, QWidget* parent)
    // The chart goes in through the constructor so QChartView's default one is never orphaned.
    : QChartView(new QChart, parent)
    , m_model(model)
    , m_chart(chart())
    , m_timeAxis(new QDateTimeAxis)
    , m_rateAxis(new QValueAxis)
    , m_overall(new QLineSeries(this))
    , m_l1(new QLineSeries(this))
    , m_l2(new QLineSeries(this))
    , m_target(new QLineSeries(this)) {
    m_chart->setTitle(tr("Hit rate per layer"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(8, 8, 8, 8));
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTitleText(tr("Time"));
    m_timeAxis->setTickCount(6);
    m_rateAxis->setTitleText(tr("hit rate (%)"));
    m_rateAxis->setLabelFormat(QStringLiteral("%d"));
    m_rateAxis->setRange(0, 100);
    m_rateAxis->setTickCount(6);
    m_overall->setName(tr("L1 or L2"));
    m_l1->setName(tr("L1 (in process)"));
    m_l2->setName(tr("L2 (Redis)"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rateAxis, Qt::AlignLeft);
    for (QLineSeries* line : {m_overall, m_l1, m_l2, m_target}) {
        m_chart->addSeries(line);
        line->attachAxis(m_timeAxis);
        line->attachAxis(m_rateAxis);
    }
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(240);

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &CacheHitRateChart::refreshNow);
    // The time axis keeps moving while reports are silent, so a stopped line shows as such.
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &CacheHitRateChart::scheduleRefresh);
    m_clock.start();
    connect(m_model, &CacheModel::historyChanged, this, &CacheHitRateChart::scheduleRefresh);
    connect(m_model, &CacheModel::cacheChanged, this, &CacheHitRateChart::scheduleRefresh);
    setTheme(Theme::load(Theme::Kind::Light));
    refreshNow();
}

QLineSeries* CacheHitRateChart::series(Layer layer) const {
    switch (layer) {
    case Layer::Overall:
        return m_overall;
    case Layer::L1:
        return m_l1;
    case Layer::L2:
        return m_l2;
    }
    return nullptr;
}

void CacheHitRateChart::setTheme(const Theme& theme) {
    applyChartStyle(m_chart, theme, font());
    // A chart theme resets pens. The combined rate is the one that meets the target: widest.
    // The layers thinner, L2 dotted so it reads apart from L1 in grey print too.
    const bool dark = theme.isDark();
    m_overall->setPen(linePen(QColor(dark ? "#6cb4ff" : "#1565c0"), theme.lineWidth(3.0)));
    m_l1->setPen(linePen(QColor(dark ? "#7bd88f" : "#2e7d32"), theme.lineWidth(1.8)));
    m_l2->setPen(linePen(QColor(dark ? "#d7a6ff" : "#7b1fa2"), theme.lineWidth(1.8), Qt::DotLine));
    m_target->setPen(
        linePen(QColor(dark ? "#ff6b6b" : "#c62828"), theme.lineWidth(2.0), Qt::DashLine));
}

void CacheHitRateChart::scheduleRefresh() {
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void CacheHitRateChart::refreshNow() {
    m_coalesce.stop();
    const RingBuffer<CacheHitRatePoint>* history = m_model->history(m_model->currentTarget());
    const qint64 latest = history && !history->isEmpty() ? history->back().timeMs : 0;
    const qint64 now = std::max(QDateTime::currentMSecsSinceEpoch(), latest);
    const qint64 from = now - m_window.count();
    qint64 oldest = now;
    QList<QPointF> overall;
    QList<QPointF> l1;
    QList<QPointF> l2;
    if (history) {
        overall.reserve(history->size());
        for (qsizetype i = 0; i < history->size(); ++i) {
            const CacheHitRatePoint& point = history->at(i);
            if (point.timeMs < from)
                continue;
            const auto x = static_cast<qreal>(point.timeMs);
            // An interval without gets has no rate: the line skips it rather than drop to 0.
            if (point.hitRate >= 0)
                overall.append(QPointF(x, point.hitRate));
            if (point.l1HitRate >= 0)
                l1.append(QPointF(x, point.l1HitRate));
            if (point.l2HitRate >= 0)
                l2.append(QPointF(x, point.l2HitRate));
            oldest = std::min(oldest, point.timeMs);
        }
    }
    m_overall->replace(overall);
    m_l1->replace(l1);
    m_l2->replace(l2);

    // As the rate chart: start at the oldest point shown, so a young console fills the width.
    const qint64 start = std::max(std::min(oldest, now - 10 * 1000), from);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(start),
                         QDateTime::fromMSecsSinceEpoch(now));

    const double target = m_model->current().targetHitRate;
    m_target->setVisible(target >= 0);
    if (target >= 0) {
        m_target->setName(tr("target (%1 %)").arg(target, 0, 'f', 0));
        m_target->replace(
            {QPointF(static_cast<qreal>(start), target), QPointF(static_cast<qreal>(now), target)});
    }
    // Percentages: always 0 to 100, so a fall is seen at its true size.
    m_rateAxis->setRange(0, 100);
}

} // namespace switchboard
