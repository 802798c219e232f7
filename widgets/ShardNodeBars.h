#pragma once

#include "ShardCluster.h"
#include "Theme.h"

#include <QRect>
#include <QWidget>

namespace switchboard {

// Per-node bars of a shard cluster, one group per figure (rows, bytes, ops/s): a bar per node
// in its heatmap colour, its length against the largest node, the value in words beside it, so
// an uneven cluster reads at a glance and exactly. Paints a ShardCluster value.
class ShardNodeBars : public QWidget {
    Q_OBJECT
public:
    enum class Metric { Rows = 0, Bytes = 1, Ops = 2 };
    Q_ENUM(Metric)
    static constexpr int kMetricCount = 3;

    explicit ShardNodeBars(QWidget* parent = nullptr);

    void setCluster(const ShardCluster& cluster);
    void setTheme(const Theme& theme);

    int nodeCount() const { return static_cast<int>(m_cluster.nodes.size()); }
    // Where the bar of a node for a figure is painted (empty for an unknown figure), and the
    // words beside it.
    QRect barRect(Metric metric, int node) const;
    QString valueText(Metric metric, int node) const;
    static QString metricTitle(Metric metric);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double value(Metric metric, int node) const;
    double largest(Metric metric) const;
    int rowHeight() const;
    int groupTop(Metric metric) const;
    int labelWidth() const;
    int valueWidth() const;

    ShardCluster m_cluster;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
