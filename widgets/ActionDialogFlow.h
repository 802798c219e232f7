// Shared by the action dialogs (drill, invalidate, rebalance, override).
#pragma once

#include "ActionClient.h"
#include "ActionError.h"
#include "ActionFeedback.h"
#include "ActionJob.h"
#include "ActionPlanView.h"
#include "ActionRequests.h"
#include "ConfirmRefusal.h"
#include "DialogFit.h"
#include "JobFollower.h"
#include "ProtocolNames.h"

#include <QLabel>
#include <QMessageBox>
#include <QObject>
#include <QPushButton>
#include <functional>
#include <switchboard/protocol.h>

namespace switchboard {

// The name an action dialog gives the agent it acts through: the caller's label, else the
// agent's address.
inline QString actionAgentText(const ActionClient* client, const QString& agentLabel) {
    return !agentLabel.isEmpty() ? agentLabel : (client ? client->baseUrl().toString() : QString());
}

// The steps every action dialog takes alike around its one plan, confirm and cancel: wiring its
// requests and job follower to its handlers, its stages and what each allows, asking before a
// confirm, starting or following the confirmed job, asking to cancel it, and showing a refusal. The
// dialogs differ in their inputs and in how they show a plan and a job; what they share lives here
// once, so a fix to the flow (a refusal's wording, when following ends) reaches all of them.
//
// A private base (CRTP): `Dialog` befriends it and names its parts alike: m_client, m_requests,
// m_follower, m_feedback, m_planView, m_status, m_plan, m_job, m_stage, a Stage enum with
// Choosing, Planned, Running and Finished (and Asking, Confirming where used), updateControls(),
// onJob() (the job as last read), the jobFinished() signal and the handlers onPlanned and
// onConfirmed; it may declare its own onPlanFailed, onConfirmFailed and onCancelFailed.
template <class Dialog> class ActionDialogFlow {
protected:
    // Connects the plan view, the feedback, the follower and the requests to the dialog; says so
    // at once when there is no client. `followLimit` words how long a job is followed.
    void wireActionFlow(std::function<QString()> followLimit) {
        Dialog* d = self();
        QObject::connect(d->m_planView, &ActionPlanView::expired, d, [d] { d->updateControls(); });
        QObject::connect(d->m_planView, &ActionPlanView::contentChanged, d,
                         [this] { fitToContents(); });
        QObject::connect(d->m_feedback, &ActionFeedback::contentChanged, d,
                         [this] { fitToContents(); });

        QObject::connect(d->m_follower, &JobFollower::jobUpdated, d,
                         [d](const ActionJob& job) { d->onJob(job); });
        QObject::connect(d->m_follower, &JobFollower::jobFinished, d,
                         [this](const ActionJob& job) { jobEnded(job); });
        d->m_feedback->reportTroubleOf(d->m_follower, std::move(followLimit));
        QObject::connect(d->m_feedback, &ActionFeedback::followingEnded, d,
                         [this] { setStage(Dialog::Stage::Finished); });

        ActionRequests* requests = d->m_requests;
        QObject::connect(requests, &ActionRequests::planned, d,
                         [d](const ActionPlan& plan) { d->onPlanned(plan); });
        QObject::connect(requests, &ActionRequests::planFailed, d,
                         [d](const ActionError& error) { d->onPlanFailed(error); });
        QObject::connect(requests, &ActionRequests::confirmed, d,
                         [d](const ActionJob& job) { d->onConfirmed(job); });
        QObject::connect(requests, &ActionRequests::confirmFailed, d,
                         [d](const ActionError& error) { d->onConfirmFailed(error); });
        // A dialog that never cancels (the override) never hears these.
        QObject::connect(requests, &ActionRequests::cancelAnswered, d,
                         [this](const ActionJob& job) { onCancelAnswered(job); });
        QObject::connect(requests, &ActionRequests::cancelFailed, d,
                         [d](const ActionError& error) { d->onCancelFailed(error); });
        if (!d->m_client)
            d->m_feedback->showError(
                ActionFeedback::tr("No connection to this agent's action API."));
    }

    // The controls follow the stage, and parts show or hide with it. (A template: the dialog's
    // Stage is not declared yet where this base is.)
    template <typename Stage> void setStage(Stage stage) {
        Dialog* d = self();
        d->m_stage = stage;
        d->updateControls();
        fitToContents();
    }

    // Nothing is asked of the agent or running: the inputs may change and a plan be asked for.
    bool isIdle() const {
        const auto stage = self()->m_stage;
        using Stage = decltype(stage);
        return stage == Stage::Choosing || stage == Stage::Planned || stage == Stage::Finished;
    }

    // The plan shown may be confirmed: it can run and has not expired.
    bool mayConfirm() const {
        const Dialog* d = self();
        return d->m_client && d->m_stage == Dialog::Stage::Planned && d->m_plan &&
               d->m_plan->executable && d->m_planView->timeLeft().count() > 0;
    }

    // The job runs and no cancel of it is waiting for its answer.
    bool mayCancel() const {
        const Dialog* d = self();
        return d->m_client && d->m_stage == Dialog::Stage::Running && d->m_job &&
               d->m_job->state == qtName(protocol::job_state::kRunning) &&
               !d->m_requests->isCancelling();
    }

    // Parts show or hide with the stage and the plan: grow the dialog to fit them.
    void fitToContents() {
        Dialog* d = self();
        growToFitContents(d, {d->m_planView->layout()});
    }

    // Forgets the plan: a plan is for the inputs it was made with.
    void dropPlan() {
        Dialog* d = self();
        d->m_plan.reset();
        d->m_planView->clearPlan();
        d->m_planView->hide();
    }

    // Hides the result and the error line, before the next plan.
    void clearFeedback() {
        Dialog* d = self();
        d->m_feedback->hideResult();
        d->m_feedback->showError({});
    }

    // The confirm's answer: the plan's countdown gives way to the job, followed to its end.
    void runConfirmedJob(const ActionJob& job) {
        Dialog* d = self();
        d->m_status->clear();
        d->m_planView->setCountdownVisible(false);
        setStage(Dialog::Stage::Running);
        d->onJob(job);
        followStartedJob(job);
    }

    // The confirm's answer, once the dialog shows the job: one that already ended is done,
    // else it is followed to its end.
    void followStartedJob(const ActionJob& job) {
        if (job.isFinal()) {
            jobEnded(job);
            return;
        }
        self()->m_follower->follow(job.id);
    }

    // The job reached a final state.
    void jobEnded(const ActionJob& job) {
        Dialog* d = self();
        setStage(Dialog::Stage::Finished);
        emit d->jobFinished(job);
    }

    // Confirms the plan shown; `status` says what happens meanwhile. The same plan id carries
    // the same idempotency key: a repeat after a lost answer cannot act twice
    // (ActionRequests::confirm).
    void sendConfirm(const QString& status) {
        Dialog* d = self();
        d->m_feedback->showError({});
        d->m_status->setText(status);
        setStage(Dialog::Stage::Confirming);
        d->m_requests->confirm(d->m_plan->id);
    }

    // The words of the one more question a dangerous action asks before it is confirmed.
    struct ConfirmQuestion {
        QString title;
        QString text;       // what the action does, naming how much it touches
        QString objectName; // the message box's, for tests
        QString acceptText; // the button that confirms ("Delete keys")
        QString acceptName; // its object name
        QString rejectText; // the default button, which does not
        QString confirming; // the status while the confirm is on its way
    };

    // Asks `question` about the plan shown (its summary as the informative text), with the
    // answer that does not act as the default; the dialog waits in Stage::Asking and keeps the
    // open box in m_question. The confirming answer sends the confirm, the other returns to
    // the plan; an answer after the dialog moved on (closed, replanned) is ignored.
    void askBeforeConfirm(const ConfirmQuestion& question) {
        Dialog* d = self();
        d->m_question = new QMessageBox(QMessageBox::Warning, question.title, question.text,
                                        QMessageBox::NoButton, d);
        d->m_question->setObjectName(question.objectName);
        d->m_question->setInformativeText(d->m_plan->summary);
        QPushButton* accept =
            d->m_question->addButton(question.acceptText, QMessageBox::AcceptRole);
        accept->setObjectName(question.acceptName);
        QPushButton* back = d->m_question->addButton(question.rejectText, QMessageBox::RejectRole);
        d->m_question->setDefaultButton(back);
        d->m_question->setAttribute(Qt::WA_DeleteOnClose);
        QObject::connect(d->m_question, &QMessageBox::finished, d,
                         [this, d, accept, confirming = question.confirming] {
                             const bool accepted =
                                 d->m_question && d->m_question->clickedButton() == accept;
                             d->m_question = nullptr;
                             if (d->m_stage != Dialog::Stage::Asking)
                                 return;
                             if (accepted)
                                 sendConfirm(confirming);
                             else
                                 setStage(Dialog::Stage::Planned);
                         });
        setStage(Dialog::Stage::Asking);
        d->m_question->open();
    }

    // Asks the agent to cancel the running job; `status` says what happens meanwhile.
    void sendCancel(const QString& status) {
        Dialog* d = self();
        if (!d->m_client || d->m_stage != Dialog::Stage::Running || !d->m_job)
            return;
        d->m_feedback->showError({});
        d->m_status->setText(status);
        d->m_requests->cancel(d->m_job->id);
        d->updateControls();
    }

    void onCancelAnswered(const ActionJob& job) {
        Dialog* d = self();
        d->m_status->clear();
        d->onJob(job); // "cancelling" until the job's next safe point; the follower reads the rest
    }

    // A plan refused: back to choosing, `text` saying why.
    void planRefused(const QString& text) {
        Dialog* d = self();
        d->m_status->clear();
        d->m_feedback->showError(text);
        setStage(Dialog::Stage::Choosing);
    }

    // A confirm refused: back to the plan, marked expired or no longer executable when the
    // refusal says so (showConfirmRefusal).
    void confirmRefused(const ActionError& error, const QString& text) {
        Dialog* d = self();
        d->m_status->clear();
        d->m_feedback->showError(text);
        showConfirmRefusal(error, d->m_plan, d->m_planView);
        setStage(Dialog::Stage::Planned);
    }

    // The refusals as most dialogs show them, in the agent's words. A dialog that words one its
    // own way (or does more) declares its own handler of the same name, which hides this one.
    void onPlanFailed(const ActionError& error) { planRefused(error.text()); }
    void onConfirmFailed(const ActionError& error) { confirmRefused(error, error.text()); }
    void onCancelFailed(const ActionError& error) {
        cancelRefused(ActionFeedback::tr("Could not cancel: %1").arg(error.text()));
    }

    // A cancel refused: the job runs on; `text` says why it could not be stopped.
    void cancelRefused(const QString& text) {
        Dialog* d = self();
        d->m_status->clear();
        d->m_feedback->showError(text);
        d->updateControls();
    }

    // Closed mid-way: stop asking, and close the question askBeforeConfirm() left open. A
    // running job goes on; its result is in the audit log.
    void stopFollowing() {
        Dialog* d = self();
        d->m_planView->clearPlan(); // stops its countdown
        d->m_follower->stop();
        d->m_requests->forget();
        if constexpr (requires { d->m_question; }) {
            if (d->m_question)
                d->m_question->close();
        }
    }

private:
    Dialog* self() { return static_cast<Dialog*>(this); }
    const Dialog* self() const { return static_cast<const Dialog*>(this); }
};

} // namespace switchboard
