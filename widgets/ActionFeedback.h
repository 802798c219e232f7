#pragma once

#include <QObject>
#include <QString>
#include <functional>

class QLabel;
class QWidget;

namespace switchboard {

struct ActionJob;
class JobFollower;

// Where an action dialog (override, rebalance, invalidate) tells the operator how things went:
// a result line (the job's outcome, coloured by action_style) and an error line (a refusal or a
// network failure, selectable so it can be pasted into a ticket). It also says so when the
// job's follower cannot read the job or gives up: the three dialogs word these alike. The
// dialog owns the layout; this owns the two labels and what they say.
class ActionFeedback : public QObject {
    Q_OBJECT
public:
    // The labels are children of `dialog`, hidden until there is something to say.
    explicit ActionFeedback(QWidget* dialog);

    QLabel* resultLabel() const { return m_result; }
    QLabel* errorLabel() const { return m_error; }

    void showResult(const QString& text, const QString& style);
    void hideResult();
    // An empty text hides the error line.
    void showError(const QString& text);
    // What went wrong last, for a person; empty when nothing did.
    QString errorText() const { return m_errorText; }

    // Reports `follower`'s read failures (retried or final) and its giving up; `followLimit`
    // words how long it followed ("60 minutes"), asked when it gives up.
    void reportTroubleOf(JobFollower* follower, std::function<QString()> followLimit);

    // "✖ Failed: <error> (<message>)" for a job that ended failed.
    static QString failedJobText(const ActionJob& job);

signals:
    // A line appeared, changed or went: the dialog may need to grow.
    void contentChanged();
    // The follower stopped before the job ended: its result will be in the audit log.
    void followingEnded();

private:
    QLabel* m_result;
    QLabel* m_error;
    QString m_errorText;
};

} // namespace switchboard
