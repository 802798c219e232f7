#pragma once

#include "Theme.h"
#include "Topology.h"
#include "TopologyLayout.h"

class QPainter;

namespace switchboard {

// Draws a laid-out Topology: region columns with their headers, tier names, dependency lines
// under replication arcs, lag labels, health-coloured boxes and the legend. `hovered` (an id)
// is drawn a little bolder.
class TopologyPainter {
public:
    TopologyPainter(const Topology& topology, const TopologyLayout& layout, const Theme& theme)
        : m_topology(topology)
        , m_layout(layout)
        , m_theme(theme) {}

    void paint(QPainter& painter, const QString& hovered) const;

    // A line or border colour that reads on the chart background (the health fills are pale
    // in the light theme and dark in the dark one).
    static QColor strokeColor(Health health, bool dark);

private:
    void paintRegions(QPainter& painter) const;
    void paintEdges(QPainter& painter, const QString& hovered) const;
    void paintNodes(QPainter& painter, const QString& hovered) const;
    void paintLegend(QPainter& painter) const;

    const Topology& m_topology;
    const TopologyLayout& m_layout;
    const Theme& m_theme;
};

} // namespace switchboard
