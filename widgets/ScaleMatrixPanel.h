#pragma once

#include "ScaleMatrix.h"
#include "Theme.h"

#include <QWidget>

namespace switchboard {

// The scale matrix drawn under the scorecard (docs/scorecard.md): the stages side by side, each
// good to its requests/s and users, the one the fleet has built framed, and on a logarithmic
// load axis across them today's peak and the planned load (peak × growth × margin) with what the
// built stage carries shaded: the headroom at a glance, for the review.
class ScaleMatrixPanel : public QWidget {
    Q_OBJECT
public:
    explicit ScaleMatrixPanel(QWidget* parent = nullptr);

    void setPlacement(const ScaleMatrix& matrix, const ScalePlacement& placement);
    void setTheme(const Theme& theme);

    // Where a load falls across the stage columns, 0 (left edge of the first) to the number of
    // stages (right edge of the last): stage i spans [i, i+1] from the previous stage's limit
    // (a tenth of its own for the first) to its own, logarithmically. Clamped to the ends.
    static double axisPosition(const ScaleMatrix& matrix, double requestsPerSecond);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ScaleMatrix m_matrix;
    ScalePlacement m_placement;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
