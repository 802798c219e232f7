#pragma once

#include "Health.h"

#include <QColor>
#include <QHash>
#include <QPalette>
#include <QString>

namespace switchboard {

// A light or dark look: the application palette plus the colours Switchboard's own views use
// (health cells, chart background and grid). Read from the palettes in the resources, with
// built-in light defaults so a view always has colours, even in a test without resources.
class Theme {
public:
    enum class Kind { Light, Dark };

    static Theme load(Kind kind);
    static Kind kindFromName(const QString& name); // "dark" → Dark, anything else → Light
    static QString name(Kind kind);

    Kind kind() const { return m_kind; }
    QPalette palette() const { return m_palette; }
    QColor healthColor(Health health) const;
    QColor chartBackground() const { return m_chartBackground; }
    QColor chartGrid() const { return m_chartGrid; }
    bool isDark() const { return m_kind == Kind::Dark; }

private:
    Kind m_kind = Kind::Light;
    QPalette m_palette;
    QHash<int, QColor> m_health;
    QColor m_chartBackground{QStringLiteral("#ffffff")};
    QColor m_chartGrid{QStringLiteral("#dde1e6")};
};

} // namespace switchboard
