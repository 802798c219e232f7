#pragma once

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace switchboard {

class FleetModel;

// One label per agent for the main window's status bar: "demo-1: Live", "demo-2: Stale since
// 12:04:17", coloured by health, so the connection of every agent is visible from any view.
class FleetStatusBar : public QWidget {
    Q_OBJECT
public:
    explicit FleetStatusBar(const FleetModel* fleet, QWidget* parent = nullptr);

    // The label of that agent; nullptr if unknown.
    QLabel* labelFor(const QString& agentId) const { return m_labels.value(agentId); }
    int labelCount() const { return static_cast<int>(m_labels.size()); }

private:
    void sync();

    const FleetModel* m_fleet;
    QHBoxLayout* m_layout;
    QHash<QString, QLabel*> m_labels;
};

} // namespace switchboard
