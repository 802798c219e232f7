#include "BreakerOverrideDialog.h"

#include "ActionClient.h"
#include "ActionFeedback.h"
#include "ActionPlanView.h"
#include "ActionRequests.h"
#include "ActionStyles.h"
#include "ConfirmRefusal.h"
#include "ProtocolNames.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <switchboard/protocol.h>

namespace switchboard {

using std::chrono::milliseconds;

BreakerOverrideDialog::BreakerOverrideDialog(ActionClient* client, const QString& breaker,
                                             const QString& agentLabel, QWidget* parent)
    : QDialog(parent)
    , m_client(client)
    , m_breaker(breaker)
    , m_modes(new QButtonGroup(this))
    , m_expiryCheck(new QCheckBox(tr("Return to normal after"), this))
    , m_expiryValue(new QSpinBox(this))
    , m_expiryUnit(new QComboBox(this))
    , m_forceOpenWarning(new QFrame(this))
    , m_planButton(new QPushButton(tr("Plan"), this))
    , m_status(new QLabel(this))
    , m_planView(new ActionPlanView(this))
    , m_feedback(new ActionFeedback(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_confirmButton(new QPushButton(tr("Confirm"), this))
    , m_follower(new JobFollower(client, this))
    , m_requests(new ActionRequests(client, this)) {
    setObjectName(QStringLiteral("breakerOverrideDialog"));
    setWindowTitle(tr("Override breaker %1").arg(breaker));
    const QString agent = actionAgentText(client, agentLabel);
    auto* title = new QLabel(tr("<b>Override breaker “%1”</b> on %2")
                                 .arg(breaker.toHtmlEscaped(), agent.toHtmlEscaped()),
                             this);
    title->setObjectName(QStringLiteral("titleLabel"));

    // Expiry: on by default, so a forgotten override undoes itself; the agent allows 1 s to 24 h.
    m_expiryCheck->setObjectName(QStringLiteral("expiryCheck"));
    m_expiryValue->setObjectName(QStringLiteral("expiryValue"));
    m_expiryUnit->setObjectName(QStringLiteral("expiryUnit"));
    m_expiryUnit->addItem(tr("seconds"), 1);
    m_expiryUnit->addItem(tr("minutes"), 60);
    m_expiryUnit->addItem(tr("hours"), 3600);
    auto* expiryRow = new QHBoxLayout;
    expiryRow->addWidget(m_expiryCheck);
    expiryRow->addWidget(m_expiryValue);
    expiryRow->addWidget(m_expiryUnit);
    expiryRow->addStretch(1);
    expiryRow->addWidget(m_status);
    expiryRow->addWidget(m_planButton);
    connect(m_expiryUnit, &QComboBox::currentIndexChanged, this,
            [this] { m_expiryValue->setMaximum(86400 / m_expiryUnit->currentData().toInt()); });
    setExpirySeconds(kDefaultExpirySeconds);

    m_forceOpenWarning->setObjectName(QStringLiteral("forceOpenWarning"));
    auto* warning = new QLabel(
        tr("⚠ Force open refuses every call to %1 from this instance, healthy or not, until "
           "the override expires or is replaced. Callers see errors at once.")
            .arg(breaker),
        m_forceOpenWarning);
    warning->setObjectName(QStringLiteral("forceOpenWarningText"));
    warning->setWordWrap(true);
    warning->setStyleSheet(action_style::warning() +
                           QStringLiteral("QLabel { font-weight: bold; }"));
    auto* warningLayout = new QVBoxLayout(m_forceOpenWarning);
    warningLayout->setContentsMargins(0, 0, 0, 0);
    warningLayout->addWidget(warning);

    m_planButton->setObjectName(QStringLiteral("planButton"));
    m_planButton->setToolTip(tr("Ask the agent what this would change; nothing changes yet"));
    m_status->setObjectName(QStringLiteral("progressLabel"));
    connect(m_planButton, &QPushButton::clicked, this, &BreakerOverrideDialog::requestPlan);

    m_confirmButton->setObjectName(QStringLiteral("confirmButton"));
    // Enter must never confirm an override by accident: Plan is the default button.
    m_confirmButton->setAutoDefault(false);
    m_planButton->setDefault(true);
    m_buttons->addButton(m_confirmButton, QDialogButtonBox::ActionRole);
    connect(m_confirmButton, &QPushButton::clicked, this, &BreakerOverrideDialog::confirmPlan);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(buildModeBox());
    // The warning before the Plan button: read before anything is asked of the agent.
    layout->addWidget(m_forceOpenWarning);
    layout->addLayout(expiryRow);
    layout->addWidget(m_planView);
    layout->addWidget(m_feedback->resultLabel());
    layout->addWidget(m_feedback->errorLabel());
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    // The dialog grows as the plan, the result and errors appear, and never squeezes them.
    layout->setSizeConstraint(QLayout::SetMinimumSize);

    connect(m_modes, &QButtonGroup::idClicked, this, &BreakerOverrideDialog::onInputsChanged);
    connect(m_expiryCheck, &QCheckBox::toggled, this, &BreakerOverrideDialog::onInputsChanged);
    connect(m_expiryValue, &QSpinBox::valueChanged, this, &BreakerOverrideDialog::onInputsChanged);
    connect(m_expiryUnit, &QComboBox::currentIndexChanged, this,
            &BreakerOverrideDialog::onInputsChanged);

    m_planView->hide();
    wireActionFlow([this] { return tr("%1 s").arg(timing().pollLimit.count() / 1000); });
    setMode(Mode::ForceOpen);
    updateControls();
}

QWidget* BreakerOverrideDialog::buildModeBox() {
    auto* box = new QGroupBox(tr("What the breaker should do"), this);
    auto* grid = new QGridLayout(box);
    const struct {
        Mode mode;
        QString label;
        const char* name;
    } modes[] = {{Mode::ForceOpen, tr("&Force open"), "forceOpenButton"},
                 {Mode::Disable, tr("&Disable"), "disableButton"},
                 {Mode::MetricsOnly, tr("&Metrics only"), "metricsOnlyButton"},
                 {Mode::Reset, tr("&Reset"), "resetButton"}};
    int row = 0;
    for (const auto& entry : modes) {
        auto* button = new QRadioButton(entry.label, box);
        button->setObjectName(QLatin1String(entry.name));
        auto* explanation = new QLabel(modeExplanation(entry.mode, m_breaker), box);
        explanation->setWordWrap(true);
        // A click on the explanation picks its mode too.
        explanation->setBuddy(button);
        m_modes->addButton(button, static_cast<int>(entry.mode));
        grid->addWidget(button, row, 0, Qt::AlignTop);
        grid->addWidget(explanation, row, 1);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    // Wide enough for each mode's explanation on about one line.
    box->setMinimumWidth(680);
    return box;
}

QString BreakerOverrideDialog::modeName(Mode mode) {
    switch (mode) {
    case Mode::ForceOpen:
        return qtName(protocol::override_mode::kForceOpen);
    case Mode::Disable:
        return qtName(protocol::override_mode::kDisable);
    case Mode::MetricsOnly:
        return qtName(protocol::override_mode::kMetricsOnly);
    case Mode::Reset:
        return qtName(protocol::override_mode::kReset);
    }
    return {};
}

QString BreakerOverrideDialog::modeExplanation(Mode mode, const QString& breaker) {
    switch (mode) {
    case Mode::ForceOpen:
        return tr("Refuses every call to %1: callers fail at once and it gets no traffic.")
            .arg(breaker);
    case Mode::Disable:
        return tr("Lets every call through and records nothing: the breaker no longer protects "
                  "callers.");
    case Mode::MetricsOnly:
        return tr("Lets every call through and records each one: failures are measured, but "
                  "the breaker never opens.");
    case Mode::Reset:
        return tr("Closes the breaker with an empty window: calls flow again and counting starts "
                  "afresh. Ends any override.");
    }
    return {};
}

BreakerOverrideDialog::Mode BreakerOverrideDialog::mode() const {
    return static_cast<Mode>(qMax(0, m_modes->checkedId()));
}

void BreakerOverrideDialog::setMode(Mode mode) {
    if (QAbstractButton* button = m_modes->button(static_cast<int>(mode)))
        button->setChecked(true);
    onInputsChanged();
}

int BreakerOverrideDialog::expirySeconds() const {
    // The agent refuses an expiry on a reset: a reset has nothing to undo.
    if (!m_expiryCheck->isChecked() || mode() == Mode::Reset)
        return 0;
    return m_expiryValue->value() * m_expiryUnit->currentData().toInt();
}

void BreakerOverrideDialog::setExpirySeconds(int seconds) {
    m_expiryCheck->setChecked(seconds > 0);
    if (seconds <= 0)
        return;
    seconds = qMin(seconds, 86400);
    const int unit = seconds % 3600 == 0 ? 2 : seconds % 60 == 0 ? 1 : 0;
    m_expiryUnit->setCurrentIndex(unit);
    m_expiryValue->setMinimum(1);
    m_expiryValue->setMaximum(86400 / m_expiryUnit->currentData().toInt());
    m_expiryValue->setValue(seconds / m_expiryUnit->currentData().toInt());
}

std::chrono::milliseconds BreakerOverrideDialog::timeLeft() const {
    return m_plan ? m_planView->timeLeft() : milliseconds(0);
}

void BreakerOverrideDialog::onInputsChanged() {
    // A plan is for the parameters it was made with; other choices need their own.
    if (m_stage == Stage::Planned || m_stage == Stage::Finished) {
        dropPlan();
        clearFeedback();
        setStage(Stage::Choosing);
    }
    updateControls();
}

void BreakerOverrideDialog::requestPlan() {
    if (!m_client || m_stage == Stage::Planning || m_stage == Stage::Confirming ||
        m_stage == Stage::Running)
        return;
    QJsonObject params{{qtName(protocol::field::kMode), modeName(mode())}};
    if (expirySeconds() > 0)
        params.insert(qtName(protocol::field::kExpirySeconds), expirySeconds());
    m_job.reset();
    dropPlan();
    clearFeedback();
    m_status->setText(tr("Planning…"));
    setStage(Stage::Planning);
    m_requests->plan(qtName(protocol::action::kBreakerOverride), m_breaker, params);
}

void BreakerOverrideDialog::onPlanned(const ActionPlan& plan) {
    m_plan = plan;
    m_confirmLost = false;
    m_status->clear();
    m_planView->setPlan(plan);
    m_planView->show();
    setStage(Stage::Planned);
}

void BreakerOverrideDialog::confirmPlan() {
    if (!mayConfirm())
        return;
    sendConfirm(m_confirmLost ? tr("Confirming again…") : tr("Confirming…"));
}

void BreakerOverrideDialog::onConfirmed(const ActionJob& job) {
    m_confirmLost = false;
    runConfirmedJob(job);
}

void BreakerOverrideDialog::followJob(const QString& jobId) {
    setStage(Stage::Running);
    m_follower->follow(jobId);
}

void BreakerOverrideDialog::onJob(const ActionJob& job) {
    m_job = job;
    if (job.succeeded()) {
        m_feedback->showResult(tr("✔ Succeeded: %1").arg(job.message), action_style::success());
    } else if (job.state == qtName(protocol::job_state::kFailed)) {
        m_feedback->showResult(ActionFeedback::failedJobText(job), action_style::error());
    } else if (job.state == qtName(protocol::job_state::kCancelled)) {
        m_feedback->showResult(tr("Cancelled: %1").arg(job.message), action_style::warning());
    } else {
        m_feedback->showResult(tr("Running (%1 %): %2")
                                   .arg(qRound(job.progress * 100))
                                   .arg(job.message.isEmpty() ? job.state : job.message),
                               action_style::neutral());
    }
}

QString BreakerOverrideDialog::errorText() const {
    return m_feedback->errorText();
}

void BreakerOverrideDialog::onConfirmFailed(const ActionError& error) {
    m_status->clear();
    m_feedback->showError(error.text());
    m_confirmLost = error.isNetworkError();
    if (error.reason == QLatin1String("already_confirmed") && !error.jobId.isEmpty()) {
        // It runs already (from an earlier press whose answer was lost): follow that job.
        m_planView->setCountdownVisible(false);
        followJob(error.jobId);
        return;
    }
    showConfirmRefusal(error, m_plan, m_planView);
    setStage(Stage::Planned);
}

void BreakerOverrideDialog::updateControls() {
    const bool idle = isIdle();
    const bool client = !m_client.isNull();
    for (QAbstractButton* button : m_modes->buttons())
        button->setEnabled(idle);
    const bool reset = mode() == Mode::Reset;
    m_expiryCheck->setEnabled(idle && !reset);
    m_expiryValue->setEnabled(idle && !reset && m_expiryCheck->isChecked());
    m_expiryUnit->setEnabled(idle && !reset && m_expiryCheck->isChecked());
    m_expiryCheck->setToolTip(reset ? tr("A reset has no expiry: it ends any override.")
                                    : tr("After this the breaker returns to normal by itself."));
    m_forceOpenWarning->setVisible(mode() == Mode::ForceOpen);

    m_planButton->setEnabled(idle && client);
    m_planButton->setText(m_stage == Stage::Choosing ? tr("Plan") : tr("Plan again"));

    m_confirmButton->setEnabled(mayConfirm());
    QString confirmText;
    switch (mode()) {
    case Mode::ForceOpen:
        confirmText = tr("Confirm force open");
        break;
    case Mode::Disable:
        confirmText = tr("Confirm disable");
        break;
    case Mode::MetricsOnly:
        confirmText = tr("Confirm metrics only");
        break;
    case Mode::Reset:
        confirmText = tr("Confirm reset");
        break;
    }
    m_confirmButton->setText(m_confirmLost ? tr("%1 again").arg(confirmText) : confirmText);
}

void BreakerOverrideDialog::done(int result) {
    // Closed mid-way: stop asking; answers still on their way are dropped with this object's
    // connections (or ignored by request id while it lives on hidden).
    stopFollowing();
    if (m_stage == Stage::Planning || m_stage == Stage::Confirming || m_stage == Stage::Running)
        m_stage = Stage::Choosing;
    QDialog::done(result);
}

} // namespace switchboard
