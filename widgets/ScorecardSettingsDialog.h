#pragma once

#include "ScaleMatrix.h"
#include "ScorecardThresholds.h"

#include <QDialog>
#include <QList>

class QDoubleSpinBox;
class QFormLayout;

namespace switchboard {

// Edits the scorecard's thresholds and the capacity plan (growth, safety margin, users). Every
// field is a bounded spin box, so a value is never out of range; Restore defaults resets them.
class ScorecardSettingsDialog : public QDialog {
    Q_OBJECT
public:
    ScorecardSettingsDialog(const ScorecardThresholds& thresholds, const CapacityPlan& plan,
                            QWidget* parent = nullptr);

    ScorecardThresholds thresholds() const;
    CapacityPlan plan() const;

private:
    QDoubleSpinBox* addField(const QString& label, double min, double max, int decimals,
                             const QString& suffix);
    void show(const ScorecardThresholds& thresholds, const CapacityPlan& plan);

    QFormLayout* m_form;
    QDoubleSpinBox* m_p95;
    QDoubleSpinBox* m_lag;
    QDoubleSpinBox* m_hitRate;
    QDoubleSpinBox* m_pool;
    QDoubleSpinBox* m_cpu;
    QDoubleSpinBox* m_redis;
    QDoubleSpinBox* m_errors;
    QDoubleSpinBox* m_skew;
    QDoubleSpinBox* m_band;
    QDoubleSpinBox* m_growth;
    QDoubleSpinBox* m_margin;
    QDoubleSpinBox* m_users;
};

} // namespace switchboard
