#pragma once

#include "Health.h"

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace switchboard {

class FleetModel;

// One label per agent for the main window's status bar: "demo-1: Live", "demo-2: Stale since
// 12:04:17", coloured by health, so the connection of every agent is visible from any view. A
// fleet past kMaxAgentLabels gets one line instead ("500 agents: 497 live, 3 not"), its
// tooltip naming the agents that are not live.
class FleetStatusBar : public QWidget {
    Q_OBJECT
public:
    explicit FleetStatusBar(const FleetModel* fleet, QWidget* parent = nullptr);

    // The label of that agent; nullptr if unknown.
    QLabel* labelFor(const QString& agentId) const { return m_labels.value(agentId); }
    int labelCount() const { return static_cast<int>(m_labels.size()); }
    // The one line that counts a fleet of more than kMaxAgentLabels agents; nullptr below.
    QLabel* summaryLabel() const { return m_summary; }

    static constexpr int kMaxAgentLabels = 8;
    static constexpr int kMaxListed = 20; // agents not live that the summary's tooltip names

private:
    void sync();
    void syncSummary(const QStringList& ids);
    static void setHealthColour(QLabel* label, Health health);

    const FleetModel* m_fleet;
    QHBoxLayout* m_layout;
    QHash<QString, QLabel*> m_labels;
    QLabel* m_summary = nullptr;
};

} // namespace switchboard
