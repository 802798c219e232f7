// Fleet workspaces: a JSON file of agents with their token files and an optional Prometheus;
// every bad value refused with the key named; token files relative to the workspace's folder;
// written back whole and read again unchanged.
#include "Workspace.h"

#include <QTemporaryDir>
#include <QTest>

using switchboard::Workspace;
using switchboard::WorkspaceAgent;

namespace {
struct BadWorkspace {
    const char* name;
    QByteArray json;
    QString names; // what the error must contain
};
QByteArray goodWorkspace();
QList<BadWorkspace> badWorkspaces();
} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT

private slots:
    void readsAWorkspace() {
        QString error;
        const auto workspace =
            Workspace::parse(goodWorkspace(), QStringLiteral("/srv/fleet"), &error);
        QVERIFY2(workspace, qPrintable(error));
        QCOMPARE(workspace->tokenFile, QStringLiteral("/srv/fleet/viewer.json"));
        QCOMPARE(workspace->agents.size(), 2);
        QCOMPARE(workspace->agents.at(0).url, QUrl(QStringLiteral("http://127.0.0.1:7464")));
        QCOMPARE(workspace->agents.at(0).name, QStringLiteral("orders-1"));
        QCOMPARE(workspace->tokenFileOf(workspace->agents.at(0)),
                 QStringLiteral("/srv/fleet/viewer.json"));
        QCOMPARE(workspace->tokenFileOf(workspace->agents.at(1)),
                 QStringLiteral("/etc/sb/ops.json"));
        QCOMPARE(workspace->prometheusUrl, QUrl(QStringLiteral("http://127.0.0.1:9090")));
        QCOMPARE(workspace->prometheusAgentThreshold, 20);
    }

    void anEmptyWorkspaceIsFine() {
        QString error;
        const auto workspace = Workspace::parse("{}", QStringLiteral("/tmp"), &error);
        QVERIFY2(workspace, qPrintable(error));
        QVERIFY(workspace->agents.isEmpty());
        QVERIFY(workspace->prometheusUrl.isEmpty());
        QCOMPARE(workspace->prometheusAgentThreshold, Workspace::kDefaultAgentThreshold);
    }

    void refusesBadValues_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("names");
        // Rows are built after the class (tests/unit/models: moc misreads "//" inside
        // multi-line raw strings in a class body).
        for (const auto& [name, json, names] : badWorkspaces())
            QTest::newRow(name) << json << names;
    }
    void refusesBadValues() {
        QFETCH(QByteArray, json);
        QFETCH(QString, names);
        QString error;
        // The wrapping braces are added where the row left them out.
        const QByteArray text =
            json.startsWith('{') || json.startsWith('[') ? json : "{" + json + "}";
        QVERIFY(!Workspace::parse(text, QStringLiteral("/tmp"), &error));
        QVERIFY2(error.contains(names), qPrintable(error));
    }

    void savesAndReadsBackTheSame() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Workspace workspace;
        workspace.path = dir.filePath(QStringLiteral("fleet.json"));
        workspace.tokenFile = dir.filePath(QStringLiteral("viewer.json"));
        workspace.agents = {WorkspaceAgent{QUrl(QStringLiteral("http://127.0.0.1:7464")),
                                           QStringLiteral("orders-1"),
                                           {}},
                            WorkspaceAgent{QUrl(QStringLiteral("http://127.0.0.1:7465")),
                                           {},
                                           QStringLiteral("/etc/sb/ops.json")}};
        workspace.prometheusUrl = QUrl(QStringLiteral("http://127.0.0.1:9090"));
        workspace.prometheusAgentThreshold = 7;
        QString error;
        QVERIFY2(workspace.save(&error), qPrintable(error));
        // Token files inside the workspace's folder are written relative: it travels whole.
        QVERIFY(workspace.toJson().contains(R"("token_file": "viewer.json")"));

        const auto read = Workspace::load(workspace.path, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->agents, workspace.agents);
        QCOMPARE(read->tokenFile, workspace.tokenFile);
        QCOMPARE(read->prometheusUrl, workspace.prometheusUrl);
        QCOMPARE(read->prometheusAgentThreshold, 7);
    }

    // The CA an https:// agent is verified with: the agent's own, else the workspace's, both
    // relative to the workspace's folder, and written back where they were.
    void caFilesResolveAndTravel() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray json =
            "{\"token_file\": \"viewer.json\", \"ca_file\": \"fleet-ca.pem\", \"agents\": ["
            "{\"url\": \"https://127.0.0.1:7464\"},"
            "{\"url\": \"https://127.0.0.1:7465\", \"ca_file\": \"/etc/sb/orders-ca.pem\"}]}";
        QString error;
        auto workspace = Workspace::parse(json, dir.path(), &error);
        QVERIFY2(workspace, qPrintable(error));
        QCOMPARE(workspace->caFile, dir.filePath(QStringLiteral("fleet-ca.pem")));
        QCOMPARE(workspace->caFileOf(workspace->agents.at(0)), workspace->caFile);
        QCOMPARE(workspace->caFileOf(workspace->agents.at(1)),
                 QStringLiteral("/etc/sb/orders-ca.pem"));

        workspace->path = dir.filePath(QStringLiteral("fleet.json"));
        QVERIFY2(workspace->save(&error), qPrintable(error));
        QVERIFY(workspace->toJson().contains("\"ca_file\": \"fleet-ca.pem\""));
        const auto read = Workspace::load(workspace->path, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->caFile, workspace->caFile);
        QCOMPARE(read->agents, workspace->agents);

        QVERIFY(!Workspace::parse("{\"ca_file\": 3}", dir.path(), &error));
        QVERIFY2(error.contains(QLatin1String("ca_file")), qPrintable(error));
    }

    void aMissingFileNamesIt() {
        QString error;
        QVERIFY(!Workspace::load(QStringLiteral("/nonexistent/fleet.json"), &error));
        QVERIFY2(error.contains(QStringLiteral("/nonexistent/fleet.json")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)

namespace {
QByteArray goodWorkspace() {
    return R"({"token_file": "viewer.json",
            "agents": [{"url": "http://127.0.0.1:7464", "name": "orders-1"},
                       {"url": "http://10.0.0.7:7464", "token_file": "/etc/sb/ops.json"}],
            "prometheus": {"url": "http://127.0.0.1:9090", "agent_threshold": 20}})";
}
QList<BadWorkspace> badWorkspaces() {
    QList<BadWorkspace> rows;
    const QByteArray token = R"("token_file": "t.json", )";
    rows.append({"not JSON", QByteArray("{agents"), QStringLiteral("not JSON")});
    rows.append({"not an object", QByteArray("[]"), QStringLiteral("JSON object")});
    rows.append({"agents not an array", QByteArray(token + R"("agents": {})"),
                 QStringLiteral("agents: expected")});
    rows.append({"agent not an object", QByteArray(token + R"("agents": [3])"),
                 QStringLiteral("agents[0]: expected")});
    rows.append(
        {"url missing", QByteArray(token + R"("agents": [{}])"), QStringLiteral("agents[0].url")});
    rows.append({"url not http", QByteArray(token + R"("agents": [{"url": "ftp://h:1"}])"),
                 QStringLiteral("agents[0].url: expected http")});
    rows.append({"url not a string", QByteArray(token + R"("agents": [{"url": 5}])"),
                 QStringLiteral("agents[0].url: expected a string")});
    rows.append({"no token at all", QByteArray(R"({"agents": [{"url": "http://h:1"}]})"),
                 QStringLiteral("agents[0].token_file: needed")});
    rows.append({"listed twice",
                 QByteArray(token + R"("agents": [{"url": "http://h:1"}, {"url": "http://h:1"}])"),
                 QStringLiteral("agents[1].url: http://h:1 is listed twice")});
    rows.append({"prometheus not an object", QByteArray(R"({"prometheus": "http://h:9090"})"),
                 QStringLiteral("prometheus: expected an object")});
    rows.append({"prometheus url bad", QByteArray(R"({"prometheus": {"url": "h:9090"}})"),
                 QStringLiteral("prometheus.url")});
    rows.append({"threshold negative",
                 QByteArray(R"({"prometheus": {"url": "http://h:9090", "agent_threshold": -1}})"),
                 QStringLiteral("prometheus.agent_threshold")});
    rows.append({"threshold fractional",
                 QByteArray(R"({"prometheus": {"url": "http://h:9090", "agent_threshold": 2.5}})"),
                 QStringLiteral("prometheus.agent_threshold")});
    return rows;
}
} // namespace

#include "tst_workspace.moc"
