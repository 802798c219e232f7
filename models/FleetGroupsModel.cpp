#include "FleetGroupsModel.h"

#include "FleetModel.h"

#include <QLocale>
#include <algorithm>

namespace switchboard {

namespace {

constexpr int kCoalesceMs = 150;

} // namespace

FleetGroupsModel::FleetGroupsModel(const FleetModel* fleet, QObject* parent)
    : QAbstractTableModel(parent)
    , m_fleet(fleet) {
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &FleetGroupsModel::refresh);
    auto later = [this] {
        if (!m_coalesce.isActive())
            m_coalesce.start();
    };
    connect(fleet, &QAbstractItemModel::rowsInserted, this, later);
    connect(fleet, &QAbstractItemModel::rowsRemoved, this, later);
    connect(fleet, &QAbstractItemModel::dataChanged, this, later);
    connect(fleet, &QAbstractItemModel::modelReset, this, later);
    refresh();
}

void FleetGroupsModel::setGrouping(Grouping grouping) {
    if (grouping == m_grouping)
        return;
    m_grouping = grouping;
    refresh();
    headerDataChanged(Qt::Horizontal, GroupColumn, GroupColumn);
}

void FleetGroupsModel::refresh() {
    QList<Group> groups;
    const QStringList ids = m_fleet->agentIds();
    for (const QString& id : ids) {
        const auto snapshot = m_fleet->snapshot(id);
        QString name;
        if (snapshot)
            name = m_grouping == Grouping::Region ? snapshot->info.region : snapshot->info.service;
        if (name.isEmpty())
            name = tr("(unknown)");
        auto group = std::find_if(groups.begin(), groups.end(),
                                  [&name](const Group& g) { return g.name == name; });
        if (group == groups.end()) {
            groups.append(Group{name, {}, 0, 0, 0});
            group = groups.end() - 1;
        }
        const int row = m_fleet->rowOfAgent(id);
        const QModelIndex index = m_fleet->index(row, 0);
        group->agentIds.append(id);
        const bool live = m_fleet->connectionState(id) == ConnectionState::Live;
        group->live += live ? 1 : 0;
        const Health health = index.data(FleetModel::HealthRole).value<Health>();
        group->problems += (!live || health == Health::Down) ? 1 : 0;
        group->ratePerSecond += index.data(FleetModel::RatePerSecondRole).toDouble();
    }
    std::sort(groups.begin(), groups.end(),
              [](const Group& a, const Group& b) { return a.name < b.name; });
    if (groups == m_groups)
        return;
    // Few rows: a reset is simpler than diffing and costs nothing at this size.
    beginResetModel();
    m_groups = std::move(groups);
    endResetModel();
}

int FleetGroupsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_groups.size());
}

int FleetGroupsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetGroupsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_groups.size())
        return {};
    const Group& group = m_groups.at(index.row());
    if (role == HealthRole)
        return QVariant::fromValue(group.problems > 0 ? Health::Down : Health::Up);
    if (role == AgentIdsRole)
        return group.agentIds;
    if (role == Qt::TextAlignmentRole && index.column() != GroupColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case GroupColumn:
        return group.name;
    case AgentsColumn:
        return static_cast<int>(group.agentIds.size());
    case LiveColumn:
        return group.live;
    case ProblemsColumn:
        return group.problems;
    case RateColumn:
        // Decimals only where they say something: a region of hundreds of agents serves
        // thousands a second.
        return QLocale().toString(group.ratePerSecond, 'f', group.ratePerSecond >= 100 ? 0 : 1);
    default:
        return {};
    }
}

QVariant FleetGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case GroupColumn:
        return m_grouping == Grouping::Region ? tr("Region") : tr("Service");
    case AgentsColumn:
        return tr("Agents");
    case LiveColumn:
        return tr("Live");
    case ProblemsColumn:
        return tr("Problems");
    case RateColumn:
        return tr("Requests/s");
    default:
        return {};
    }
}

} // namespace switchboard
