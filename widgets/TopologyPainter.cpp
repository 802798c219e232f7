#include "TopologyPainter.h"

#include <QCoreApplication>
#include <QLineF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("Topology", text);
}

void drawArrowhead(QPainter& painter, QPointF tip, QPointF from, const QColor& color) {
    QLineF back(tip, from);
    if (back.length() < 0.01)
        return;
    back.setLength(9);
    QLineF left = back;
    left.setAngle(back.angle() + 24);
    QLineF right = back;
    right.setAngle(back.angle() - 24);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(QPolygonF({tip, left.p2(), right.p2()}));
    painter.restore();
}

} // namespace

QColor TopologyPainter::strokeColor(Health health, bool dark) {
    switch (health) {
    case Health::Up:
        return dark ? QColor(0x5c, 0xc9, 0x8a) : QColor(0x2e, 0x8b, 0x57);
    case Health::Unknown:
        return dark ? QColor(0xe0, 0xb0, 0x40) : QColor(0xc0, 0x80, 0x00);
    case Health::Down:
        return dark ? QColor(0xef, 0x6f, 0x62) : QColor(0xc0, 0x39, 0x2b);
    }
    return {};
}

void TopologyPainter::paint(QPainter& painter, const QString& hovered) const {
    painter.setRenderHint(QPainter::Antialiasing);
    paintRegions(painter);
    paintEdges(painter, hovered);
    paintNodes(painter, hovered);
    paintLegend(painter);
}

void TopologyPainter::paintRegions(QPainter& painter) const {
    const QPalette palette = m_theme.palette();
    const QColor frameFill =
        m_theme.isDark() ? m_theme.chartBackground().lighter(115) : QColor(0xf7, 0xf8, 0xfa);
    for (const TopologyLayout::RegionBox& box : m_layout.regions) {
        const TopologyRegion* region = nullptr;
        for (const TopologyRegion& candidate : m_topology.regions)
            if (candidate.name == box.name)
                region = &candidate;
        painter.setPen(QPen(m_theme.chartGrid(), 1));
        painter.setBrush(frameFill);
        painter.drawRoundedRect(box.rect, 6, 6);
        // A region the HA probe reports has a health of its own: its header shows it.
        const bool reported = region && !region->detail.isEmpty() && !region->name.isEmpty();
        if (reported) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(m_theme.healthColor(region->health));
            painter.drawRoundedRect(box.header.adjusted(1, 1, -1, 0), 6, 6);
        }
        painter.setPen(palette.color(QPalette::WindowText));
        QFont bold = painter.font();
        bold.setBold(true);
        painter.setFont(bold);
        const QRectF text = box.header.adjusted(10, 0, -10, 0);
        const QString name = box.name.isEmpty() ? tr("(no region)") : box.name;
        painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft, name);
        const qreal nameWidth = painter.fontMetrics().horizontalAdvance(name);
        painter.setFont(QFont(bold.family(), bold.pointSize()));
        if (region && !region->detail.isEmpty() && !region->name.isEmpty()) {
            const QString detail =
                painter.fontMetrics().elidedText(QStringLiteral("·  ") + region->detail,
                                                 Qt::ElideRight, int(text.width() - nameWidth - 8));
            painter.drawText(text.adjusted(nameWidth + 8, 0, 0, 0),
                             Qt::AlignVCenter | Qt::AlignLeft, detail);
        }
    }
    // The tiers' names in the left margin, level with their first row.
    painter.setPen(palette.color(QPalette::PlaceholderText));
    for (const TopologyLayout::TierBand& band : m_layout.tiers) {
        const QRectF rect(TopologyLayout::kMargin, band.top, TopologyLayout::kTierLabelWidth - 8,
                          TopologyLayout::kNodeHeight);
        painter.drawText(rect, Qt::AlignVCenter | Qt::AlignLeft, topologyTierName(band.tier));
    }
}

void TopologyPainter::paintEdges(QPainter& painter, const QString& hovered) const {
    const bool dark = m_theme.isDark();
    const QColor text = m_theme.palette().color(QPalette::WindowText);
    // Healthy dependencies first, as one path: where several instances' lines share a corridor
    // they are drawn once, not darkened by every translucent layer.
    QColor calm = text;
    calm.setAlphaF(0.35);
    QPainterPath calmLines;
    for (const TopologyLayout::EdgePath& path : m_layout.edges) {
        const TopologyEdge* edge = m_topology.edge(path.id);
        if (edge && edge->kind == TopologyEdgeKind::Dependency && edge->health == Health::Up &&
            path.id != hovered)
            calmLines.addPath(path.path);
    }
    painter.setPen(QPen(calm, m_theme.lineWidth(1.2), Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(calmLines);
    // Then the rest: thin dependencies that are not healthy, then the replication arcs.
    for (int pass = 0; pass < 2; ++pass) {
        for (const TopologyLayout::EdgePath& path : m_layout.edges) {
            const TopologyEdge* edge = m_topology.edge(path.id);
            if (!edge || (edge->kind == TopologyEdgeKind::Dependency) != (pass == 0))
                continue;
            const bool hot = path.id == hovered;
            const bool calmDependency =
                edge->kind == TopologyEdgeKind::Dependency && edge->health == Health::Up && !hot;
            if (calmDependency) {
                drawArrowhead(painter, path.arrowTip, path.arrowFrom, calm);
                continue;
            }
            QColor color = strokeColor(edge->health, dark);
            qreal width = 2.0;
            Qt::PenStyle style = Qt::SolidLine;
            if (edge->kind == TopologyEdgeKind::Dependency) {
                width = 1.2;
                if (edge->health == Health::Up) {
                    color = text;
                    color.setAlphaF(0.35);
                }
            } else if (edge->kind == TopologyEdgeKind::CrossRegion) {
                style = Qt::DashLine;
            }
            if (hot) {
                width += 1.5;
                color.setAlphaF(1.0);
            }
            painter.setPen(
                QPen(color, m_theme.lineWidth(width), style, Qt::RoundCap, Qt::RoundJoin));
            painter.setBrush(Qt::NoBrush);
            painter.drawPath(path.path);
            drawArrowhead(painter, path.arrowTip, path.arrowFrom, color);
        }
    }
    // Labels last, over every line.
    for (const TopologyLayout::EdgePath& path : m_layout.edges) {
        const TopologyEdge* edge = m_topology.edge(path.id);
        if (!edge || path.labelRect.isEmpty())
            continue;
        painter.setPen(QPen(strokeColor(edge->health, dark), path.id == hovered ? 2 : 1));
        painter.setBrush(m_theme.chartBackground());
        painter.drawRoundedRect(path.labelRect, 4, 4);
        painter.setPen(text);
        painter.drawText(path.labelRect, Qt::AlignCenter, edge->label);
    }
}

void TopologyPainter::paintNodes(QPainter& painter, const QString& hovered) const {
    const QColor text = m_theme.palette().color(QPalette::WindowText);
    const QFont base = painter.font();
    QFont bold = base;
    bold.setBold(true);
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.9);
    for (const TopologyLayout::NodeBox& box : m_layout.nodes) {
        const TopologyNode* node = m_topology.node(box.id);
        if (!node)
            continue;
        const bool hot = box.id == hovered;
        painter.setPen(QPen(strokeColor(node->health, m_theme.isDark()), hot ? 2.5 : 1.2));
        painter.setBrush(m_theme.healthColor(node->health));
        painter.drawRoundedRect(box.rect, 5, 5);
        const QRectF inner = box.rect.adjusted(8, 3, -8, -3);
        const QRectF top(inner.left(), inner.top(), inner.width(), inner.height() / 2);
        const QRectF bottom(inner.left(), inner.center().y(), inner.width(), inner.height() / 2);
        painter.setPen(text);
        painter.setFont(bold);
        painter.drawText(
            top, Qt::AlignVCenter | Qt::AlignHCenter,
            painter.fontMetrics().elidedText(node->label, Qt::ElideMiddle, int(inner.width())));
        painter.setFont(small);
        painter.drawText(
            bottom, Qt::AlignVCenter | Qt::AlignHCenter,
            painter.fontMetrics().elidedText(node->detail, Qt::ElideRight, int(inner.width())));
        painter.setFont(base);
    }
}

void TopologyPainter::paintLegend(QPainter& painter) const {
    const QRectF area = m_layout.legend;
    if (area.isEmpty())
        return;
    const bool dark = m_theme.isDark();
    const QColor text = m_theme.palette().color(QPalette::WindowText);
    const qreal midY = area.center().y();
    qreal x = area.left() + TopologyLayout::kTierLabelWidth;
    const auto label = [&](const QString& words) {
        painter.setPen(text);
        const qreal width = painter.fontMetrics().horizontalAdvance(words);
        painter.drawText(QRectF(x, area.top(), width + 2, area.height()), Qt::AlignVCenter, words);
        x += width + 22;
    };
    const std::pair<Health, QString> swatches[] = {{Health::Up, tr("healthy")},
                                                   {Health::Unknown, tr("stale or lagging")},
                                                   {Health::Down, tr("down")}};
    for (const auto& [health, words] : swatches) {
        painter.setPen(QPen(strokeColor(health, dark), 1.2));
        painter.setBrush(m_theme.healthColor(health));
        painter.drawRoundedRect(QRectF(x, midY - 7, 22, 14), 3, 3);
        x += 28;
        label(words);
    }
    const auto sample = [&](const QColor& color, qreal width, Qt::PenStyle style, bool arrow) {
        painter.setPen(QPen(color, m_theme.lineWidth(width), style, Qt::RoundCap));
        painter.drawLine(QPointF(x, midY), QPointF(x + 30, midY));
        if (arrow)
            drawArrowhead(painter, QPointF(x + 32, midY), QPointF(x, midY), color);
        x += 40;
    };
    QColor calls = text;
    calls.setAlphaF(0.35);
    sample(calls, 1.2, Qt::SolidLine, true);
    label(tr("calls (click: breakers)"));
    sample(strokeColor(Health::Up, dark), 2, Qt::SolidLine, true);
    label(tr("replication, labelled by lag"));
    sample(strokeColor(Health::Up, dark), 2, Qt::DashLine, true);
    label(tr("to a standby region"));
}

} // namespace switchboard
