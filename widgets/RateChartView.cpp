#include "RateChartView.h"

#include "AgentSeries.h"
#include "ChartStyle.h"
#include "FleetModel.h"
#include "TimeSeriesStore.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {

// 300 ms: fast enough to look live, slow enough that a fleet's events share one repaint.
constexpr int kCoalesceMs = 300;

} // namespace

RateChartView::RateChartView(const FleetModel* fleet, const TimeSeriesStore* store, QWidget* parent)
    // The chart goes in through the constructor: setChart() would orphan the default chart
    // QChartView(parent) makes, and nothing would delete it.
    : QChartView(new QChart, parent)
    , m_fleet(fleet)
    , m_store(store)
    , m_chart(chart())
    , m_timeAxis(new QDateTimeAxis)
    , m_rateAxis(new QValueAxis) {
    m_chart->setTitle(tr("Requests per second"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(8, 8, 8, 8));
    m_timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    m_timeAxis->setTitleText(tr("Time"));
    m_timeAxis->setTickCount(6);
    m_rateAxis->setTitleText(tr("requests/s"));
    m_rateAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_rateAxis->setRange(0, 10);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rateAxis, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(260);

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &RateChartView::refreshNow);
    // The time axis keeps moving while agents are silent, so a stopped line is visible as such.
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &RateChartView::scheduleRefresh);
    m_clock.start();

    connect(m_fleet, &QAbstractItemModel::rowsInserted, this, &RateChartView::scheduleRefresh);
    connect(m_fleet, &QAbstractItemModel::rowsRemoved, this, &RateChartView::scheduleRefresh);
    connect(m_fleet, &QAbstractItemModel::modelReset, this, &RateChartView::scheduleRefresh);
    connect(m_fleet, &QAbstractItemModel::dataChanged, this, &RateChartView::scheduleRefresh);
    setTheme(Theme::load(Theme::Kind::Light));
}

void RateChartView::setTheme(const Theme& theme) {
    m_lineWidth = theme.lineWidth(2.0);
    applyChartStyle(m_chart, theme, font());
    // A chart theme resets pens; wider lines read better on a wall screen.
    for (QLineSeries* line : std::as_const(m_series)) {
        QPen pen = line->pen();
        pen.setWidthF(m_lineWidth);
        line->setPen(pen);
    }
}

void RateChartView::setLiveUpdates(bool live) {
    m_live = live;
    if (live) {
        m_clock.start();
        scheduleRefresh();
    } else {
        m_clock.stop();
        m_coalesce.stop();
    }
}

void RateChartView::scheduleRefresh() {
    if (m_live && !m_coalesce.isActive())
        m_coalesce.start();
}

QStringList RateChartView::chartedAgents() const {
    const QStringList ids = m_fleet->agentIds();
    if (ids.size() <= kMaxLines)
        return ids;
    // The busiest agents by their latest rate: a fleet of hundreds as hundreds of lines is a
    // smear, and the table and the per-region rows below carry the rest.
    QList<QPair<double, QString>> byRate;
    byRate.reserve(ids.size());
    for (const QString& id : ids) {
        const QModelIndex row = m_fleet->index(m_fleet->rowOfAgent(id), 0);
        byRate.append({row.data(FleetModel::RatePerSecondRole).toDouble(), id});
    }
    std::partial_sort(byRate.begin(), byRate.begin() + kMaxLines, byRate.end(),
                      [](const auto& a, const auto& b) {
                          return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    QStringList top;
    for (int i = 0; i < kMaxLines; ++i)
        top.append(byRate.at(i).second);
    return top;
}

void RateChartView::syncSeries() {
    const QStringList all = m_fleet->agentIds();
    const QStringList ids = chartedAgents();
    const QString title =
        ids.size() < all.size()
            ? tr("Requests per second: the %1 busiest of %2 agents").arg(ids.size()).arg(all.size())
            : tr("Requests per second");
    if (m_chart->title() != title)
        m_chart->setTitle(title);
    bool changed = false;
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!ids.contains(it.key())) {
            m_chart->removeSeries(it.value());
            delete it.value();
            it = m_series.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    for (const QString& id : ids) {
        QLineSeries* line = m_series.value(id);
        if (!line) {
            line = new QLineSeries(this);
            m_chart->addSeries(line);
            line->attachAxis(m_timeAxis);
            line->attachAxis(m_rateAxis);
            QPen pen = line->pen();
            pen.setWidthF(m_lineWidth);
            line->setPen(pen);
            m_series.insert(id, line);
            changed = true;
        }
        const QString name = m_fleet->displayName(id);
        if (line->name() != name)
            line->setName(name);
    }
    if (changed) {
        // Qt Charts 6.4 leaves an axis unlaid (no labels, no grid) when series come or go after
        // the chart was first shown; taking the axes out and back in makes it lay them out anew.
        for (QAbstractAxis* axis :
             {static_cast<QAbstractAxis*>(m_timeAxis), static_cast<QAbstractAxis*>(m_rateAxis)})
            m_chart->removeAxis(axis);
        m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
        m_chart->addAxis(m_rateAxis, Qt::AlignLeft);
        for (QLineSeries* line : std::as_const(m_series)) {
            line->attachAxis(m_timeAxis);
            line->attachAxis(m_rateAxis);
        }
    }
}

void RateChartView::refreshNow() {
    m_coalesce.stop();
    syncSeries();

    const qint64 now = std::max(QDateTime::currentMSecsSinceEpoch(), m_store->latestTimeMs());
    const qint64 from = now - m_window.count();
    // Columns available to the lines: one min/max pair per pixel is all a screen can show.
    const int buckets = std::max(50, static_cast<int>(m_chart->plotArea().width()));
    qint64 oldest = now;
    double highest = 0.0;
    for (auto it = m_series.cbegin(); it != m_series.cend(); ++it) {
        const QList<SeriesPoint> points =
            m_store->decimated(requestRateSeries(it.key()), from, now, buckets);
        QList<QPointF> xy;
        xy.reserve(points.size());
        for (const SeriesPoint& point : points) {
            xy.append(QPointF(static_cast<qreal>(point.timeMs), point.value));
            highest = std::max(highest, point.value);
        }
        if (!points.isEmpty())
            oldest = std::min(oldest, points.front().timeMs);
        it.value()->replace(xy);
    }

    // The axis starts at the oldest point shown (at most the window back), so a young console
    // fills the width instead of drawing a sliver at the right edge.
    const qint64 start = std::min(oldest, now - 10 * 1000);
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(std::max(start, from)),
                         QDateTime::fromMSecsSinceEpoch(now));
    // From 0, with headroom, to a round number: rates near each other stay comparable.
    const double top = std::max(10.0, highest * 1.15);
    m_rateAxis->setRange(0, top);
    m_rateAxis->setTickCount(6);
    m_rateAxis->applyNiceNumbers();
    if (m_rateAxis->min() < 0)
        m_rateAxis->setMin(0);
}

int RateChartView::seriesCount() const {
    return static_cast<int>(m_series.size());
}

int RateChartView::pointCount(const QString& agentId) const {
    const QLineSeries* line = m_series.value(agentId);
    return line ? line->count() : 0;
}

} // namespace switchboard
