#include "CachePrefixModel.h"

#include "ReplicationStatus.h" // replicationBytesText
#include "ShardsStatus.h"      // shardCountText

namespace switchboard {

CachePrefixModel::CachePrefixModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int CachePrefixModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_prefixes.size());
}

int CachePrefixModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CachePrefixModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CachePrefixSummary& prefix = m_prefixes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PrefixColumn:
            return prefix.prefix;
        case HitsColumn:
            return shardCountText(prefix.l1Hits + prefix.l2Hits);
        case MissesColumn:
            return shardCountText(prefix.misses);
        case HitRateColumn:
            return cachePercentText(prefix.hitRate);
        case KeysColumn:
            // Estimates from a sample of Redis, scaled to its size.
            return prefix.keys < 0 ? QStringLiteral("–")
                                   : QStringLiteral("≈ ") + shardCountText(prefix.keys);
        case MemoryColumn:
            return prefix.memoryBytes < 0
                       ? QStringLiteral("–")
                       : QStringLiteral("≈ ") + replicationBytesText(prefix.memoryBytes);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == HitsColumn)
            return tr("L1 %1, L2 %2 (since the agents started)")
                .arg(shardCountText(prefix.l1Hits), shardCountText(prefix.l2Hits));
        if (index.column() == KeysColumn || index.column() == MemoryColumn)
            return tr("Estimated from the cache probe's sample of Redis");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() != PrefixColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        if (index.column() != HitRateColumn || m_target < 0 || prefix.hitRate < 0)
            return {};
        return QVariant::fromValue(prefix.hitRate >= m_target ? Health::Up : Health::Unknown);
    case HitRateRole:
        return prefix.hitRate;
    case KeysRole:
        return prefix.keys;
    case MemoryRole:
        return prefix.memoryBytes;
    default:
        return {};
    }
}

QVariant CachePrefixModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PrefixColumn:
        return tr("Prefix");
    case HitsColumn:
        return tr("Hits");
    case MissesColumn:
        return tr("Misses");
    case HitRateColumn:
        return tr("Hit rate");
    case KeysColumn:
        return tr("Keys");
    case MemoryColumn:
        return tr("Memory");
    default:
        return {};
    }
}

void CachePrefixModel::setPrefixes(const QList<CachePrefixSummary>& prefixes,
                                   double targetHitRate) {
    const bool sameRows =
        std::equal(prefixes.begin(), prefixes.end(), m_prefixes.begin(), m_prefixes.end(),
                   [](const CachePrefixSummary& a, const CachePrefixSummary& b) {
                       return a.prefix == b.prefix;
                   });
    if (sameRows) {
        m_prefixes = prefixes;
        m_target = targetHitRate;
        if (!m_prefixes.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    // Prefixes come and go rarely (a new kind of key): a reset is simpler than diffing.
    beginResetModel();
    m_prefixes = prefixes;
    m_target = targetHitRate;
    endResetModel();
}

} // namespace switchboard
