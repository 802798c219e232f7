#include "ScorecardModel.h"

#include "AgentSeries.h"
#include "Fleet.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>
#include <cmath>

namespace switchboard {

QList<ScorecardAgent> scorecardAgentsOf(const Fleet& fleet) {
    QList<ScorecardAgent> agents;
    const FleetModel* model = fleet.model();
    for (const QString& id : model->agentIds()) {
        const std::optional<AgentSnapshot> snapshot = model->snapshot(id);
        if (!snapshot)
            continue; // nothing heard from it yet: nothing to grade
        agents.append({model->displayName(id), *snapshot,
                       model->connectionState(id) == ConnectionState::Live});
    }
    return agents;
}

DeployedArchitecture deployedArchitectureOf(const QList<ScorecardAgent>& agents) {
    QSet<QString> replicas, shardNodes, regions;
    for (const ScorecardAgent& agent : agents) {
        if (agent.snapshot.replication)
            for (const ReplicaStatus& replica : agent.snapshot.replication->replicas)
                replicas.insert(replica.name);
        if (agent.snapshot.shards)
            for (const ShardNode& node : agent.snapshot.shards->nodes)
                shardNodes.insert(node.name);
        if (agent.snapshot.regions)
            for (const RegionStatus& region : agent.snapshot.regions->regions)
                regions.insert(region.name);
    }
    DeployedArchitecture deployed;
    deployed.readReplicas = static_cast<int>(replicas.size());
    deployed.shardNodes = static_cast<int>(shardNodes.size());
    deployed.regions = static_cast<int>(regions.size());
    return deployed;
}

double fleetPeakRequestsPerSecond(const Fleet& fleet, qint64 windowMs) {
    const qint64 now = std::max(QDateTime::currentMSecsSinceEpoch(), fleet.series().latestTimeMs());
    double peak = 0;
    for (const QString& id : fleet.model()->agentIds()) {
        double agentPeak = 0;
        for (const SeriesPoint& point :
             fleet.series().points(requestRateSeries(id), now - windowMs, now))
            if (std::isfinite(point.value))
                agentPeak = std::max(agentPeak, point.value);
        peak += agentPeak;
    }
    return peak;
}

ScoreLine headroomLine(const ScalePlacement& placement) {
    ScoreLine line;
    line.key = QStringLiteral("capacity_headroom");
    line.title = QObject::tr("Capacity headroom ≥ 1× the planned load");
    line.concern = QStringLiteral("overview");
    line.why = placement.why;
    if (placement.peakRequestsPerSecond <= 0) {
        line.verdict = Verdict::Unknown;
        line.figure = QStringLiteral("–");
        line.why = QObject::tr("no request rate yet: nothing to plan from");
        return line;
    }
    line.figure = QStringLiteral("%1×").arg(QLocale().toString(placement.headroom, 'f', 1));
    line.verdict = placement.headroom < 1      ? Verdict::Fail
                   : placement.headroom < 1.25 ? Verdict::Warn
                                               : Verdict::Pass;
    return line;
}

ScorecardModel::ScorecardModel(const Fleet* fleet, QObject* parent)
    : QAbstractTableModel(parent)
    , m_fleet(fleet) {
    connect(&m_timer, &QTimer::timeout, this, &ScorecardModel::recompute);
    m_timer.start(kRefreshMs);
    recompute();
}

void ScorecardModel::setThresholds(const ScorecardThresholds& thresholds) {
    m_thresholds = thresholds;
    recompute();
}

void ScorecardModel::setPlan(const CapacityPlan& plan) {
    m_plan = plan;
    recompute();
}

void ScorecardModel::setMatrix(const ScaleMatrix& matrix) {
    m_matrix = matrix;
    recompute();
}

void ScorecardModel::recompute() {
    const QList<ScorecardAgent> agents = scorecardAgentsOf(*m_fleet);
    m_deployed = deployedArchitectureOf(agents);
    m_placement = placeOnScale(m_matrix, m_deployed,
                               fleetPeakRequestsPerSecond(*m_fleet, kPeakWindowMs), m_plan);
    QList<ScoreLine> lines = gradeScorecard(agents, m_thresholds);
    lines.append(headroomLine(m_placement));
    if (lines.size() != m_lines.size()) {
        beginResetModel();
        m_lines = lines;
        endResetModel();
    } else if (lines != m_lines) {
        m_lines = lines;
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
    emit recomputed();
}

int ScorecardModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int ScorecardModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScorecardModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScoreLine& line = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case VerdictColumn:
            return verdictName(line.verdict).toUpper();
        case CheckColumn:
            return line.title;
        case FigureColumn:
            return line.figure;
        case WhyColumn:
            return line.why;
        }
        return {};
    case Qt::ToolTipRole:
        return line.why;
    case HealthRole:
        switch (line.verdict) {
        case Verdict::Pass:
            return QVariant::fromValue(Health::Up);
        case Verdict::Warn:
            return QVariant::fromValue(Health::Unknown);
        case Verdict::Fail:
            return QVariant::fromValue(Health::Down);
        case Verdict::Unknown:
            return {}; // not amber: a figure nobody reports is not a warning about it
        }
        return {};
    case VerdictRole:
        return QVariant::fromValue(line.verdict);
    case ConcernRole:
        return line.concern;
    case KeyRole:
        return line.key;
    default:
        return {};
    }
}

QVariant ScorecardModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case VerdictColumn:
        return tr("Verdict");
    case CheckColumn:
        return tr("Check");
    case FigureColumn:
        return tr("Figure");
    case WhyColumn:
        return tr("Why");
    }
    return {};
}

} // namespace switchboard
