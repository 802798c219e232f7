#include "ShardNodeBars.h"

#include "ReplicationStatus.h" // replicationBytesText: one way to write sizes
#include "ShardHeatmap.h"

#include <QPainter>
#include <algorithm>

namespace switchboard {

namespace {

constexpr int kMargin = 6;
constexpr ShardNodeBars::Metric kMetrics[] = {
    ShardNodeBars::Metric::Rows, ShardNodeBars::Metric::Bytes, ShardNodeBars::Metric::Ops};

} // namespace

ShardNodeBars::ShardNodeBars(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("shardNodeBars"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ShardNodeBars::setCluster(const ShardCluster& cluster) {
    const bool resized = cluster.nodes.size() != m_cluster.nodes.size();
    m_cluster = cluster;
    if (resized)
        updateGeometry();
    update();
}

void ShardNodeBars::setTheme(const Theme& theme) {
    m_theme = theme;
    update();
}

QString ShardNodeBars::metricTitle(Metric metric) {
    switch (metric) {
    case Metric::Rows:
        return tr("Rows per node");
    case Metric::Bytes:
        return tr("Bytes per node");
    case Metric::Ops:
        return tr("Ops/s per node (writes + reads)");
    }
    return {};
}

double ShardNodeBars::value(Metric metric, int node) const {
    const ShardNodeSummary& summary = m_cluster.nodes.at(node);
    switch (metric) {
    case Metric::Rows:
        return double(summary.rows);
    case Metric::Bytes:
        return double(summary.bytes);
    case Metric::Ops:
        return summary.opsPerSecond;
    }
    return -1.0;
}

double ShardNodeBars::largest(Metric metric) const {
    double result = 0.0;
    for (int node = 0; node < nodeCount(); ++node)
        result = std::max(result, value(metric, node));
    return result;
}

QString ShardNodeBars::valueText(Metric metric, int node) const {
    if (node < 0 || node >= nodeCount())
        return {};
    const ShardNodeSummary& summary = m_cluster.nodes.at(node);
    switch (metric) {
    case Metric::Rows:
        if (summary.rows < 0)
            return tr("unknown");
        return summary.rowsShare < 0 ? shardCountText(summary.rows)
                                     : tr("%1 (%2 %)")
                                           .arg(shardCountText(summary.rows))
                                           .arg(summary.rowsShare, 0, 'f', 1);
    case Metric::Bytes:
        return summary.bytes < 0 ? tr("unknown") : replicationBytesText(summary.bytes);
    case Metric::Ops:
        return summary.opsPerSecond < 0 ? tr("unknown") : shardRateText(summary.opsPerSecond);
    }
    return {};
}

int ShardNodeBars::rowHeight() const {
    return fontMetrics().height() + 8;
}

int ShardNodeBars::groupTop(Metric metric) const {
    const int group = (nodeCount() + 1) * rowHeight() + kMargin;
    return kMargin + static_cast<int>(metric) * group;
}

int ShardNodeBars::labelWidth() const {
    int widest = fontMetrics().horizontalAdvance(QStringLiteral("shard-00"));
    for (const ShardNodeSummary& node : m_cluster.nodes)
        widest = std::max(widest, fontMetrics().horizontalAdvance(node.name));
    return widest + 12;
}

int ShardNodeBars::valueWidth() const {
    int widest = fontMetrics().horizontalAdvance(QStringLiteral("000,000,000 (100.0 %)"));
    for (Metric metric : kMetrics) {
        for (int node = 0; node < nodeCount(); ++node)
            widest = std::max(widest, fontMetrics().horizontalAdvance(valueText(metric, node)));
    }
    return widest + 12;
}

QRect ShardNodeBars::barRect(Metric metric, int node) const {
    if (node < 0 || node >= nodeCount())
        return {};
    const double figure = value(metric, node);
    const double top = largest(metric);
    if (figure < 0)
        return {};
    const int left = kMargin + labelWidth();
    const int room = std::max(20, width() - left - valueWidth() - kMargin);
    const int length = top > 0 ? std::max(2, qRound(room * figure / top)) : 2;
    const int y = groupTop(metric) + (node + 1) * rowHeight() + 3;
    return QRect(left, y, length, rowHeight() - 6);
}

QSize ShardNodeBars::sizeHint() const {
    return QSize(kMargin * 2 + labelWidth() + 260 + valueWidth(), minimumSizeHint().height());
}

QSize ShardNodeBars::minimumSizeHint() const {
    const int height = groupTop(Metric::Ops) + (nodeCount() + 1) * rowHeight() + kMargin;
    return QSize(kMargin * 2 + labelWidth() + 80 + valueWidth(), height);
}

void ShardNodeBars::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QPalette palette = m_theme.palette();
    painter.fillRect(rect(), palette.color(QPalette::Base));
    const QColor text = palette.color(QPalette::Text);
    QFont bold = font();
    bold.setBold(true);
    const int left = kMargin + labelWidth();
    for (Metric metric : kMetrics) {
        const int top = groupTop(metric);
        painter.setFont(bold);
        painter.setPen(text);
        painter.drawText(QRect(kMargin, top, width() - 2 * kMargin, rowHeight()),
                         Qt::AlignLeft | Qt::AlignVCenter, metricTitle(metric));
        painter.setFont(font());
        for (int node = 0; node < nodeCount(); ++node) {
            const int y = top + (node + 1) * rowHeight();
            painter.setPen(text);
            painter.drawText(QRect(kMargin, y, labelWidth() - 6, rowHeight()),
                             Qt::AlignRight | Qt::AlignVCenter, m_cluster.nodes.at(node).name);
            const QRect bar = barRect(metric, node);
            // The track shows the scale: a short bar is short against something. The values
            // line up in a column after it.
            const int trackWidth = std::max(20, width() - left - valueWidth() - kMargin);
            painter.fillRect(QRect(left, y + 3, trackWidth, rowHeight() - 6),
                             m_theme.chartGrid().lighter(105));
            if (!bar.isEmpty())
                painter.fillRect(bar, ShardHeatmap::nodeColor(node));
            painter.setPen(text);
            painter.drawText(QRect(left + trackWidth + 8, y, valueWidth(), rowHeight()),
                             Qt::AlignLeft | Qt::AlignVCenter, valueText(metric, node));
        }
    }
}

} // namespace switchboard
