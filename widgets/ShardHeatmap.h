#pragma once

#include "ShardCluster.h"
#include "Theme.h"

#include <QColor>
#include <QRect>
#include <QWidget>

namespace switchboard {

// Every bucket of a shard cluster as one cell of a grid (16 × 16 for 256 buckets; about square
// for any count): the cell's colour is its node's (a fixed palette, named in the legend above
// the grid), its strength the bucket's rows or ops/s against the fullest bucket, so a hot spot
// stands out. A bucket being moved is outlined, with its progress as a bar in the destination
// node's colour along the cell's foot. A tooltip per cell says bucket, node, rows, bytes, ops/s
// and the move's phase. Paints a ShardCluster value; knows no model.
class ShardHeatmap : public QWidget {
    Q_OBJECT
public:
    enum class Intensity { Rows, Ops };
    Q_ENUM(Intensity)

    explicit ShardHeatmap(QWidget* parent = nullptr);

    void setCluster(const ShardCluster& cluster);
    const ShardCluster& cluster() const { return m_cluster; }
    void setIntensity(Intensity intensity);
    Intensity intensity() const { return m_intensity; }
    void setTheme(const Theme& theme);

    // The colour of node `index` (the legend's and the bars'); grey for -1 (unmapped).
    static QColor nodeColor(int index);
    // Cells drawn (the bucket count), where a bucket is, and its fill colour as painted.
    int cellCount() const { return static_cast<int>(m_cluster.buckets.size()); }
    int columnCount() const;
    QRect cellRect(int bucket) const;
    QColor cellColor(int bucket) const;
    int bucketAt(const QPoint& position) const; // -1 outside every cell
    QString cellToolTip(int bucket) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRect gridRect() const;
    int legendHeight() const;
    double maxValue() const;
    double valueOf(const ShardBucketCell& cell) const;

    ShardCluster m_cluster;
    Intensity m_intensity = Intensity::Rows;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
