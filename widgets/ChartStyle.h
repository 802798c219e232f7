#pragma once

class QChart;
class QFont;

namespace switchboard {

class Theme;

// The theme on a Qt Charts chart, as every chart view applies it: the chart theme (which resets
// pens and fonts), the background and grid colours, and the axis and legend labels in the view's
// own font, so they grow with the application's font (presentation mode's large type). In high
// contrast the labels are the palette's text colour rather than the chart theme's grey.
void applyChartStyle(QChart* chart, const Theme& theme, const QFont& font);

} // namespace switchboard
