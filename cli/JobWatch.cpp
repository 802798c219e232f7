#include "JobWatch.h"

#include "CliOutput.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>
#include <cmath>

namespace switchboard::cli {

namespace {

constexpr int kPollMs = 250;

// Waits `ms`, or less when a signal comes.
void pause(InterruptSignals& interrupts, int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    QObject::connect(&interrupts, &InterruptSignals::interrupted, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

QString jobLine(const ActionJob& job) {
    QString line = QStringLiteral("job %1: %2 %3 %")
                       .arg(job.id, job.state)
                       .arg(std::lround(job.progress * 100));
    if (!job.message.isEmpty())
        line += QStringLiteral(" (%1)").arg(job.message);
    if (!job.error.isEmpty())
        line += QStringLiteral(": %1").arg(job.error);
    return line;
}

FollowedJob followJob(AgentSession& session, const ActionJob& job, InterruptSignals& interrupts,
                      int limitSeconds, bool cancelOnInterrupt) {
    FollowedJob followed{job, std::nullopt, false};
    const QDeadlineTimer deadline(qint64(limitSeconds) * 1000);
    bool cancelSent = false;
    QString lastLine;
    while (true) {
        if (const QString line = jobLine(followed.job); line != lastLine) {
            CliOutput::note(line);
            lastLine = line;
        }
        if (followed.job.isFinal())
            return followed;
        // Counted since the program started: a signal that came during the confirm cancels the
        // job it started as soon as following begins.
        const int signalsNow = interrupts.count();
        if (signalsNow > 0 && (!cancelOnInterrupt || cancelSent)) {
            if (signalsNow > 1 || !cancelOnInterrupt) {
                CliOutput::note(QStringLiteral("stopped following job %1; it may still be running")
                                    .arg(followed.job.id));
                followed.interrupted = true;
                return followed;
            }
        }
        if (signalsNow > 0 && cancelOnInterrupt && !cancelSent) {
            cancelSent = true;
            followed.interrupted = true;
            CliOutput::note(QStringLiteral("interrupted: cancelling job %1 and waiting for it to "
                                           "stop (interrupt again to stop waiting)")
                                .arg(followed.job.id));
            const Answer<ActionJob> cancelled = session.cancel(followed.job.id);
            if (cancelled.ok())
                followed.job = *cancelled.value;
            else if (cancelled.error.reason != QLatin1String("job_finished")) {
                followed.error = cancelled.error;
                return followed;
            }
            continue;
        }
        if (deadline.hasExpired()) {
            CliOutput::note(QStringLiteral("job %1 still %2 after %3 s: stopped following (its "
                                           "result will be in the audit log)")
                                .arg(followed.job.id, followed.job.state)
                                .arg(limitSeconds));
            return followed;
        }
        pause(interrupts, kPollMs);
        if (interrupts.count() > 0 && !cancelSent)
            continue; // cancel first, read after
        const Answer<ActionJob> read = session.fetchJob(followed.job.id);
        if (read.ok())
            followed.job = *read.value;
        else if (!read.error.isNetworkError()) {
            followed.error = read.error;
            return followed;
        } else
            CliOutput::note(QStringLiteral("reading job %1 failed, retrying: %2")
                                .arg(followed.job.id, read.error.text()));
    }
}

} // namespace switchboard::cli
