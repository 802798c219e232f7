#include "LocalStack.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>
#include <csignal>

namespace {

QString stackScript() {
    return QStringLiteral(SWITCHBOARD_SOURCE_DIR "/scripts/stack");
}

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

LocalStack::LocalStack(const QString& profile, const QStringList& upArguments) {
    QProcess up;
    up.start(stackScript(), QStringList{QStringLiteral("up"), QStringLiteral("--profile"), profile,
                                        QStringLiteral("--dir"), dir()} +
                                upArguments);
    if (!up.waitForFinished(180000) || up.exitStatus() != QProcess::NormalExit ||
        up.exitCode() != 0) {
        error_ = QStringLiteral("scripts/stack up failed (exit %1): %2")
                     .arg(up.exitCode())
                     .arg(QString::fromUtf8(up.readAllStandardError().right(3000)));
        return;
    }
    QStringList lines =
        QString::fromUtf8(up.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    stackFile_ = lines.isEmpty() ? QString() : lines.last().trimmed();
    document_ = readJson(stackFile_);
    if (document_.isEmpty()) {
        error_ = QStringLiteral("scripts/stack up printed no readable stack file: ") + stackFile_;
        stackFile_.clear();
    }
}

LocalStack::~LocalStack() {
    for (qint64 pid : restartedPids_)
        ::kill(static_cast<pid_t>(pid), SIGTERM);
    QProcess down;
    down.start(stackScript(), {QStringLiteral("down"), QStringLiteral("--dir"), dir()});
    down.waitForFinished(60000);
}

QString LocalStack::command(const QStringList& arguments, int timeoutMs) {
    QProcess script;
    script.setProcessChannelMode(QProcess::MergedChannels);
    script.start(stackScript(),
                 QStringList{arguments.first(), QStringLiteral("--dir"), dir()} + arguments.mid(1));
    if (!script.waitForFinished(timeoutMs))
        return QStringLiteral("scripts/stack %1 did not finish in %2 s")
            .arg(arguments.first())
            .arg(timeoutMs / 1000);
    return script.exitCode() == 0 ? QString() : QString::fromUtf8(script.readAll());
}

QString LocalStack::addAgent(const QString& name, const QUrl& url, const QString& region,
                             const QString& service) {
    QStringList arguments{QStringLiteral("add-agent"),
                          QStringLiteral("--name"),
                          name,
                          QStringLiteral("--region"),
                          region,
                          QStringLiteral("--url"),
                          url.toString()};
    if (!service.isEmpty())
        arguments << QStringLiteral("--service") << service;
    return command(arguments, 30000);
}

bool LocalStack::restartRedis(const QString& name) {
    const QJsonObject redis = server(name);
    const QString dir = redis.value(QStringLiteral("data_dir")).toString();
    const QString pidFile = dir + QStringLiteral("/redis.pid");
    QFile::remove(pidFile);
    const int started = QProcess::execute(
        QStringLiteral("redis-server"),
        {QStringLiteral("--port"), QString::number(redis.value(QStringLiteral("port")).toInt()),
         QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
         QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--daemonize"),
         QStringLiteral("yes"), QStringLiteral("--pidfile"), pidFile, QStringLiteral("--dir"), dir,
         QStringLiteral("--logfile"), redis.value(QStringLiteral("log")).toString()});
    if (started != 0)
        return false;
    // The daemon writes its pid file a moment after the parent returns.
    for (int i = 0; i < 100; ++i) {
        QFile file(pidFile);
        if (file.open(QIODevice::ReadOnly)) {
            const qint64 pid = file.readAll().trimmed().toLongLong();
            if (pid > 0) {
                restartedPids_.append(pid);
                return true;
            }
        }
        QThread::msleep(20);
    }
    return false;
}

QJsonObject LocalStack::server(const QString& name) const {
    for (const auto& value : document_.value(QStringLiteral("servers")).toArray())
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return value.toObject();
    return {};
}

QString LocalStack::viewerTokenFile() const {
    return document_.value(QStringLiteral("tokens"))
        .toObject()
        .value(QStringLiteral("viewer"))
        .toString();
}

QString LocalStack::viewerToken() const {
    return readJson(viewerTokenFile()).value(QStringLiteral("token")).toString();
}

QString LocalStack::operatorTokenFile() const {
    return document_.value(QStringLiteral("tokens"))
        .toObject()
        .value(QStringLiteral("operator"))
        .toString();
}

QString LocalStack::operatorToken() const {
    return readJson(operatorTokenFile()).value(QStringLiteral("token")).toString();
}
