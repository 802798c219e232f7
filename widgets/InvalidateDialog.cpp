#include "InvalidateDialog.h"

#include "ActionClient.h"
#include "ActionFeedback.h"
#include "ActionPlanView.h"
#include "ActionRequests.h"
#include "ActionStyles.h"
#include "CacheModel.h"
#include "CacheWireNames.h"
#include "InvalidateAcksView.h"
#include "InvalidatePreview.h"
#include "JobFollower.h"
#include "MatchAllConfirmDialog.h"
#include "ShardsStatus.h" // shardCountText

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

namespace switchboard {

using Match = InvalidateRequest::Match;

namespace {

// A large invalidation at a low rate may run for a long time.
constexpr std::chrono::minutes kFollowLimit{60};

QString matchHelp(Match match) {
    switch (match) {
    case Match::Key:
        return InvalidateDialog::tr("Exactly this key, e.g. catalog:item:42.");
    case Match::Prefix:
        return InvalidateDialog::tr("Every key that starts with this, e.g. catalog:item: (with "
                                    "the colon, or catalog:items would go too). Empty: every "
                                    "key.");
    case Match::Pattern:
        return InvalidateDialog::tr("A Redis glob: * any run of characters, ? one, [a-z] a set, "
                                    "\\ escapes. * alone: every key.");
    }
    return {};
}

} // namespace

InvalidateDialog::InvalidateDialog(ActionClient* client, const CacheModel* model,
                                   const QString& targetKey, const QString& agentLabel,
                                   QWidget* parent)
    : QDialog(parent)
    , m_client(client)
    , m_model(model)
    , m_targetKey(targetKey)
    , m_match(new QComboBox(this))
    , m_value(new QLineEdit(this))
    , m_rate(new QSpinBox(this))
    , m_matchHelp(new QLabel(this))
    , m_planButton(new QPushButton(tr("Preview"), this))
    , m_status(new QLabel(this))
    , m_preview(new InvalidatePreview(this))
    , m_planView(new ActionPlanView(this))
    , m_progressBox(new QGroupBox(tr("Progress"), this))
    , m_progress(new QProgressBar(m_progressBox))
    , m_progressText(new QLabel(m_progressBox))
    , m_acks(new InvalidateAcksView(this))
    , m_feedback(new ActionFeedback(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_confirmButton(new QPushButton(tr("Confirm…"), this))
    , m_cancelJobButton(new QPushButton(tr("Cancel job"), this))
    , m_follower(new JobFollower(client, this))
    , m_requests(new ActionRequests(client, this)) {
    setObjectName(QStringLiteral("invalidateDialog"));
    setWindowTitle(tr("Invalidate cache keys"));
    const QString agent = actionAgentText(client, agentLabel);
    auto* title = new QLabel(tr("<b>Invalidate keys in Redis %1</b> and every instance's L1, "
                                "through %2")
                                 .arg(redisTarget().toHtmlEscaped(), agent.toHtmlEscaped()),
                             this);
    title->setObjectName(QStringLiteral("titleLabel"));
    title->setWordWrap(true);

    auto* planRow = new QHBoxLayout;
    planRow->addStretch(1);
    planRow->addWidget(m_status);
    planRow->addWidget(m_planButton);
    m_planButton->setObjectName(QStringLiteral("planButton"));
    m_planButton->setToolTip(tr("Ask the agent which keys match; nothing is deleted yet"));
    m_planButton->setDefault(true);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    connect(m_planButton, &QPushButton::clicked, this, &InvalidateDialog::requestPlan);

    m_preview->hide();
    m_planView->hide();

    m_progressBox->setObjectName(QStringLiteral("progressBox"));
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_progress->setRange(0, 1000);
    m_progress->setFormat(tr("%p %"));
    m_progressText->setObjectName(QStringLiteral("progressLabel"));
    m_progressText->setWordWrap(true);
    auto* progressLayout = new QVBoxLayout(m_progressBox);
    progressLayout->addWidget(m_progress);
    progressLayout->addWidget(m_progressText);
    m_progressBox->hide();
    m_acks->hide();

    m_confirmButton->setObjectName(QStringLiteral("confirmButton"));
    m_confirmButton->setAutoDefault(false); // Enter must never delete keys
    m_cancelJobButton->setObjectName(QStringLiteral("cancelJobButton"));
    m_cancelJobButton->setAutoDefault(false);
    m_cancelJobButton->setToolTip(tr("Stop after the current batch; keys unlinked so far stay "
                                     "unlinked"));
    m_buttons->addButton(m_cancelJobButton, QDialogButtonBox::ActionRole);
    m_buttons->addButton(m_confirmButton, QDialogButtonBox::ActionRole);
    connect(m_confirmButton, &QPushButton::clicked, this, &InvalidateDialog::confirmPlan);
    connect(m_cancelJobButton, &QPushButton::clicked, this, &InvalidateDialog::cancelJob);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(buildInputs());
    layout->addLayout(planRow);
    layout->addWidget(m_preview);
    layout->addWidget(m_planView);
    layout->addWidget(m_progressBox);
    layout->addWidget(m_acks);
    layout->addWidget(m_feedback->resultLabel());
    layout->addWidget(m_feedback->errorLabel());
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    layout->setSizeConstraint(QLayout::SetMinimumSize);

    m_follower->setTiming({std::chrono::milliseconds(250), kFollowLimit});
    wireActionFlow([] { return tr("%1 minutes").arg(kFollowLimit.count()); });
    onInputsChanged();
}

QWidget* InvalidateDialog::buildInputs() {
    auto* box = new QGroupBox(tr("Which keys"), this);
    m_match->setObjectName(QStringLiteral("matchCombo"));
    m_match->addItem(tr("Keys starting with a prefix"), static_cast<int>(Match::Prefix));
    m_match->addItem(tr("One key"), static_cast<int>(Match::Key));
    m_match->addItem(tr("Keys matching a pattern"), static_cast<int>(Match::Pattern));
    m_value->setObjectName(QStringLiteral("valueEdit"));
    m_value->setPlaceholderText(QStringLiteral("catalog:item:"));
    m_value->setClearButtonEnabled(true);
    m_rate->setObjectName(QStringLiteral("rateSpin"));
    m_rate->setRange(1, InvalidateRequest::kMaxRate);
    m_rate->setValue(InvalidateRequest::kDefaultRate);
    m_rate->setGroupSeparatorShown(true);
    m_rate->setSuffix(tr(" keys/s"));
    m_rate->setToolTip(tr("The most keys per second the agent unlinks, so Redis keeps serving"));
    m_matchHelp->setObjectName(QStringLiteral("matchHelp"));
    m_matchHelp->setWordWrap(true);
    // Wide enough for a sample of long keys and the plan's tables.
    box->setMinimumWidth(640);
    auto* form = new QFormLayout(box);
    form->addRow(tr("Select:"), m_match);
    form->addRow(tr("Value:"), m_value);
    form->addRow(QString(), m_matchHelp);
    form->addRow(tr("Rate:"), m_rate);
    connect(m_match, &QComboBox::currentIndexChanged, this, &InvalidateDialog::onInputsChanged);
    connect(m_value, &QLineEdit::textChanged, this, &InvalidateDialog::onInputsChanged);
    connect(m_rate, &QSpinBox::valueChanged, this, &InvalidateDialog::onInputsChanged);
    return box;
}

QString InvalidateDialog::redisTarget() const {
    const QString target = m_model ? m_model->target(m_targetKey).target : QString();
    return target.isEmpty() ? m_targetKey : target;
}

InvalidateRequest InvalidateDialog::request() const {
    InvalidateRequest request;
    request.match = static_cast<Match>(m_match->currentData().toInt());
    request.value = m_value->text();
    request.rate = m_rate->value();
    request.allowMatchAll = m_matchAllConfirmed;
    return request;
}

void InvalidateDialog::setRequest(const InvalidateRequest& request) {
    m_match->setCurrentIndex(m_match->findData(static_cast<int>(request.match)));
    m_value->setText(request.value);
    m_rate->setValue(request.rate);
    onInputsChanged();
}

void InvalidateDialog::onInputsChanged() {
    m_matchHelp->setText(matchHelp(static_cast<Match>(m_match->currentData().toInt())));
    // A plan, and a match-all confirmation, are for the selection they were made with.
    m_matchAllConfirmed = false;
    if (m_stage == Stage::Planned || m_stage == Stage::Finished) {
        dropPlan();
        m_preview->hide();
        m_progressBox->hide();
        m_acks->hide();
        clearFeedback();
        setStage(Stage::Choosing);
    }
    updateControls();
}

void InvalidateDialog::requestPlan() {
    if (!m_client ||
        (m_stage != Stage::Choosing && m_stage != Stage::Planned && m_stage != Stage::Finished))
        return;
    const InvalidateRequest wanted = request();
    if (const QString problem = wanted.problem(); !problem.isEmpty()) {
        m_feedback->showError(problem);
        return;
    }
    if (wanted.isMatchAll() && !m_matchAllConfirmed) {
        askMatchAll(wanted.match == Match::Prefix
                        ? tr("An empty prefix selects every key.")
                        : tr("The pattern %1 selects every key.").arg(wanted.value));
        return;
    }
    sendPlan();
}

void InvalidateDialog::askMatchAll(const QString& why) {
    m_feedback->showError({});
    m_matchAll = new MatchAllConfirmDialog(redisTarget(), why, this);
    m_matchAll->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_matchAll, &QDialog::finished, this, [this](int result) {
        m_matchAll = nullptr;
        if (m_stage != Stage::AskingMatchAll)
            return;
        if (result == QDialog::Accepted) {
            m_matchAllConfirmed = true;
            sendPlan();
            return;
        }
        m_status->setText(tr("Not previewed: every key needs its own confirmation."));
        setStage(Stage::Choosing);
    });
    setStage(Stage::AskingMatchAll);
    m_matchAll->open();
}

void InvalidateDialog::sendPlan() {
    m_job.reset();
    dropPlan();
    m_preview->hide();
    m_progressBox->hide();
    m_acks->hide();
    clearFeedback();
    m_status->setText(tr("Counting matching keys…"));
    setStage(Stage::Planning);
    m_requests->plan(qtName(cache_wire::kInvalidateAction), redisTarget(), request().params());
}

void InvalidateDialog::onPlanned(const ActionPlan& plan) {
    m_plan = plan;
    m_status->clear();
    m_preview->setDetails(invalidatePlanDetails(plan), m_rate->value());
    m_preview->show();
    m_planView->setPlan(plan);
    m_planView->show();
    setStage(Stage::Planned);
}

void InvalidateDialog::confirmPlan() {
    if (!mayConfirm())
        return;
    // Deleting is the dangerous part: one more explicit question, naming how much goes.
    const InvalidatePlanDetails details = invalidatePlanDetails(*m_plan);
    const QString what = details.matchAll ? tr("every key (%1 now)").arg(keysText(details.matching))
                         : details.matching >= 0 ? keysText(details.matching)
                                                 : tr("the matching keys");
    askBeforeConfirm({
        .title = tr("Delete keys?"),
        .text = tr("This deletes %1 from Redis %2 and tells every instance to drop them from its "
                   "L1. The next gets of those keys go to the loader.")
                    .arg(what, redisTarget()),
        .objectName = QStringLiteral("confirmDeleteBox"),
        .acceptText = tr("Delete keys"),
        .acceptName = QStringLiteral("deleteKeysButton"),
        .rejectText = tr("Don't delete"),
        .confirming = tr("Confirming…"),
    });
}

void InvalidateDialog::onConfirmed(const ActionJob& job) {
    m_progressBox->show();
    runConfirmedJob(job);
}

void InvalidateDialog::cancelJob() {
    sendCancel(tr("Cancelling…"));
}

void InvalidateDialog::showProgress(const ActionJob& job) {
    const InvalidateProgress progress = invalidateJobProgress(job);
    const qint64 matching = progress.matching >= 0
                                ? progress.matching
                                : (m_plan ? invalidatePlanDetails(*m_plan).matching : -1);
    double fraction = job.progress;
    if (fraction <= 0.0 && progress.unlinked >= 0 && matching > 0)
        fraction = double(progress.unlinked) / double(matching);
    if (job.succeeded())
        fraction = 1.0;
    m_progress->setValue(qRound(std::clamp(fraction, 0.0, 1.0) * 1000));
    QString counts;
    if (progress.unlinked >= 0 && matching >= 0)
        counts = tr("%1 of %2 unlinked").arg(shardCountText(progress.unlinked), keysText(matching));
    else if (progress.unlinked >= 0)
        counts = tr("%1 unlinked").arg(keysText(progress.unlinked));
    QStringList lines;
    if (!counts.isEmpty())
        lines.append(counts);
    if (!job.message.isEmpty() && !job.isFinal())
        lines.append(job.message);
    m_progressText->setText(lines.join(QStringLiteral(" — ")));
}

void InvalidateDialog::onJob(const ActionJob& job) {
    m_job = job;
    showProgress(job);
    const std::optional<InvalidateResult> result = invalidateJobResult(job);
    if (result && job.isFinal()) {
        m_acks->setResult(*result, m_model ? m_model->subscribers(m_targetKey)
                                           : QList<QPair<QString, bool>>());
        m_acks->show();
    }
    if (job.succeeded()) {
        QString text = tr("✔ Invalidated: %1").arg(job.message);
        if (result && result->unlinked >= 0) {
            text = tr("✔ Invalidated: %1 unlinked").arg(keysText(result->unlinked));
            if (result->elapsedMs >= 0)
                text += tr(" in %1 s").arg(double(result->elapsedMs) / 1000.0, 0, 'f', 1);
            if (result->keysPerSecond >= 0)
                text += tr(" (%1 keys/s)").arg(shardCountText(qRound64(result->keysPerSecond)));
            text += QLatin1Char('.');
        }
        m_feedback->showResult(text, result && result->missing > 0 ? action_style::warning()
                                                                   : action_style::success());
    } else if (job.state == qtName(protocol::job_state::kFailed)) {
        m_feedback->showResult(ActionFeedback::failedJobText(job), action_style::error());
    } else if (job.state == qtName(protocol::job_state::kCancelled)) {
        m_feedback->showResult(
            tr("Cancelled: %1. Keys unlinked before the cancel stay unlinked.").arg(job.message),
            action_style::warning());
    } else if (job.state != qtName(protocol::job_state::kRunning)) {
        // Cancelling: said here until the batch ends. Running: the progress box says it all.
        m_feedback->showResult(job.message.isEmpty() ? job.state : job.message,
                               action_style::neutral());
    }
    updateControls();
}

void InvalidateDialog::onPlanFailed(const ActionError& error) {
    // A selection the console did not see as every key, but the agent does: the same
    // separate confirmation, then the plan again with allow_match_all.
    if (isMatchAllRefusal(error) && !m_matchAllConfirmed) {
        m_status->clear();
        setStage(Stage::Choosing);
        askMatchAll(tr("The agent says so: %1").arg(error.message));
        return;
    }
    planRefused(error.text());
}

QString InvalidateDialog::errorText() const {
    return m_feedback->errorText();
}

void InvalidateDialog::updateControls() {
    const bool idle = isIdle();
    const bool client = !m_client.isNull();
    m_match->setEnabled(idle);
    m_value->setEnabled(idle);
    m_rate->setEnabled(idle);
    m_planButton->setEnabled(idle && client);
    m_planButton->setText(m_stage == Stage::Choosing ? tr("Preview") : tr("Preview again"));
    m_confirmButton->setEnabled(mayConfirm());
    m_cancelJobButton->setVisible(m_stage == Stage::Running || m_stage == Stage::Finished);
    m_cancelJobButton->setEnabled(mayCancel());
}

void InvalidateDialog::done(int result) {
    // A running invalidation goes on; the audit log has its result.
    stopFollowing();
    if (m_matchAll)
        m_matchAll->close();
    QDialog::done(result);
}

} // namespace switchboard
