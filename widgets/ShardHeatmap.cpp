#include "ShardHeatmap.h"

#include "ReplicationStatus.h" // replicationBytesText: one way to write sizes

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {

constexpr int kGap = 2;      // between cells
constexpr int kMinCell = 10; // below this the grid would be noise
constexpr int kPreferredCell = 30;
constexpr int kSwatch = 12;
constexpr double kMinStrength = 0.22; // an empty bucket still shows its node's hue

// Tableau 10: distinct for the colour-blind too, readable on white and on dark grey.
const QColor kPalette[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b),
                           QColor(0x59, 0xa1, 0x4f), QColor(0xe1, 0x57, 0x59),
                           QColor(0xb0, 0x7a, 0xa1), QColor(0x76, 0xb7, 0xb2),
                           QColor(0xed, 0xc9, 0x48), QColor(0x9c, 0x75, 0x5f),
                           QColor(0xff, 0x9d, 0xa7), QColor(0x6b, 0x6e, 0xcf)};

QColor mix(const QColor& from, const QColor& to, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(from.redF() + (to.redF() - from.redF()) * t),
                            float(from.greenF() + (to.greenF() - from.greenF()) * t),
                            float(from.blueF() + (to.blueF() - from.blueF()) * t));
}

} // namespace

ShardHeatmap::ShardHeatmap(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("shardHeatmap"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ShardHeatmap::setCluster(const ShardCluster& cluster) {
    m_cluster = cluster;
    updateGeometry();
    update();
}

void ShardHeatmap::setIntensity(Intensity intensity) {
    m_intensity = intensity;
    update();
}

void ShardHeatmap::setTheme(const Theme& theme) {
    m_theme = theme;
    update();
}

QColor ShardHeatmap::nodeColor(int index) {
    if (index < 0)
        return QColor(0xa0, 0xa0, 0xa0);
    return kPalette[index % int(std::size(kPalette))];
}

int ShardHeatmap::columnCount() const {
    const int count = cellCount();
    return count <= 0 ? 0 : static_cast<int>(std::ceil(std::sqrt(double(count))));
}

int ShardHeatmap::legendHeight() const {
    // One line per row of legend entries, laid out as paintEvent lays them.
    const QFontMetrics metrics(font());
    int lines = 1;
    int x = 0;
    for (qsizetype i = 0; i < m_cluster.nodes.size(); ++i) {
        const ShardNodeSummary& node = m_cluster.nodes.at(i);
        const int width = kSwatch + 6 +
                          metrics.horizontalAdvance(
                              tr("%1 · %2 buckets").arg(node.name, shardCountText(node.buckets))) +
                          18;
        if (x > 0 && x + width > this->width()) {
            ++lines;
            x = 0;
        }
        x += width;
    }
    return lines * (metrics.height() + 6) + 4;
}

QRect ShardHeatmap::gridRect() const {
    const int columns = columnCount();
    if (columns == 0)
        return {};
    const int rows = (cellCount() + columns - 1) / columns;
    const QFontMetrics metrics(font());
    const int top = legendHeight();
    const int bottom = metrics.height() + 10; // the caption under the grid
    const int side =
        std::max(kMinCell, std::min((width() - kGap) / columns, (height() - top - bottom) / rows));
    return QRect(4, top, columns * side, rows * side);
}

QRect ShardHeatmap::cellRect(int bucket) const {
    const int columns = columnCount();
    if (bucket < 0 || bucket >= cellCount() || columns == 0)
        return {};
    const QRect grid = gridRect();
    const int side = grid.width() / columns;
    return QRect(grid.left() + (bucket % columns) * side, grid.top() + (bucket / columns) * side,
                 side - kGap, side - kGap);
}

int ShardHeatmap::bucketAt(const QPoint& position) const {
    const int columns = columnCount();
    const QRect grid = gridRect();
    if (columns == 0 || !grid.contains(position))
        return -1;
    const int side = grid.width() / columns;
    const int bucket =
        (position.y() - grid.top()) / side * columns + (position.x() - grid.left()) / side;
    return bucket < cellCount() && cellRect(bucket).contains(position) ? bucket : -1;
}

double ShardHeatmap::valueOf(const ShardBucketCell& cell) const {
    return m_intensity == Intensity::Rows ? double(cell.rows) : cell.opsPerSecond;
}

double ShardHeatmap::maxValue() const {
    double largest = 0.0;
    for (const ShardBucketCell& cell : m_cluster.buckets)
        largest = std::max(largest, valueOf(cell));
    return largest;
}

QColor ShardHeatmap::cellColor(int bucket) const {
    if (bucket < 0 || bucket >= cellCount())
        return {};
    const ShardBucketCell& cell = m_cluster.buckets.at(bucket);
    const double largest = maxValue();
    const double value = valueOf(cell);
    // Unknown figures show the hue alone, at the faintest strength.
    const double strength = value < 0 || largest <= 0
                                ? kMinStrength
                                : kMinStrength + (1.0 - kMinStrength) * value / largest;
    return mix(m_theme.palette().color(QPalette::Base), nodeColor(cell.node), strength);
}

QString ShardHeatmap::cellToolTip(int bucket) const {
    if (bucket < 0 || bucket >= cellCount())
        return {};
    const ShardBucketCell& cell = m_cluster.buckets.at(bucket);
    const QString node = cell.node >= 0 ? m_cluster.nodes.at(cell.node).name : tr("(not mapped)");
    QString text = tr("Bucket %1 on %2\nrows %3 · bytes %4 · %5")
                       .arg(cell.bucket)
                       .arg(node, shardCountText(cell.rows),
                            cell.bytes < 0 ? QStringLiteral("–") : replicationBytesText(cell.bytes),
                            shardRateText(cell.opsPerSecond));
    if (cell.move) {
        const ShardMove& move = *cell.move;
        const QString from = move.from >= 0 && move.from < m_cluster.nodes.size()
                                 ? m_cluster.nodes.at(move.from).name
                                 : QStringLiteral("?");
        const QString to = move.to >= 0 && move.to < m_cluster.nodes.size()
                               ? m_cluster.nodes.at(move.to).name
                               : QStringLiteral("?");
        text += tr("\nmove %1 → %2: %3, %4 % (%5 of %6 rows)")
                    .arg(from, to, shardMovePhaseLabel(move.phase))
                    .arg(qRound(move.progress * 100))
                    .arg(shardCountText(move.rowsCopied), shardCountText(move.rowsTotal));
    }
    return text;
}

QSize ShardHeatmap::sizeHint() const {
    const int columns = std::max(1, columnCount());
    const int rows = std::max(1, (cellCount() + columns - 1) / columns);
    return QSize(columns * kPreferredCell, rows * kPreferredCell + legendHeight() + 30);
}

QSize ShardHeatmap::minimumSizeHint() const {
    const int columns = std::max(1, columnCount());
    const int rows = std::max(1, (cellCount() + columns - 1) / columns);
    return QSize(columns * kMinCell, rows * kMinCell + legendHeight() + 30);
}

bool ShardHeatmap::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int bucket = bucketAt(help->pos());
        if (bucket < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), cellToolTip(bucket), this, cellRect(bucket));
        return true;
    }
    return QWidget::event(event);
}

void ShardHeatmap::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QPalette palette = m_theme.palette();
    painter.fillRect(rect(), palette.color(QPalette::Base));
    const QColor text = palette.color(QPalette::Text);
    const QFontMetrics metrics(font());

    // Legend: a swatch per node in its colour, its name and bucket count.
    int x = 4;
    int y = 4;
    for (qsizetype i = 0; i < m_cluster.nodes.size(); ++i) {
        const ShardNodeSummary& node = m_cluster.nodes.at(i);
        const QString label = tr("%1 · %2 buckets").arg(node.name, shardCountText(node.buckets));
        const int width = kSwatch + 6 + metrics.horizontalAdvance(label) + 18;
        if (x > 4 && x + width > this->width()) {
            x = 4;
            y += metrics.height() + 6;
        }
        const int swatchTop = y + (metrics.height() - kSwatch) / 2;
        painter.fillRect(QRect(x, swatchTop, kSwatch, kSwatch), nodeColor(static_cast<int>(i)));
        painter.setPen(text);
        painter.drawText(QPoint(x + kSwatch + 6, y + metrics.ascent()), label);
        x += width;
    }

    const int count = cellCount();
    if (count == 0)
        return;
    const QColor outline = m_theme.isDark() ? QColor(Qt::white) : QColor(0x1b, 0x1b, 0x1b);
    for (int bucket = 0; bucket < count; ++bucket) {
        const QRect cell = cellRect(bucket);
        painter.fillRect(cell, cellColor(bucket));
        const ShardBucketCell& data = m_cluster.buckets.at(bucket);
        if (!data.isMoving())
            continue;
        painter.setBrush(Qt::NoBrush);
        if (data.move->phase == QLatin1String("pending")) {
            // Planned, not started: a light dashed frame, so the moving ones stand out.
            painter.setPen(QPen(outline, 1, Qt::DashLine));
            painter.drawRect(cell.adjusted(1, 1, -2, -2));
            continue;
        }
        // The move: a frame, and its progress filling a bar along the foot in the colour of
        // the node the bucket goes to.
        const int barHeight = std::max(3, cell.height() / 4);
        const QRect track(cell.left() + 2, cell.bottom() - barHeight - 1, cell.width() - 4,
                          barHeight);
        painter.fillRect(track, palette.color(QPalette::Base));
        QRect done = track;
        done.setWidth(static_cast<int>(std::lround(track.width() * data.move->progress)));
        painter.fillRect(done, nodeColor(data.move->to).darker(115));
        painter.setPen(QPen(outline, 2));
        painter.drawRect(cell.adjusted(1, 1, -1, -1));
    }

    // What the shade means, under the grid.
    const QRect grid = gridRect();
    const double largest = maxValue();
    const QString scale =
        m_intensity == Intensity::Rows
            ? tr("Shade: rows per bucket, faint 0 → full %1").arg(shardCountText(qRound64(largest)))
            : tr("Shade: ops/s per bucket, faint 0 → full %1").arg(shardRateText(largest));
    QString caption = scale;
    if (m_cluster.activeMoveCount() > 0)
        caption += tr("   ·   framed: moving (bar = progress), dashed: waiting to move");
    painter.setPen(text);
    painter.drawText(
        QRect(grid.left(), grid.bottom() + 6, width() - grid.left(), metrics.height() + 2),
        Qt::AlignLeft | Qt::AlignVCenter, caption);
}

} // namespace switchboard
