#pragma once

#include "EventLogEntry.h"

#include <QAbstractTableModel>
#include <deque>

namespace switchboard {

// The recent connection and probe changes of the whole fleet, newest first. Bounded: past
// `capacity` entries the oldest fall off, so a flapping probe cannot grow it without end.
class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, AgentColumn, KindColumn, MessageColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health of the entry, for colouring
        TimeRole,                      // QDateTime
        KindRole,                      // EventLogEntry::Kind as int
    };
    Q_ENUM(Role)

    explicit EventLogModel(qsizetype capacity = 500, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The one entry point: adds at the top, drops the oldest past capacity.
    void append(const EventLogEntry& entry);
    void clear();

    qsizetype capacity() const { return m_capacity; }
    // Row 0 is the newest.
    EventLogEntry entry(int row) const;

private:
    qsizetype m_capacity;
    std::deque<EventLogEntry> m_entries; // front is the newest
};

} // namespace switchboard
