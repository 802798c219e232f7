// A local stack of real servers (PostgreSQL primary + streaming replica, shard nodes, Redis) for
// one test executable: `scripts/stack up` into a temporary folder on construction, `down` on
// destruction, so tests never depend on a server left running and may run in parallel.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

class LocalStack {
public:
    // Starts the stack; check ok() and error() afterwards.
    // `upArguments` go to `scripts/stack up` as well (e.g. "--extra-shard").
    explicit LocalStack(const QString& profile = QStringLiteral("minimal"),
                        const QStringList& upArguments = {});
    ~LocalStack();
    LocalStack(const LocalStack&) = delete;
    LocalStack& operator=(const LocalStack&) = delete;

    bool ok() const { return !stackFile_.isEmpty(); }
    QString error() const { return error_; }
    QString stackFile() const { return stackFile_; }
    QString dir() const { return dir_.path() + QStringLiteral("/stack"); }
    // The stack file's server entry with that name (e.g. "pg-primary"), or an empty object.
    QJsonObject server(const QString& name) const;
    QString viewerTokenFile() const;
    QString operatorTokenFile() const;
    // The token inside the stack's viewer token file.
    QString viewerToken() const;
    // The token inside the stack's operator token file (acting needs it).
    QString operatorToken() const;
    // Starts the stack's Redis `name` again on its port, in its folder, as scripts/stack does
    // (for a test that killed it to see a dependency come back). The destructor stops it, since
    // `scripts/stack down` knows only the first process. False if it did not start.
    bool restartRedis(const QString& name = QStringLiteral("redis"));
    // Lists an agent in the stack file and the full profile's Prometheus targets, as scripts/demo
    // does (`scripts/stack add-agent`), so Prometheus scrapes it from now on. The empty string
    // on success, else what the script said.
    QString addAgent(const QString& name, const QUrl& url, const QString& region,
                     const QString& service = {});
    // Runs `scripts/stack COMMAND --dir DIR ARGUMENTS…` on this stack (`arguments` starts with
    // the command: "kill", "start-node", "rebuild-standby"…). The empty string on success, else
    // what the script said.
    QString command(const QStringList& arguments, int timeoutMs = 120000);

private:
    QTemporaryDir dir_;
    QString stackFile_;
    QString error_;
    QJsonObject document_;
    QList<qint64> restartedPids_;
};
