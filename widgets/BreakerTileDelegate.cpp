#include "BreakerTileDelegate.h"

#include "BreakerBoardModel.h"
#include "SparklinePainter.h"

#include <QPainter>
#include <QPainterPath>
#include <array>

namespace switchboard {

namespace {

constexpr int kMetricCount = 5;
constexpr std::array<int, kMetricCount> kMetricColumns{
    BreakerBoardModel::FailureRateColumn, BreakerBoardModel::SlowCallRateColumn,
    BreakerBoardModel::CallsPerSecondColumn, BreakerBoardModel::NotPermittedColumn,
    BreakerBoardModel::TimeInStateColumn};

QString metricCaption(int column) {
    switch (column) {
    case BreakerBoardModel::FailureRateColumn:
        return BreakerTileDelegate::tr("Failure");
    case BreakerBoardModel::SlowCallRateColumn:
        return BreakerTileDelegate::tr("Slow calls");
    case BreakerBoardModel::CallsPerSecondColumn:
        return BreakerTileDelegate::tr("Calls/s");
    case BreakerBoardModel::NotPermittedColumn:
        return BreakerTileDelegate::tr("Not permitted");
    case BreakerBoardModel::TimeInStateColumn:
        return BreakerTileDelegate::tr("In state");
    default:
        return {};
    }
}

// The small line under a tile's value: what the number aggregates, or a rate for a count.
QString metricFootnote(int column, const QModelIndex& index) {
    const int instances = index.data(BreakerBoardModel::InstanceCountRole).toInt();
    switch (column) {
    case BreakerBoardModel::FailureRateColumn:
    case BreakerBoardModel::SlowCallRateColumn:
        return instances > 1 ? BreakerTileDelegate::tr("highest of %1").arg(instances) : QString();
    case BreakerBoardModel::CallsPerSecondColumn:
        return instances > 1 ? BreakerTileDelegate::tr("sum of %1").arg(instances) : QString();
    case BreakerBoardModel::NotPermittedColumn: {
        const double rate = index.data(BreakerBoardModel::NotPermittedPerSecondRole).toDouble();
        return rate > 0 ? BreakerTileDelegate::tr("+%1 /s").arg(rate, 0, 'f', 1) : QString();
    }
    case BreakerBoardModel::TimeInStateColumn:
        return instances > 1 ? BreakerTileDelegate::tr("longest") : QString();
    default:
        return {};
    }
}

QFont scaled(const QFont& base, qreal factor, bool bold = false) {
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

Health healthOf(const QModelIndex& index) {
    return index.data(BreakerBoardModel::HealthRole).value<Health>();
}

void drawElided(QPainter* painter, const QRect& rect, int flags, const QString& text) {
    const QString elided = painter->fontMetrics().elidedText(text, Qt::ElideRight, rect.width());
    painter->drawText(rect, flags, elided);
}

} // namespace

// Metric cells and sparkline are placed from the row's right edge, which tiles and their
// (indented) instance rows share, so an instance's values sit exactly under its tile's.
struct BreakerTileDelegate::Columns {
    std::array<QRect, kMetricCount> cells; // x and width; y is the row's
    QRect spark;                           // empty when the row is too narrow for one
    int nameRight = 0;

    static Columns forRow(const QRect& row) {
        Columns columns;
        const int right = row.right() - 12;
        const int sparkWidth = right >= 1000 ? 240 : right >= 780 ? 150 : 0;
        const int cellWidth = right >= 1000 ? 104 : right >= 780 ? 88 : 76;
        const int sparkLeft = right - sparkWidth;
        const int cellsLeft = sparkLeft - (sparkWidth > 0 ? 20 : 0) - kMetricCount * cellWidth;
        for (int i = 0; i < kMetricCount; ++i)
            columns.cells[static_cast<std::size_t>(i)] =
                QRect(cellsLeft + i * cellWidth, row.top(), cellWidth - 8, row.height());
        if (sparkWidth > 0)
            columns.spark = QRect(sparkLeft, row.top(), sparkWidth, row.height());
        columns.nameRight = cellsLeft - 12;
        return columns;
    }
};

BreakerTileDelegate::BreakerTileDelegate(QObject* parent)
    : QStyledItemDelegate(parent) {}

QColor BreakerTileDelegate::accentColor(const Theme& theme, Health health) {
    // The theme's health colours are backgrounds: pale in light, deep in dark. The same hue,
    // saturated and at a brightness that contrasts with the tile, makes the stripe and line.
    const QColor base = theme.healthColor(health);
    const float hue = base.hsvHueF();
    // Softer on dark backgrounds, where a fully saturated green glows.
    const float saturation =
        std::min(theme.isDark() ? 0.7f : 1.0f, base.hsvSaturationF() * 3.0f + 0.35f);
    float value = theme.isDark() ? 0.92f : 0.72f;
    if (health == Health::Up && !theme.isDark())
        value = 0.58f; // a green as bright as the red reads as neon on white
    return QColor::fromHsvF(hue < 0 ? 0 : hue, saturation, value);
}

QString BreakerTileDelegate::badgeText(const QModelIndex& index) {
    const QString label = index.data(BreakerBoardModel::StateLabelRole).toString();
    return index.data(BreakerBoardModel::IsStaleRole).toBool() ? tr("%1 · stale").arg(label)
                                                               : label;
}

QRect BreakerTileDelegate::stripeRect(const QRect& rect, bool isGroup) {
    return isGroup ? QRect(rect.left() + 4, rect.top() + 4, 6, rect.height() - 8)
                   : QRect(rect.left() + 4, rect.top() + 2, 4, rect.height() - 4);
}

int BreakerTileDelegate::overrideLineHeight(const QFont& font) {
    return QFontMetrics(scaled(font, 0.9, true)).height() + 4;
}

QSize BreakerTileDelegate::sizeHint(const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const {
    const bool group = index.data(BreakerBoardModel::IsGroupRole).toBool();
    // Heights follow the font so a larger system font does not clip the text.
    const int line = option.fontMetrics.height();
    int height =
        group ? std::max(kTileHeight, line * 5 + 12) : std::max(kInstanceHeight, line + 14);
    // An override gets its own line under the state, so it is never elided into the last one.
    if (group && !index.data(BreakerBoardModel::OverrideTextRole).toString().isEmpty())
        height += overrideLineHeight(option.font);
    return {std::max(option.rect.width(), 400), height};
}

void BreakerTileDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
    painter->save();
    // The tree may have painted a selection band under the row; the tile draws its own.
    painter->fillRect(option.rect, option.palette.color(QPalette::Base));
    if (index.data(BreakerBoardModel::IsGroupRole).toBool())
        paintTile(painter, option, index);
    else
        paintInstance(painter, option, index);
    painter->restore();
}

QRect BreakerTileDelegate::paintBadge(QPainter* painter, const QPoint& topLeft, int height,
                                      const QFont& font, const QModelIndex& index) const {
    const Health health = healthOf(index);
    const QString text = badgeText(index);
    painter->setFont(font);
    const int width = painter->fontMetrics().horizontalAdvance(text) + 16;
    const QRect badge(topLeft, QSize(width, height));
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(accentColor(m_theme, health), 1.2));
    painter->setBrush(m_theme.healthColor(health));
    painter->drawRoundedRect(QRectF(badge).adjusted(0.5, 0.5, -0.5, -0.5), height / 2.0,
                             height / 2.0);
    // Text in the palette's colour: the health backgrounds are made for it in both themes.
    painter->setPen(m_theme.palette().color(QPalette::WindowText));
    painter->drawText(badge, Qt::AlignCenter, text);
    return badge;
}

void BreakerTileDelegate::paintTile(QPainter* painter, const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const {
    const QPalette& palette = option.palette;
    const QRect tile = option.rect.adjusted(2, 3, -4, -3);
    const Health health = healthOf(index);
    const QColor accent = accentColor(m_theme, health);
    const QColor secondary = palette.color(QPalette::PlaceholderText);
    const bool selected = option.state & QStyle::State_Selected;

    painter->setRenderHint(QPainter::Antialiasing, true);
    QPainterPath outline;
    outline.addRoundedRect(QRectF(tile).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter->fillPath(outline, palette.color(QPalette::AlternateBase));
    painter->save();
    painter->setClipPath(outline);
    painter->fillRect(stripeRect(option.rect, true).adjusted(-4, -4, 0, 4), accent);
    painter->restore();
    painter->setPen(selected ? QPen(palette.color(QPalette::Highlight), 2)
                             : QPen(palette.color(QPalette::Mid), 1));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(outline);

    // Expand chevron: right when folded, down when the instances show.
    const bool expanded = option.state & QStyle::State_Open;
    const QPointF c(tile.left() + 20, tile.top() + 18);
    QPainterPath chevron;
    if (expanded) {
        chevron.moveTo(c + QPointF(-5, -2.5));
        chevron.lineTo(c + QPointF(5, -2.5));
        chevron.lineTo(c + QPointF(0, 3.5));
    } else {
        chevron.moveTo(c + QPointF(-2.5, -5));
        chevron.lineTo(c + QPointF(3.5, 0));
        chevron.lineTo(c + QPointF(-2.5, 5));
    }
    chevron.closeSubpath();
    painter->fillPath(chevron, palette.color(QPalette::Text));

    const Columns columns = Columns::forRow(tile);
    const int left = tile.left() + 32;
    const int nameWidth = std::max(60, columns.nameRight - left);
    const QFont base = option.font;
    const QFont nameFont = scaled(base, 1.2, true);
    const QFont smallFont = scaled(base, 0.85);
    const QFont valueFont = scaled(base, 1.15, true);

    // Line 1: the breaker's name.
    painter->setFont(nameFont);
    painter->setPen(palette.color(QPalette::Text));
    const int nameHeight = painter->fontMetrics().height();
    drawElided(painter, QRect(left, tile.top() + 8, nameWidth, nameHeight),
               Qt::AlignLeft | Qt::AlignVCenter,
               index.data(BreakerBoardModel::BreakerNameRole).toString());

    // Line 2: state badge, then the fleet summary.
    const int badgeHeight = QFontMetrics(scaled(base, 0.95, true)).height() + 6;
    const int line2 = tile.top() + 12 + nameHeight;
    const QRect badge =
        paintBadge(painter, QPoint(left, line2), badgeHeight, scaled(base, 0.95, true), index);
    const int instances = index.data(BreakerBoardModel::InstanceCountRole).toInt();
    const QString states = index.data(BreakerBoardModel::SummaryRole).toString();
    const QString summary = instances == 1 ? tr("%1 · 1 instance").arg(states)
                                           : tr("%1 · %2 instances").arg(states).arg(instances);
    painter->setFont(base);
    painter->setPen(palette.color(QPalette::Text));
    drawElided(painter,
               QRect(badge.right() + 10, line2, std::max(0, left + nameWidth - badge.right() - 10),
                     badgeHeight),
               Qt::AlignLeft | Qt::AlignVCenter, summary);

    // Line 3 (only under an override): who overrode the breaker and for how long. Bold and in
    // the text colour: it explains a state no failure caused.
    int line3 = line2 + badgeHeight + 4;
    const QString overrideText = index.data(BreakerBoardModel::OverrideTextRole).toString();
    if (!overrideText.isEmpty()) {
        const int height = overrideLineHeight(base);
        painter->setFont(scaled(base, 0.9, true));
        painter->setPen(palette.color(QPalette::Text));
        drawElided(painter, QRect(left, line3, nameWidth, height - 4),
                   Qt::AlignLeft | Qt::AlignVCenter, tr("Override: %1").arg(overrideText));
        line3 += height;
    }

    // Then staleness first (it qualifies everything else), else the last transition.
    const QString status = index.data(BreakerBoardModel::StatusTextRole).toString();
    const QString transition = index.data(BreakerBoardModel::LastTransitionRole).toString();
    painter->setFont(status.isEmpty() ? smallFont : scaled(base, 0.85, true));
    painter->setPen(status.isEmpty() ? secondary : accentColor(m_theme, Health::Unknown));
    drawElided(painter, QRect(left, line3, nameWidth, std::max(0, tile.bottom() - 4 - line3)),
               Qt::AlignLeft | Qt::AlignTop,
               status.isEmpty()
                   ? (transition.isEmpty() ? QString() : tr("Last: %1").arg(transition))
                   : status);

    // The metrics: caption, value, footnote.
    const int captionTop = tile.top() + 10;
    for (std::size_t i = 0; i < kMetricColumns.size(); ++i) {
        const int column = kMetricColumns[i];
        const QRect cell = columns.cells[i];
        if (cell.left() < left + 40)
            continue; // no room: the name matters more
        painter->setFont(smallFont);
        painter->setPen(secondary);
        const int smallHeight = painter->fontMetrics().height();
        drawElided(painter, QRect(cell.left(), captionTop, cell.width(), smallHeight),
                   Qt::AlignLeft | Qt::AlignVCenter, metricCaption(column));
        painter->setFont(valueFont);
        painter->setPen(palette.color(QPalette::Text));
        const int valueHeight = painter->fontMetrics().height();
        const int valueTop = captionTop + smallHeight + 4;
        drawElided(painter, QRect(cell.left(), valueTop, cell.width(), valueHeight),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   index.siblingAtColumn(column).data().toString());
        painter->setFont(smallFont);
        painter->setPen(secondary);
        drawElided(painter,
                   QRect(cell.left(), valueTop + valueHeight + 2, cell.width(), smallHeight),
                   Qt::AlignLeft | Qt::AlignVCenter, metricFootnote(column, index));
    }

    if (!columns.spark.isEmpty()) {
        painter->setFont(smallFont);
        const int captionHeight = painter->fontMetrics().height();
        const QRect spark(columns.spark.left(), tile.top() + 10, columns.spark.width(),
                          tile.height() - 20 - captionHeight);
        paintSparkline(painter, spark, index, false);
        painter->setFont(smallFont);
        painter->setPen(secondary);
        const double threshold = index.data(BreakerBoardModel::FailureThresholdRole).toDouble();
        const QString caption =
            threshold >= 0 ? tr("failure %, 2 min · threshold %1 %").arg(threshold, 0, 'f', 0)
                           : tr("failure %, last 2 min");
        drawElided(painter, QRect(spark.left(), spark.bottom() + 3, spark.width(), captionHeight),
                   Qt::AlignLeft | Qt::AlignVCenter, caption);
    }
}

void BreakerTileDelegate::paintInstance(QPainter* painter, const QStyleOptionViewItem& option,
                                        const QModelIndex& index) const {
    const QPalette& palette = option.palette;
    const QRect row = option.rect.adjusted(2, 1, -4, -1);
    const Health health = healthOf(index);
    const bool selected = option.state & QStyle::State_Selected;

    painter->setRenderHint(QPainter::Antialiasing, true);
    QPainterPath outline;
    outline.addRoundedRect(QRectF(row).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter->fillPath(outline, palette.color(QPalette::Base));
    painter->fillRect(stripeRect(option.rect, false), accentColor(m_theme, health));
    painter->setPen(selected ? QPen(palette.color(QPalette::Highlight), 2)
                             : QPen(palette.color(QPalette::Mid), 1));
    painter->drawPath(outline);

    const Columns columns = Columns::forRow(row);
    const QFont base = option.font;
    const int left = row.left() + 14;
    const int badgeHeight =
        std::min(row.height() - 6, QFontMetrics(scaled(base, 0.9, true)).height() + 4);
    const QRect badge = paintBadge(painter, QPoint(left, row.center().y() - badgeHeight / 2),
                                   badgeHeight, scaled(base, 0.9, true), index);

    painter->setFont(base);
    painter->setPen(palette.color(QPalette::Text));
    const QString label = index.data(BreakerBoardModel::InstanceLabelRole).toString();
    const int labelLeft = badge.right() + 10;
    const int labelWidth = std::max(0, columns.nameRight - labelLeft);
    const int labelAdvance = std::min(labelWidth, painter->fontMetrics().horizontalAdvance(label));
    drawElided(painter, QRect(labelLeft, row.top(), labelWidth, row.height()),
               Qt::AlignLeft | Qt::AlignVCenter, label);
    QString status = index.data(BreakerBoardModel::StatusTextRole).toString();
    if (status.isEmpty())
        status = index.data(BreakerBoardModel::OverrideTextRole).toString();
    if (!status.isEmpty() && labelAdvance + 12 < labelWidth) {
        painter->setFont(scaled(base, 0.85, true));
        painter->setPen(accentColor(m_theme, Health::Unknown));
        drawElided(painter,
                   QRect(labelLeft + labelAdvance + 12, row.top(), labelWidth - labelAdvance - 12,
                         row.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, status);
    }

    painter->setFont(base);
    painter->setPen(palette.color(QPalette::Text));
    for (std::size_t i = 0; i < kMetricColumns.size(); ++i) {
        const QRect cell = columns.cells[i];
        if (cell.left() < labelLeft + 40)
            continue;
        drawElided(painter, QRect(cell.left(), row.top(), cell.width(), row.height()),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   index.siblingAtColumn(kMetricColumns[i]).data().toString());
    }
    if (!columns.spark.isEmpty())
        paintSparkline(
            painter,
            QRect(columns.spark.left(), row.top() + 4, columns.spark.width(), row.height() - 8),
            index, true);
}

void BreakerTileDelegate::paintSparkline(QPainter* painter, const QRect& rect,
                                         const QModelIndex& index, bool compact) const {
    const QList<double> history =
        index.data(BreakerBoardModel::FailureHistoryRole).value<QList<double>>();
    const double threshold = index.data(BreakerBoardModel::FailureThresholdRole).toDouble();
    const QPalette palette = m_theme.palette();
    SparklinePainter::Style style;
    style.line = accentColor(m_theme, healthOf(index));
    style.fill = style.line;
    style.fill.setAlphaF(compact ? 0.0f : 0.18f);
    style.threshold = accentColor(m_theme, Health::Down);
    style.frame = palette.color(QPalette::Mid);
    style.text = palette.color(QPalette::PlaceholderText);
    style.lineWidth = compact ? 1.2 : 1.6;
    style.showScale = !compact;
    // Forced open refuses every call and a young window holds too few: nothing to draw, and
    // an empty box would look like a broken chart.
    if (!compact)
        style.emptyText = tr("no failure rate measured");
    SparklinePainter::paint(painter, rect, history, threshold, BreakerBoardModel::kHistoryLength,
                            style);
}

} // namespace switchboard
