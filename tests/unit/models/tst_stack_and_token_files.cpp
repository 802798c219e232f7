// StackFile and TokenFile: what the console reads from a local stack, and a clear sentence for
// every way such a file can be wrong.
#include "StackFile.h"
#include "TokenFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using switchboard::StackFile;
using switchboard::TokenFile;

class TestStackAndTokenFiles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString& name, const QByteArray& content) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(content);
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return path;
    }

private slots:
    void goodTokenFile() {
        const QString path = write(QStringLiteral("viewer.json"),
                                   R"({"name":"stack-viewer","role":"viewer","token":"abc123"})");
        QString error;
        const auto token = TokenFile::load(path, &error);
        QVERIFY2(token, qPrintable(error));
        QCOMPARE(token->token, QStringLiteral("abc123"));
        QCOMPARE(token->name, QStringLiteral("stack-viewer"));
        QCOMPARE(token->role, QStringLiteral("viewer"));
    }

    void aTokenFileOthersCanReadIsRefused() {
        const QString path = write(QStringLiteral("shared.json"),
                                   R"({"name":"stack-viewer","role":"viewer","token":"abc123"})");
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                QFileDevice::ReadOther));
        QString error;
        QVERIFY(!TokenFile::load(path, &error));
        QVERIFY2(error.contains(path) && error.contains(QLatin1String("chmod 600")),
                 qPrintable(error));
    }

    void badTokenFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("not json") << QByteArray("token=abc") << "not JSON";
        QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no token") << QByteArray(R"({"name":"x","role":"viewer"})")
                                  << "no \"token\"";
        QTest::newRow("empty token") << QByteArray(R"({"token":"  "})") << "no \"token\"";
        QTest::newRow("token number") << QByteArray(R"({"token":5})") << "no \"token\"";
        QTest::newRow("bad role") << QByteArray(R"({"token":"a","role":"admin"})")
                                  << "unknown role";
    }

    void badTokenFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, errorContains);
        const QString path = write(QStringLiteral("bad-token.json"), content);
        QString error;
        QVERIFY(!TokenFile::load(path, &error));
        QVERIFY2(error.contains(errorContains), qPrintable(error));
        QVERIFY2(error.contains(path), qPrintable(error));
    }

    void missingTokenFile() {
        QString error;
        QVERIFY(!TokenFile::load(m_dir.filePath(QStringLiteral("nope.json")), &error));
        QVERIFY2(error.contains(QLatin1String("cannot read token file")), qPrintable(error));
        QVERIFY(!TokenFile::load(QString(), &error));
    }

    void goodStackFile() {
        // Plain literals: moc's scanner reads "//" inside a raw string as a comment.
        const QString path = write(
            QStringLiteral("stack.json"),
            "{\"format\": 1, \"profile\": \"minimal\", \"servers\": [{\"name\": \"pg-primary\"}],"
            " \"tokens\": {\"viewer\": \"tokens/viewer.json\", \"operator\": \"/abs/op.json\"},"
            " \"agents\": ["
            "{\"name\": \"demo-1\", \"url\": \"http://127.0.0.1:41300\", \"region\": \"us-east\"},"
            "{\"name\": \"demo-2\", \"url\": \"http://127.0.0.1:41301\"}]}");
        QString error;
        const auto stack = StackFile::load(path, &error);
        QVERIFY2(stack, qPrintable(error));
        QCOMPARE(stack->agents.size(), 2);
        QCOMPARE(stack->agents.at(0).name, QStringLiteral("demo-1"));
        QCOMPARE(stack->agents.at(0).url, QUrl(QStringLiteral("http://127.0.0.1:41300")));
        QCOMPARE(stack->agents.at(0).region, QStringLiteral("us-east"));
        // A relative token path is relative to the stack file.
        QCOMPARE(stack->viewerTokenFile,
                 QDir(m_dir.path()).filePath(QStringLiteral("tokens/viewer.json")));
        QCOMPARE(stack->operatorTokenFile, QStringLiteral("/abs/op.json"));
    }

    void prometheusOfTheFullProfile() {
        // The full profile's server entry (scripts/stack), then one written by hand without url.
        const QString path = write(
            QStringLiteral("full-stack.json"),
            "{\"format\": 1, \"servers\": [{\"name\": \"etcd\", \"kind\": \"etcd\"},"
            " {\"name\": \"prometheus\", \"kind\": \"prometheus\", \"role\": \"metrics\","
            " \"host\": \"127.0.0.1\", \"port\": 39609, \"url\": \"http://127.0.0.1:39609\"}]}");
        QString error;
        auto stack = StackFile::load(path, &error);
        QVERIFY2(stack, qPrintable(error));
        QCOMPARE(stack->prometheusUrl, QUrl(QStringLiteral("http://127.0.0.1:39609")));

        const QString byHand = write(QStringLiteral("hand-stack.json"),
                                     R"({"servers": [{"kind": "prometheus", "host": "127.0.0.1",
                                         "port": 9090}]})");
        stack = StackFile::load(byHand, &error);
        QVERIFY2(stack, qPrintable(error));
        QCOMPARE(stack->prometheusUrl, QUrl(QStringLiteral("http://127.0.0.1:9090")));
    }

    void stackWithoutAgentsIsFine() {
        const QString path = write(QStringLiteral("empty-stack.json"), R"({"format": 1})");
        QString error;
        const auto stack = StackFile::load(path, &error);
        QVERIFY2(stack, qPrintable(error));
        QVERIFY(stack->agents.isEmpty());
        QVERIFY(stack->viewerTokenFile.isEmpty());
        QVERIFY(stack->operatorTokenFile.isEmpty());
        QVERIFY(stack->prometheusUrl.isEmpty());
    }

    void badStackFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("errorContains");
        QTest::newRow("not json") << QByteArray("{") << "not JSON";
        QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("agents object") << QByteArray(R"({"agents":{}})") << "\"agents\"";
        QTest::newRow("agent without url")
            << QByteArray(R"({"agents":[{"name":"a"}]})") << "agents[0]";
        QTest::newRow("agent with ws url")
            << QByteArray("{\"agents\":[{\"url\":\"http://h:1\"},{\"url\":\"ftp://h:1\"}]}")
            << "agents[1]";
        QTest::newRow("tokens array") << QByteArray(R"({"tokens":[]})") << "\"tokens\"";
        QTest::newRow("prometheus without port")
            << QByteArray(R"({"servers":[{"kind":"prometheus","host":"127.0.0.1"}]})")
            << "prometheus";
    }

    void badStackFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, errorContains);
        const QString path = write(QStringLiteral("bad-stack.json"), content);
        QString error;
        QVERIFY(!StackFile::load(path, &error));
        QVERIFY2(error.contains(errorContains), qPrintable(error));
    }

    void missingStackFile() {
        QString error;
        QVERIFY(!StackFile::load(m_dir.filePath(QStringLiteral("nope.json")), &error));
        QVERIFY2(error.contains(QLatin1String("cannot read stack file")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestStackAndTokenFiles)
#include "tst_stack_and_token_files.moc"
