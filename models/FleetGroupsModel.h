#pragma once

#include "Health.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

namespace switchboard {

class FleetModel;

// The fleet folded per region or per service (issue 9's fleet): how many agents each group has,
// how many are live, how many have a problem (a failing probe, or no live stream), and their
// requests/s together. A fleet of hundreds of agents reads as a few rows. Follows its FleetModel;
// a burst of changes is folded once, a moment later, so the GUI thread never recounts per event.
class FleetGroupsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Grouping { Region, Service };
    Q_ENUM(Grouping)
    enum Column { GroupColumn, AgentsColumn, LiveColumn, ProblemsColumn, RateColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health of the group: Down with a problem
        AgentIdsRole,                  // QStringList, the group's agents
    };

    explicit FleetGroupsModel(const FleetModel* fleet, QObject* parent = nullptr);

    void setGrouping(Grouping grouping);
    Grouping grouping() const { return m_grouping; }
    // Recounts now (the model does it by itself a moment after the fleet changes).
    void refresh();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    struct Group {
        QString name; // the region or service; "(unknown)" before the agent said
        QStringList agentIds;
        int live = 0;
        int problems = 0;
        double ratePerSecond = 0;
        friend bool operator==(const Group&, const Group&) = default;
    };
    const QList<Group>& groups() const { return m_groups; }

private:
    const FleetModel* m_fleet;
    Grouping m_grouping = Grouping::Region;
    QList<Group> m_groups;
    QTimer m_coalesce;
};

} // namespace switchboard
