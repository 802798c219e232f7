#include "ScorecardSettingsDialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace switchboard {

ScorecardSettingsDialog::ScorecardSettingsDialog(const ScorecardThresholds& thresholds,
                                                 const CapacityPlan& plan, QWidget* parent)
    : QDialog(parent)
    , m_form(new QFormLayout) {
    setWindowTitle(tr("Scorecard thresholds"));
    m_p95 = addField(tr("p95 latency under"), 0, 60'000, 0, tr(" ms"));
    m_lag = addField(tr("Replica lag under"), 0, 3'600'000, 0, tr(" ms"));
    m_hitRate = addField(tr("Cache hit rate over"), 0, 100, 1, tr(" %"));
    m_pool = addField(tr("Connection-pool use under"), 0, 100, 1, tr(" %"));
    m_cpu = addField(tr("CPU under"), 0, 10'000, 1, tr(" %"));
    m_redis = addField(tr("Redis memory under"), 0, 100, 1, tr(" %"));
    m_errors = addField(tr("Error rate under"), 0, 100, 2, tr(" %"));
    m_skew = addField(tr("Shard skew under"), 1, 100, 2, tr("× the mean"));
    m_band = addField(tr("Warn within"), 0, 0.9, 2, tr(" of a limit"));
    m_growth = addField(tr("Expected growth"), 1, 1000, 2, tr("×"));
    m_margin = addField(tr("Safety margin"), 1, 100, 2, tr("×"));
    m_users = addField(tr("Users (0: not counted)"), 0, 1e10, 0, QString());
    show(thresholds, plan);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { show({}, {}); });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(buttons);
}

QDoubleSpinBox* ScorecardSettingsDialog::addField(const QString& label, double min, double max,
                                                  int decimals, const QString& suffix) {
    auto* box = new QDoubleSpinBox(this);
    box->setDecimals(decimals);
    box->setRange(min, max);
    box->setSuffix(suffix);
    m_form->addRow(label, box);
    return box;
}

void ScorecardSettingsDialog::show(const ScorecardThresholds& thresholds,
                                   const CapacityPlan& plan) {
    m_p95->setValue(thresholds.p95LatencyMs);
    m_lag->setValue(thresholds.replicaLagMs);
    m_hitRate->setValue(thresholds.cacheHitRatePercent);
    m_pool->setValue(thresholds.poolUsePercent);
    m_cpu->setValue(thresholds.cpuPercent);
    m_redis->setValue(thresholds.redisMemoryPercent);
    m_errors->setValue(thresholds.errorRatePercent);
    m_skew->setValue(thresholds.shardSkew);
    m_band->setValue(thresholds.warnBand);
    m_growth->setValue(plan.growth);
    m_margin->setValue(plan.safetyMargin);
    m_users->setValue(plan.users);
}

ScorecardThresholds ScorecardSettingsDialog::thresholds() const {
    ScorecardThresholds thresholds;
    thresholds.p95LatencyMs = m_p95->value();
    thresholds.replicaLagMs = m_lag->value();
    thresholds.cacheHitRatePercent = m_hitRate->value();
    thresholds.poolUsePercent = m_pool->value();
    thresholds.cpuPercent = m_cpu->value();
    thresholds.redisMemoryPercent = m_redis->value();
    thresholds.errorRatePercent = m_errors->value();
    thresholds.shardSkew = m_skew->value();
    thresholds.warnBand = m_band->value();
    return thresholds;
}

CapacityPlan ScorecardSettingsDialog::plan() const {
    CapacityPlan plan;
    plan.growth = m_growth->value();
    plan.safetyMargin = m_margin->value();
    plan.users = m_users->value();
    return plan;
}

} // namespace switchboard
