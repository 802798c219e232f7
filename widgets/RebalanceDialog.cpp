#include "RebalanceDialog.h"

#include "ActionClient.h"
#include "ActionFeedback.h"
#include "ActionPlanView.h"
#include "ActionRequests.h"
#include "ActionStyles.h"
#include "JobFollower.h"
#include "ProtocolNames.h"
#include "ShardsModel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <switchboard/protocol.h>

namespace switchboard {

using Goal = RebalanceRequest::Goal;
using By = RebalanceRequest::By;

namespace {

// A rebalance copies every row of a bucket: it may run for many minutes.
constexpr std::chrono::minutes kFollowLimit{120};

enum MoveColumn { BucketColumn, PathColumn, PhaseColumn, ProgressColumn, RowsColumn, MoveColumns };

QString bucketsText(qsizetype count) {
    return count == 1 ? RebalanceDialog::tr("1 bucket")
                      : RebalanceDialog::tr("%1 buckets").arg(count);
}

QString goalHelp(Goal goal) {
    switch (goal) {
    case Goal::Even:
        return RebalanceDialog::tr("Moves buckets from the fullest nodes to the emptiest until "
                                   "every node is within the threshold of the mean.");
    case Goal::AddNode:
        return RebalanceDialog::tr("Gives buckets to the chosen node (empty so far) until it "
                                   "carries its share.");
    case Goal::DrainNode:
        return RebalanceDialog::tr("Moves every bucket off the chosen node, so it can be taken "
                                   "out of service.");
    }
    return {};
}

QString skewChange(const QString& what, const SkewFigures& before, const SkewFigures& after) {
    return RebalanceDialog::tr("%1: max/mean %2 → %3, CV %4 → %5")
        .arg(what)
        .arg(before.maxOverMean, 0, 'f', 2)
        .arg(after.maxOverMean, 0, 'f', 2)
        .arg(before.cv, 0, 'f', 2)
        .arg(after.cv, 0, 'f', 2);
}

} // namespace

RebalanceDialog::RebalanceDialog(ActionClient* client, const ShardsModel* model,
                                 const QString& clusterKey, const QString& agentLabel,
                                 QWidget* parent)
    : QDialog(parent)
    , m_client(client)
    , m_model(model)
    , m_clusterKey(clusterKey)
    , m_goal(new QComboBox(this))
    , m_by(new QComboBox(this))
    , m_node(new QComboBox(this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_goalHelp(new QLabel(this))
    , m_planButton(new QPushButton(tr("Plan"), this))
    , m_status(new QLabel(this))
    , m_planView(new ActionPlanView(this))
    , m_details(new QLabel(this))
    , m_progressBox(new QGroupBox(tr("Progress"), this))
    , m_overall(new QProgressBar(m_progressBox))
    , m_eta(new QLabel(m_progressBox))
    , m_movesTable(new QTableWidget(0, MoveColumns, m_progressBox))
    , m_feedback(new ActionFeedback(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_confirmButton(new QPushButton(tr("Confirm…"), this))
    , m_cancelJobButton(new QPushButton(tr("Cancel job"), this))
    , m_follower(new JobFollower(client, this))
    , m_requests(new ActionRequests(client, this)) {
    setObjectName(QStringLiteral("rebalanceDialog"));
    setWindowTitle(tr("Rebalance shards"));
    const QString agent = actionAgentText(client, agentLabel);
    const QString catalog = model ? model->cluster(clusterKey).catalog : QString();
    auto* title = new QLabel(
        tr("<b>Rebalance shard cluster %1</b> through %2")
            .arg((catalog.isEmpty() ? clusterKey : catalog).toHtmlEscaped(), agent.toHtmlEscaped()),
        this);
    title->setObjectName(QStringLiteral("titleLabel"));

    auto* planRow = new QHBoxLayout;
    planRow->addStretch(1);
    planRow->addWidget(m_status);
    planRow->addWidget(m_planButton);
    m_planButton->setObjectName(QStringLiteral("planButton"));
    m_planButton->setToolTip(tr("Ask the agent which buckets would move; nothing moves yet"));
    m_planButton->setDefault(true);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    connect(m_planButton, &QPushButton::clicked, this, &RebalanceDialog::requestPlan);

    m_details->setObjectName(QStringLiteral("planDetails"));
    m_details->setWordWrap(true);
    m_details->setStyleSheet(action_style::neutral());
    m_details->hide();

    // Progress: the whole job with the time left, then a bar per move.
    m_progressBox->setObjectName(QStringLiteral("progressBox"));
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_overall->setRange(0, 1000);
    m_overall->setFormat(tr("%p %"));
    m_eta->setObjectName(QStringLiteral("etaLabel"));
    m_movesTable->setObjectName(QStringLiteral("movesTable"));
    m_movesTable->setHorizontalHeaderLabels(
        {tr("Bucket"), tr("From → to"), tr("Phase"), tr("Progress"), tr("Rows copied")});
    m_movesTable->verticalHeader()->hide();
    m_movesTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_movesTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_movesTable->setFocusPolicy(Qt::NoFocus);
    m_movesTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_movesTable->horizontalHeader()->setSectionResizeMode(ProgressColumn, QHeaderView::Stretch);
    m_movesTable->setMinimumHeight(160);
    auto* progressLayout = new QVBoxLayout(m_progressBox);
    auto* overallRow = new QHBoxLayout;
    overallRow->addWidget(new QLabel(tr("Overall"), m_progressBox));
    overallRow->addWidget(m_overall, 1);
    overallRow->addWidget(m_eta);
    progressLayout->addLayout(overallRow);
    progressLayout->addWidget(m_movesTable);
    m_progressBox->hide();

    m_confirmButton->setObjectName(QStringLiteral("confirmButton"));
    m_confirmButton->setAutoDefault(false); // Enter must never start moving data
    m_cancelJobButton->setObjectName(QStringLiteral("cancelJobButton"));
    m_cancelJobButton->setAutoDefault(false);
    m_cancelJobButton->setToolTip(tr("Stop at the next safe point; a move under way is rolled "
                                     "back, finished moves stay"));
    m_buttons->addButton(m_cancelJobButton, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_confirmButton, QDialogButtonBox::ActionRole);
    connect(m_confirmButton, &QPushButton::clicked, this, &RebalanceDialog::confirmPlan);
    connect(m_cancelJobButton, &QPushButton::clicked, this, &RebalanceDialog::cancelJob);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(buildInputs());
    layout->addLayout(planRow);
    layout->addWidget(m_planView);
    layout->addWidget(m_details);
    layout->addWidget(m_progressBox);
    layout->addWidget(m_feedback->resultLabel());
    layout->addWidget(m_feedback->errorLabel());
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    layout->setSizeConstraint(QLayout::SetMinimumSize);

    m_planView->hide();

    m_follower->setTiming({std::chrono::milliseconds(500), kFollowLimit});
    wireActionFlow([] { return tr("%1 minutes").arg(kFollowLimit.count()); });
    if (model)
        connect(model, &ShardsModel::clusterChanged, this, &RebalanceDialog::onClusterChanged);
    fillNodes();
    onInputsChanged();
}

QWidget* RebalanceDialog::buildInputs() {
    auto* box = new QGroupBox(tr("What to do"), this);
    m_goal->setObjectName(QStringLiteral("goalCombo"));
    m_goal->addItem(tr("Even out the nodes"), static_cast<int>(Goal::Even));
    m_goal->addItem(tr("Add a node (give it buckets)"), static_cast<int>(Goal::AddNode));
    m_goal->addItem(tr("Drain a node (move every bucket off)"), static_cast<int>(Goal::DrainNode));
    m_by->setObjectName(QStringLiteral("byCombo"));
    m_by->addItem(tr("rows"), static_cast<int>(By::Rows));
    m_by->addItem(tr("bytes"), static_cast<int>(By::Bytes));
    m_by->addItem(tr("load (writes + reads per second)"), static_cast<int>(By::Load));
    m_node->setObjectName(QStringLiteral("nodeCombo"));
    m_threshold->setObjectName(QStringLiteral("thresholdSpin"));
    m_threshold->setRange(0, 100);
    m_threshold->setDecimals(0);
    m_threshold->setValue(10);
    m_threshold->setSuffix(tr(" %"));
    m_threshold->setToolTip(tr("Nothing moves while the largest node is within this much of "
                               "the mean"));
    m_goalHelp->setObjectName(QStringLiteral("goalHelp"));
    m_goalHelp->setWordWrap(true);
    // Wide enough for the plan's tables and a readable bar per move.
    box->setMinimumWidth(720);
    auto* form = new QFormLayout(box);
    form->addRow(tr("Goal:"), m_goal);
    form->addRow(QString(), m_goalHelp);
    form->addRow(tr("Balance by:"), m_by);
    form->addRow(tr("Node:"), m_node);
    form->addRow(tr("Threshold:"), m_threshold);
    connect(m_goal, &QComboBox::currentIndexChanged, this, &RebalanceDialog::onInputsChanged);
    connect(m_by, &QComboBox::currentIndexChanged, this, &RebalanceDialog::onInputsChanged);
    connect(m_node, &QComboBox::currentIndexChanged, this, &RebalanceDialog::onInputsChanged);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &RebalanceDialog::onInputsChanged);
    return box;
}

void RebalanceDialog::fillNodes() {
    const QString chosen = m_node->currentData().toString();
    const ShardCluster cluster = m_model ? m_model->cluster(m_clusterKey) : ShardCluster();
    QStringList names;
    for (const ShardNodeSummary& node : cluster.nodes)
        names.append(node.name);
    QStringList shown;
    for (int i = 0; i < m_node->count(); ++i)
        shown.append(m_node->itemData(i).toString());
    if (names == shown)
        return;
    const QSignalBlocker quiet(m_node);
    m_node->clear();
    for (const ShardNodeSummary& node : cluster.nodes)
        m_node->addItem(tr("%1 · %2 buckets").arg(node.name, shardCountText(node.buckets)),
                        node.name);
    m_node->setCurrentIndex(std::max(0, static_cast<int>(names.indexOf(chosen))));
}

RebalanceRequest RebalanceDialog::request() const {
    RebalanceRequest request;
    request.goal = static_cast<Goal>(m_goal->currentData().toInt());
    request.by = static_cast<By>(m_by->currentData().toInt());
    request.node = request.needsNode() ? m_node->currentData().toString() : QString();
    request.thresholdPercent = m_threshold->value();
    return request;
}

void RebalanceDialog::setRequest(const RebalanceRequest& request) {
    m_goal->setCurrentIndex(m_goal->findData(static_cast<int>(request.goal)));
    m_by->setCurrentIndex(m_by->findData(static_cast<int>(request.by)));
    if (!request.node.isEmpty())
        m_node->setCurrentIndex(m_node->findData(request.node));
    m_threshold->setValue(request.thresholdPercent);
    onInputsChanged();
}

QString RebalanceDialog::nodeName(int index) const {
    const ShardCluster cluster = m_model ? m_model->cluster(m_clusterKey) : ShardCluster();
    return index >= 0 && index < cluster.nodes.size() ? cluster.nodes.at(index).name
                                                      : tr("node %1").arg(index);
}

void RebalanceDialog::onInputsChanged() {
    m_goalHelp->setText(goalHelp(request().goal));
    // A plan is for the parameters it was made with; other choices need their own.
    if (m_stage == Stage::Planned || m_stage == Stage::Finished) {
        dropPlan();
        m_details->hide();
        clearFeedback();
        setStage(Stage::Choosing);
    }
    updateControls();
}

void RebalanceDialog::onClusterChanged() {
    if (m_stage == Stage::Choosing || m_stage == Stage::Planned)
        fillNodes();
    // While the job runs the cluster's own report shows the moves, unless the job carries them.
    if (m_stage == Stage::Running && !m_jobCarriesMoves && m_model)
        showMoves(m_model->cluster(m_clusterKey).moves);
}

void RebalanceDialog::requestPlan() {
    if (!m_client || m_stage == Stage::Planning || m_stage == Stage::Asking ||
        m_stage == Stage::Confirming || m_stage == Stage::Running)
        return;
    const RebalanceRequest wanted = request();
    if (wanted.needsNode() && wanted.node.isEmpty()) {
        m_feedback->showError(
            tr("Pick the node to add or drain: no agent reports this cluster's nodes yet."));
        return;
    }
    m_job.reset();
    dropPlan();
    m_details->hide();
    m_progressBox->hide();
    clearFeedback();
    m_status->setText(tr("Planning…"));
    setStage(Stage::Planning);
    // The agent's pipeline names a target for its audit log: the cluster's catalog.
    const QString catalog = m_model ? m_model->cluster(m_clusterKey).catalog : QString();
    m_requests->plan(qtName(protocol::action::kShardsRebalance),
                     catalog.isEmpty() ? QStringLiteral("shards") : catalog, wanted.params());
}

void RebalanceDialog::onPlanned(const ActionPlan& plan) {
    m_plan = plan;
    m_status->clear();
    m_planView->setPlan(plan);
    m_planView->show();
    showPlanDetails(plan);
    setStage(Stage::Planned);
}

void RebalanceDialog::showPlanDetails(const ActionPlan& plan) {
    const RebalancePlanDetails details = rebalancePlanDetails(plan);
    QStringList lines;
    lines.append(plan.changes.isEmpty()
                     ? tr("Nothing to move: every node is within the threshold.")
                     : tr("%1 would move.").arg(bucketsText(plan.changes.size())));
    if (details.estimateSeconds >= 0)
        lines.append(tr("Estimated time: %1.").arg(rebalanceDurationText(details.estimateSeconds)));
    if (details.skewBefore && details.skewAfter) {
        lines.append(tr("Skew before → after:"));
        lines.append(QStringLiteral("   ") +
                     skewChange(tr("rows"), details.skewBefore->rows, details.skewAfter->rows));
        lines.append(QStringLiteral("   ") +
                     skewChange(tr("bytes"), details.skewBefore->bytes, details.skewAfter->bytes));
        lines.append(QStringLiteral("   ") +
                     skewChange(tr("load"), details.skewBefore->load, details.skewAfter->load));
    }
    m_details->setText(lines.join(QLatin1Char('\n')));
    m_details->show();
}

void RebalanceDialog::confirmPlan() {
    if (!mayConfirm())
        return;
    // Moving data is the dangerous part: one more explicit question, naming what moves.
    askBeforeConfirm({
        .title = tr("Move data?"),
        .text = tr("This moves %1 between shard nodes while they serve traffic: rows are copied, "
                   "the map is switched, and the copies on the old nodes are deleted.")
                    .arg(bucketsText(m_plan->changes.size())),
        .objectName = QStringLiteral("confirmMoveBox"),
        .acceptText = tr("Move data"),
        .acceptName = QStringLiteral("moveDataButton"),
        .rejectText = tr("Don't move"),
        .confirming = tr("Confirming…"),
    });
}

void RebalanceDialog::onConfirmed(const ActionJob& job) {
    m_running.start();
    m_jobCarriesMoves = false;
    m_progressBox->show();
    runConfirmedJob(job);
}

void RebalanceDialog::cancelJob() {
    sendCancel(tr("Cancelling…"));
}

void RebalanceDialog::onJob(const ActionJob& job) {
    m_job = job;
    if (const std::optional<QList<ShardMove>> moves = rebalanceJobMoves(job)) {
        m_jobCarriesMoves = true;
        showMoves(*moves);
    } else if (m_model) {
        showMoves(m_model->cluster(m_clusterKey).moves);
    }
    if (job.succeeded()) {
        m_feedback->showResult(tr("✔ Rebalanced: %1").arg(job.message), action_style::success());
    } else if (job.state == qtName(protocol::job_state::kFailed)) {
        m_feedback->showResult(ActionFeedback::failedJobText(job), action_style::error());
    } else if (job.state == qtName(protocol::job_state::kCancelled)) {
        m_feedback->showResult(
            tr("Cancelled: %1. Finished moves stay; the one under way was rolled back.")
                .arg(job.message),
            action_style::warning());
    } else {
        m_feedback->showResult(job.message.isEmpty() ? job.state : job.message,
                               action_style::neutral());
    }
    updateOverall();
    updateControls();
}

void RebalanceDialog::showMoves(const QList<ShardMove>& moves) {
    m_moves = moves;
    m_movesTable->setRowCount(static_cast<int>(moves.size()));
    for (int row = 0; row < moves.size(); ++row) {
        const ShardMove& move = moves.at(row);
        auto set = [&](int column, const QString& text) {
            auto* item = new QTableWidgetItem(text);
            item->setToolTip(text);
            m_movesTable->setItem(row, column, item);
        };
        set(BucketColumn, QString::number(move.bucket));
        set(PathColumn, tr("%1 → %2").arg(nodeName(move.from), nodeName(move.to)));
        set(PhaseColumn, shardMovePhaseLabel(move.phase));
        set(RowsColumn,
            tr("%1 of %2").arg(shardCountText(move.rowsCopied), shardCountText(move.rowsTotal)));
        auto* bar = qobject_cast<QProgressBar*>(m_movesTable->cellWidget(row, ProgressColumn));
        if (!bar) {
            bar = new QProgressBar(m_movesTable);
            bar->setRange(0, 1000);
            bar->setFormat(tr("%p %"));
            m_movesTable->setCellWidget(row, ProgressColumn, bar);
        }
        bar->setValue(qRound(move.progress * 1000));
    }
    updateOverall();
}

void RebalanceDialog::updateOverall() {
    double progress = m_job ? m_job->progress : 0.0;
    if (progress <= 0.0 && !m_moves.isEmpty()) {
        double sum = 0.0;
        for (const ShardMove& move : std::as_const(m_moves))
            sum += move.isFinished() ? 1.0 : move.progress;
        progress = sum / double(m_moves.size());
    }
    progress = std::clamp(progress, 0.0, 1.0);
    m_overall->setValue(qRound(progress * 1000));
    if (m_job && m_job->isFinal()) {
        m_eta->setText(m_job->succeeded() ? tr("done") : tr("stopped"));
        return;
    }
    // The time left from the pace so far; before any progress, from the plan's estimate.
    const double elapsed = m_running.isValid() ? double(m_running.elapsed()) / 1000.0 : 0.0;
    double left = -1.0;
    if (progress >= 0.02)
        left = elapsed * (1.0 - progress) / progress;
    else if (m_plan && rebalancePlanDetails(*m_plan).estimateSeconds >= 0)
        left = std::max(0.0, rebalancePlanDetails(*m_plan).estimateSeconds - elapsed);
    m_eta->setText(left < 0 ? tr("time left: unknown")
                            : tr("%1 left").arg(rebalanceDurationText(left)));
}

QString RebalanceDialog::errorText() const {
    return m_feedback->errorText();
}

void RebalanceDialog::updateControls() {
    const bool idle = isIdle();
    const bool client = !m_client.isNull();
    m_goal->setEnabled(idle);
    m_by->setEnabled(idle);
    m_threshold->setEnabled(idle);
    m_node->setEnabled(idle && request().needsNode());
    m_planButton->setEnabled(idle && client);
    m_planButton->setText(m_stage == Stage::Choosing ? tr("Plan") : tr("Plan again"));
    m_confirmButton->setEnabled(mayConfirm() && !m_plan->changes.isEmpty());
    m_cancelJobButton->setVisible(m_stage == Stage::Running || m_stage == Stage::Finished);
    m_cancelJobButton->setEnabled(mayCancel());
}

void RebalanceDialog::done(int result) {
    // A running rebalance goes on; the Shards view shows it.
    stopFollowing();
    QDialog::done(result);
}

} // namespace switchboard
