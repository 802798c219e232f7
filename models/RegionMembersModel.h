#pragma once

#include "RegionsStatus.h"

#include <QAbstractTableModel>
#include <QList>

namespace switchboard {

// One region's members, a row each: name, role, state, lag, whether the leader lists it
// streaming, timeline and address. A member running but not streaming is amber, not green:
// Patroni calls such a replica "running" with lag 0 while it has not caught on yet, and a
// switchover to it loses writes (docs/drills.md). Fed whole lists (setMembers).
class RegionMembersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        RoleColumn,
        StateColumn,
        LagColumn,
        StreamingColumn,
        TimelineColumn,
        AddressColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health on the state column
        LagBytesRole,                  // qint64; -1 unknown
    };
    Q_ENUM(Role)

    explicit RegionMembersModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setMembers(const QList<RegionMember>& members);
    const QList<RegionMember>& members() const { return m_members; }

    // Green: running and streaming; red: not running; amber: running but not streaming.
    static Health memberHealth(const RegionMember& member);

private:
    QVariant displayData(const RegionMember& member, int column) const;

    QList<RegionMember> m_members;
};

} // namespace switchboard
