// Issue 10: the figures an architecture scorecard grades, from a real demo backend on the minimal
// stack: request latency percentiles (overall and per route), the backend's connection pools
// and the host process's CPU and memory, in the snapshot, on the stream, in /metrics, and read
// back through the console's parser.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ProtocolText.h"
#include "StreamMessageParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <memory>
#include <switchboard/protocol.h>

namespace protocol = switchboard::protocol;
namespace field = protocol::field;
using switchboard::StreamMessageParser;

class TestAgentScorecardFigures : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;

    HttpResult get(std::string_view path) {
        QUrl url = demo_->url();
        url.setPath(sv(path));
        return HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()));
    }
    QJsonObject snapshot() { return get(protocol::path::kSnapshot).json; }

    // Percentiles present, above zero, in order and at most the interval's max.
    static void checkLatency(const QJsonObject& latency, const QString& where) {
        const double p50 = latency.value(sv(field::kP50)).toDouble(-1);
        const double p95 = latency.value(sv(field::kP95)).toDouble(-1);
        const double p99 = latency.value(sv(field::kP99)).toDouble(-1);
        const double max = latency.value(sv(field::kMax)).toDouble(-1);
        const QString figures = QStringLiteral("%1: p50 %2 p95 %3 p99 %4 max %5 ms")
                                    .arg(where)
                                    .arg(p50)
                                    .arg(p95)
                                    .arg(p99)
                                    .arg(max);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, qPrintable(figures));
        QVERIFY2(latency.value(sv(field::kCount)).toInteger() > 0, qPrintable(where));
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-score"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        // Wait for a statistics tick with requests in it on the read route (the pools' users).
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& route :
                     snapshot().value(sv(field::kRequests))[sv(field::kRoutes)].toArray())
                    if (route[sv(field::kRoute)] == "catalog.read" &&
                        route[sv(field::kLatencyMs)].isObject())
                        return true;
                return false;
            }(),
            20000);
    }
    void cleanupTestCase() {
        if (demo_)
            QVERIFY2(demo_->stop(), qPrintable(demo_->output()));
        demo_.reset();
        stack_.reset();
    }

    void requestsCarryLatencyPercentiles() {
        const QJsonObject requests = snapshot().value(sv(field::kRequests)).toObject();
        checkLatency(requests.value(sv(field::kLatencyMs)).toObject(), QStringLiteral("overall"));
        int withLatency = 0;
        for (const auto& value : requests.value(sv(field::kRoutes)).toArray()) {
            const QJsonObject route = value.toObject();
            if (!route.value(sv(field::kLatencyMs)).isObject())
                continue; // a route without a request in the interval: null, not zeros
            checkLatency(route.value(sv(field::kLatencyMs)).toObject(),
                         route.value(sv(field::kRoute)).toString());
            ++withLatency;
        }
        QVERIFY(withLatency >= 3);
    }

    void poolsAreReportedWithinTheirLimits() {
        const QJsonArray pools = snapshot().value(sv(field::kPools)).toArray();
        QStringList names;
        for (const auto& value : pools) {
            const QJsonObject pool = value.toObject();
            const QString name = pool.value(sv(field::kName)).toString();
            names.append(name);
            const qint64 inUse = pool.value(sv(field::kInUse)).toInteger(-1);
            const qint64 open = pool.value(sv(field::kOpen)).toInteger(-1);
            const qint64 max = pool.value(sv(field::kMax)).toInteger(-1);
            qInfo("pool %s: in_use %lld open %lld max %lld", qPrintable(name), inUse, open, max);
            QVERIFY2(inUse >= 0 && inUse <= open && open <= max && max > 0, qPrintable(name));
        }
        // The demo's PostgreSQL pools (one per read target) and the agent's own Redis pool.
        QVERIFY2(names.contains("postgres.primary"), qPrintable(names.join(", ")));
        QVERIFY2(names.contains("redis.cache"), qPrintable(names.join(", ")));
        // The primary's pool has been used: a connection stays open between reads.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& value : snapshot().value(sv(field::kPools)).toArray())
                    if (value[sv(field::kName)] == "postgres.primary")
                        return value[sv(field::kOpen)].toInteger() >= 1;
                return false;
            }(),
            10000);
    }

    void processFiguresAreThere() {
        const QJsonObject process = snapshot().value(sv(field::kProcess)).toObject();
        qInfo("process: %s", QJsonDocument(process).toJson(QJsonDocument::Compact).constData());
        QVERIFY2(process.value(sv(field::kCpuPercent)).toDouble(-1) >= 0,
                 qPrintable(QJsonDocument(process).toJson()));
        QVERIFY(process.value(sv(field::kRssBytes)).toInteger() > 0);
        QVERIFY(process.value(sv(field::kCpuCount)).toInt() >= 1);
    }

    void metricsExportTheGauges() {
        const QByteArray text = get(protocol::path::kMetrics).body;
        QVERIFY(text.contains("switchboard_pool_in_use{pool=\"postgres.primary\"}"));
        QVERIFY(text.contains("switchboard_pool_max{pool=\"redis.cache\"}"));
        QVERIFY(text.contains("switchboard_process_cpu_percent "));
        QVERIFY(text.contains("switchboard_process_resident_memory_bytes "));
    }

    void theConsoleReadsThemBack() {
        QString error;
        const auto parsed = StreamMessageParser::parseSnapshot(snapshot(), &error);
        QVERIFY2(parsed, qPrintable(error));
        QVERIFY(parsed->requests.latencyP95Ms.has_value());
        QVERIFY(*parsed->requests.latencyP95Ms > 0);
        QVERIFY(*parsed->requests.latencyP99Ms <= *parsed->requests.latencyMaxMs);
        QVERIFY(!parsed->pools.isEmpty());
        for (const auto& pool : parsed->pools)
            QVERIFY2(pool.useRatio() >= 0 && pool.useRatio() <= 1, qPrintable(pool.name));
        QVERIFY(parsed->process.has_value());
        QVERIFY(parsed->process->cpuPercent >= 0);
        QVERIFY(parsed->process->rssBytes > 0);
    }
};

QTEST_GUILESS_MAIN(TestAgentScorecardFigures)
#include "tst_agent_scorecard_figures.moc"
