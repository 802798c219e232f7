#include "RegionCard.h"

#include "DrillReport.h" // drillVerdictText
#include "FleetPageParts.h"
#include "HealthDelegate.h"
#include "RegionMembersModel.h"
#include "ReplicationStatus.h" // replicationBytesText

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace switchboard {

namespace {

QLabel* valueLabel(const char* name, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

// "1.21 s against 15.00 s: met" — the measured figure first, as the eye looks for it.
QString judged(const QString& measured, qint64 targetMs, const std::optional<bool>& met) {
    QString text = RegionCard::tr("%1 against %2").arg(measured, drillDurationText(targetMs));
    if (met)
        text += RegionCard::tr(": %1").arg(*met ? RegionCard::tr("met ✔")
                                                : RegionCard::tr("not met ✖"));
    return text;
}

} // namespace

RegionCard::RegionCard(QWidget* parent)
    : QGroupBox(parent)
    , m_health(valueLabel("healthLabel", this))
    , m_leader(valueLabel("leaderLabel", this))
    , m_timeline(valueLabel("timelineLabel", this))
    , m_lag(valueLabel("lagLabel", this))
    , m_rto(valueLabel("rtoLabel", this))
    , m_rpo(valueLabel("rpoLabel", this))
    , m_error(valueLabel("regionErrorLabel", this))
    , m_members(new QTableView(this))
    , m_membersModel(new RegionMembersModel(this))
    , m_delegate(new HealthDelegate(RegionMembersModel::HealthRole, this)) {
    m_health->setAutoFillBackground(true);
    m_health->setMargin(6);
    m_health->setAlignment(Qt::AlignCenter);
    m_error->setStyleSheet(QStringLiteral("color: #b52a1c;"));
    m_error->hide();

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Leader:"), m_leader);
    form->addRow(tr("Timeline:"), m_timeline);
    form->addRow(tr("Behind active:"), m_lag);
    form->addRow(tr("RTO (last drill):"), m_rto);
    form->addRow(tr("RPO (last drill):"), m_rpo);

    setUpReadOnlyTable(m_members, QStringLiteral("membersTable"), 90);
    m_members->setModel(m_membersModel);
    m_members->setItemDelegate(m_delegate);
    m_members->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_members->horizontalHeader()->setSectionResizeMode(RegionMembersModel::AddressColumn,
                                                        QHeaderView::Stretch);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_health);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_members, 1);
    setMinimumWidth(420);
}

void RegionCard::setRegion(const RegionStatus& region, const RegionsTargets& targets,
                           const DrillResult* lastDrill) {
    m_region = region;
    setObjectName(QStringLiteral("regionCard-%1").arg(region.name));
    setTitle(region.isDirect()
                 ? tr("%1 (direct: no Patroni, drills by pg_promote)").arg(region.name)
             : region.cluster.isEmpty() || region.cluster == region.name
                 ? region.name
                 : tr("%1 (cluster %2)").arg(region.name, region.cluster));
    const QString role = region.isActive()                         ? tr("Active")
                         : region.role == QLatin1String("standby") ? tr("Standby")
                         : region.role.isEmpty()                   ? tr("Role unknown")
                                                                   : region.role;
    m_health->setText(tr("<b>%1</b> · %2").arg(role, regionHealthText(region.health)));
    m_health->setToolTip(region.isActive() ? tr("This region takes the writes")
                                           : tr("This region follows the active one"));
    m_leader->setText(region.leader.isEmpty() ? tr("none") : region.leader);
    m_timeline->setText(region.timeline < 0 ? QStringLiteral("–")
                                            : QString::number(region.timeline));
    if (region.isActive())
        m_lag->setText(tr("– (takes the writes)"));
    else
        m_lag->setText(region.crossRegionLagBytes < 0
                           ? tr("unknown")
                           : replicationBytesText(region.crossRegionLagBytes));
    if (lastDrill) {
        m_rto->setText(
            judged(drillDurationText(lastDrill->rtoMs),
                   lastDrill->rtoTargetMs >= 0 ? lastDrill->rtoTargetMs : targets.rtoTargetMs,
                   lastDrill->rtoMet));
        const QString writes =
            lastDrill->rpoWrites == 1
                ? tr("1 write")
                : tr("%1 writes")
                      .arg(lastDrill->rpoWrites < 0 ? QStringLiteral("–")
                                                    : QString::number(lastDrill->rpoWrites));
        m_rpo->setText(
            judged(tr("%1 (%2)").arg(writes, drillDurationText(lastDrill->rpoMs)),
                   lastDrill->rpoTargetMs >= 0 ? lastDrill->rpoTargetMs : targets.rpoTargetMs,
                   lastDrill->rpoMet));
    } else {
        m_rto->setText(tr("no drill yet (target %1)").arg(drillDurationText(targets.rtoTargetMs)));
        m_rpo->setText(tr("no drill yet (target %1)").arg(drillDurationText(targets.rpoTargetMs)));
    }
    m_error->setText(region.error);
    m_error->setVisible(!region.error.isEmpty());
    m_membersModel->setMembers(region.members);
    paintHealth();
}

void RegionCard::setTheme(const Theme& theme) {
    m_theme = theme;
    m_delegate->setTheme(theme);
    m_members->viewport()->update();
    paintHealth();
}

void RegionCard::paintHealth() {
    // Words on the colour, as the cache's verdict: colour never carries the meaning alone.
    QPalette palette = m_health->palette();
    palette.setColor(QPalette::Window, m_theme.healthColor(regionHealthColour(m_region.health)));
    palette.setColor(QPalette::WindowText, m_theme.palette().color(QPalette::WindowText));
    m_health->setPalette(palette);
}

} // namespace switchboard
