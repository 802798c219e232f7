// The fleet workspace from the command line to the window: --workspace gives every agent its
// own token (and CA file); agents removed at run time leave the workspace file too; a bad
// workspace is refused with its file and key named.
#include "CommandLineOptions.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "TestCertificates.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;

namespace {

void write(const QString& path, const QByteArray& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // tokens are private
}

QByteArray token(const char* name, const char* value) {
    return QByteArray(R"({"name": ")") + name + R"(", "role": "viewer", "token": ")" + value +
           R"("})";
}

// Two agents on ports nothing listens on: the window only needs their rows.
QByteArray workspaceJson() {
    // Plain literals: moc misreads "//" inside multi-line raw strings.
    return "{\"token_file\": \"viewer.json\", \"agents\": ["
           "{\"url\": \"http://127.0.0.1:1\", \"name\": \"orders-1\"},"
           "{\"url\": \"http://127.0.0.1:2\", \"name\": \"orders-2\", "
           "\"token_file\": \"ops.json\"}]}";
}

} // namespace

class TestWorkspaceWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        write(m_dir.filePath(QStringLiteral("viewer.json")), token("viewer", "aaaa"));
        write(m_dir.filePath(QStringLiteral("ops.json")), token("ops", "bbbb"));
        m_path = m_dir.filePath(QStringLiteral("fleet.json"));
        write(m_path, workspaceJson());
    }

    void eachAgentGetsItsOwnToken() {
        const auto options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--workspace"), m_path});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Run);
        QCOMPARE(options.agents.size(), 2);
        QCOMPARE(options.agents.at(0).token, QStringLiteral("aaaa"));
        QCOMPARE(options.agents.at(0).name, QStringLiteral("orders-1"));
        QCOMPARE(options.agents.at(1).token, QStringLiteral("bbbb"));
        QCOMPARE(options.workspacePath, m_path);
    }

    void aBadWorkspaceIsRefused() {
        QFile::remove(m_dir.filePath(QStringLiteral("ops.json")));
        auto options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--workspace"), m_path});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Error);
        QVERIFY2(options.error.contains(QStringLiteral("http://127.0.0.1:2")),
                 qPrintable(options.error));
        options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--workspace"), m_path,
             QStringLiteral("--connect"), QStringLiteral("http://127.0.0.1:3")});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Error);
        QVERIFY(options.error.contains(QStringLiteral("--workspace")));
    }

    // --ca-file and a workspace's ca_file reach each agent, checked readable at start.
    void caFilesReachTheAgents() {
        const QString ca = m_dir.filePath(QStringLiteral("ca.pem"));
        write(ca, "not a certificate");
        auto options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--connect"),
             QStringLiteral("https://127.0.0.1:3"), QStringLiteral("--token-file"),
             m_dir.filePath(QStringLiteral("viewer.json")), QStringLiteral("--ca-file"), ca});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Error);
        QVERIFY2(options.error.startsWith(QLatin1String("--ca-file: CA file ")) &&
                     options.error.contains(QLatin1String("holds no PEM certificate")),
                 qPrintable(options.error));

        const TestCertificates authority(QStringLiteral("workspace"));
        QVERIFY2(authority.ok(), qPrintable(authority.error()));
        QFile::remove(ca);
        QVERIFY(QFile::copy(authority.caFile(), ca));
        options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--connect"),
             QStringLiteral("https://127.0.0.1:3"), QStringLiteral("--token-file"),
             m_dir.filePath(QStringLiteral("viewer.json")), QStringLiteral("--ca-file"), ca});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Run);
        QCOMPARE(options.agents.at(0).caFile, ca);

        // The workspace's own CA for every agent; --ca-file stands in for it.
        write(m_path, "{\"token_file\": \"viewer.json\", \"ca_file\": \"ca.pem\", "
                      "\"agents\": [{\"url\": \"https://127.0.0.1:1\"}]}");
        options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--workspace"), m_path});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Run);
        QCOMPARE(options.agents.at(0).caFile, ca);
        QFile::remove(ca);
        options = CommandLineOptions::parse(
            {QStringLiteral("switchboard"), QStringLiteral("--workspace"), m_path});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Error);
        QVERIFY2(options.error.contains(QLatin1String("https://127.0.0.1:1")) &&
                     options.error.contains(ca),
                 qPrintable(options.error));
    }

    void removingAnAgentRemovesItFromTheWorkspace() {
        Fleet fleet;
        MainWindow window(&fleet);
        const QString first = fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:1")),
                                             QStringLiteral("aaaa"), QStringLiteral("orders-1"));
        fleet.addAgent(QUrl(QStringLiteral("http://127.0.0.1:2")), QStringLiteral("bbbb"),
                       QStringLiteral("orders-2"));
        window.setWorkspacePath(m_path);
        window.removeAgent(first, false);
        QCOMPARE(fleet.agentIds().size(), 1);
        QString error;
        const auto saved = Workspace::load(m_path, &error);
        QVERIFY2(saved, qPrintable(error));
        QCOMPARE(saved->agents.size(), 1);
        QCOMPARE(saved->agents.at(0).url, QUrl(QStringLiteral("http://127.0.0.1:2")));
        // The other agent keeps its own token file, relative to the workspace.
        QCOMPARE(saved->agents.at(0).tokenFile, m_dir.filePath(QStringLiteral("ops.json")));
        fleet.stopAll();
    }
};

QTEST_MAIN(TestWorkspaceWindow)
#include "tst_workspace_window.moc"
