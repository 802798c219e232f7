#include "ReplicationLagChart.h"

#include "ChartStyle.h"
#include "ReplicationModel.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>

namespace switchboard {

namespace {

// As the rate chart: live enough, and a burst of probe reports makes one repaint.
constexpr int kCoalesceMs = 300;

void attach(QLineSeries* line, QDateTimeAxis* time, QValueAxis* lag) {
    line->attachAxis(time);
    line->attachAxis(lag);
}

} // namespace

ReplicationLagChart::ReplicationLagChart(const ReplicationModel* model, QWidget* parent)
    // The chart goes in through the constructor so QChartView's default one is never orphaned.
    : QChartView(new QChart, parent)
    , m_model(model)
    , m_chart(chart())
    , m_timeAxis(new QDateTimeAxis)
    , m_lagAxis(new QValueAxis)
    , m_threshold(new QLineSeries(this)) {
    m_chart->setTitle(tr("Replay lag per replica"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(8, 8, 8, 8));
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTitleText(tr("Time"));
    m_timeAxis->setTickCount(6);
    m_lagAxis->setTitleText(tr("replay lag (s)"));
    m_lagAxis->setLabelFormat(QStringLiteral("%.2f"));
    m_lagAxis->setRange(0, 1);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_lagAxis, Qt::AlignLeft);
    m_chart->addSeries(m_threshold);
    attach(m_threshold, m_timeAxis, m_lagAxis);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(240);

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &ReplicationLagChart::refreshNow);
    // The time axis keeps moving while probes are silent, so a stopped line shows as such.
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &ReplicationLagChart::scheduleRefresh);
    m_clock.start();
    connect(m_model, &ReplicationModel::historyChanged, this,
            &ReplicationLagChart::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ReplicationLagChart::scheduleRefresh);
    setTheme(Theme::load(Theme::Kind::Light));
}

void ReplicationLagChart::setTheme(const Theme& theme) {
    m_lineWidth = theme.lineWidth(2.0);
    applyChartStyle(m_chart, theme, font());
    // A chart theme resets pens: lines wider for a wall screen, the threshold dashed and red so
    // it reads as a limit, not as one more replica.
    for (QLineSeries* line : std::as_const(m_series)) {
        QPen pen = line->pen();
        pen.setWidthF(m_lineWidth);
        line->setPen(pen);
    }
    QPen limit(theme.isDark() ? QColor(QStringLiteral("#ff6b6b"))
                              : QColor(QStringLiteral("#c62828")));
    limit.setStyle(Qt::DashLine);
    limit.setWidthF(theme.lineWidth(2.0));
    m_threshold->setPen(limit);
}

void ReplicationLagChart::scheduleRefresh() {
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void ReplicationLagChart::syncSeries() {
    const QStringList keys = m_model->replicaKeys();
    bool changed = false;
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (keys.contains(it.key())) {
            ++it;
            continue;
        }
        m_chart->removeSeries(it.value());
        delete it.value();
        it = m_series.erase(it);
        changed = true;
    }
    for (const QString& key : keys) {
        if (m_series.contains(key))
            continue;
        auto* line = new QLineSeries(this);
        line->setName(m_model->nodeName(key));
        m_chart->addSeries(line);
        QPen pen = line->pen();
        pen.setWidthF(m_lineWidth);
        line->setPen(pen);
        m_series.insert(key, line);
        changed = true;
    }
    if (changed) {
        // Qt Charts 6.4 leaves axes unlaid when series come after the chart was shown (see
        // RateChartView): take them out and back in.
        m_chart->removeAxis(m_timeAxis);
        m_chart->removeAxis(m_lagAxis);
        m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
        m_chart->addAxis(m_lagAxis, Qt::AlignLeft);
        attach(m_threshold, m_timeAxis, m_lagAxis);
        for (QLineSeries* line : std::as_const(m_series))
            attach(line, m_timeAxis, m_lagAxis);
    }
}

void ReplicationLagChart::refreshNow() {
    m_coalesce.stop();
    syncSeries();

    qint64 latest = 0;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        const RingBuffer<ReplicationModel::LagPoint>* history = m_model->lagHistory(it.key());
        if (history && !history->isEmpty())
            latest = std::max(latest, history->back().timeMs);
    }
    const qint64 now = std::max(QDateTime::currentMSecsSinceEpoch(), latest);
    const qint64 from = now - m_window.count();
    qint64 oldest = now;
    double highest = 0.0;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        QList<QPointF> xy;
        if (const auto* history = m_model->lagHistory(it.key())) {
            xy.reserve(history->size());
            for (qsizetype i = 0; i < history->size(); ++i) {
                const ReplicationModel::LagPoint& point = history->at(i);
                if (point.timeMs < from)
                    continue;
                xy.append(QPointF(static_cast<qreal>(point.timeMs), point.seconds));
                highest = std::max(highest, point.seconds);
                oldest = std::min(oldest, point.timeMs);
            }
        }
        it.value()->replace(xy);
    }

    // As the rate chart: start at the oldest point shown, so a young console fills the width.
    const qint64 start = std::max(std::min(oldest, now - 10 * 1000), from);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(start),
                         QDateTime::fromMSecsSinceEpoch(now));

    const double limit = m_model->maxLagSeconds();
    m_threshold->setVisible(limit >= 0);
    if (limit >= 0) {
        m_threshold->setName(tr("max lag for reads (%1 ms)").arg(qRound(limit * 1000.0)));
        m_threshold->replace(
            {QPointF(static_cast<qreal>(start), limit), QPointF(static_cast<qreal>(now), limit)});
    }
    // From 0 to above both the data and the limit, so the dashed line is always on screen.
    const double top = std::max({0.05, highest * 1.15, limit * 1.5});
    m_lagAxis->setRange(0, top);
    m_lagAxis->setTickCount(6);
    m_lagAxis->applyNiceNumbers();
    if (m_lagAxis->min() < 0)
        m_lagAxis->setMin(0);
}

} // namespace switchboard
