#pragma once

#include "ScaleMatrix.h"
#include "Scorecard.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace switchboard {

class Fleet;

// The scorecard of the fleet as a table (docs/scorecard.md): one row per line (verdict, check,
// figure, why), recomputed from the agents' snapshots every few seconds, plus where the system
// sits on the scale matrix and the capacity headroom (its own last row). The thresholds, the
// operator's growth and margin and the matrix are settings the window hands in.
class ScorecardModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { VerdictColumn, CheckColumn, FigureColumn, WhyColumn, ColumnCount };
    enum Role {
        HealthRole = Qt::UserRole + 1, // switchboard::Health; none for an unknown verdict
        VerdictRole,                   // switchboard::Verdict
        ConcernRole,                   // QString: the view that shows the line's figure
        KeyRole,                       // QString: the line's stable key
    };

    static constexpr int kRefreshMs = 2000;
    // How far back the peak request rate is read from the fleet's series.
    static constexpr qint64 kPeakWindowMs = 15 * 60 * 1000;

    explicit ScorecardModel(const Fleet* fleet, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setThresholds(const ScorecardThresholds& thresholds);
    const ScorecardThresholds& thresholds() const { return m_thresholds; }
    void setPlan(const CapacityPlan& plan);
    const CapacityPlan& plan() const { return m_plan; }
    void setMatrix(const ScaleMatrix& matrix);
    const ScaleMatrix& matrix() const { return m_matrix; }

    // Grades the fleet now (the timer does it every kRefreshMs).
    void recompute();

    const QList<ScoreLine>& lines() const { return m_lines; }
    const ScalePlacement& placement() const { return m_placement; }
    const DeployedArchitecture& deployed() const { return m_deployed; }
    Verdict overall() const { return worstVerdict(m_lines); }

signals:
    void recomputed();

private:
    const Fleet* m_fleet;
    ScorecardThresholds m_thresholds;
    CapacityPlan m_plan;
    ScaleMatrix m_matrix;
    QList<ScoreLine> m_lines;
    ScalePlacement m_placement;
    DeployedArchitecture m_deployed;
    QTimer m_timer;
};

// The fleet's agents as the scorecard reads them: each one's snapshot, name and liveness.
QList<ScorecardAgent> scorecardAgentsOf(const Fleet& fleet);
// What the fleet runs: distinct read replicas, shard nodes and regions the agents report.
DeployedArchitecture deployedArchitectureOf(const QList<ScorecardAgent>& agents);
// The fleet's peak requests/s over the window: each agent's highest rate, summed (an upper
// bound of the fleet's peak, since the agents' peaks need not coincide).
double fleetPeakRequestsPerSecond(const Fleet& fleet, qint64 windowMs);
// The headroom as a scorecard line: fail under 1×, warn under 1.25×.
ScoreLine headroomLine(const ScalePlacement& placement);

} // namespace switchboard
