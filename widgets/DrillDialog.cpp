#include "DrillDialog.h"

#include "ActionClient.h"
#include "ActionFeedback.h"
#include "ActionPlanView.h"
#include "ActionRequests.h"
#include "ActionStyles.h"
#include "DrillReport.h"
#include "DrillReportExport.h"
#include "JobFollower.h"
#include "RegionsModel.h"
#include "ReplicationStatus.h" // replicationBytesText
#include "ShardsStatus.h"      // shardCountText

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>
#include <algorithm>

namespace switchboard {

namespace {

// A live failover waits out Patroni's TTL and the backend's reconnect; a drill stopped by a
// stop condition waits out the RTO target. Past this its result is in the audit log.
constexpr std::chrono::minutes kFollowLimit{10};

QString modeHelp(const QString& mode, bool regionDrill) {
    if (mode == qtName(protocol::drill_mode::kPlan))
        return DrillDialog::tr("Preflight only: confirming records the plan as a report; "
                               "nothing changes.");
    if (mode == qtName(protocol::drill_mode::kSimulated))
        return DrillDialog::tr("The write router fails over to the same leader under a new "
                               "epoch: databases untouched, the backend's reconnect measured.");
    if (regionDrill)
        return DrillDialog::tr("Fences the active region and moves every database the backend "
                               "writes to into this region, for real. Type its name below to "
                               "confirm.");
    return DrillDialog::tr("Changes the region's leader for real (a failover crashes it). "
                           "Type the region's name below to confirm.");
}

bool isLeaderRole(const QString& role) {
    return role == QLatin1String("leader") || role == QLatin1String("standby_leader");
}

} // namespace

DrillDialog::DrillDialog(ActionClient* client, const RegionsModel* model, const QString& agentLabel,
                         QWidget* parent)
    : QDialog(parent)
    , m_client(client)
    , m_model(model)
    , m_region(new QComboBox(this))
    , m_kind(new QComboBox(this))
    , m_mode(new QComboBox(this))
    , m_candidate(new QComboBox(this))
    , m_modeHelp(new QLabel(this))
    , m_confirmRow(new QWidget(this))
    , m_confirmRegion(new QLineEdit(m_confirmRow))
    , m_confirmHint(new QLabel(m_confirmRow))
    , m_planButton(new QPushButton(tr("Preflight"), this))
    , m_status(new QLabel(this))
    , m_chosen(new QLabel(this))
    , m_planView(new ActionPlanView(this))
    , m_progressBox(new QGroupBox(tr("Drill steps"), this))
    , m_progress(new QProgressBar(m_progressBox))
    , m_log(new QPlainTextEdit(m_progressBox))
    , m_feedback(new ActionFeedback(this))
    , m_exportRow(new QWidget(this))
    , m_exportMarkdown(new QPushButton(tr("Export Markdown…"), m_exportRow))
    , m_exportPdf(new QPushButton(tr("Export PDF…"), m_exportRow))
    , m_exportStatus(new QLabel(m_exportRow))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_confirmButton(new QPushButton(tr("Run drill"), this))
    , m_abortButton(new QPushButton(tr("Abort"), this))
    , m_follower(new JobFollower(client, this))
    , m_requests(new ActionRequests(client, this)) {
    setObjectName(QStringLiteral("drillDialog"));
    setWindowTitle(tr("Failover drill"));
    const QString agent = actionAgentText(client, agentLabel);
    auto* title = new QLabel(tr("<b>Rehearse a failover</b> through %1: preflight first, then "
                                "run and measure RTO and RPO")
                                 .arg(agent.toHtmlEscaped()),
                             this);
    title->setObjectName(QStringLiteral("titleLabel"));
    title->setWordWrap(true);

    auto* planRow = new QHBoxLayout;
    planRow->addWidget(m_status, 1);
    planRow->addWidget(m_planButton);
    m_planButton->setObjectName(QStringLiteral("planButton"));
    m_planButton->setToolTip(tr("Ask the agent for the plan and its checks; nothing runs yet"));
    m_planButton->setDefault(true);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    connect(m_planButton, &QPushButton::clicked, this, &DrillDialog::requestPlan);

    m_chosen->setObjectName(QStringLiteral("chosenCandidateLabel"));
    m_chosen->setWordWrap(true);
    m_chosen->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chosen->hide();
    m_planView->hide();

    m_progressBox->setObjectName(QStringLiteral("progressBox"));
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, 1000);
    m_progress->setFormat(tr("%p %"));
    m_log->setObjectName(QStringLiteral("stepLog"));
    m_log->setReadOnly(true);
    m_log->setMinimumHeight(120);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    auto* progressLayout = new QVBoxLayout(m_progressBox);
    progressLayout->addWidget(m_progress);
    progressLayout->addWidget(m_log, 1);
    m_progressBox->hide();

    m_exportMarkdown->setObjectName(QStringLiteral("exportMarkdownButton"));
    m_exportPdf->setObjectName(QStringLiteral("exportPdfButton"));
    m_exportStatus->setObjectName(QStringLiteral("exportStatus"));
    m_exportStatus->setWordWrap(true);
    auto* exportLayout = new QHBoxLayout(m_exportRow);
    exportLayout->setContentsMargins(0, 0, 0, 0);
    exportLayout->addWidget(m_exportStatus, 1);
    exportLayout->addWidget(m_exportMarkdown);
    exportLayout->addWidget(m_exportPdf);
    m_exportRow->hide();
    connect(m_exportMarkdown, &QPushButton::clicked, this, [this] { exportResult(false); });
    connect(m_exportPdf, &QPushButton::clicked, this, [this] { exportResult(true); });

    m_confirmButton->setObjectName(QStringLiteral("confirmButton"));
    m_confirmButton->setAutoDefault(false); // Enter must never start a drill
    m_abortButton->setObjectName(QStringLiteral("abortButton"));
    m_abortButton->setAutoDefault(false);
    m_abortButton->setToolTip(tr("Cancel the drill at its next safe point"));
    m_buttons->addButton(m_abortButton, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_confirmButton, QDialogButtonBox::ActionRole);
    connect(m_confirmButton, &QPushButton::clicked, this, &DrillDialog::confirmPlan);
    connect(m_abortButton, &QPushButton::clicked, this, &DrillDialog::abortDrill);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    m_inputs = buildInputs();
    layout->addWidget(m_inputs);
    layout->addLayout(planRow);
    layout->addWidget(m_chosen);
    layout->addWidget(m_planView);
    layout->addWidget(m_progressBox, 1);
    layout->addWidget(m_feedback->resultLabel());
    layout->addWidget(m_feedback->errorLabel());
    layout->addWidget(m_exportRow);
    layout->addStretch(0);
    layout->addWidget(m_buttons);
    layout->setSizeConstraint(QLayout::SetMinimumSize);

    m_follower->setTiming({std::chrono::milliseconds(250), kFollowLimit});
    wireActionFlow([] { return tr("%1 minutes").arg(kFollowLimit.count()); });
    fillRegions();
    onInputsChanged();
}

QWidget* DrillDialog::buildInputs() {
    auto* box = new QGroupBox(tr("Drill"), this);
    m_region->setObjectName(QStringLiteral("regionCombo"));
    m_kind->setObjectName(QStringLiteral("kindCombo"));
    m_kind->addItem(tr("Switchover (planned, within the region)"),
                    qtName(protocol::drill_kind::kSwitchover));
    m_kind->addItem(tr("Failover (unplanned: the leader is crashed)"),
                    qtName(protocol::drill_kind::kFailover));
    m_kind->addItem(tr("Region failover (this region takes over every database)"),
                    qtName(protocol::drill_kind::kRegionFailover));
    m_kind->addItem(tr("Region failback (this region takes everything back)"),
                    qtName(protocol::drill_kind::kRegionFailback));
    m_mode->setObjectName(QStringLiteral("modeCombo"));
    m_mode->addItem(tr("Plan only"), qtName(protocol::drill_mode::kPlan));
    m_mode->addItem(tr("Simulated (write router only)"), qtName(protocol::drill_mode::kSimulated));
    m_mode->addItem(tr("Live (changes the leader)"), qtName(protocol::drill_mode::kLive));
    m_candidate->setObjectName(QStringLiteral("candidateCombo"));
    m_candidate->setToolTip(tr("The member to become leader; by default the agent picks the "
                               "passing candidate with the least lag"));
    m_modeHelp->setObjectName(QStringLiteral("modeHelp"));
    m_modeHelp->setWordWrap(true);

    m_confirmRegion->setObjectName(QStringLiteral("confirmRegionEdit"));
    m_confirmRegion->setClearButtonEnabled(true);
    m_confirmHint->setObjectName(QStringLiteral("confirmHint"));
    // One line: a wrapped label in a form row reserves the height of two.
    m_confirmHint->setWordWrap(false);
    m_confirmRow->setObjectName(QStringLiteral("confirmRow"));
    auto* confirmLayout = new QVBoxLayout(m_confirmRow);
    confirmLayout->setContentsMargins(0, 0, 0, 0);
    confirmLayout->addWidget(m_confirmHint);
    confirmLayout->addWidget(m_confirmRegion);

    // Wide enough for the checks table's reasons.
    box->setMinimumWidth(680);
    auto* form = new QFormLayout(box);
    form->addRow(tr("Region:"), m_region);
    form->addRow(tr("Kind:"), m_kind);
    form->addRow(tr("Mode:"), m_mode);
    form->addRow(QString(), m_modeHelp);
    form->addRow(tr("Candidate:"), m_candidate);
    form->addRow(QString(), m_confirmRow);
    connect(m_region, &QComboBox::currentIndexChanged, this, [this] {
        fillCandidates();
        onInputsChanged();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &DrillDialog::onInputsChanged);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &DrillDialog::onInputsChanged);
    connect(m_candidate, &QComboBox::currentIndexChanged, this, &DrillDialog::onInputsChanged);
    connect(m_confirmRegion, &QLineEdit::textChanged, this, &DrillDialog::onInputsChanged);
    return box;
}

void DrillDialog::fillRegions() {
    const QSignalBlocker blocker(m_region);
    m_region->clear();
    if (m_model) {
        for (const RegionStatus& region : m_model->current().status.regions)
            m_region->addItem(
                tr("%1 (%2, %3)").arg(region.name, region.role, regionHealthText(region.health)),
                region.name);
    }
    fillCandidates();
}

void DrillDialog::fillCandidates() {
    const QSignalBlocker blocker(m_candidate);
    m_candidate->clear();
    m_candidate->addItem(tr("best (the agent picks the least lag)"), QString());
    if (!m_model)
        return;
    const RegionStatus* region =
        m_model->current().status.region(m_region->currentData().toString());
    if (!region)
        return;
    for (const RegionMember& member : region->members) {
        if (isLeaderRole(member.role))
            continue;
        m_candidate->addItem(tr("%1 (%2, lag %3)")
                                 .arg(member.name,
                                      member.streaming ? tr("streaming") : tr("not streaming"),
                                      replicationBytesText(member.lagBytes)),
                             member.name);
    }
}

DrillRequest DrillDialog::request() const {
    DrillRequest request;
    request.region = m_region->currentData().toString();
    request.kind = m_kind->currentData().toString();
    request.mode = m_mode->currentData().toString();
    request.candidate = m_candidate->currentData().toString();
    request.confirmRegion = m_confirmRegion->text();
    return request;
}

void DrillDialog::setRequest(const DrillRequest& request) {
    if (const int index = m_region->findData(request.region); index >= 0)
        m_region->setCurrentIndex(index);
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(request.kind)));
    m_mode->setCurrentIndex(std::max(0, m_mode->findData(request.mode)));
    m_candidate->setCurrentIndex(std::max(0, m_candidate->findData(request.candidate)));
    m_confirmRegion->setText(request.confirmRegion);
    onInputsChanged();
}

void DrillDialog::onInputsChanged() {
    const DrillRequest wanted = request();
    m_modeHelp->setText(modeHelp(wanted.mode, wanted.isRegionDrill()));
    m_confirmRow->setVisible(wanted.isLive());
    m_confirmHint->setText(
        tr("Type <b>%1</b> to confirm a live drill of it:").arg(wanted.region.toHtmlEscaped()));
    m_confirmRegion->setPlaceholderText(wanted.region);
    // A plan is for the inputs it was made with (the typed name goes with it too).
    if (m_stage == Stage::Planned || m_stage == Stage::Finished) {
        dropPlan();
        m_chosen->hide();
        clearFeedback();
        setStage(Stage::Choosing);
    }
    updateControls();
}

void DrillDialog::requestPlan() {
    if (!m_client ||
        (m_stage != Stage::Choosing && m_stage != Stage::Planned && m_stage != Stage::Finished))
        return;
    const DrillRequest wanted = request();
    if (const QString problem = wanted.problem(); !problem.isEmpty()) {
        m_feedback->showError(problem);
        return;
    }
    m_job.reset();
    m_result.reset();
    m_steps.clear();
    m_log->clear();
    m_lastMessage.clear();
    dropPlan();
    m_chosen->hide();
    m_progressBox->hide();
    m_exportRow->hide();
    clearFeedback();
    m_status->setText(tr("Running the preflight checks…"));
    setStage(Stage::Planning);
    m_requests->plan(qtName(protocol::action::kDrillRun), wanted.region, wanted.params());
}

void DrillDialog::onPlanned(const ActionPlan& plan) {
    m_plan = plan;
    m_status->clear();
    const DrillPlanDetails details = drillPlanDetails(plan);
    QStringList lines;
    const QString asked = request().candidate;
    if (details.candidate.isEmpty())
        lines << tr("<b>No candidate passes</b>: the checks below say why.");
    else
        lines << tr("Candidate: <b>%1</b> (%2) · leader now: %3")
                     .arg(details.candidate.toHtmlEscaped(),
                          asked.isEmpty() ? tr("the agent's choice: least lag") : tr("as chosen"),
                          details.leader.isEmpty() ? tr("none") : details.leader.toHtmlEscaped());
    if (details.rtoTargetMs >= 0 || details.rpoTargetMs >= 0)
        lines << tr("Judged against RTO %1 and RPO %2.")
                     .arg(drillDurationText(details.rtoTargetMs),
                          drillDurationText(details.rpoTargetMs));
    if (!details.steps.isEmpty()) {
        QStringList steps;
        for (qsizetype i = 0; i < details.steps.size(); ++i)
            steps << tr("%1. %2").arg(i + 1).arg(details.steps.at(i).toHtmlEscaped());
        lines << tr("Steps: %1").arg(steps.join(QStringLiteral(" · ")));
    }
    m_chosen->setText(lines.join(QStringLiteral("<br>")));
    m_chosen->show();
    m_planView->setPlan(plan);
    m_planView->show();
    setStage(Stage::Planned);
}

void DrillDialog::confirmPlan() {
    if (!mayConfirm() || !request().isConfirmed())
        return;
    sendConfirm(tr("Starting the drill…"));
}

void DrillDialog::onConfirmed(const ActionJob& job) {
    m_progressBox->show();
    runConfirmedJob(job);
}

void DrillDialog::abortDrill() {
    sendCancel(tr("Aborting at the drill's next safe point…"));
}

void DrillDialog::appendStep(const QString& message) {
    // The job repeats its message until the next step: a line per step, not per poll.
    if (message.isEmpty() || message == m_lastMessage)
        return;
    m_lastMessage = message;
    const QString line =
        tr("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), message);
    m_steps.append(line);
    m_log->appendPlainText(line);
}

void DrillDialog::onJob(const ActionJob& job) {
    m_job = job;
    m_progress->setValue(qRound(std::clamp(job.succeeded() ? 1.0 : job.progress, 0.0, 1.0) * 1000));
    appendStep(job.message);
    if (job.isFinal())
        showOutcome(job);
    else if (job.state != qtName(protocol::job_state::kRunning))
        m_feedback->showResult(job.message.isEmpty() ? job.state : job.message,
                               action_style::neutral());
    updateControls();
}

void DrillDialog::showOutcome(const ActionJob& job) {
    m_result = drillJobResult(job);
    if (!m_result) {
        if (job.succeeded())
            m_feedback->showResult(tr("✔ %1").arg(job.message), action_style::success());
        else if (job.state == qtName(protocol::job_state::kCancelled))
            m_feedback->showResult(tr("Drill cancelled: %1").arg(job.message),
                                   action_style::warning());
        else
            m_feedback->showResult(ActionFeedback::failedJobText(job), action_style::error());
        return;
    }
    const DrillResult& drill = *m_result;
    // The agent's own timeline replaces what the polls caught when they missed steps: a drill
    // faster than the poll (a direct switchover takes a third of a second) would otherwise show
    // its last line only.
    if (m_steps.size() <= drill.timeline.size()) {
        m_steps.clear();
        for (const auto& step : drill.timeline)
            m_steps.append(tr("+%1 ms  %2: %3").arg(step.tMs).arg(step.step, step.detail));
        m_log->setPlainText(m_steps.join(QLatin1Char('\n')));
    }
    const QString rto =
        tr("RTO %1 against %2: %3")
            .arg(drillDurationText(drill.rtoMs), drillDurationText(drill.rtoTargetMs),
                 drillVerdictText(drill.rtoMet));
    const QString writes =
        drill.rpoWrites == 1 ? tr("1 write") : tr("%1 writes").arg(shardCountText(drill.rpoWrites));
    const QString rpo =
        tr("RPO %1, %2, %3 against %4: %5")
            .arg(writes, replicationBytesText(drill.rpoBytes), drillDurationText(drill.rpoMs),
                 drillDurationText(drill.rpoTargetMs), drillVerdictText(drill.rpoMet));
    QStringList lines;
    QString style;
    if (drill.succeeded()) {
        const bool missed = drill.rtoMet == false || drill.rpoMet == false;
        lines << (missed ? tr("⚠ Drill succeeded but missed a target: %1 → %2.")
                         : tr("✔ Drill succeeded: %1 → %2."))
                     .arg(drill.from, drill.to);
        style = missed ? action_style::warning() : action_style::success();
    } else {
        lines << tr("✖ Drill %1: %2")
                     .arg(drillOutcomeText(drill.outcome),
                          drill.error.isEmpty() ? job.message : drill.error);
        style = drill.outcome == QLatin1String("cancelled") ? action_style::warning()
                                                            : action_style::error();
    }
    lines << rto << rpo;
    if (drill.writesChecked >= 0)
        lines << tr("%1 acknowledged writes checked.").arg(shardCountText(drill.writesChecked));
    m_feedback->showResult(lines.join(QLatin1Char('\n')), style);
    m_exportStatus->clear();
    m_exportRow->show();
}

void DrillDialog::exportResult(bool pdf) {
    if (!m_result)
        return;
    drill_report_export::exportWithDialog(
        this, *m_result,
        pdf ? drill_report_export::Format::Pdf : drill_report_export::Format::Markdown,
        [label = QPointer<QLabel>(m_exportStatus)](const QString& message) {
            if (label)
                label->setText(message);
        });
}

void DrillDialog::onPlanFailed(const ActionError& error) {
    planRefused(drillRefusalText(error));
}

void DrillDialog::onConfirmFailed(const ActionError& error) {
    confirmRefused(error, drillRefusalText(error));
}

void DrillDialog::onCancelFailed(const ActionError& error) {
    cancelRefused(tr("Could not abort: %1").arg(error.text()));
}

QString DrillDialog::errorText() const {
    return m_feedback->errorText();
}

void DrillDialog::updateControls() {
    const bool idle = isIdle();
    const bool client = !m_client.isNull();
    const DrillRequest wanted = request();
    for (QWidget* input : {static_cast<QWidget*>(m_region), static_cast<QWidget*>(m_kind),
                           static_cast<QWidget*>(m_mode), static_cast<QWidget*>(m_candidate),
                           static_cast<QWidget*>(m_confirmRegion)})
        input->setEnabled(idle);
    // A region drill promotes the target region's leader: no candidate to choose.
    m_candidate->setEnabled(idle && !wanted.isRegionDrill());
    m_planButton->setEnabled(idle && client && wanted.problem().isEmpty());
    m_planButton->setText(m_stage == Stage::Choosing ? tr("Preflight") : tr("Preflight again"));
    m_confirmButton->setEnabled(mayConfirm() && wanted.isConfirmed());
    m_confirmButton->setText(wanted.mode == qtName(protocol::drill_mode::kPlan) ? tr("Record plan")
                                                                                : tr("Run drill"));
    const bool started =
        m_stage == Stage::Confirming || m_stage == Stage::Running || m_stage == Stage::Finished;
    m_abortButton->setVisible(started);
    // Once the drill starts its inputs are the plan's summary; the step log needs the room
    // (a dialog taller than a laptop's screen would hide its own buttons).
    if (m_inputs)
        m_inputs->setVisible(!started);
    m_abortButton->setEnabled(mayCancel());
}

void DrillDialog::done(int result) {
    // A running drill goes on; the history and audit log have it.
    stopFollowing();
    QDialog::done(result);
}

} // namespace switchboard
