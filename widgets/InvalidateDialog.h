#pragma once

#include "ActionDialogFlow.h"
#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "CacheInvalidation.h"

#include <QDialog>
#include <QPointer>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace switchboard {

class ActionClient;
class ActionFeedback;
class ActionPlanView;
class ActionRequests;
class CacheModel;
class InvalidateAcksView;
class InvalidatePreview;
class JobFollower;
class MatchAllConfirmDialog;

// Invalidates cache keys through one agent's action pipeline: the operator picks how to select
// keys (one key, a prefix, a Redis glob pattern), the value and a rate, and Preview asks for a
// plan: how many keys match, a sample of them, the estimate and the checks, before anything is
// deleted. A selection of every key (pattern "*", an empty prefix, or one the agent refuses as
// match_all_needs_confirmation) first needs its own confirmation, typing ALL, and is planned
// with allow_match_all. Confirm asks once more and starts the job; the dialog then shows the
// keys unlinked of those matching with Cancel job, and at the end each instance's L1
// acknowledgement. Every refusal and network failure shows in the dialog.
class InvalidateDialog : public QDialog, private ActionDialogFlow<InvalidateDialog> {
    Q_OBJECT
    friend class ActionDialogFlow<InvalidateDialog>;

public:
    enum class Stage {
        Choosing,       // no plan yet, or the inputs changed since
        AskingMatchAll, // the "type ALL" confirmation is open
        Planning,       // waiting for the plan
        Planned,        // a preview is shown; Confirm is offered while it may run
        Asking,         // the "delete these keys" question is open
        Confirming,     // waiting for the confirm's answer
        Running,        // the job runs; followed until it ends
        Finished,       // the job ended (or could not be followed)
    };
    Q_ENUM(Stage)

    // `model` and `targetKey` name the Redis target (its address for the plan, its instances for
    // the acknowledgements); `agentLabel` names the agent for the operator. The client and the
    // model must outlive the dialog or be deleted (QPointer): it then offers nothing more.
    InvalidateDialog(ActionClient* client, const CacheModel* model, const QString& targetKey,
                     const QString& agentLabel = {}, QWidget* parent = nullptr);

    InvalidateRequest request() const;
    void setRequest(const InvalidateRequest& request);

    Stage stage() const { return m_stage; }
    std::optional<ActionPlan> plan() const { return m_plan; }
    std::optional<ActionJob> job() const { return m_job; }
    QString errorText() const;
    JobFollower* follower() const { return m_follower; }
    // The open "type ALL" confirmation, while AskingMatchAll.
    MatchAllConfirmDialog* matchAllConfirmation() const { return m_matchAll; }
    // The open "delete these keys" question, while Asking.
    QMessageBox* confirmation() const { return m_question; }

public slots:
    // Preview: checks the inputs, asks the match-all confirmation when needed, then plans.
    void requestPlan();
    // Asks whether to delete; the answer "Delete keys" confirms the plan.
    void confirmPlan();
    void cancelJob();
    void done(int result) override;

signals:
    void jobFinished(const switchboard::ActionJob& job);

private:
    QWidget* buildInputs();
    void onInputsChanged();
    void askMatchAll(const QString& why);
    void sendPlan();
    void onPlanned(const ActionPlan& plan);
    void onPlanFailed(const ActionError& error);
    void onConfirmed(const ActionJob& job);
    void onJob(const ActionJob& job);
    void showProgress(const ActionJob& job);
    void updateControls();
    QString redisTarget() const;

    QPointer<ActionClient> m_client;
    QPointer<const CacheModel> m_model;
    QString m_targetKey;
    Stage m_stage = Stage::Choosing;

    QComboBox* m_match;
    QLineEdit* m_value;
    QSpinBox* m_rate;
    QLabel* m_matchHelp;
    QPushButton* m_planButton;
    QLabel* m_status;
    InvalidatePreview* m_preview;
    ActionPlanView* m_planView;
    QWidget* m_progressBox;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    InvalidateAcksView* m_acks;
    ActionFeedback* m_feedback;
    QDialogButtonBox* m_buttons;
    QPushButton* m_confirmButton;
    QPushButton* m_cancelJobButton;
    MatchAllConfirmDialog* m_matchAll = nullptr;
    QMessageBox* m_question = nullptr;
    JobFollower* m_follower;
    ActionRequests* m_requests;

    bool m_matchAllConfirmed = false; // for the inputs as they are; reset when they change
    std::optional<ActionPlan> m_plan;
    std::optional<ActionJob> m_job;
};

} // namespace switchboard
