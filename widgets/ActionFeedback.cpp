#include "ActionFeedback.h"

#include "ActionError.h"
#include "ActionJob.h"
#include "ActionStyles.h"
#include "JobFollower.h"

#include <QLabel>

namespace switchboard {

ActionFeedback::ActionFeedback(QWidget* dialog)
    : QObject(dialog)
    , m_result(new QLabel(dialog))
    , m_error(new QLabel(dialog)) {
    m_result->setObjectName(QStringLiteral("resultLabel"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(action_style::error());
    m_error->hide();
}

void ActionFeedback::showResult(const QString& text, const QString& style) {
    m_result->setText(text);
    m_result->setStyleSheet(style);
    m_result->show();
    emit contentChanged();
}

void ActionFeedback::hideResult() {
    m_result->hide();
}

void ActionFeedback::showError(const QString& text) {
    m_errorText = text;
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
    emit contentChanged();
}

void ActionFeedback::reportTroubleOf(JobFollower* follower, std::function<QString()> followLimit) {
    connect(follower, &JobFollower::readFailed, this,
            [this](const ActionError& error, bool retrying) {
                if (retrying) {
                    showError(
                        tr("Could not read the job's state: %1. Trying again.").arg(error.text()));
                    return;
                }
                showError(tr("Could not follow the job: %1. Its result will be in the audit log.")
                              .arg(error.text()));
                emit followingEnded();
            });
    connect(follower, &JobFollower::gaveUp, this, [this, followLimit = std::move(followLimit)] {
        showResult(
            tr("Still running after %1; its result will be in the audit log.").arg(followLimit()),
            action_style::warning());
        emit followingEnded();
    });
}

QString ActionFeedback::failedJobText(const ActionJob& job) {
    QString text = tr("✖ Failed: %1").arg(job.error.isEmpty() ? job.message : job.error);
    if (!job.error.isEmpty() && !job.message.isEmpty() && job.message != job.error)
        text += QStringLiteral(" (%1)").arg(job.message);
    return text;
}

} // namespace switchboard
