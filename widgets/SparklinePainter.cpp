#include "SparklinePainter.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace switchboard {

double SparklinePainter::scaleTop(const QList<double>& values, double threshold) {
    double highest = std::max(threshold, 0.0);
    for (double value : values)
        highest = std::max(highest, value);
    for (double top : {10.0, 25.0, 50.0})
        if (highest <= top)
            return top;
    return 100.0;
}

void SparklinePainter::paint(QPainter* painter, const QRectF& rect, const QList<double>& values,
                             double threshold, qsizetype slotCount, const Style& style) {
    if (rect.width() < 4 || rect.height() < 4)
        return;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);

    const double top = scaleTop(values, threshold);
    const qsizetype count = std::min(values.size(), std::max<qsizetype>(slotCount, 2));
    const qsizetype first = values.size() - count;
    const qreal step = rect.width() / static_cast<qreal>(std::max<qsizetype>(slotCount, 2) - 1);
    auto xAt = [&](qsizetype i) {
        return rect.right() - static_cast<qreal>(count - 1 - i) * step;
    };
    auto yAt = [&](double value) {
        return rect.bottom() - std::clamp(value / top, 0.0, 1.0) * rect.height();
    };

    // The frame: a baseline at 0 % and a faint top line at the scale's top.
    painter->setPen(QPen(style.frame, 1));
    painter->drawLine(QPointF(rect.left(), rect.bottom()), QPointF(rect.right(), rect.bottom()));
    QColor faint = style.frame;
    faint.setAlphaF(faint.alphaF() * 0.4);
    painter->setPen(QPen(faint, 1, Qt::DotLine));
    painter->drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()));

    // Runs of measured values become one line (and one filled area) each.
    QPainterPath line;
    QPainterPath area;
    bool inRun = false;
    qreal runStartX = 0;
    qreal lastX = 0;
    QList<QPointF> dots; // a measured value between two gaps would otherwise be invisible
    for (qsizetype i = 0; i < count; ++i) {
        const double value = values.at(first + i);
        const qreal x = xAt(i);
        if (value < 0) {
            if (inRun) {
                area.lineTo(lastX, rect.bottom());
                area.lineTo(runStartX, rect.bottom());
                area.closeSubpath();
            }
            inRun = false;
            continue;
        }
        const QPointF point(x, yAt(value));
        const bool alone = !inRun && (i + 1 >= count || values.at(first + i + 1) < 0);
        if (alone)
            dots.append(point);
        if (!inRun) {
            line.moveTo(point);
            area.moveTo(x, rect.bottom());
            area.lineTo(point);
            runStartX = x;
            inRun = true;
        } else {
            line.lineTo(point);
            area.lineTo(point);
        }
        lastX = x;
    }
    if (inRun) {
        area.lineTo(lastX, rect.bottom());
        area.lineTo(runStartX, rect.bottom());
        area.closeSubpath();
    }
    if (style.fill.alpha() > 0)
        painter->fillPath(area, style.fill);
    painter->setPen(QPen(style.line, style.lineWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(line);
    painter->setBrush(style.line);
    for (const QPointF& dot : dots)
        painter->drawEllipse(dot, style.lineWidth * 1.2, style.lineWidth * 1.2);

    if (threshold >= 0) {
        const qreal y = yAt(threshold);
        painter->setPen(QPen(style.threshold, 1, Qt::DashLine));
        painter->drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y));
    }
    const bool anyMeasured =
        std::any_of(values.end() - count, values.end(), [](double value) { return value >= 0; });
    if (!anyMeasured && !style.emptyText.isEmpty()) {
        QFont font = painter->font();
        font.setPointSizeF(std::max(6.5, font.pointSizeF() * 0.85));
        font.setItalic(true);
        painter->setFont(font);
        painter->setPen(style.text);
        painter->drawText(rect, Qt::AlignCenter, style.emptyText);
    }
    if (style.showScale && anyMeasured) {
        QFont font = painter->font();
        font.setPointSizeF(std::max(6.5, font.pointSizeF() * 0.75));
        painter->setFont(font);
        painter->setPen(style.text);
        painter->drawText(rect.adjusted(2, 0, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                          QStringLiteral("%1 %").arg(top, 0, 'f', 0));
    }
    painter->restore();
}

} // namespace switchboard
