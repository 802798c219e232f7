// switchboard-cli and an https:// agent: an agent embedded in this process serves TLS with a
// certificate from a test CA made now; the command line reaches it with --ca-file (reads through
// its own GET, acting through the console's ActionClient) and, without that CA or with another
// one, fails with exit 5 and a sentence about the certificate, sending nothing. No database.
#include "CliRun.h"
#include "TestCertificates.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QUuid>
#include <memory>
#include <switchboard/agent.h>

using switchboard::Agent;
using switchboard::AgentConfig;

namespace {

// One bounded run of the command line.
CliResult cli(const QStringList& arguments) {
    QProcess process;
    process.start(QStringLiteral(SWITCHBOARD_CLI), arguments);
    return finishCli(process, 30000);
}

} // namespace

class TestCliTls : public QObject {
    Q_OBJECT

    std::unique_ptr<TestCertificates> ca_;
    std::unique_ptr<TestCertificates> other_;
    std::unique_ptr<Agent> agent_;
    QString viewerFile_;
    QString operatorFile_;

    QString writeToken(const QString& name, const QString& role) {
        const QString path = ca_->folder() + QLatin1Char('/') + name + QStringLiteral(".json");
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(QJsonDocument(
                       QJsonObject{{"name", name},
                                   {"role", role},
                                   {"token", QUuid::createUuid().toString(QUuid::WithoutBraces)}})
                       .toJson());
        return path;
    }
    QStringList https(const QStringList& arguments, const QString& tokenFile) const {
        return arguments + QStringList{QStringLiteral("--agent"),
                                       QStringLiteral("https://127.0.0.1:%1").arg(agent_->port()),
                                       QStringLiteral("--token-file"),
                                       tokenFile,
                                       QStringLiteral("--timeout"),
                                       QStringLiteral("5")};
    }

private slots:
    void initTestCase() {
        ca_ = std::make_unique<TestCertificates>(QStringLiteral("agents"));
        QVERIFY2(ca_->ok(), qPrintable(ca_->error()));
        other_ = std::make_unique<TestCertificates>(QStringLiteral("other"));
        QVERIFY2(other_->ok(), qPrintable(other_->error()));
        const QString certificate = ca_->serverCertificate(QStringLiteral("agent.pem"));
        QVERIFY2(!certificate.isEmpty(), qPrintable(ca_->error()));
        viewerFile_ = writeToken(QStringLiteral("viewer"), QStringLiteral("viewer"));
        operatorFile_ = writeToken(QStringLiteral("operator"), QStringLiteral("operator"));
        AgentConfig config;
        config.instance = "cli-tls-agent";
        config.listen = "127.0.0.1:0";
        config.tokenFiles = {viewerFile_.toStdString(), operatorFile_.toStdString()};
        config.tls.certificate = certificate.toStdString();
        config.auditLog = (ca_->folder() + QStringLiteral("/agent.audit")).toStdString();
        try {
            agent_ = std::make_unique<Agent>(config);
            agent_->start();
        } catch (const std::exception& failure) {
            QFAIL(failure.what());
        }
    }
    void cleanupTestCase() {
        if (agent_)
            agent_->stop();
    }

    void verifiedAgainstTheCaFile() {
        const CliResult agents = cli(https(
            {QStringLiteral("agents"), QStringLiteral("--ca-file"), ca_->caFile()}, viewerFile_));
        QVERIFY2(agents.exitCode == 0, qPrintable(agents.describe()));
        const QJsonObject info =
            agents.json.value("agents").toArray().first().toObject().value("info").toObject();
        QCOMPARE(info.value("instance").toString(), QStringLiteral("cli-tls-agent"));
        QVERIFY(info.value("tls").toBool());
        // Acting goes through ActionClient with the same trust: an unknown job is the agent's 404.
        const CliResult cancel = cli(https({QStringLiteral("cancel"), QStringLiteral("j-none"),
                                            QStringLiteral("--ca-file"), ca_->caFile()},
                                           operatorFile_));
        QVERIFY2(cancel.exitCode == 3, qPrintable(cancel.describe()));
        QCOMPARE(cancel.json.value("error").toObject().value("http_status").toInt(), 404);
    }

    void anUntrustedCertificateIsExitFive() {
        for (const QStringList& trust :
             {QStringList{}, QStringList{QStringLiteral("--ca-file"), other_->caFile()}}) {
            const CliResult refused =
                cli(https(QStringList{QStringLiteral("snapshot")} + trust, viewerFile_));
            QVERIFY2(refused.exitCode == 5, qPrintable(refused.describe()));
            qInfo("%s", qPrintable(refused.err.trimmed()));
            QVERIFY2(refused.err.contains(QLatin1String("certificate")),
                     qPrintable(refused.describe()));
            const CliResult cancel =
                cli(https(QStringList{QStringLiteral("cancel"), QStringLiteral("j-none")} + trust,
                          operatorFile_));
            QVERIFY2(cancel.exitCode == 5, qPrintable(cancel.describe()));
        }
    }

    void anUnreadableCaFileIsAUsageError() {
        const CliResult result = cli(https({QStringLiteral("snapshot"), QStringLiteral("--ca-file"),
                                            ca_->folder() + QStringLiteral("/missing.pem")},
                                           viewerFile_));
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.err.contains(QLatin1String("missing.pem")));
    }
};

QTEST_MAIN(TestCliTls)
#include "tst_cli_tls.moc"
