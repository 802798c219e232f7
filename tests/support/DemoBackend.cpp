#include "DemoBackend.h"

#include <QDeadlineTimer>
#include <QFile>
#include <signal.h>

DemoBackend::DemoBackend(QString stackFile, QString instance)
    : stackFile_(std::move(stackFile))
    , instance_(std::move(instance)) {
    process_.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&process_, &QProcess::readyRead,
                     [this] { output_ += QString::fromUtf8(process_.readAll()); });
}

DemoBackend::~DemoBackend() {
    if (process_.state() != QProcess::NotRunning)
        stop();
}

bool DemoBackend::start(int port) {
    QString portFile = dir_.filePath(QStringLiteral("port"));
    QString dependencyPortFile = dir_.filePath(QStringLiteral("dependency-port"));
    QFile::remove(portFile);
    QFile::remove(dependencyPortFile);
    process_.start(QStringLiteral(SWITCHBOARD_DEMO_BINARY),
                   QStringList{QStringLiteral("--stack"), stackFile_, QStringLiteral("--instance"),
                               instance_, QStringLiteral("--listen"),
                               QStringLiteral("127.0.0.1:%1").arg(port),
                               QStringLiteral("--port-file"), portFile,
                               QStringLiteral("--dependency-port-file"), dependencyPortFile} +
                       extraArguments_);
    if (!process_.waitForStarted(10000))
        return false;
    // The demo writes its port file once its agent listens, and its dependency's just before.
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        QFile file(portFile);
        if (file.open(QIODevice::ReadOnly)) {
            port_ = file.readAll().trimmed().toInt();
            QFile dependencyFile(dependencyPortFile);
            dependencyPort_ = dependencyFile.open(QIODevice::ReadOnly)
                                  ? dependencyFile.readAll().trimmed().toInt()
                                  : 0;
            return port_ > 0;
        }
        if (process_.state() == QProcess::NotRunning)
            return false;
        process_.waitForReadyRead(50);
    }
    return false;
}

bool DemoBackend::stop() {
    if (process_.state() == QProcess::NotRunning)
        return process_.exitCode() == 0;
    process_.terminate();
    if (!process_.waitForFinished(15000)) {
        process_.kill();
        process_.waitForFinished(5000);
        return false;
    }
    output_ += QString::fromUtf8(process_.readAll());
    return process_.exitStatus() == QProcess::NormalExit && process_.exitCode() == 0;
}

void DemoBackend::kill() {
    process_.kill();
    process_.waitForFinished(5000);
}

bool DemoBackend::signal(int number) {
    return process_.processId() > 0 && ::kill(pid_t(process_.processId()), number) == 0;
}

QStringList DemoBackend::drillArguments(const QString& ackedWritesFile) {
    return {
        QStringLiteral("--acked-writes"), ackedWritesFile,
        QStringLiteral("--stack-script"), QStringLiteral(SWITCHBOARD_SOURCE_DIR "/scripts/stack"),
        QStringLiteral("--rate"),         QStringLiteral("50")};
}
