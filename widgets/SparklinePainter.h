#pragma once

#include <QColor>
#include <QList>
#include <QRectF>

class QPainter;

namespace switchboard {

// Draws a small line of recent values (a breaker's failure rate) into a rectangle, for item
// delegates that paint many of them: no widget, no allocation beyond the path. Values are
// oldest first; a negative value is "not measured" and breaks the line. The newest value sits
// at the right edge and `slotCount` values fill the width, so a young series grows from the right
// at the same pace as an old one scrolls.
class SparklinePainter {
public:
    struct Style {
        QColor line;
        QColor fill;      // under the line; transparent for none
        QColor threshold; // the dashed threshold line
        QColor frame;     // the baseline and the top edge
        QColor text;      // the scale label
        qreal lineWidth = 1.5;
        bool showScale = true; // "50 %" at the top left
        QString emptyText;     // said in the middle when no value was measured
    };

    // The top of the scale for these values: at least 10 %, rounded up to 10, 25, 50 or 100 %,
    // so a 2 % blip does not fill the tile and 100 % always fits.
    static double scaleTop(const QList<double>& values, double threshold);

    // `threshold` < 0: none drawn.
    static void paint(QPainter* painter, const QRectF& rect, const QList<double>& values,
                      double threshold, qsizetype slotCount, const Style& style);
};

} // namespace switchboard
