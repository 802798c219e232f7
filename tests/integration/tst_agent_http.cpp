// The agent's HTTP side against a real demo backend on a real stack: the read path reflects the
// workload, /metrics is valid exposition, and every bad request gets its JSON error while the
// agent keeps serving.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ProtocolText.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>
#include <memory>
#include <switchboard/protocol.h>

namespace protocol = switchboard::protocol;

class TestAgentHttp : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QByteArray viewer_;

    QUrl url(std::string_view path) const {
        QUrl url = demo_->url();
        url.setPath(sv(path));
        return url;
    }
    HttpResult get(std::string_view path) { return HttpCall::run("GET", url(path), viewer_); }

    // Sum of one counter's samples whose labels contain `labels`, from exposition text.
    static double sampleValue(const QByteArray& text, const QString& name, const QString& labels) {
        double sum = 0;
        for (const auto& line : QString::fromUtf8(text).split(QLatin1Char('\n')))
            if (line.startsWith(name + QLatin1Char('{')) && line.contains(labels))
                sum += line.section(QLatin1Char(' '), -1).toDouble();
        return sum;
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-http"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        viewer_ = HttpCall::bearer(stack_->viewerToken());
    }

    void cleanupTestCase() {
        if (demo_)
            QVERIFY2(demo_->stop(), qPrintable(demo_->output())); // SIGTERM: a clean exit
        demo_.reset();
        stack_.reset();
    }

    // Whatever a test sent, the agent must still answer.
    void cleanup() {
        if (demo_)
            QCOMPARE(HttpCall::run("GET", url(protocol::path::kHealthz)).status, 200);
    }

    void healthzNeedsNoToken() {
        auto reply = HttpCall::run("GET", url(protocol::path::kHealthz));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value("status").toString(), QString("ok"));
    }

    void infoNamesTheInstance() {
        auto reply = get(protocol::path::kInfo);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(sv(protocol::field::kInstance)).toString(), QString("demo-http"));
        QCOMPARE(reply.json.value(sv(protocol::field::kProtocol)).toInt(), protocol::kVersion);
        QVERIFY(reply.json.value(sv(protocol::field::kCapabilities))
                    .toArray()
                    .contains(sv(protocol::capability::kStream)));
    }

    void snapshotReflectsTheWorkload() {
        auto first = get(protocol::path::kSnapshot);
        QCOMPARE(first.status, 200);
        // Every probe of the stack is up: the primary, the replica and Redis.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto probes = get(protocol::path::kSnapshot).json.value("probes").toArray();
                if (probes.size() != 3)
                    return false;
                for (const auto& probe : probes)
                    if (probe.toObject().value("status").toInt() != int(protocol::ProbeStatus::Up))
                        return false;
                return true;
            }(),
            10000);
        auto totalOf = [](const HttpResult& reply, const QString& route) {
            for (const auto& value :
                 reply.json.value("requests").toObject().value("routes").toArray())
                if (value.toObject().value("route").toString() == route)
                    return value.toObject().value("total").toDouble();
            return -1.0;
        };
        auto before = get(protocol::path::kSnapshot);
        // Requests keep coming on every route of the demo, and the revision moves with them.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto now = get(protocol::path::kSnapshot);
                for (auto route : {"orders.write", "catalog.read", "catalog.cached"})
                    if (totalOf(now, route) <= std::max(0.0, totalOf(before, route)))
                        return false;
                return now.json.value("revision").toDouble() >
                       before.json.value("revision").toDouble();
            }(),
            10000);
        auto now = get(protocol::path::kSnapshot);
        QVERIFY(now.json.value("requests").toObject().value("rate_per_s").toDouble() > 0);
        QCOMPARE(now.json.value("requests").toObject().value("errors").toDouble(), 0.0);
    }

    void metricsAreValidExpositionAndCount() {
        auto first = get(protocol::path::kMetrics);
        QCOMPARE(first.status, 200);
        QVERIFY(first.contentType.startsWith("text/plain; version=0.0.4"));
        const QString counter = QStringLiteral("switchboard_requests_total");
        const QString writes = QStringLiteral("route=\"orders.write\"");
        double before = sampleValue(first.body, counter, writes);
        QTRY_VERIFY_WITH_TIMEOUT(
            sampleValue(get(protocol::path::kMetrics).body, counter, writes) > before, 10000);
        QVERIFY(sampleValue(first.body, QStringLiteral("switchboard_probe_up"),
                            QStringLiteral("probe=\"redis\"")) == 1);

        // Prometheus's own checker reads it as valid text exposition with nothing to lint.
        QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool is missing: run scripts/bootstrap");
        QProcess check;
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        check.write(get(protocol::path::kMetrics).body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(20000));
        QVERIFY2(check.exitCode() == 0,
                 qPrintable(QString::fromUtf8(check.readAllStandardOutput() +
                                              check.readAllStandardError())));
    }

    void refusesMissingOrWrongTokens_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("authorization");
        for (auto path : {protocol::path::kInfo, protocol::path::kSnapshot,
                          protocol::path::kMetrics, protocol::path::kStream}) {
            QByteArray name = QByteArray(path.data(), qsizetype(path.size()));
            QTest::newRow(name + " no token") << sv(path) << QByteArray();
            QTest::newRow(name + " wrong token")
                << sv(path) << QByteArray("Bearer 00000000000000000000000000000000");
            QTest::newRow(name + " basic") << sv(path) << QByteArray("Basic dXNlcjpwYXNz");
        }
    }
    void refusesMissingOrWrongTokens() {
        QFETCH(QString, path);
        QFETCH(QByteArray, authorization);
        QUrl target = demo_->url();
        target.setPath(path);
        auto reply = HttpCall::run("GET", target, authorization);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.json.value("error").toObject().value("reason").toString(),
                 QString("unauthorized"));
        QVERIFY(!reply.body.contains(stack_->viewerToken().toUtf8()));
    }

    void unknownPathIsJson404() {
        auto reply = get("/v1/nothing/here");
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json.value("error").toObject().value("code").toInt(), 404);
        QVERIFY(reply.json.value("error").toObject().value("message").toString().contains(
            "/v1/nothing/here"));
    }

    void oversizedRequestIs413() {
        QByteArray body(200 * 1024, 'x');
        auto reply = HttpCall::run("POST", url(protocol::path::kSnapshot), viewer_, body);
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.json.value("error").toObject().value("reason").toString(),
                 QString("payload_too_large"));
    }

    // civetweb answers a request head past its limits before the agent sees it, with a 400;
    // the agent turns that into its JSON error with a message that says why.
    void oversizedHeadersAreRefused() {
        QByteArray huge = "Bearer " + QByteArray(64 * 1024, 'a');
        auto reply = HttpCall::run("GET", url(protocol::path::kInfo), huge);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json.value("error").toObject().value("reason").toString(),
                 QString("bad_request"));
        QVERIFY(
            reply.json.value("error").toObject().value("message").toString().contains("16 KiB"));
    }

    void plainRequestToTheStreamIs400() {
        auto reply = get(protocol::path::kStream);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json.value("error").toObject().value("reason").toString(),
                 QString("websocket_required"));
    }

    void otherMethodsAre405() {
        auto reply = HttpCall::run("DELETE", url(protocol::path::kSnapshot), viewer_);
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.json.value("error").toObject().value("reason").toString(),
                 QString("method_not_allowed"));
    }
};

QTEST_GUILESS_MAIN(TestAgentHttp)
#include "tst_agent_http.moc"
