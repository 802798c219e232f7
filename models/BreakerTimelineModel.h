#pragma once

#include "BreakerTransitionEntry.h"
#include "Health.h"

#include <QAbstractTableModel>
#include <deque>

namespace switchboard {

// Breaker state changes across the fleet, newest first. Entries are placed by their time, so
// a late report from one agent still lands where it happened. Bounded: past `capacity` the
// oldest fall off, so a flapping breaker cannot grow it without end.
class BreakerTimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        InstanceColumn,
        BreakerColumn,
        TransitionColumn,
        ReasonColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health of the state it went to
        TimeRole,                      // QDateTime
        AgentIdRole,                   // QString
        BreakerNameRole,               // QString
        FromStateRole,                 // QString, wire name
        ToStateRole,                   // QString, wire name
        ReasonRole,                    // QString, wire name
    };
    Q_ENUM(Role)

    explicit BreakerTimelineModel(qsizetype capacity = 500, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The one entry point: inserts by time (above entries of the same time, which came before
    // it), drops the oldest past capacity.
    void append(const BreakerTransitionEntry& entry);
    void clear();

    qsizetype capacity() const { return m_capacity; }
    BreakerTransitionEntry entry(int row) const; // row 0 is the newest

private:
    qsizetype m_capacity;
    std::deque<BreakerTransitionEntry> m_entries; // front is the newest
};

} // namespace switchboard
