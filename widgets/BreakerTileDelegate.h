#pragma once

#include "Theme.h"

#include <QStyledItemDelegate>

namespace switchboard {

// Paints the breaker board: a top-level row of a BreakerBoardModel as a tile (state stripe,
// name, state badge with its label, fleet summary, an operator override (a line of its own,
// the tile grows for it), the last transition or staleness, failure
// and slow-call rates, calls/s, not permitted, time in state, and a failure-rate sparkline),
// an instance row as a slim line whose values sit under the tile's. Reads roles only. Every
// state's colour comes with its name written next to it, so colour is never the only cue.
class BreakerTileDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kTileHeight = 92;
    static constexpr int kInstanceHeight = 30;

    explicit BreakerTileDelegate(QObject* parent = nullptr);

    void setTheme(const Theme& theme) { m_theme = theme; }
    const Theme& theme() const { return m_theme; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // A strong version of the theme's pale (light) or deep (dark) health colour, for lines and
    // stripes that must stand out against the tile.
    static QColor accentColor(const Theme& theme, Health health);
    // What the badge says: the state's label, and "stale" when the data is.
    static QString badgeText(const QModelIndex& index);
    // Where the coloured state stripe of the row at `rect` is painted.
    static QRect stripeRect(const QRect& rect, bool isGroup);
    // The extra height of a tile whose breaker is under an override (its "Override: ..." line).
    static int overrideLineHeight(const QFont& font);

private:
    struct Columns; // where the metric cells and the sparkline go for a row's right edge

    void paintTile(QPainter* painter, const QStyleOptionViewItem& option,
                   const QModelIndex& index) const;
    void paintInstance(QPainter* painter, const QStyleOptionViewItem& option,
                       const QModelIndex& index) const;
    QRect paintBadge(QPainter* painter, const QPoint& topLeft, int height, const QFont& font,
                     const QModelIndex& index) const;
    void paintSparkline(QPainter* painter, const QRect& rect, const QModelIndex& index,
                        bool compact) const;

    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
