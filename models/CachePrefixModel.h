#pragma once

#include "CacheSummary.h"

#include <QAbstractTableModel>
#include <QList>

namespace switchboard {

// The per-prefix table of one Redis target: hits, misses, hit rate, keys and memory, summed over
// the instances sharing it. Fed whole lists by CacheModel (setPrefixes); the hit rate's cell is
// coloured against the target.
class CachePrefixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        PrefixColumn,
        HitsColumn,
        MissesColumn,
        HitRateColumn,
        KeysColumn,
        MemoryColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health, on the hit rate's cell only
        HitRateRole,                   // double, percent; -1 unknown
        KeysRole,                      // qint64; -1 unknown
        MemoryRole,                    // qint64 bytes; -1 unknown
    };
    Q_ENUM(Role)

    explicit CachePrefixModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // `targetHitRate` < 0: no target, no colour.
    void setPrefixes(const QList<CachePrefixSummary>& prefixes, double targetHitRate);
    const QList<CachePrefixSummary>& prefixes() const { return m_prefixes; }

private:
    QList<CachePrefixSummary> m_prefixes;
    double m_target = -1.0;
};

} // namespace switchboard
