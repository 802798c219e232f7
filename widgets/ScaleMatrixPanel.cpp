#include "ScaleMatrixPanel.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace switchboard {

namespace {

QString whole(double value) {
    return QLocale().toString(value, 'f', 0);
}

// The lower end of a stage's span on the load axis: the stage before's limit.
double lowerLimit(const ScaleMatrix& matrix, int stage) {
    return stage == 0 ? matrix.stages.first().maxRequestsPerSecond / 10.0
                      : matrix.stages.at(stage - 1).maxRequestsPerSecond;
}

} // namespace

ScaleMatrixPanel::ScaleMatrixPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("scaleMatrixPanel"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ScaleMatrixPanel::setPlacement(const ScaleMatrix& matrix, const ScalePlacement& placement) {
    m_matrix = matrix;
    m_placement = placement;
    update();
}

void ScaleMatrixPanel::setTheme(const Theme& theme) {
    m_theme = theme;
    update();
}

double ScaleMatrixPanel::axisPosition(const ScaleMatrix& matrix, double requestsPerSecond) {
    const int stages = static_cast<int>(matrix.stages.size());
    if (stages == 0)
        return 0;
    for (int i = 0; i < stages; ++i) {
        const double low = lowerLimit(matrix, i);
        const double high = matrix.stages.at(i).maxRequestsPerSecond;
        if (requestsPerSecond <= high) {
            if (requestsPerSecond <= low)
                return i == 0 ? 0.0 : i;
            return i + std::log(requestsPerSecond / low) / std::log(high / low);
        }
    }
    return stages;
}

QSize ScaleMatrixPanel::sizeHint() const {
    const int line = fontMetrics().height();
    return {8 * line * 4, line * 9};
}

QSize ScaleMatrixPanel::minimumSizeHint() const {
    const int line = fontMetrics().height();
    return {4 * line * 4, line * 9};
}

void ScaleMatrixPanel::paintEvent(QPaintEvent*) {
    const int stages = static_cast<int>(m_matrix.stages.size());
    if (stages == 0)
        return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette palette = m_theme.palette();
    const QColor text = palette.color(QPalette::WindowText);
    const QColor good = m_theme.healthColor(Health::Up);
    const QColor bad = m_theme.healthColor(Health::Down);
    const int line = fontMetrics().height();
    const int margin = line / 2;
    const QRectF area = QRectF(rect()).adjusted(margin, margin / 2.0, -margin, -margin / 2.0);
    const double columnWidth = area.width() / stages;
    const double boxHeight = line * 3.4;
    auto xAt = [&](double position) {
        return area.left() + position * columnWidth;
    };

    // The stages, the built one framed.
    QFont bold = font();
    bold.setBold(true);
    for (int i = 0; i < stages; ++i) {
        const ScaleStageLimit& limit = m_matrix.stages.at(i);
        const QRectF box(xAt(i) + 3, area.top(), columnWidth - 6, boxHeight);
        const bool built = limit.stage == m_placement.deployed;
        const bool carried = i <= static_cast<int>(m_placement.deployed);
        const QColor fill = carried ? good : palette.color(QPalette::Base);
        painter.setPen(QPen(built ? text : palette.color(QPalette::Mid), built ? 2.5 : 1));
        painter.setBrush(fill);
        painter.drawRoundedRect(box, 5, 5);
        painter.setPen(text);
        painter.setFont(bold);
        const QString name = scaleStageName(limit.stage) + (built ? tr("  (built)") : QString());
        painter.drawText(box.adjusted(6, 4, -6, 0), Qt::AlignLeft | Qt::AlignTop, name);
        painter.setFont(font());
        painter.drawText(box.adjusted(6, line * 1.2, -6, 0), Qt::AlignLeft | Qt::AlignTop,
                         tr("to %1 requests/s\nto %2 users")
                             .arg(whole(limit.maxRequestsPerSecond), whole(limit.maxUsers)));
    }

    // The load axis: what the built stage carries shaded, then today's peak and the plan.
    const double axisY = area.top() + boxHeight + line * 1.6;
    const double carriedTo =
        axisPosition(m_matrix, m_matrix.limitOf(m_placement.deployed).maxRequestsPerSecond);
    painter.setPen(Qt::NoPen);
    // The health colours are cell backgrounds; darker, they read as lines and marks.
    const QColor strongGood = good.darker(m_theme.isDark() ? 80 : 160);
    const QColor strongBad = bad.darker(m_theme.isDark() ? 80 : 150);
    painter.setBrush(strongGood);
    painter.drawRect(QRectF(xAt(0), axisY - 4, xAt(carriedTo) - xAt(0), 8));
    painter.setPen(QPen(text, 1));
    painter.drawLine(QPointF(xAt(0), axisY), QPointF(xAt(stages), axisY));
    for (int i = 0; i <= stages; ++i)
        painter.drawLine(QPointF(xAt(i), axisY - 5), QPointF(xAt(i), axisY + 5));

    if (m_placement.peakRequestsPerSecond <= 0) {
        painter.drawText(QRectF(xAt(0), axisY + 8, area.width(), line * 1.5),
                         Qt::AlignLeft | Qt::AlignTop, tr("no request rate yet: load not placed"));
        return;
    }
    auto marker = [&](double requestsPerSecond, const QString& label, const QColor& colour,
                      int row) {
        const double x = xAt(axisPosition(m_matrix, requestsPerSecond));
        QPainterPath triangle;
        triangle.moveTo(x, axisY + 2);
        triangle.lineTo(x - 6, axisY + 12);
        triangle.lineTo(x + 6, axisY + 12);
        triangle.closeSubpath();
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawPath(triangle);
        painter.setPen(text);
        const QString caption = label.arg(whole(requestsPerSecond));
        const double width = fontMetrics().horizontalAdvance(caption) + 4;
        const double left = std::clamp(x - width / 2, area.left(), area.right() - width);
        painter.drawText(QRectF(left, axisY + 14 + row * line * 1.2, width, line * 1.2),
                         Qt::AlignCenter, caption);
    };
    const bool plannedFits = m_placement.headroom >= 1.0;
    marker(m_placement.peakRequestsPerSecond, tr("today's peak %1/s"), text, 0);
    marker(m_placement.neededRequestsPerSecond, tr("planned %1/s"),
           plannedFits ? strongGood : strongBad, 1);
    painter.setPen(text);
    painter.drawText(QRectF(xAt(0), axisY + 14, area.width(), line * 2.4),
                     Qt::AlignRight | Qt::AlignBottom,
                     plannedFits ? tr("shaded: the load the built stage is good for")
                                 : tr("shaded: the load the built stage is good for; the plan "
                                      "goes past it"));
}

} // namespace switchboard
