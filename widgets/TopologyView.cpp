#include "TopologyView.h"

#include "TopologyModel.h"
#include "TopologyPainter.h"

#include <QAbstractScrollArea>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>
#include <QToolTip>

namespace switchboard {

TopologyView::TopologyView(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("topologyView"));
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_layoutPointSize = font().pointSizeF();
}

qreal TopologyView::fontGrowth() const {
    const qreal size = font().pointSizeF();
    return m_layoutPointSize > 0 && size > m_layoutPointSize ? size / m_layoutPointSize : 1.0;
}

QFont TopologyView::layoutFont() const {
    QFont layout = font();
    if (fontGrowth() > 1)
        layout.setPointSizeF(m_layoutPointSize);
    return layout;
}

qreal TopologyView::visibleHeight() const {
    // In a scroll area (the Overview's): the height of its viewport, which is this one's parent.
    const QWidget* viewport = parentWidget();
    const auto* area =
        viewport ? qobject_cast<const QAbstractScrollArea*>(viewport->parentWidget()) : nullptr;
    return area && area->viewport() == viewport ? viewport->height() : 0;
}

void TopologyView::setModel(TopologyModel* model) {
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (!model)
        return;
    connect(model, &TopologyModel::topologyChanged, this,
            [this] { setTopology(m_model->topology()); });
    setTopology(model->topology());
}

void TopologyView::setTopology(const Topology& topology) {
    m_topology = topology;
    relayout();
}

void TopologyView::setTheme(const Theme& theme) {
    m_theme = theme;
    update();
}

void TopologyView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        relayout();
}

void TopologyView::relayout() {
    const QFontMetricsF metrics(layoutFont());
    // As large as the font grew, but no larger than lets the whole map be seen without
    // scrolling, where it fits at all: a larger zoom lays the map out narrower, hence taller.
    const qreal room = visibleHeight();
    m_zoom = fontGrowth();
    m_layout = TopologyLayout::compute(m_topology, width() / m_zoom, metrics);
    while (room > 0 && m_zoom > 1 && m_layout.height * m_zoom > room) {
        m_zoom = std::max(1.0, m_zoom - 0.05);
        m_layout = TopologyLayout::compute(m_topology, width() / m_zoom, metrics);
    }
    const qreal scale = m_zoom;
    // Taller than the room given (a fleet of dozens): the scroll area around scrolls.
    setMinimumHeight(int(std::ceil(m_layout.height * scale)));
    updateGeometry();
    update();
}

int TopologyView::heightForWidth(int width) const {
    const qreal scale = m_zoom;
    return int(std::ceil(
        TopologyLayout::compute(m_topology, width / scale, QFontMetricsF(layoutFont())).height *
        scale));
}

QSize TopologyView::sizeHint() const {
    return {1000, std::max(240, heightForWidth(1000))};
}

QSize TopologyView::minimumSizeHint() const {
    return {480, 160};
}

TopologyView::Hit TopologyView::elementAt(const QPointF& widgetPoint) const {
    const QPointF point = widgetPoint / m_zoom;
    Hit hit;
    for (const TopologyLayout::NodeBox& box : m_layout.nodes) {
        if (!box.rect.contains(point))
            continue;
        if (const TopologyNode* node = m_topology.node(box.id))
            return {Hit::Kind::Node, node->id, node->concern, node->focusKey};
    }
    // A label is the easiest part of an arrow to hit; then the line itself, give or take.
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    for (int pass = 0; pass < 2; ++pass) {
        for (const TopologyLayout::EdgePath& path : m_layout.edges) {
            const bool inside = pass == 0 ? path.labelRect.contains(point)
                                          : stroker.createStroke(path.path).contains(point);
            if (!inside)
                continue;
            if (const TopologyEdge* edge = m_topology.edge(path.id))
                return {Hit::Kind::Edge, edge->id, edge->concern, edge->focusKey};
        }
    }
    for (const TopologyLayout::RegionBox& box : m_layout.regions) {
        if (!box.name.isEmpty() && box.header.contains(point))
            return {Hit::Kind::Region, box.name, TopologyConcern::Regions, box.name};
    }
    return hit;
}

QString TopologyView::toolTipAt(const QPointF& point) const {
    const Hit hit = elementAt(point);
    QString text;
    switch (hit.kind) {
    case Hit::Kind::None:
        return {};
    case Hit::Kind::Node:
        text = m_topology.node(hit.id)->toolTip;
        break;
    case Hit::Kind::Edge:
        text = m_topology.edge(hit.id)->toolTip;
        break;
    case Hit::Kind::Region:
        text = hit.id;
        break;
    }
    return tr("%1\nClick: open %2").arg(text, topologyConcernName(hit.concern));
}

bool TopologyView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

void TopologyView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), m_theme.chartBackground());
    if (m_topology.isEmpty()) {
        painter.setPen(m_theme.palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter,
                         tr("The map appears once an agent reports: its regions, instances, "
                            "databases, Redis and shard nodes."));
        return;
    }
    painter.scale(m_zoom, m_zoom);
    painter.setFont(layoutFont());
    TopologyPainter(m_topology, m_layout, m_theme).paint(painter, m_hovered);
}

void TopologyView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayout();
}

void TopologyView::mouseMoveEvent(QMouseEvent* event) {
    const Hit hit = elementAt(event->position());
    const QString hovered = hit.kind == Hit::Kind::Region ? QString() : hit.id;
    setCursor(hit.isValid() ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (hovered != m_hovered) {
        m_hovered = hovered;
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        const Hit hit = elementAt(event->position());
        if (hit.isValid())
            emit elementActivated(hit.concern, hit.key);
    }
    QWidget::mouseReleaseEvent(event);
}

void TopologyView::leaveEvent(QEvent* event) {
    if (!m_hovered.isEmpty()) {
        m_hovered.clear();
        update();
    }
    QWidget::leaveEvent(event);
}

} // namespace switchboard
