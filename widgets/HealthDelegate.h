#pragma once

#include "Theme.h"

#include <QStyledItemDelegate>

namespace switchboard {

// Paints a cell's background in its health colour (green up, amber stale or connecting, red
// down or incompatible), read from the model's health role, so tables of any model that has
// one share the same colours.
class HealthDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    HealthDelegate(int healthRole, QObject* parent = nullptr);

    void setTheme(const Theme& theme) { m_theme = theme; }

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    int m_healthRole;
    Theme m_theme = Theme::load(Theme::Kind::Light);
};

} // namespace switchboard
