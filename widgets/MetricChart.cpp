#include "MetricChart.h"

#include "ChartTicks.h"
#include "Theme.h"
#include "TimelineAnnotations.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {

constexpr int kTitleHeight = 24;
constexpr int kFlagRow = 16;
constexpr int kAxisWidth = 64;
constexpr int kTimeAxisHeight = 22;
// The crosshair names a line's value when a point lies this many pixels' time either side.
constexpr int kCrosshairReachPx = 12;

} // namespace

MetricChart::MetricChart(const TimeSeriesStore* store, MetricsTimeRange* range,
                         const TimelineAnnotations* annotations, const MetricInfo& info,
                         const LabelFilter& filter, QWidget* parent)
    : QWidget(parent)
    , m_range(range)
    , m_annotations(annotations)
    , m_info(info)
    , m_lines(store, info.name, filter)
    , m_close(new QToolButton(this)) {
    setObjectName(QStringLiteral("metricChart"));
    setMouseTracking(true);
    setMinimumHeight(190); // three fit a laptop's tab without scrolling
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_close->setObjectName(QStringLiteral("removeChart"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Remove this chart"));
    m_close->setAutoRaise(true);
    connect(m_close, &QToolButton::clicked, this, &MetricChart::closeRequested);
    setTheme(Theme::load(Theme::Kind::Light));
}

void MetricChart::setTheme(const Theme& theme) {
    m_colors = ChartColors::from(theme);
    update();
}

void MetricChart::setInfo(const MetricInfo& info) {
    m_info = info;
    update();
}

void MetricChart::setValueNamer(LabelValueNamer namer) {
    m_lines.setValueNamer(std::move(namer));
    refresh();
}

QString MetricChart::title() const {
    QString text = m_info.name;
    if (!m_info.unitSuffix().isEmpty())
        text += QStringLiteral(" (%1)").arg(m_info.unitSuffix());
    if (!m_lines.filter().isEmpty())
        text += QStringLiteral("  {%1}").arg(m_lines.filter().text());
    return text;
}

QRect MetricChart::legendRect() const {
    const int width = std::clamp(this->width() / 4, 160, 340);
    return QRect(this->width() - width, kTitleHeight + kFlagRow, width - 6,
                 height() - kTitleHeight - kFlagRow - kTimeAxisHeight);
}

QRect MetricChart::plotRect() const {
    return QRect(kAxisWidth, kTitleHeight + kFlagRow, legendRect().left() - kAxisWidth - 12,
                 height() - kTitleHeight - kFlagRow - kTimeAxisHeight);
}

std::pair<double, double> MetricChart::valueRange() const {
    const double low = std::min(0.0, m_lines.minValue());
    double high = std::max(m_lines.maxValue(), low + 1e-9);
    if (high <= 0.0 && low == 0.0)
        high = 1.0;
    const ChartTicks::Values ticks = ChartTicks::values(low, high + (high - low) * 0.05, 5);
    return {ticks.low, ticks.high};
}

PlotMapping MetricChart::mapping() const {
    const MetricsTimeRange::Range range = m_range->visible();
    const auto [low, high] = valueRange();
    return PlotMapping{QRectF(plotRect()), range.fromMs, range.toMs, low, high};
}

bool MetricChart::refresh() {
    const bool read = m_lines.update(m_range->visible(), std::max(1, plotRect().width()));
    const quint64 annotations = m_annotations ? m_annotations->revision() : 0;
    if (!read && annotations == m_annotationRevision)
        return false;
    m_annotationRevision = annotations;
    update();
    return true;
}

void MetricChart::setCrosshair(std::optional<qint64> timeMs) {
    if (m_crosshairMs == timeMs)
        return;
    m_crosshairMs = timeMs;
    update();
}

QList<std::pair<const ChartLine*, SeriesPoint>> MetricChart::crosshairValues() const {
    if (!m_crosshairMs)
        return {};
    const PlotMapping map = mapping();
    const qint64 reach =
        std::llround(kCrosshairReachPx * map.spanMs() / std::max(1.0, map.plot.width()));
    return m_lines.valuesAt(*m_crosshairMs, std::max<qint64>(reach, 1000));
}

QList<std::pair<TimelineAnnotation, double>> MetricChart::annotationMarkers() const {
    QList<std::pair<TimelineAnnotation, double>> out;
    if (!m_annotations)
        return out;
    const PlotMapping map = mapping();
    for (const TimelineAnnotation& annotation : m_annotations->between(map.fromMs, map.toMs))
        out.append({annotation, std::round(map.xOf(annotation.timeMs))});
    return out;
}

QList<LegendEntry> MetricChart::legendEntries() const {
    QList<LegendEntry> entries;
    if (m_crosshairMs) {
        // Under the crosshair the highest values come first: with many lines, those are the
        // ones the eye looks for.
        auto values = crosshairValues();
        std::stable_sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
            return a.second.value > b.second.value;
        });
        for (const auto& [line, point] : values)
            entries.append({line->name, line->color,
                            MetricChartPainter::formatValue(point.value) + m_info.unitSuffix()});
        return entries;
    }
    for (const ChartLine& line : m_lines.lines())
        entries.append({line.name, line.color, {}});
    return entries;
}

void MetricChart::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), m_colors.background);
    const PlotMapping map = mapping();
    MetricChartPainter chart(painter, map, m_colors);

    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(m_colors.text);
    painter.drawText(QRect(8, 0, width() - 40, kTitleHeight), Qt::AlignVCenter | Qt::AlignLeft,
                     painter.fontMetrics().elidedText(title(), Qt::ElideRight, width() - 48));
    painter.setFont(font());

    const int maxTicks = std::max(2, static_cast<int>(map.plot.width() / 90));
    chart.axes(m_info.unitSuffix(),
               ChartTicks::timeStepMs(static_cast<qint64>(map.spanMs()), maxTicks));
    chart.lines(m_lines.lines());
    if (m_annotations)
        chart.annotations(m_annotations->between(map.fromMs, map.toMs));
    if (m_crosshairMs)
        chart.crosshair(*m_crosshairMs);
    if (m_dragStart && m_band) {
        const int left = std::min(m_dragStart->x(), m_bandX);
        QColor band = m_colors.text;
        band.setAlpha(40);
        painter.fillRect(QRect(left, plotRect().top(), std::abs(m_bandX - m_dragStart->x()),
                               plotRect().height()),
                         band);
    }
    if (m_lines.lines().isEmpty()) {
        painter.setPen(m_colors.muted);
        painter.drawText(plotRect(), Qt::AlignCenter, tr("No series of %1 match").arg(m_info.name));
    }
    chart.legend(legendRect(), legendEntries(), kMaxLegendRows);
}

void MetricChart::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_close->setGeometry(width() - 28, 2, 24, 20);
    refresh();
}

void MetricChart::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !plotRect().contains(event->position().toPoint()))
        return QWidget::mousePressEvent(event);
    m_dragStart = event->position().toPoint();
    m_dragRange = m_range->visible();
    m_band = event->modifiers().testFlag(Qt::ShiftModifier);
    m_bandX = m_dragStart->x();
}

void MetricChart::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const QRect plot = plotRect();
    if (m_dragStart && m_band) {
        m_bandX = std::clamp(pos.x(), plot.left(), plot.right());
        update();
    } else if (m_dragStart) {
        // Dragging right shows earlier times: the data follows the hand.
        const double msPerPx =
            static_cast<double>(m_dragRange.spanMs()) / std::max(1, plot.width());
        const qint64 delta = std::llround((m_dragStart->x() - pos.x()) * msPerPx);
        m_range->zoomTo({m_dragRange.fromMs + delta, m_dragRange.toMs + delta});
    }
    if (plot.contains(pos))
        emit crosshairMoved(mapping().timeAt(pos.x()));
    else
        emit crosshairLeft();
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
    if (m_dragStart && m_band && std::abs(m_bandX - m_dragStart->x()) > 3) {
        const PlotMapping map = mapping();
        m_range->zoomTo({map.timeAt(std::min(m_bandX, m_dragStart->x())),
                         map.timeAt(std::max(m_bandX, m_dragStart->x()))});
    }
    m_dragStart.reset();
    m_band = false;
    update();
    QWidget::mouseReleaseEvent(event);
}

void MetricChart::mouseDoubleClickEvent(QMouseEvent*) {
    m_range->resetZoom();
}

void MetricChart::wheelEvent(QWheelEvent* event) {
    const int steps = event->angleDelta().y() / 120;
    if (steps == 0)
        return;
    const double x = event->position().x();
    m_range->zoomBy(std::pow(0.8, steps), mapping().timeAt(x));
    event->accept();
}

void MetricChart::leaveEvent(QEvent* event) {
    emit crosshairLeft();
    QWidget::leaveEvent(event);
}

QString MetricChart::annotationTipAt(const QPoint& pos) const {
    // On a line: the markers under the pointer; on the flags above the plot: those a flag
    // gathers, which start a little left of the pointer.
    const bool onFlags = pos.y() < plotRect().top();
    QStringList lines;
    for (const auto& [annotation, x] : annotationMarkers())
        if (std::abs(x - pos.x()) <= 4 || (onFlags && x <= pos.x() + 4 && x >= pos.x() - 40))
            lines.append(
                QStringLiteral("%1  %2").arg(QDateTime::fromMSecsSinceEpoch(annotation.timeMs)
                                                 .toString(QStringLiteral("HH:mm:ss")),
                                             annotation.text));
    return lines.join(QLatin1Char('\n'));
}

bool MetricChart::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = annotationTipAt(help->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace switchboard
