#include "ChartStyle.h"

#include "Theme.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>

namespace switchboard {

void applyChartStyle(QChart* chart, const Theme& theme, const QFont& font) {
    chart->setTheme(theme.isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(theme.chartBackground());
    const bool highContrast = theme.kind() == Theme::Kind::HighContrast;
    const QColor text = theme.palette().color(QPalette::WindowText);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setGridLineColor(theme.chartGrid());
        axis->setLabelsFont(font);
        if (highContrast) {
            axis->setLabelsColor(text);
            axis->setLinePenColor(text);
        }
    }
    chart->legend()->setFont(font);
    if (highContrast)
        chart->legend()->setLabelColor(text);
}

} // namespace switchboard
