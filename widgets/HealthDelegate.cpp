#include "HealthDelegate.h"

namespace switchboard {

HealthDelegate::HealthDelegate(int healthRole, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_healthRole(healthRole) {}

void HealthDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant health = index.data(m_healthRole);
    if (!health.isValid())
        return;
    option->backgroundBrush = m_theme.healthColor(health.value<Health>());
    // The health colours are pale in the light theme and deep in the dark one; text takes the
    // palette's normal colour so it stays readable on either.
    option->palette.setColor(QPalette::Text, option->palette.color(QPalette::WindowText));
}

} // namespace switchboard
