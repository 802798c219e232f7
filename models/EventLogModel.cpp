#include "EventLogModel.h"

namespace switchboard {

EventLogModel::EventLogModel(qsizetype capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax<qsizetype>(capacity, 1)) {}

int EventLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int EventLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventLogEntry& entry = m_entries.at(static_cast<std::size_t>(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return entry.time.toString(QStringLiteral("HH:mm:ss"));
        case AgentColumn:
            return entry.agent;
        case KindColumn:
            switch (entry.kind) {
            case EventLogEntry::Kind::Probe:
                return tr("Probe");
            case EventLogEntry::Kind::Breaker:
                return tr("Breaker");
            case EventLogEntry::Kind::Connection:
                break;
            }
            return tr("Connection");
        case MessageColumn:
            return entry.message;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return entry.time.toString(Qt::ISODateWithMs);
        if (index.column() == MessageColumn)
            return entry.message;
        return {};
    case HealthRole:
        return QVariant::fromValue(entry.health);
    case TimeRole:
        return entry.time;
    case KindRole:
        return static_cast<int>(entry.kind);
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case AgentColumn:
        return tr("Agent");
    case KindColumn:
        return tr("Kind");
    case MessageColumn:
        return tr("Event");
    default:
        return {};
    }
}

void EventLogModel::append(const EventLogEntry& entry) {
    if (static_cast<qsizetype>(m_entries.size()) >= m_capacity) {
        const int last = static_cast<int>(m_entries.size()) - 1;
        beginRemoveRows({}, last, last);
        m_entries.pop_back();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.push_front(entry);
    endInsertRows();
}

void EventLogModel::clear() {
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

EventLogEntry EventLogModel::entry(int row) const {
    if (row < 0 || row >= static_cast<int>(m_entries.size()))
        return {};
    return m_entries.at(static_cast<std::size_t>(row));
}

} // namespace switchboard
