#include "MetricChartPainter.h"

#include "ChartTicks.h"
#include "Theme.h"

#include <QDateTime>
#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <cmath>

namespace switchboard {

namespace {

// Past this many points in a chart, antialiasing costs more than a frame (measured: see
// bench_metrics_repaint); below it the lines look smoother for free.
constexpr int kAntialiasPoints = 20'000;
constexpr int kFlagHeight = 14;

} // namespace

ChartColors ChartColors::from(const Theme& theme) {
    const QPalette palette = theme.palette();
    QColor muted = palette.color(QPalette::WindowText);
    muted.setAlpha(150);
    return {theme.chartBackground(), theme.chartGrid(), palette.color(QPalette::WindowText), muted,
            theme.lineWidth(1.5)};
}

QColor ChartColors::annotationColor(TimelineAnnotation::Kind kind) {
    switch (kind) {
    case TimelineAnnotation::Kind::Breaker:
        return QColor(0xc0, 0x39, 0x2b);
    case TimelineAnnotation::Kind::Action:
        return QColor(0x8e, 0x44, 0xad);
    case TimelineAnnotation::Kind::Drill:
        return QColor(0xd3, 0x54, 0x00);
    case TimelineAnnotation::Kind::Connection:
        break;
    }
    return QColor(0x7f, 0x8c, 0x8d);
}

QString ChartColors::annotationLetter(TimelineAnnotation::Kind kind) {
    switch (kind) {
    case TimelineAnnotation::Kind::Breaker:
        return QStringLiteral("B");
    case TimelineAnnotation::Kind::Action:
        return QStringLiteral("A");
    case TimelineAnnotation::Kind::Drill:
        return QStringLiteral("D");
    case TimelineAnnotation::Kind::Connection:
        break;
    }
    return QStringLiteral("C");
}

MetricChartPainter::MetricChartPainter(QPainter& painter, const PlotMapping& mapping,
                                       const ChartColors& colors)
    : m_painter(painter)
    , m_map(mapping)
    , m_colors(colors) {}

QString MetricChartPainter::formatValue(double value) {
    if (std::isnan(value))
        return QStringLiteral("–");
    const double magnitude = std::fabs(value);
    if (magnitude >= 1e6)
        return QString::number(value / 1e6, 'f', 1) + QStringLiteral("M");
    if (magnitude >= 1e4)
        return QString::number(value / 1e3, 'f', 1) + QStringLiteral("k");
    if (magnitude >= 100 || value == std::floor(value))
        return QString::number(value, 'f', 0);
    return QString::number(value, 'g', 3);
}

void MetricChartPainter::axes(const QString& unit, qint64 timeStepMs) {
    const QRectF plot = m_map.plot;
    const QFontMetrics metrics = m_painter.fontMetrics();
    m_painter.setRenderHint(QPainter::Antialiasing, false);
    m_painter.setPen(QPen(m_colors.grid, 1));
    m_painter.drawRect(plot);

    const ChartTicks::Values ticks = ChartTicks::values(m_map.yMin, m_map.yMax, 5);
    for (double value = ticks.low; value <= m_map.yMax + ticks.step / 2; value += ticks.step) {
        if (value < m_map.yMin - ticks.step / 2)
            continue;
        const double y = m_map.yOf(value);
        m_painter.setPen(QPen(m_colors.grid, 1));
        m_painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        m_painter.setPen(m_colors.muted);
        const QString text = formatValue(value) + unit;
        m_painter.drawText(QRectF(0, y - metrics.height() / 2.0, plot.left() - 4, metrics.height()),
                           Qt::AlignRight | Qt::AlignVCenter, text);
    }

    const QString format =
        timeStepMs >= 60'000 ? QStringLiteral("HH:mm") : QStringLiteral("HH:mm:ss");
    for (qint64 t : ChartTicks::times(m_map.fromMs, m_map.toMs, timeStepMs)) {
        const double x = m_map.xOf(t);
        m_painter.setPen(QPen(m_colors.grid, 1));
        m_painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        m_painter.setPen(m_colors.muted);
        const QString text = QDateTime::fromMSecsSinceEpoch(t).toString(format);
        const int width = metrics.horizontalAdvance(text);
        m_painter.drawText(QPointF(x - width / 2.0, plot.bottom() + metrics.ascent() + 4), text);
    }
}

namespace {

// Appends the line's points from `from` up to a gap (NaN) or the end, placed by `map`, and
// returns where it stopped. A point on the last one's place draws nothing new: dropped.
template <typename Map>
qsizetype appendRun(QPolygonF& polygon, const QList<SeriesPoint>& points, qsizetype from, Map map) {
    qsizetype i = from;
    for (; i < points.size() && !std::isnan(points.at(i).value); ++i) {
        const auto xy = map(points.at(i));
        if (polygon.isEmpty() || polygon.back() != xy)
            polygon.append(xy);
    }
    return i;
}

} // namespace

void MetricChartPainter::lines(const QList<ChartLine>& lines) {
    int total = 0;
    for (const ChartLine& line : lines)
        total += static_cast<int>(line.points.size());
    m_painter.save();
    // The points are in the plot already (the store's range query), but an explicit clip rect
    // draws faster than the widget's system clip alone (measured, see BENCHMARKS.md).
    m_painter.setClipRect(m_map.plot.adjusted(0, -1, 1, 1));
    // Few points: antialiased lines 1.5 px wide. Many: one-pixel cosmetic lines on whole
    // pixels without antialiasing, the raster engine's fast path; a wider or antialiased pen
    // goes through the stroker and costs tens of times more (measured: 100 lines of 1850
    // points took 700 ms a frame that way, 10 ms this way).
    const bool fine = total <= kAntialiasPoints;
    m_painter.setRenderHint(QPainter::Antialiasing, fine);
    // On the fast path points go to whole pixels, so a point on the last one's pixel drops.
    const auto place = [this, fine](const SeriesPoint& p) {
        const QPointF xy(m_map.xOf(p.timeMs), m_map.yOf(p.value));
        return fine ? xy : QPointF(std::round(xy.x()), std::round(xy.y()));
    };
    QPolygonF polyline;
    for (const ChartLine& line : lines) {
        QPen pen(line.color, fine ? m_colors.lineWidth : 0.0);
        pen.setCosmetic(true);
        m_painter.setPen(pen);
        // A NaN (a gap) ends one polyline; the next point starts another.
        for (qsizetype i = 0; i < line.points.size(); ++i) {
            polyline.clear();
            i = appendRun(polyline, line.points, i, place);
            if (polyline.size() == 1)
                m_painter.drawPoint(polyline.front());
            else if (polyline.size() > 1)
                m_painter.drawPolyline(polyline);
        }
    }
    m_painter.restore();
}

void MetricChartPainter::annotations(const QList<TimelineAnnotation>& annotations) {
    const QRectF plot = m_map.plot;
    const QFontMetrics metrics = m_painter.fontMetrics();
    const auto inPlot = [&](double x) {
        return x >= plot.left() && x <= plot.right();
    };
    m_painter.save();
    m_painter.setRenderHint(QPainter::Antialiasing, false);
    for (const TimelineAnnotation& annotation : annotations) {
        const double x = std::round(m_map.xOf(annotation.timeMs));
        if (!inPlot(x))
            continue;
        m_painter.setPen(QPen(ChartColors::annotationColor(annotation.kind), 1, Qt::DashLine));
        m_painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    // Flags: markers closer than a flag's width share the first one's flag, which counts them
    // ("B+4"); the tooltip lists them all. Without that a flapping breaker is an unreadable
    // smear of flags.
    for (qsizetype i = 0; i < annotations.size();) {
        const TimelineAnnotation& first = annotations.at(i);
        const double x = std::round(m_map.xOf(first.timeMs));
        if (!inPlot(x)) {
            ++i;
            continue;
        }
        const QString letter = ChartColors::annotationLetter(first.kind);
        qsizetype end = i + 1;
        const double reach = x + metrics.horizontalAdvance(letter + QStringLiteral("+99")) + 8;
        while (end < annotations.size() && m_map.xOf(annotations.at(end).timeMs) <= reach)
            ++end;
        const qsizetype more = end - i - 1;
        const QString label = more > 0 ? QStringLiteral("%1+%2").arg(letter).arg(more) : letter;
        const QColor color = ChartColors::annotationColor(first.kind);
        const QRectF flag(x, plot.top() - kFlagHeight, metrics.horizontalAdvance(label) + 6,
                          kFlagHeight);
        m_painter.fillRect(flag, color);
        m_painter.setPen(Qt::white);
        m_painter.drawText(flag, Qt::AlignCenter, label);
        // The text beside it, cut where the next flag starts.
        const double next = end < annotations.size()
                                ? std::min(m_map.xOf(annotations.at(end).timeMs), plot.right())
                                : plot.right();
        const int room = static_cast<int>(next - flag.right() - 6);
        if (room > 24) {
            m_painter.setPen(color);
            m_painter.drawText(QRectF(flag.right() + 3, flag.top(), room, kFlagHeight),
                               Qt::AlignVCenter,
                               metrics.elidedText(first.text, Qt::ElideRight, room));
        }
        i = end;
    }
    m_painter.restore();
}

void MetricChartPainter::crosshair(qint64 timeMs) {
    const QRectF plot = m_map.plot;
    const double x = m_map.xOf(timeMs);
    if (x < plot.left() || x > plot.right())
        return;
    m_painter.save();
    m_painter.setRenderHint(QPainter::Antialiasing, false);
    m_painter.setPen(QPen(m_colors.text, 1));
    m_painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    const QString text =
        QDateTime::fromMSecsSinceEpoch(timeMs).toString(QStringLiteral("HH:mm:ss"));
    const QFontMetrics metrics = m_painter.fontMetrics();
    const QRectF label(x - metrics.horizontalAdvance(text) / 2.0 - 3, plot.bottom() + 1,
                       metrics.horizontalAdvance(text) + 6, metrics.height() + 4);
    m_painter.fillRect(label, m_colors.text);
    m_painter.setPen(m_colors.background);
    m_painter.drawText(label, Qt::AlignCenter, text);
    m_painter.restore();
}

void MetricChartPainter::legend(const QRect& area, const QList<LegendEntry>& entries, int maxRows) {
    const QFontMetrics metrics = m_painter.fontMetrics();
    const int rowHeight = metrics.height() + 2;
    const int rows = std::max(1, std::min(maxRows, area.height() / rowHeight));
    const bool cut = entries.size() > rows;
    const int shown = cut ? rows - 1 : static_cast<int>(entries.size());
    m_painter.save();
    m_painter.setRenderHint(QPainter::Antialiasing, false);
    for (int i = 0; i < shown; ++i) {
        const LegendEntry& entry = entries.at(i);
        const QRect row(area.left(), area.top() + i * rowHeight, area.width(), rowHeight);
        m_painter.fillRect(QRect(row.left(), row.center().y() - 1, 12, 3), entry.color);
        const int valueWidth =
            entry.value.isEmpty() ? 0 : metrics.horizontalAdvance(entry.value) + 6;
        m_painter.setPen(m_colors.text);
        const QRect nameRect(row.left() + 16, row.top(), row.width() - 16 - valueWidth, rowHeight);
        m_painter.drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft,
                           metrics.elidedText(entry.name, Qt::ElideMiddle, nameRect.width()));
        if (valueWidth > 0)
            m_painter.drawText(row, Qt::AlignVCenter | Qt::AlignRight, entry.value);
    }
    if (cut) {
        m_painter.setPen(m_colors.muted);
        m_painter.drawText(
            QRect(area.left() + 16, area.top() + shown * rowHeight, area.width() - 16, rowHeight),
            Qt::AlignVCenter | Qt::AlignLeft, QObject::tr("+%1 more").arg(entries.size() - shown));
    }
    m_painter.restore();
}

} // namespace switchboard
