#pragma once

// Running switchboard-cli from a test: its exit code, its stdout as JSON and its stderr, each
// run bounded so that a command line that hangs fails the test instead of holding it.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>

struct CliResult {
    int exitCode = -1;
    QJsonObject json;
    QString out;
    QString err;
    QString describe() const {
        return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(exitCode).arg(out, err);
    }
};

// Waits for a started process for at most `timeoutMs` (then kills it) and collects what it said.
inline CliResult finishCli(QProcess& process, int timeoutMs) {
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.err = QStringLiteral("did not finish within %1 ms").arg(timeoutMs);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err += QString::fromUtf8(process.readAllStandardError());
    result.json = QJsonDocument::fromJson(result.out.toUtf8()).object();
    return result;
}
