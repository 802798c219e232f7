#include "TopologyLayout.h"

#include <QCoreApplication>
#include <QHash>
#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {

constexpr int kTierCount = 4;

int tierIndex(TopologyTier tier) {
    return static_cast<int>(tier);
}

// A column's nodes per tier, in the order they are drawn.
struct Column {
    QString region;
    QList<QStringList> tiers = QList<QStringList>(kTierCount);
    qreal left = 0;
    qreal width = 0;
    int capacity = 1; // boxes per row

    int need() const {
        qsizetype most = 1;
        for (const QStringList& ids : tiers)
            most = std::max(most, ids.size());
        return int(most);
    }
};

qreal naturalWidth(int count, qreal nodeWidth) {
    return count * nodeWidth + (count - 1) * TopologyLayout::kNodeGap +
           2 * TopologyLayout::kRegionPadding;
}

// Sources of replication first, so the primary stands at the left of its replicas.
void sortDatabases(QStringList& ids, const Topology& topology) {
    QHash<QString, int> followed;
    for (const TopologyEdge& edge : topology.edges)
        if (edge.kind != TopologyEdgeKind::Dependency)
            followed[edge.to] = 1;
    std::stable_sort(ids.begin(), ids.end(), [&followed](const QString& a, const QString& b) {
        return followed.value(a) < followed.value(b);
    });
}

} // namespace

QString topologyTierName(TopologyTier tier) {
    switch (tier) {
    case TopologyTier::Instance:
        return QCoreApplication::translate("Topology", "Instances");
    case TopologyTier::Cache:
        return QCoreApplication::translate("Topology", "Redis");
    case TopologyTier::Database:
        return QCoreApplication::translate("Topology", "PostgreSQL");
    case TopologyTier::Shard:
        return QCoreApplication::translate("Topology", "Shards");
    }
    return {};
}

TopologyLayout TopologyLayout::compute(const Topology& topology, qreal width,
                                       const QFontMetricsF& metrics) {
    TopologyLayout layout;
    QList<Column> columns;
    QHash<QString, int> columnOf;
    for (const TopologyRegion& region : topology.regions) {
        columnOf.insert(region.name, int(columns.size()));
        columns.append(Column{region.name});
    }
    bool tierUsed[kTierCount] = {};
    for (const TopologyNode& node : topology.nodes) {
        if (!columnOf.contains(node.region)) {
            columnOf.insert(node.region, int(columns.size()));
            columns.append(Column{node.region});
        }
        columns[columnOf.value(node.region)].tiers[tierIndex(node.tier)].append(node.id);
        tierUsed[tierIndex(node.tier)] = true;
    }
    if (columns.isEmpty())
        return layout;
    for (Column& column : columns)
        sortDatabases(column.tiers[tierIndex(TopologyTier::Database)], topology);

    // Widths: each column as wide as its widest tier wants, the room left shared out in
    // proportion; too little room shrinks the columns alike and their tiers wrap.
    const qreal available = std::max<qreal>(200, width - 2 * kMargin - kTierLabelWidth -
                                                     (columns.size() - 1) * kRegionGap);
    qreal natural = 0;
    for (const Column& column : columns)
        natural += naturalWidth(column.need(), kNodeWidth);
    qreal nodeWidth = kNodeWidth;
    qreal x = kMargin + kTierLabelWidth;
    for (Column& column : columns) {
        column.left = x;
        column.width = available * naturalWidth(column.need(), kNodeWidth) / natural;
        nodeWidth = std::min(nodeWidth, column.width - 2 * kRegionPadding);
        x += column.width + kRegionGap;
    }
    nodeWidth = std::max(nodeWidth, kMinNodeWidth);
    for (Column& column : columns) {
        const qreal inner = column.width - 2 * kRegionPadding;
        column.capacity = std::max(1, int((inner + kNodeGap) / (nodeWidth + kNodeGap)));
    }

    // Tiers top to bottom, as tall as the column that wraps most needs.
    qreal y = kMargin + kRegionHeader + kRegionPadding;
    QHash<int, TierBand> bands;
    for (int tier = 0; tier < kTierCount; ++tier) {
        if (!tierUsed[tier])
            continue;
        int rows = 1;
        for (const Column& column : columns) {
            const auto count = int(column.tiers[tier].size());
            rows = std::max(rows, (count + column.capacity - 1) / column.capacity);
        }
        TierBand band{static_cast<TopologyTier>(tier), y,
                      y + rows * kNodeHeight + (rows - 1) * kRowGap};
        bands.insert(tier, band);
        layout.tiers.append(band);
        y = band.bottom + (tier == tierIndex(TopologyTier::Database) ? kReplicationGap : kTierGap);
    }
    // The last gap is only as deep as its arcs need (below PostgreSQL) or the padding.
    const bool databaseLast = layout.tiers.last().tier == TopologyTier::Database;
    const qreal regionsBottom =
        layout.tiers.last().bottom + (databaseLast ? kReplicationGap - 20 : kRegionPadding);

    for (const Column& column : columns) {
        const QRectF rect(column.left, kMargin, column.width, regionsBottom - kMargin);
        layout.regions.append(
            {column.region, rect, QRectF(rect.left(), rect.top(), rect.width(), kRegionHeader)});
        for (int tier = 0; tier < kTierCount; ++tier) {
            const QStringList& ids = column.tiers[tier];
            for (int i = 0; i < ids.size(); ++i) {
                const int row = i / column.capacity;
                const int inRow =
                    std::min<int>(column.capacity, int(ids.size()) - row * column.capacity);
                const qreal slot = (column.width - 2 * kRegionPadding) / inRow;
                const qreal cx = column.left + kRegionPadding + slot * (i % column.capacity + 0.5);
                const qreal top = bands.value(tier).top + row * (kNodeHeight + kRowGap);
                layout.nodes.append(
                    {ids.at(i), QRectF(cx - nodeWidth / 2, top, nodeWidth, kNodeHeight)});
            }
        }
    }

    // Edges. Dependencies run in the corridors between tiers and, past a tier, down the
    // column's left padding, so no line crosses a box; replication arcs below the tier.
    QHash<QString, int> boxOf;
    for (int i = 0; i < layout.nodes.size(); ++i)
        boxOf.insert(layout.nodes.at(i).id, i);
    QHash<QString, int> instanceOrdinal; // spreads the gutters of several instances
    QList<QRectF> labels;
    for (const TopologyEdge& edge : topology.edges) {
        if (!boxOf.contains(edge.from) || !boxOf.contains(edge.to))
            continue;
        const QRectF a = layout.nodes.at(boxOf.value(edge.from)).rect;
        const QRectF b = layout.nodes.at(boxOf.value(edge.to)).rect;
        const TopologyNode* from = topology.node(edge.from);
        const TopologyNode* to = topology.node(edge.to);
        EdgePath path;
        path.id = edge.id;
        if (edge.kind == TopologyEdgeKind::Dependency) {
            const TierBand fromBand = bands.value(tierIndex(from->tier));
            const TierBand toBand = bands.value(tierIndex(to->tier));
            const qreal busY = toBand.top - 14;
            QPainterPath line(QPointF(a.center().x(), a.bottom()));
            bool adjacent = true;
            for (int tier = tierIndex(from->tier) + 1; tier < tierIndex(to->tier); ++tier)
                adjacent = adjacent && !tierUsed[tier];
            if (adjacent) {
                line.lineTo(a.center().x(), busY);
            } else {
                if (!instanceOrdinal.contains(edge.from))
                    instanceOrdinal.insert(edge.from, int(instanceOrdinal.size()));
                const int column = columnOf.value(from->region);
                const qreal gutter =
                    columns.at(column).left + 4 + (instanceOrdinal.value(edge.from) % 4) * 3;
                const qreal downY = fromBand.bottom + 10;
                line.lineTo(a.center().x(), downY);
                line.lineTo(gutter, downY);
                line.lineTo(gutter, busY);
            }
            line.lineTo(b.center().x(), busY);
            line.lineTo(b.center().x(), b.top());
            path.path = line;
            path.arrowTip = QPointF(b.center().x(), b.top());
            path.arrowFrom = QPointF(b.center().x(), busY);
        } else if (qFuzzyCompare(a.top(), b.top())) {
            // Same row: an arc under the boxes, deeper the farther apart they are, so the
            // labels of one primary's several replicas sit at different heights.
            const qreal depth =
                std::clamp(18 + std::abs(b.center().x() - a.center().x()) * 0.1, 24.0, 62.0);
            const QPointF start(a.center().x() + (b.center().x() > a.center().x() ? 10 : -10),
                                a.bottom());
            const QPointF end(b.center().x(), b.bottom());
            QPainterPath arc(start);
            arc.cubicTo(start + QPointF(0, depth * 4 / 3), end + QPointF(0, depth * 4 / 3), end);
            path.path = arc;
            path.arrowTip = end;
            path.arrowFrom = end + QPointF(0, 12);
            if (!edge.label.isEmpty()) {
                const QSizeF size(metrics.horizontalAdvance(edge.label) + 10, metrics.height() + 4);
                QRectF label(QPointF((start.x() + end.x()) / 2 - size.width() / 2,
                                     a.bottom() + depth - size.height() / 2),
                             size);
                // Labels never cover each other: a later one moves down.
                for (int tries = 0; tries < 4; ++tries) {
                    const bool clash =
                        std::any_of(labels.cbegin(), labels.cend(),
                                    [&label](const QRectF& r) { return r.intersects(label); });
                    if (!clash)
                        break;
                    label.translate(0, size.height() + 2);
                }
                labels.append(label);
                path.labelRect = label;
            }
        } else {
            // Across rows (a wrapped tier): straight, from the lower edge of one to the other.
            const QPointF start(a.center().x(), a.bottom());
            const QPointF end(b.center().x(), b.top() > a.top() ? b.top() : b.bottom());
            QPainterPath line(start);
            line.lineTo(end);
            path.path = line;
            path.arrowTip = end;
            path.arrowFrom = start;
            if (!edge.label.isEmpty()) {
                const QSizeF size(metrics.horizontalAdvance(edge.label) + 10, metrics.height() + 4);
                path.labelRect =
                    QRectF((start + end) / 2 - QPointF(size.width(), size.height()) / 2, size);
            }
        }
        layout.edges.append(path);
    }

    layout.legend =
        QRectF(kMargin, regionsBottom + 8, std::max<qreal>(0, width - 2 * kMargin), kLegendHeight);
    layout.height = layout.legend.bottom() + kMargin;
    return layout;
}

const TopologyLayout::NodeBox* TopologyLayout::nodeBox(const QString& id) const {
    for (const NodeBox& box : nodes)
        if (box.id == id)
            return &box;
    return nullptr;
}

const TopologyLayout::EdgePath* TopologyLayout::edgePath(const QString& id) const {
    for (const EdgePath& path : edges)
        if (path.id == id)
            return &path;
    return nullptr;
}

} // namespace switchboard
