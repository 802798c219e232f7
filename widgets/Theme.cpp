#include "Theme.h"

#include <QFile>
#include <QMetaEnum>
#include <QTextStream>

namespace switchboard {

namespace {

QColor defaultHealthColor(Health health) {
    switch (health) {
    case Health::Up:
        return QColor(QStringLiteral("#cfeccf"));
    case Health::Unknown:
        return QColor(QStringLiteral("#fbe3b0"));
    case Health::Down:
        return QColor(QStringLiteral("#f6c4c0"));
    }
    return {};
}

} // namespace

Theme Theme::load(Kind kind) {
    Theme theme;
    theme.m_kind = kind;
    for (Health health : {Health::Up, Health::Unknown, Health::Down})
        theme.m_health.insert(static_cast<int>(health), defaultHealthColor(health));

    QFile file(QStringLiteral(":/switchboard/palettes/%1.palette").arg(name(kind)));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return theme; // no resources linked (a unit test): Qt's palette and the defaults
    const QMetaEnum roles = QMetaEnum::fromType<QPalette::ColorRole>();
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const QString key = line.left(eq).trimmed();
        const QString value = line.mid(eq + 1).trimmed();
        if (key == QLatin1String("chart.line_scale")) {
            bool ok = false;
            if (const double scale = value.toDouble(&ok); ok && scale > 0)
                theme.m_lineScale = scale;
            continue;
        }
        const QColor color(value);
        if (!color.isValid())
            continue;
        if (key == QLatin1String("health.up"))
            theme.m_health.insert(static_cast<int>(Health::Up), color);
        else if (key == QLatin1String("health.unknown"))
            theme.m_health.insert(static_cast<int>(Health::Unknown), color);
        else if (key == QLatin1String("health.down"))
            theme.m_health.insert(static_cast<int>(Health::Down), color);
        else if (key == QLatin1String("chart.background"))
            theme.m_chartBackground = color;
        else if (key == QLatin1String("chart.grid"))
            theme.m_chartGrid = color;
        else if (const int role = roles.keyToValue(key.toLatin1().constData()); role >= 0) {
            theme.m_palette.setColor(QPalette::All, static_cast<QPalette::ColorRole>(role), color);
            // Disabled text stays readable but recognisably dimmer.
            if (role == QPalette::Text || role == QPalette::WindowText ||
                role == QPalette::ButtonText)
                theme.m_palette.setColor(QPalette::Disabled, static_cast<QPalette::ColorRole>(role),
                                         theme.isDark() ? color.darker(170) : color.lighter(250));
        }
    }
    return theme;
}

Theme::Kind Theme::kindFromName(const QString& name) {
    for (Kind kind : {Kind::Dark, Kind::HighContrast})
        if (name.compare(Theme::name(kind), Qt::CaseInsensitive) == 0)
            return kind;
    return Kind::Light;
}

QString Theme::name(Kind kind) {
    switch (kind) {
    case Kind::Dark:
        return QStringLiteral("dark");
    case Kind::HighContrast:
        return QStringLiteral("high-contrast");
    case Kind::Light:
        break;
    }
    return QStringLiteral("light");
}

QColor Theme::healthColor(Health health) const {
    return m_health.value(static_cast<int>(health), defaultHealthColor(health));
}

} // namespace switchboard
