#pragma once

#include "Theme.h"
#include "Topology.h"
#include "TopologyLayout.h"

#include <QPointer>
#include <QWidget>

namespace switchboard {

class TopologyModel;

// The fleet as a map (TopologyLayout): regions as columns, tiers as rows, each box and arrow in
// its health colour, replication arrows labelled by lag, a legend underneath. A click on an
// element asks for the view of its concern, filtered to it (elementActivated); hovering shows
// its tooltip. Paints with QPainter from a value, so a test can lay it out, click it and grab it.
class TopologyView : public QWidget {
    Q_OBJECT
public:
    // What lies under a point.
    struct Hit {
        enum class Kind { None, Node, Edge, Region };
        Kind kind = Kind::None;
        QString id; // a node's or edge's id, a region's name
        TopologyConcern concern = TopologyConcern::Overview;
        QString key;

        bool isValid() const { return kind != Kind::None; }
    };

    explicit TopologyView(QWidget* parent = nullptr);

    // Follows the model's map from now on.
    void setModel(TopologyModel* model);
    void setTopology(const Topology& topology);
    const Topology& topology() const { return m_topology; }
    // The geometry of what is shown, for the current width, in layout units: widget pixels
    // divided by zoom().
    const TopologyLayout& currentLayout() const { return m_layout; }
    // How much larger than its layout the map is drawn. The layout's pixel sizes are made for
    // the font the view started with; when the font grows (presentation mode's large type) the
    // map is laid out at that first font and drawn larger, so boxes, lines and labels grow
    // together and nothing is clipped: by as much as the font grew, or less where the whole map
    // would not fit the scroll area's height otherwise; never below 1.
    qreal zoom() const { return m_zoom; }
    // The element under `point` (widget coordinates).
    Hit elementAt(const QPointF& point) const;
    void setTheme(const Theme& theme);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // A click on an element: open `concern`'s view with `key` selected.
    void elementActivated(switchboard::TopologyConcern concern, const QString& key);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    // A new font (presentation mode's large type) sizes the boxes anew.
    void changeEvent(QEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void relayout();
    // The font the layout is made with: the view's at its first size.
    QFont layoutFont() const;
    qreal fontGrowth() const;
    // The height of the scroll area's viewport around the view; 0 outside one.
    qreal visibleHeight() const;
    QString toolTipAt(const QPointF& point) const;

    QPointer<TopologyModel> m_model;
    Topology m_topology;
    TopologyLayout m_layout;
    Theme m_theme = Theme::load(Theme::Kind::Light);
    QString m_hovered;           // the id of the element under the mouse
    qreal m_layoutPointSize = 0; // the font's size when the view was made
    qreal m_zoom = 1.0;
};

} // namespace switchboard
