#pragma once

#include <QObject>
#include <QSocketNotifier>

namespace switchboard::cli {

// SIGINT and SIGTERM as a Qt signal, so that Ctrl-C (or a CI runner's timeout) while a job is
// followed cancels the job instead of killing the command line and leaving the job running.
// The handler only writes a byte to a socket pair; the rest happens on the event loop. Until
// install(), the signals keep their default action (a read can simply be interrupted).
class InterruptSignals : public QObject {
    Q_OBJECT
public:
    explicit InterruptSignals(QObject* parent = nullptr)
        : QObject(parent) {}
    ~InterruptSignals() override;

    // Catches SIGINT and SIGTERM from now on. False if it could not (they then end the program).
    bool install();

    // How many SIGINT/SIGTERM arrived so far.
    int count() const { return m_count; }

signals:
    void interrupted(int count);

private:
    void onReadable();

    QSocketNotifier* m_notifier = nullptr;
    int m_count = 0;
};

} // namespace switchboard::cli
