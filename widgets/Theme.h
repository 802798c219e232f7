#pragma once

#include "Health.h"

#include <QColor>
#include <QHash>
#include <QPalette>
#include <QString>

namespace switchboard {

// A light, dark or high-contrast look: the application palette plus the colours Switchboard's own
// views use (health cells, chart background, grid and line width). Read from the palettes in the
// resources, with built-in light defaults so a view always has colours, even in a test without
// resources. High contrast (presentation mode, docs/presentation.md) is black with white text,
// saturated health colours and chart lines twice as wide.
class Theme {
public:
    enum class Kind { Light, Dark, HighContrast };

    static Theme load(Kind kind);
    // "dark" → Dark, "high-contrast" → HighContrast, anything else → Light.
    static Kind kindFromName(const QString& name);
    static QString name(Kind kind); // "light", "dark", "high-contrast": the palette's file name

    Kind kind() const { return m_kind; }
    QPalette palette() const { return m_palette; }
    QColor healthColor(Health health) const;
    QColor chartBackground() const { return m_chartBackground; }
    QColor chartGrid() const { return m_chartGrid; }
    // A chart line `base` pixels wide in this look (wider in high contrast).
    qreal lineWidth(qreal base) const { return base * m_lineScale; }
    // Light text on a dark ground: Dark and HighContrast.
    bool isDark() const { return m_kind != Kind::Light; }

private:
    Kind m_kind = Kind::Light;
    QPalette m_palette;
    QHash<int, QColor> m_health;
    QColor m_chartBackground{QStringLiteral("#ffffff")};
    QColor m_chartGrid{QStringLiteral("#dde1e6")};
    qreal m_lineScale = 1.0;
};

} // namespace switchboard
