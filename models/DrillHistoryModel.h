#pragma once

#include "RegionsStatus.h"

#include <QAbstractTableModel>
#include <QList>

namespace switchboard {

// The drills the agent remembers (the regions document's "drills"), newest first: when, kind,
// mode, region, outcome, RTO and RPO, each with its verdict against the target. A drill that
// succeeded but missed a target is amber, a failed or aborted one red. Fed whole lists.
class DrillHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StartedColumn,
        KindColumn,
        ModeColumn,
        RegionColumn,
        OutcomeColumn,
        RtoColumn,
        RpoColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health on the outcome column
        DrillIdRole,                   // QString
    };
    Q_ENUM(Role)

    explicit DrillHistoryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Sorted newest first (by start) whatever order they come in.
    void setDrills(const QList<DrillResult>& drills);
    const QList<DrillResult>& drills() const { return m_drills; }
    // The drill on `row`; nullptr outside the table.
    const DrillResult* drill(int row) const;
    // The row of the drill with that id; -1 when absent.
    int rowOf(const QString& drillId) const;

    static Health drillHealth(const DrillResult& drill);

private:
    QVariant displayData(const DrillResult& drill, int column) const;

    QList<DrillResult> m_drills;
};

} // namespace switchboard
