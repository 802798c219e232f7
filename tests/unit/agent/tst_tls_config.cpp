// TLS in the agent's configuration: beyond loopback only with a certificate and tokens, and a
// certificate file is checked before the agent serves with it, each problem a sentence naming
// "tls.certificate". The certificates come from a test CA made now (TestCertificates).
#include "TestCertificates.h"
#include "switchboard/agent_config.h"

#include <QFile>
#include <QTest>

using switchboard::AgentConfig;
using switchboard::ConfigError;

class TestTlsConfig : public QObject {
    Q_OBJECT

    std::unique_ptr<TestCertificates> certificates_;
    QString server_; // certificate and key for 127.0.0.1 and localhost, mode 0600

    // A configuration on `listen` with one token file and, when given, a certificate.
    static std::string configText(const QString& listen, const QString& certificate) {
        QString text =
            QStringLiteral("{\"listen\": \"%1\", \"token_files\": [\"t.json\"]").arg(listen);
        if (!certificate.isNull())
            text += QStringLiteral(", \"tls\": {\"certificate\": \"%1\"}").arg(certificate);
        return (text + QStringLiteral("}")).toStdString();
    }

    // The ConfigError a text raises, or a failed comparison when none is raised.
    static std::optional<ConfigError> errorOf(const std::string& text,
                                              const std::map<std::string, std::string>& env = {}) {
        try {
            AgentConfig::fromJson(text, env);
        } catch (const ConfigError& error) {
            return error;
        }
        return std::nullopt;
    }

    QString writeFile(const QString& name, const QByteArray& contents) {
        const QString path = certificates_->folder() + QLatin1Char('/') + name;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(contents);
        return path;
    }

    static QByteArray pemBlocks(const QString& path, const QByteArray& kind) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray text = file.readAll();
        const QByteArray begin = "-----BEGIN " + kind;
        const QByteArray end = "-----END " + kind;
        const qsizetype from = text.indexOf(begin);
        const qsizetype to = text.indexOf("-----", text.indexOf(end) + end.size());
        return from < 0 || to < 0 ? QByteArray() : text.mid(from, to + 5 - from) + "\n";
    }

private slots:
    void initTestCase() {
        certificates_ = std::make_unique<TestCertificates>(QStringLiteral("config"));
        QVERIFY2(certificates_->ok(), qPrintable(certificates_->error()));
        server_ = certificates_->serverCertificate(QStringLiteral("server.pem"));
        QVERIFY2(!server_.isEmpty(), qPrintable(certificates_->error()));
    }

    void beyondLoopbackWithoutTlsIsRefusedNamingTlsAndTokens() {
        const auto error = errorOf(configText(QStringLiteral("0.0.0.0:7464"), QString()));
        QVERIFY(error);
        QCOMPARE(error->key(), std::string("listen"));
        const QString message = QString::fromStdString(error->what());
        QVERIFY2(message.contains(QLatin1String("TLS (tls.certificate)")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("token file (token_files)")), qPrintable(message));
    }

    void beyondLoopbackWithTlsButNoTokenIsRefused() {
        const std::string text =
            QStringLiteral("{\"listen\": \"0.0.0.0:7464\", \"tls\": {\"certificate\": \"%1\"}}")
                .arg(server_)
                .toStdString();
        const auto error = errorOf(text);
        QVERIFY(error);
        QCOMPARE(error->key(), std::string("listen"));
        QVERIFY(QString::fromStdString(error->what()).contains(QLatin1String("token_files")));
    }

    void beyondLoopbackWithTlsAndATokenIsAccepted() {
        const AgentConfig config =
            AgentConfig::fromJson(configText(QStringLiteral("0.0.0.0:7464"), server_));
        QVERIFY(config.tls.enabled());
        QCOMPARE(QString::fromStdString(config.tls.certificate), server_);
        QVERIFY(config.warnings.empty());
    }

    void loopbackServesTlsOnlyWhenAsked() {
        QVERIFY(!AgentConfig::fromJson(configText(QStringLiteral("127.0.0.1:0"), QString()))
                     .tls.enabled());
        QVERIFY(AgentConfig::fromJson(configText(QStringLiteral("127.0.0.1:0"), server_))
                    .tls.enabled());
    }

    void theEnvironmentNamesTheCertificate() {
        const AgentConfig config =
            AgentConfig::fromJson(configText(QStringLiteral("0.0.0.0:7464"), QString()),
                                  {{"SWITCHBOARD_TLS_CERTIFICATE", server_.toStdString()}});
        QCOMPARE(QString::fromStdString(config.tls.certificate), server_);
    }

    void anUnknownTlsKeyWarns() {
        const AgentConfig config = AgentConfig::fromJson(
            QStringLiteral("{\"token_files\": [\"t.json\"], \"tls\": {\"certificate\": \"%1\", "
                           "\"key\": \"k.pem\"}}")
                .arg(server_)
                .toStdString());
        QCOMPARE(config.warnings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(config.warnings[0]).startsWith(QLatin1String("tls.key")));
    }

    void tlsMustBeAnObject() {
        const auto error = errorOf("{\"token_files\": [\"t.json\"], \"tls\": \"on\"}");
        QVERIFY(error);
        QCOMPARE(error->key(), std::string("tls"));
    }

    void badCertificateFilesAreRefused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("problem");
        const QString missing = certificates_->folder() + QStringLiteral("/missing.pem");
        QTest::newRow("missing") << missing << QStringLiteral("No such file");
        QTest::newRow("a folder") << certificates_->folder() << QStringLiteral("is not a file");
        QTest::newRow("not PEM") << writeFile(QStringLiteral("text.pem"), "not a certificate\n")
                                 << QStringLiteral("holds no PEM certificate");
        QTest::newRow("no key") << writeFile(QStringLiteral("no-key.pem"),
                                             pemBlocks(server_, "CERTIFICATE"))
                                << QStringLiteral("holds no unencrypted PEM private key");
        // Another certificate of the same CA with this server's key.
        const QString other = certificates_->serverCertificate(QStringLiteral("other.pem"));
        QTest::newRow("key of another certificate")
            << writeFile(QStringLiteral("mismatch.pem"),
                         pemBlocks(other, "CERTIFICATE") + pemBlocks(server_, "PRIVATE KEY"))
            << QStringLiteral("does not match its certificate");
        QTest::newRow("expired") << certificates_->serverCertificate(QStringLiteral("expired.pem"),
                                                                     {QStringLiteral("127.0.0.1")},
                                                                     -1)
                                 << QStringLiteral("has expired");
        const QString shared = writeFile(QStringLiteral("shared.pem"), [this] {
            QFile file(server_);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }());
        QFile(shared).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                     QFileDevice::ReadOther);
        QTest::newRow("readable by others") << shared << QStringLiteral("chmod 600");
    }

    void badCertificateFilesAreRefused() {
        QFETCH(QString, file);
        QFETCH(QString, problem);
        QVERIFY2(!file.isEmpty(), qPrintable(certificates_->error()));
        const auto error = errorOf(configText(QStringLiteral("127.0.0.1:0"), file));
        QVERIFY(error);
        QCOMPARE(error->key(), std::string("tls.certificate"));
        const QString message = QString::fromStdString(error->what());
        QVERIFY2(message.contains(problem), qPrintable(message));
        QVERIFY2(message.contains(file), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestTlsConfig)
#include "tst_tls_config.moc"
