#pragma once

#include "ActionDialogFlow.h"
#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "DrillRequest.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace switchboard {

class ActionClient;
class ActionFeedback;
class ActionPlanView;
class ActionRequests;
class JobFollower;
class RegionsModel;

// Runs a failover drill through one agent's action pipeline (docs/drills.md): the operator picks
// the region, the kind (switchover or failover), the mode (plan, simulated, live) and
// optionally the candidate; Preflight asks for the plan and shows each check with its verdict
// and reason, the candidate the agent chose and the steps. A live drill changes the region's
// leader, so its region's name must be typed first: it goes with the plan as confirm_region,
// which the agent checks at plan time. Confirm starts the job; its progress messages become a
// step log, each with the time it arrived, beside a progress bar and Abort (the job's cancel).
// At the end the result (outcome, RTO and RPO against their targets) with the exports. Every
// refusal (one drill at a time, the region's name, a preflight that fails now) shows in the
// dialog in words.
class DrillDialog : public QDialog, private ActionDialogFlow<DrillDialog> {
    Q_OBJECT
    friend class ActionDialogFlow<DrillDialog>;

public:
    enum class Stage {
        Choosing,   // no plan yet, or the inputs changed since
        Planning,   // waiting for the plan
        Planned,    // the preflight is shown; Confirm is offered while it may run
        Confirming, // waiting for the confirm's answer
        Running,    // the job runs; followed until it ends
        Finished,   // the job ended (or could not be followed)
    };
    Q_ENUM(Stage)

    // The regions (and their members, for the candidates) come from `model`; `agentLabel`
    // names the agent for the operator. The client and the model must outlive the dialog or
    // be deleted (QPointer): it then offers nothing more.
    DrillDialog(ActionClient* client, const RegionsModel* model, const QString& agentLabel = {},
                QWidget* parent = nullptr);

    DrillRequest request() const;
    void setRequest(const DrillRequest& request);

    Stage stage() const { return m_stage; }
    std::optional<ActionPlan> plan() const { return m_plan; }
    std::optional<ActionJob> job() const { return m_job; }
    std::optional<DrillResult> result() const { return m_result; }
    QString errorText() const;
    JobFollower* follower() const { return m_follower; }
    // The step log, a line per progress message: "12:03:04  switchover: POST /switchover".
    QStringList stepLog() const { return m_steps; }

public slots:
    void requestPlan();
    void confirmPlan();
    void abortDrill();
    void done(int result) override;

signals:
    void jobFinished(const switchboard::ActionJob& job);

private:
    QWidget* buildInputs();
    void fillRegions();
    void fillCandidates();
    void onInputsChanged();
    void onPlanned(const ActionPlan& plan);
    void onPlanFailed(const ActionError& error);
    void onConfirmed(const ActionJob& job);
    void onConfirmFailed(const ActionError& error);
    void onCancelFailed(const ActionError& error);
    void onJob(const ActionJob& job);
    void appendStep(const QString& message);
    void showOutcome(const ActionJob& job);
    void exportResult(bool pdf);
    void updateControls();

    QPointer<ActionClient> m_client;
    QPointer<const RegionsModel> m_model;
    Stage m_stage = Stage::Choosing;

    QWidget* m_inputs = nullptr;
    QComboBox* m_region;
    QComboBox* m_kind;
    QComboBox* m_mode;
    QComboBox* m_candidate;
    QLabel* m_modeHelp;
    QWidget* m_confirmRow;
    QLineEdit* m_confirmRegion;
    QLabel* m_confirmHint;
    QPushButton* m_planButton;
    QLabel* m_status;
    QLabel* m_chosen;
    ActionPlanView* m_planView;
    QWidget* m_progressBox;
    QProgressBar* m_progress;
    QPlainTextEdit* m_log;
    ActionFeedback* m_feedback;
    QWidget* m_exportRow;
    QPushButton* m_exportMarkdown;
    QPushButton* m_exportPdf;
    QLabel* m_exportStatus;
    QDialogButtonBox* m_buttons;
    QPushButton* m_confirmButton;
    QPushButton* m_abortButton;
    JobFollower* m_follower;
    ActionRequests* m_requests;

    std::optional<ActionPlan> m_plan;
    std::optional<ActionJob> m_job;
    std::optional<DrillResult> m_result;
    QStringList m_steps;
    QString m_lastMessage;
};

} // namespace switchboard
