// One switchboard-demo process (a backend with the agent embedded) on a local stack. The agent
// binds a free port unless told one; port() says which once started.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

class DemoBackend {
public:
    DemoBackend(QString stackFile, QString instance);
    ~DemoBackend();

    // Arguments added to the command line at the next start(), e.g. the flaky dependency's
    // initial knobs ("--dependency-latency-ms", "5").
    void setExtraArguments(QStringList arguments) { extraArguments_ = std::move(arguments); }
    // What a drill test runs the demo with: its acknowledged writes into `ackedWritesFile`
    // (tests/support/AcknowledgedWrites.h), scripts/stack as the fault command, 50 orders/s.
    static QStringList drillArguments(const QString& ackedWritesFile);
    // Starts the process and waits until its agent listens. `port` 0 picks a free one; a
    // restart passes the previous port to come back where consoles look for it.
    bool start(int port = 0);
    // SIGTERM, then waits for a clean exit; true if it exited 0.
    bool stop();
    void kill();
    // Sends a signal (e.g. SIGSTOP to make it hang, SIGCONT to resume).
    bool signal(int signal);

    int port() const { return port_; }
    // The process id while it runs, else 0 (to read its memory and descriptors in /proc).
    qint64 pid() const { return process_.processId(); }
    // The port of the flaky pricing dependency the demo serves itself (its /quote and /knobs).
    int dependencyPort() const { return dependencyPort_; }
    QUrl dependencyUrl() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(dependencyPort_));
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port_)); }
    QString output() const { return output_; }

private:
    QString stackFile_;
    QString instance_;
    QTemporaryDir dir_;
    QProcess process_;
    QString output_;
    QStringList extraArguments_;
    int port_ = 0;
    int dependencyPort_ = 0;
};
