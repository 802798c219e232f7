#include "BreakerTimelineModel.h"

#include "BreakerStatus.h"

#include <QDateTime>

namespace switchboard {

BreakerTimelineModel::BreakerTimelineModel(qsizetype capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax<qsizetype>(capacity, 1)) {}

int BreakerTimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int BreakerTimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakerTimelineModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BreakerTransitionEntry& entry = m_entries.at(static_cast<std::size_t>(index.row()));
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(entry.timeMs);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return time.toString(QStringLiteral("HH:mm:ss"));
        case InstanceColumn:
            return entry.instance;
        case BreakerColumn:
            return entry.breaker;
        case TransitionColumn:
            return QStringLiteral("%1 → %2").arg(breakerStateLabel(entry.from),
                                                 breakerStateLabel(entry.to));
        case ReasonColumn:
            return entry.reason == QLatin1String(BreakerTransitionEntry::kMissedReason)
                       ? tr("missed while not connected")
                       : breakerReasonText(entry.reason);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return time.toString(Qt::ISODateWithMs);
        if (index.column() == InstanceColumn)
            return entry.agentId;
        if (index.column() == ReasonColumn)
            return entry.reason;
        return {};
    case HealthRole: {
        // Only the transition cell is coloured, by where it went: a row of colours would
        // shout the same thing five times.
        if (index.column() != TransitionColumn)
            return {};
        const std::optional<protocol::BreakerState> to = breakerStateFromName(entry.to);
        return QVariant::fromValue(to ? breakerHealth(*to) : Health::Unknown);
    }
    case TimeRole:
        return time;
    case AgentIdRole:
        return entry.agentId;
    case BreakerNameRole:
        return entry.breaker;
    case FromStateRole:
        return entry.from;
    case ToStateRole:
        return entry.to;
    case ReasonRole:
        return entry.reason;
    default:
        return {};
    }
}

QVariant BreakerTimelineModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case InstanceColumn:
        return tr("Instance");
    case BreakerColumn:
        return tr("Breaker");
    case TransitionColumn:
        return tr("Transition");
    case ReasonColumn:
        return tr("Reason");
    default:
        return {};
    }
}

QHash<int, QByteArray> BreakerTimelineModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(HealthRole, "health");
    names.insert(TimeRole, "time");
    names.insert(AgentIdRole, "agentId");
    names.insert(BreakerNameRole, "breakerName");
    names.insert(FromStateRole, "fromState");
    names.insert(ToStateRole, "toState");
    names.insert(ReasonRole, "reason");
    return names;
}

void BreakerTimelineModel::append(const BreakerTransitionEntry& entry) {
    std::size_t position = 0;
    while (position < m_entries.size() && m_entries[position].timeMs > entry.timeMs)
        ++position;
    const bool full = static_cast<qsizetype>(m_entries.size()) >= m_capacity;
    if (full && position == m_entries.size())
        return; // older than everything kept: it would fall off at once
    if (full) {
        const int last = static_cast<int>(m_entries.size()) - 1;
        beginRemoveRows({}, last, last);
        m_entries.pop_back();
        endRemoveRows();
    }
    const int row = static_cast<int>(position);
    beginInsertRows({}, row, row);
    m_entries.insert(m_entries.begin() + static_cast<std::ptrdiff_t>(position), entry);
    endInsertRows();
}

void BreakerTimelineModel::clear() {
    if (m_entries.empty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

BreakerTransitionEntry BreakerTimelineModel::entry(int row) const {
    if (row < 0 || row >= static_cast<int>(m_entries.size()))
        return {};
    return m_entries.at(static_cast<std::size_t>(row));
}

} // namespace switchboard
