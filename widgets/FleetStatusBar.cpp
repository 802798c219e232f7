#include "FleetStatusBar.h"

#include "FleetModel.h"

#include <QHBoxLayout>
#include <QLabel>

namespace switchboard {

namespace {

// Text colours that read on the status bar of either theme, unlike the pale cell colours.
QString healthTextColor(Health health) {
    switch (health) {
    case Health::Up:
        return QStringLiteral("#2e7d32");
    case Health::Unknown:
        return QStringLiteral("#b26a00");
    case Health::Down:
        return QStringLiteral("#c62828");
    }
    return {};
}

} // namespace

FleetStatusBar::FleetStatusBar(const FleetModel* fleet, QWidget* parent)
    : QWidget(parent)
    , m_fleet(fleet)
    , m_layout(new QHBoxLayout(this)) {
    setObjectName(QStringLiteral("fleetStatusBar"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(16);
    m_layout->addStretch(1); // labels go before it, so they line up on the left
    connect(fleet, &QAbstractItemModel::rowsInserted, this, &FleetStatusBar::sync);
    connect(fleet, &QAbstractItemModel::rowsRemoved, this, &FleetStatusBar::sync);
    connect(fleet, &QAbstractItemModel::modelReset, this, &FleetStatusBar::sync);
    connect(fleet, &QAbstractItemModel::dataChanged, this, &FleetStatusBar::sync);
    sync();
}

void FleetStatusBar::sync() {
    const QStringList ids = m_fleet->agentIds();
    for (auto it = m_labels.begin(); it != m_labels.end();) {
        if (!ids.contains(it.key())) {
            delete it.value();
            it = m_labels.erase(it);
        } else {
            ++it;
        }
    }
    for (const QString& id : ids) {
        QLabel* label = m_labels.value(id);
        if (!label) {
            label = new QLabel(this);
            label->setObjectName(QStringLiteral("agentStatus"));
            label->setProperty("agentId", id);
            m_layout->insertWidget(m_layout->count() - 1, label);
            m_labels.insert(id, label);
        }
        const int row = m_fleet->rowOfAgent(id);
        const QModelIndex connection = m_fleet->index(row, FleetModel::ConnectionColumn);
        const QString text =
            QStringLiteral("%1: %2").arg(m_fleet->displayName(id), connection.data().toString());
        if (label->text() != text)
            label->setText(text);
        label->setToolTip(connection.data(Qt::ToolTipRole).toString());
        label->setStyleSheet(
            QStringLiteral("color: %1; font-weight: 600;")
                .arg(healthTextColor(connection.data(FleetModel::HealthRole).value<Health>())));
    }
}

} // namespace switchboard
