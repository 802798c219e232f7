#include "RegionMembersModel.h"

#include "ReplicationStatus.h" // replicationBytesText

namespace switchboard {

namespace {

bool isLeaderRole(const QString& role) {
    return role == QLatin1String("leader") || role == QLatin1String("standby_leader") ||
           role == QLatin1String("master") || role == QLatin1String("primary");
}

bool isRunningState(const QString& state) {
    return state == QLatin1String("running") || state == QLatin1String("streaming");
}

} // namespace

RegionMembersModel::RegionMembersModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int RegionMembersModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_members.size());
}

int RegionMembersModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

Health RegionMembersModel::memberHealth(const RegionMember& member) {
    if (!isRunningState(member.state))
        return Health::Down;
    return member.streaming ? Health::Up : Health::Unknown;
}

QVariant RegionMembersModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RegionMember& member = m_members.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(member, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StreamingColumn && !member.streaming && !isLeaderRole(member.role))
            return tr("The leader does not list this member as streaming: a switchover to it "
                      "now could lose writes.");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == LagColumn || index.column() == TimelineColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        if (index.column() != StateColumn)
            return {};
        return QVariant::fromValue(memberHealth(member));
    case LagBytesRole:
        return member.lagBytes;
    default:
        return {};
    }
}

QVariant RegionMembersModel::displayData(const RegionMember& member, int column) const {
    switch (column) {
    case NameColumn:
        return member.name;
    case RoleColumn:
        return member.role.isEmpty() ? QStringLiteral("–") : member.role;
    case StateColumn:
        return member.state.isEmpty() ? QStringLiteral("–") : member.state;
    case LagColumn:
        return replicationBytesText(member.lagBytes);
    case StreamingColumn:
        if (isLeaderRole(member.role))
            return tr("leader");
        return member.streaming ? tr("streaming") : tr("not streaming");
    case TimelineColumn:
        return member.timeline < 0 ? QStringLiteral("–") : QString::number(member.timeline);
    case AddressColumn:
        if (member.host.isEmpty())
            return QStringLiteral("–");
        return member.port < 0 ? member.host
                               : QStringLiteral("%1:%2").arg(member.host).arg(member.port);
    default:
        return {};
    }
}

QVariant RegionMembersModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Member");
    case RoleColumn:
        return tr("Role");
    case StateColumn:
        return tr("State");
    case LagColumn:
        return tr("Lag");
    case StreamingColumn:
        return tr("Replication");
    case TimelineColumn:
        return tr("TL");
    case AddressColumn:
        return tr("Address");
    default:
        return {};
    }
}

void RegionMembersModel::setMembers(const QList<RegionMember>& members) {
    if (members == m_members)
        return;
    if (members.size() == m_members.size() && !m_members.isEmpty()) {
        m_members = members;
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    // Members join and leave rarely: a reset is simpler than diffing.
    beginResetModel();
    m_members = members;
    endResetModel();
}

} // namespace switchboard
