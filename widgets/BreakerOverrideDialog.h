#pragma once

#include "ActionDialogFlow.h"
#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "JobFollower.h"

#include <QDialog>
#include <QPointer>
#include <chrono>
#include <optional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFrame;
class QLabel;
class QPushButton;
class QSpinBox;

namespace switchboard {

class ActionClient;
class ActionFeedback;
class ActionPlanView;
class ActionRequests;

// Overrides one circuit breaker on one agent through the action pipeline: the operator picks
// what the breaker should do (each mode says what it does to traffic) and an optional expiry,
// asks for a plan, reads what would change and each preflight check, and confirms before the
// plan expires; the dialog then follows the job to its result. Refusals (a viewer token, an
// expired plan, a busy agent, no network) show in the dialog and change nothing else. It may
// be closed at any moment: nothing is left waiting on it.
class BreakerOverrideDialog : public QDialog, private ActionDialogFlow<BreakerOverrideDialog> {
    Q_OBJECT
    friend class ActionDialogFlow<BreakerOverrideDialog>;

public:
    enum class Mode { ForceOpen, Disable, MetricsOnly, Reset };
    Q_ENUM(Mode)

    enum class Stage {
        Choosing,   // no plan yet, or the inputs changed since
        Planning,   // waiting for the plan
        Planned,    // a plan is shown; Confirm is offered while it may run and has not expired
        Confirming, // waiting for the confirm's answer
        Running,    // the job runs; its state is fetched every pollInterval
        Finished,   // the job ended (or its result could not be followed)
    };
    Q_ENUM(Stage)

    // Following a job stops after pollLimit; its result is then in the audit log.
    using Timing = JobFollower::Timing;

    static constexpr int kDefaultExpirySeconds = 600;

    // `agentLabel` names the agent for the operator (e.g. "demo-1 (us-east)"); the client's URL
    // when empty. The client must outlive the requests the dialog makes, or be deleted (the
    // dialog then offers nothing more).
    BreakerOverrideDialog(ActionClient* client, const QString& breaker,
                          const QString& agentLabel = {}, QWidget* parent = nullptr);

    QString breaker() const { return m_breaker; }
    Mode mode() const;
    void setMode(Mode mode);
    // 0: no expiry (the override lasts until replaced or reset).
    int expirySeconds() const;
    void setExpirySeconds(int seconds);

    Stage stage() const { return m_stage; }
    std::optional<ActionPlan> plan() const { return m_plan; }
    std::optional<ActionJob> job() const { return m_job; }
    // What went wrong last, for a person; empty when nothing did.
    QString errorText() const;
    // How long the shown plan may still be confirmed; 0 without a plan or once expired.
    std::chrono::milliseconds timeLeft() const;

    Timing timing() const { return m_follower->timing(); }
    void setTiming(const Timing& timing) { m_follower->setTiming(timing); }

    // The protocol's name of a mode ("force_open", …) and what it does to traffic.
    static QString modeName(Mode mode);
    static QString modeExplanation(Mode mode, const QString& breaker);

public slots:
    void requestPlan();
    void confirmPlan();
    void done(int result) override;

signals:
    // The job reached a final state (succeeded, failed or cancelled).
    void jobFinished(const switchboard::ActionJob& job);

private:
    QWidget* buildModeBox();
    void onInputsChanged();
    void onPlanned(const ActionPlan& plan);
    void onConfirmed(const ActionJob& job);
    void onConfirmFailed(const ActionError& error);
    void followJob(const QString& jobId);
    void onJob(const ActionJob& job);
    void updateControls();

    QPointer<ActionClient> m_client;
    QString m_breaker;
    Stage m_stage = Stage::Choosing;

    QButtonGroup* m_modes;
    QCheckBox* m_expiryCheck;
    QSpinBox* m_expiryValue;
    QComboBox* m_expiryUnit;
    QFrame* m_forceOpenWarning;
    QPushButton* m_planButton;
    QLabel* m_status; // what is under way: planning, confirming
    ActionPlanView* m_planView;
    ActionFeedback* m_feedback;
    QDialogButtonBox* m_buttons;
    QPushButton* m_confirmButton;
    JobFollower* m_follower;
    ActionRequests* m_requests;

    std::optional<ActionPlan> m_plan; // as planned; the view shows it and counts down
    bool m_confirmLost = false;       // the last confirm got no answer: pressing again retries it
    std::optional<ActionJob> m_job;
};

} // namespace switchboard
