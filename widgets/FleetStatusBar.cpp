#include "FleetStatusBar.h"

#include "FleetModel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSet>
#include <algorithm>

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
    // Past a handful of agents a label each would run off the bar: one line counts them.
    const bool summarise = ids.size() > kMaxAgentLabels;
    const QSet<QString> shown =
        summarise ? QSet<QString>() : QSet<QString>(ids.cbegin(), ids.cend());
    for (auto it = m_labels.begin(); it != m_labels.end();) {
        if (!shown.contains(it.key())) {
            delete it.value();
            it = m_labels.erase(it);
        } else {
            ++it;
        }
    }
    if (summarise) {
        syncSummary(ids);
        return;
    }
    delete m_summary;
    m_summary = nullptr;
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
        setHealthColour(label, connection.data(FleetModel::HealthRole).value<Health>());
    }
}

void FleetStatusBar::syncSummary(const QStringList& ids) {
    if (!m_summary) {
        m_summary = new QLabel(this);
        m_summary->setObjectName(QStringLiteral("fleetSummary"));
        m_layout->insertWidget(0, m_summary);
    }
    int live = 0;
    Health worst = Health::Up;
    QStringList notLive;
    for (const QString& id : ids) {
        const QModelIndex connection =
            m_fleet->index(m_fleet->rowOfAgent(id), FleetModel::ConnectionColumn);
        const Health health = connection.data(FleetModel::HealthRole).value<Health>();
        worst = std::max(worst, health);
        if (m_fleet->connectionState(id) == ConnectionState::Live) {
            ++live;
        } else if (notLive.size() < kMaxListed) {
            notLive.append(QStringLiteral("%1: %2").arg(m_fleet->displayName(id),
                                                        connection.data().toString()));
        }
    }
    const int others = static_cast<int>(ids.size()) - live;
    const QString text =
        others == 0 ? tr("%1 agents, all live").arg(ids.size())
                    : tr("%1 agents: %2 live, %3 not").arg(ids.size()).arg(live).arg(others);
    if (m_summary->text() != text)
        m_summary->setText(text);
    if (others > static_cast<int>(notLive.size()))
        notLive.append(tr("… and %1 more").arg(others - notLive.size()));
    m_summary->setToolTip(notLive.join(QLatin1Char('\n')));
    setHealthColour(m_summary, worst);
}

void FleetStatusBar::setHealthColour(QLabel* label, Health health) {
    label->setStyleSheet(
        QStringLiteral("color: %1; font-weight: 600;").arg(healthTextColor(health)));
}

} // namespace switchboard
