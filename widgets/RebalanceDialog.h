#pragma once

#include "ActionDialogFlow.h"
#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"
#include "ShardsRebalance.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QPointer>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace switchboard {

class ActionClient;
class ActionFeedback;
class ActionPlanView;
class ActionRequests;
class JobFollower;
class ShardsModel;

// Rebalances a shard cluster through one agent's action pipeline: the operator picks the goal
// (even out, add a node, drain a node), what to balance by and a threshold, asks for a plan and
// reads the moves it would make, its estimate, the skew before and after and each preflight
// check before anything moves. Confirm asks once more (it moves data while the nodes serve
// traffic) and starts the job; the dialog then shows a progress bar per move and an overall one
// with the time left, from the job (and the cluster's reported moves), and Cancel job stops it
// at the next safe point. Every refusal and network failure shows in the dialog.
class RebalanceDialog : public QDialog, private ActionDialogFlow<RebalanceDialog> {
    Q_OBJECT
    friend class ActionDialogFlow<RebalanceDialog>;

public:
    enum class Stage {
        Choosing,   // no plan yet, or the inputs changed since
        Planning,   // waiting for the plan
        Planned,    // a plan is shown; Confirm is offered while it may run
        Asking,     // the "this moves data" question is open
        Confirming, // waiting for the confirm's answer
        Running,    // the job runs; followed until it ends
        Finished,   // the job ended (or could not be followed)
    };
    Q_ENUM(Stage)

    // `model` and `clusterKey` name the cluster (its nodes for the node choice, its reported
    // moves while the job runs); `agentLabel` names the agent for the operator. The client and
    // the model must outlive the dialog or be deleted (QPointer): it then offers nothing more.
    RebalanceDialog(ActionClient* client, const ShardsModel* model, const QString& clusterKey,
                    const QString& agentLabel = {}, QWidget* parent = nullptr);

    RebalanceRequest request() const;
    void setRequest(const RebalanceRequest& request);

    Stage stage() const { return m_stage; }
    std::optional<ActionPlan> plan() const { return m_plan; }
    std::optional<ActionJob> job() const { return m_job; }
    QString errorText() const;
    // The moves shown with their progress bars.
    QList<ShardMove> moves() const { return m_moves; }
    JobFollower* follower() const { return m_follower; }
    // The open "this moves data" question, while Asking.
    QMessageBox* confirmation() const { return m_question; }

public slots:
    void requestPlan();
    // Asks whether to move data; the answer "Move data" confirms the plan.
    void confirmPlan();
    void cancelJob();
    void done(int result) override;

signals:
    void jobFinished(const switchboard::ActionJob& job);

private:
    QWidget* buildInputs();
    void fillNodes();
    void onInputsChanged();
    void onPlanned(const ActionPlan& plan);
    void onConfirmed(const ActionJob& job);
    void onJob(const ActionJob& job);
    void onClusterChanged();
    void showPlanDetails(const ActionPlan& plan);
    void showMoves(const QList<ShardMove>& moves);
    void updateOverall();
    void updateControls();
    QString nodeName(int index) const;

    QPointer<ActionClient> m_client;
    QPointer<const ShardsModel> m_model;
    QString m_clusterKey;
    Stage m_stage = Stage::Choosing;

    QComboBox* m_goal;
    QComboBox* m_by;
    QComboBox* m_node;
    QDoubleSpinBox* m_threshold;
    QLabel* m_goalHelp;
    QPushButton* m_planButton;
    QLabel* m_status;
    ActionPlanView* m_planView;
    QLabel* m_details;
    QGroupBox* m_progressBox;
    QProgressBar* m_overall;
    QLabel* m_eta;
    QTableWidget* m_movesTable;
    ActionFeedback* m_feedback;
    QDialogButtonBox* m_buttons;
    QPushButton* m_confirmButton;
    QPushButton* m_cancelJobButton;
    QMessageBox* m_question = nullptr;
    JobFollower* m_follower;
    ActionRequests* m_requests;

    std::optional<ActionPlan> m_plan;
    std::optional<ActionJob> m_job;
    QList<ShardMove> m_moves;
    bool m_jobCarriesMoves = false; // then the job's moves are shown, not the snapshot's
    QElapsedTimer m_running;
};

} // namespace switchboard
