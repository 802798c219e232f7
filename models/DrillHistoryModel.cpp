#include "DrillHistoryModel.h"

#include "DrillReport.h"  // drillVerdictText
#include "ShardsStatus.h" // shardCountText

#include <QDateTime>
#include <algorithm>

namespace switchboard {

DrillHistoryModel::DrillHistoryModel(QObject* parent)
    : QAbstractTableModel(parent) {}

int DrillHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_drills.size());
}

int DrillHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

Health DrillHistoryModel::drillHealth(const DrillResult& drill) {
    if (drill.succeeded())
        return drill.rtoMet == false || drill.rpoMet == false ? Health::Unknown : Health::Up;
    if (drill.outcome == QLatin1String("cancelled"))
        return Health::Unknown;
    return Health::Down;
}

QVariant DrillHistoryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DrillResult& drill = m_drills.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(drill, index.column());
    case Qt::ToolTipRole:
        if (index.column() == OutcomeColumn && !drill.error.isEmpty())
            return drill.error;
        if (index.column() == RpoColumn)
            return tr("%1 acknowledged writes lost of %2 checked; %3 of WAL; %4")
                .arg(shardCountText(drill.rpoWrites), shardCountText(drill.writesChecked),
                     drill.rpoBytes < 0 ? QStringLiteral("–") : QString::number(drill.rpoBytes),
                     drillDurationText(drill.rpoMs));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RtoColumn || index.column() == RpoColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case HealthRole:
        if (index.column() != OutcomeColumn)
            return {};
        return QVariant::fromValue(drillHealth(drill));
    case DrillIdRole:
        return drill.id;
    default:
        return {};
    }
}

QVariant DrillHistoryModel::displayData(const DrillResult& drill, int column) const {
    // "1.21 s (met)": the figure and its verdict together, so neither is read without the other.
    auto judged = [](const QString& figure, const std::optional<bool>& met) {
        return met ? tr("%1 (%2)").arg(figure, drillVerdictText(met)) : figure;
    };
    switch (column) {
    case StartedColumn:
        return drill.startedMs > 0 ? QDateTime::fromMSecsSinceEpoch(drill.startedMs)
                                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                   : QStringLiteral("–");
    case KindColumn:
        return drill.kind;
    case ModeColumn:
        return drill.mode;
    case RegionColumn:
        return drill.region;
    case OutcomeColumn:
        return drillOutcomeText(drill.outcome);
    case RtoColumn:
        return judged(drillDurationText(drill.rtoMs), drill.rtoMet);
    case RpoColumn: {
        const QString writes = drill.rpoWrites < 0    ? QStringLiteral("–")
                               : drill.rpoWrites == 1 ? tr("1 write")
                                                      : tr("%1 writes").arg(drill.rpoWrites);
        return judged(tr("%1, %2").arg(writes, drillDurationText(drill.rpoMs)), drill.rpoMet);
    }
    default:
        return {};
    }
}

QVariant DrillHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartedColumn:
        return tr("Started");
    case KindColumn:
        return tr("Kind");
    case ModeColumn:
        return tr("Mode");
    case RegionColumn:
        return tr("Region");
    case OutcomeColumn:
        return tr("Outcome");
    case RtoColumn:
        return tr("RTO");
    case RpoColumn:
        return tr("RPO (writes lost, time)");
    default:
        return {};
    }
}

void DrillHistoryModel::setDrills(const QList<DrillResult>& drills) {
    QList<DrillResult> sorted = drills;
    std::stable_sort(sorted.begin(), sorted.end(), [](const DrillResult& a, const DrillResult& b) {
        return a.startedMs > b.startedMs;
    });
    if (sorted == m_drills)
        return;
    // A new drill shifts every row down: a reset keeps it simple (at most 20 rows).
    beginResetModel();
    m_drills = std::move(sorted);
    endResetModel();
}

const DrillResult* DrillHistoryModel::drill(int row) const {
    if (row < 0 || row >= m_drills.size())
        return nullptr;
    return &m_drills.at(row);
}

int DrillHistoryModel::rowOf(const QString& drillId) const {
    for (qsizetype i = 0; i < m_drills.size(); ++i) {
        if (m_drills.at(i).id == drillId)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace switchboard
