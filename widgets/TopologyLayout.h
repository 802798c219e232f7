#pragma once

#include "Topology.h"

#include <QFontMetricsF>
#include <QList>
#include <QPainterPath>
#include <QRectF>
#include <QString>

namespace switchboard {

// Where every element of a Topology goes, for one width: regions as columns, tiers as rows
// (instances, Redis, PostgreSQL, shards) lined up across the columns, a tier wrapping onto more
// rows when a column cannot hold it. Deterministic (the same map and width give the same
// geometry) and free of painting, so tests check it for overlaps and hit it with points.
struct TopologyLayout {
    static constexpr qreal kMargin = 10;
    static constexpr qreal kTierLabelWidth = 86; // "PostgreSQL" on the left of each row
    static constexpr qreal kNodeWidth = 160;
    static constexpr qreal kMinNodeWidth = 100;
    static constexpr qreal kNodeHeight = 40;
    static constexpr qreal kNodeGap = 22;        // between boxes of one row
    static constexpr qreal kRowGap = 16;         // between wrapped rows of one tier
    static constexpr qreal kTierGap = 46;        // between tiers: the dependency lines' corridor
    static constexpr qreal kReplicationGap = 96; // below PostgreSQL: the lag arcs and labels
    static constexpr qreal kRegionHeader = 34;
    static constexpr qreal kRegionPadding = 16;
    static constexpr qreal kRegionGap = 14;
    static constexpr qreal kLegendHeight = 26;

    struct NodeBox {
        QString id;
        QRectF rect;
    };
    struct EdgePath {
        QString id;
        QPainterPath path;
        QPointF arrowTip;  // the path's end, on the target's border
        QPointF arrowFrom; // a point before it: the arrowhead's direction
        QRectF labelRect;  // empty when the edge has no label
    };
    struct RegionBox {
        QString name;
        QRectF rect;
        QRectF header;
    };
    struct TierBand {
        TopologyTier tier;
        qreal top = 0;
        qreal bottom = 0;
    };

    QList<RegionBox> regions;
    QList<NodeBox> nodes;
    QList<EdgePath> edges;
    QList<TierBand> tiers;
    QRectF legend;
    qreal height = 0;

    static TopologyLayout compute(const Topology& topology, qreal width,
                                  const QFontMetricsF& metrics);

    const NodeBox* nodeBox(const QString& id) const;
    const EdgePath* edgePath(const QString& id) const;
};

// "Instances", "Redis", "PostgreSQL", "Shards".
QString topologyTierName(TopologyTier tier);

} // namespace switchboard
