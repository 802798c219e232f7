// PrometheusSource against an in-process HTTP responder standing in for Prometheus: what it
// sends (paths, POST forms with '+' intact, the bearer token), that captured answers arrive as
// typed signals, and that every failure (Prometheus's error, an HTTP status, silence, a dropped
// connection, nobody listening, a range Prometheus would refuse) is one requestFailed.
#include "PrometheusFixtures.h"
#include "PrometheusSource.h"
#include "StandInPrometheus.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <memory>

using switchboard::PrometheusError;
using switchboard::PrometheusRangeQuery;
using switchboard::PrometheusSeries;
using switchboard::PrometheusSource;
using switchboard::PrometheusTarget;

namespace {

PrometheusError failureOf(const QSignalSpy& spy) {
    return spy.isEmpty() ? PrometheusError{} : spy.first().at(2).value<PrometheusError>();
}

} // namespace

class TestPrometheusSource : public QObject {
    Q_OBJECT

    std::unique_ptr<FakeHttpAgent> m_server;

private slots:
    void init() {
        m_server = std::make_unique<FakeHttpAgent>();
        QVERIFY(m_server->listen());
    }

    void cleanup() { m_server.reset(); }

    void discoversTargets() {
        m_server->setHandler([](const HttpExchange& exchange) {
            return exchange.path == QLatin1String("/api/v1/targets")
                       ? prometheusJsonAnswer(200, capturedPrometheusAnswer("targets.json"))
                       : prometheusJsonAnswer(404, "404 page not found");
        });
        // A base URL with a path prefix (Prometheus behind a proxy's /prometheus/) and a slash.
        QUrl base = m_server->url();
        base.setPath(QStringLiteral("/"));
        PrometheusSource source(base);
        source.setBearerToken(QStringLiteral("secret"));
        QSignalSpy discovered(&source, &PrometheusSource::targetsDiscovered);
        const quint64 id = source.discoverTargets();
        QCOMPARE(source.pendingCount(), 1);
        QVERIFY(discovered.wait(5000));
        QCOMPARE(discovered.first().at(0).toULongLong(), id);
        const auto targets = discovered.first().at(1).value<QList<PrometheusTarget>>();
        QCOMPARE(targets.size(), 2);
        QCOMPARE(targets.at(0).region, QStringLiteral("us-east"));
        QCOMPARE(source.pendingCount(), 0);

        const HttpExchange sent = m_server->exchanges().first();
        QCOMPARE(sent.method, QByteArray("GET"));
        QCOMPARE(sent.query.queryItemValue(QStringLiteral("state")), QStringLiteral("active"));
        QCOMPARE(sent.header("authorization"), QByteArray("Bearer secret"));
    }

    void metadataIsTheCatalog() {
        m_server->setHandler([](const HttpExchange& exchange) {
            return exchange.path == QLatin1String("/api/v1/metadata")
                       ? prometheusJsonAnswer(200, capturedPrometheusAnswer("metadata.json"))
                       : prometheusJsonAnswer(404, "404 page not found");
        });
        PrometheusSource source(m_server->url());
        QSignalSpy received(&source, &PrometheusSource::metadataReceived);
        const quint64 id = source.metadata();
        QVERIFY(received.wait(5000));
        QCOMPARE(received.first().at(0).toULongLong(), id);
        const auto catalog = received.first().at(1).value<QList<switchboard::MetricInfo>>();
        QVERIFY(catalog.size() > 40);
        QCOMPARE(m_server->exchanges().first().method, QByteArray("GET"));

        // A failure names its operation.
        m_server->setHandler(
            [](const HttpExchange&) { return prometheusJsonAnswer(200, "{\"status\":"); });
        QSignalSpy failed(&source, &PrometheusSource::requestFailed);
        source.metadata();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(1).value<PrometheusSource::Operation>(),
                 PrometheusSource::Operation::Metadata);
        QCOMPARE(failureOf(failed).kind, PrometheusError::Kind::BadResponse);
    }

    void queryRangeSendsAFormAndReturnsSeries() {
        m_server->setHandler([](const HttpExchange&) {
            return prometheusJsonAnswer(200, capturedPrometheusAnswer("query_range_requests.json"));
        });
        PrometheusSource source(m_server->url());
        QSignalSpy received(&source, &PrometheusSource::seriesReceived);
        PrometheusRangeQuery range;
        range.query = QStringLiteral("sum by (instance) (rate(x[30s])) + 0");
        range.end = QDateTime::fromMSecsSinceEpoch(1795499650000);
        range.start = range.end.addSecs(-900);
        range.step = std::chrono::milliseconds(15000);
        const quint64 id = source.queryRange(range);
        QVERIFY(received.wait(5000));
        QCOMPARE(received.first().at(0).toULongLong(), id);
        QCOMPARE(received.first().at(1).value<QList<PrometheusSeries>>().size(), 6);

        const HttpExchange sent = m_server->exchanges().first();
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path, QStringLiteral("/api/v1/query_range"));
        const auto form = decodePrometheusForm(sent.body);
        QCOMPARE(form.value(QStringLiteral("query")), range.query);
        QCOMPARE(form.value(QStringLiteral("start")), QStringLiteral("1795498750.000"));
        QCOMPARE(form.value(QStringLiteral("end")), QStringLiteral("1795499650.000"));
        QCOMPARE(form.value(QStringLiteral("step")), QStringLiteral("15.000"));
    }

    void instantQuery() {
        m_server->setHandler([](const HttpExchange&) {
            return prometheusJsonAnswer(200, capturedPrometheusAnswer("query_scalar.json"));
        });
        PrometheusSource source(m_server->url());
        QSignalSpy received(&source, &PrometheusSource::seriesReceived);
        source.query(QStringLiteral("scalar(count(up))"));
        QVERIFY(received.wait(5000));
        const HttpExchange sent = m_server->exchanges().first();
        QCOMPARE(sent.path, QStringLiteral("/api/v1/query"));
        QVERIFY(!decodePrometheusForm(sent.body).contains(QStringLiteral("time")));
    }

    void failures_data() {
        QTest::addColumn<int>("status"); // < 0: the HttpAnswer kind Hang (-1) or Drop (-2)
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("contains");
        QTest::newRow("prometheus error")
            << 400 << capturedPrometheusAnswer("error_bad_data.json")
            << static_cast<int>(PrometheusError::Kind::Prometheus) << "unclosed left";
        QTest::newRow("unavailable")
            << 503 << QByteArray("Service Unavailable")
            << static_cast<int>(PrometheusError::Kind::Http) << "Service Unavailable";
        QTest::newRow("malformed json")
            << 200 << QByteArray("{\"status\":\"success\",") // cut short
            << static_cast<int>(PrometheusError::Kind::BadResponse) << "not JSON";
        QTest::newRow("silence") << -1 << QByteArray()
                                 << static_cast<int>(PrometheusError::Kind::Timeout) << "within";
        QTest::newRow("hang up") << -2 << QByteArray()
                                 << static_cast<int>(PrometheusError::Kind::Network) << "";
    }

    void failures() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, contains);
        m_server->setHandler([status, body](const HttpExchange&) {
            if (status == -1)
                return HttpAnswer::hang();
            if (status == -2)
                return HttpAnswer::drop();
            return prometheusJsonAnswer(status, body);
        });
        PrometheusSource source(m_server->url());
        source.setTimeout(std::chrono::milliseconds(300));
        QSignalSpy failed(&source, &PrometheusSource::requestFailed);
        QSignalSpy received(&source, &PrometheusSource::seriesReceived);
        const quint64 id = source.query(QStringLiteral("up"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toULongLong(), id);
        QCOMPARE(failed.first().at(1).value<PrometheusSource::Operation>(),
                 PrometheusSource::Operation::Query);
        const PrometheusError error = failureOf(failed);
        QCOMPARE(static_cast<int>(error.kind), kind);
        QVERIFY2(error.message.contains(contains), qPrintable(error.message));
        QVERIFY(!error.text().isEmpty());
        QVERIFY(received.isEmpty());
        QCOMPARE(source.pendingCount(), 0);
    }

    void nobodyListening() {
        // A port that was free a moment ago: connection refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        PrometheusSource source(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        QSignalSpy failed(&source, &PrometheusSource::requestFailed);
        source.discoverTargets();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failureOf(failed).kind, PrometheusError::Kind::Network);
        QCOMPARE(failed.first().at(1).value<PrometheusSource::Operation>(),
                 PrometheusSource::Operation::DiscoverTargets);
    }

    void rangesPrometheusWouldRefuseAreNotSent_data() {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<qint64>("stepMs");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("contains");
        QTest::newRow("too many points") << qint64(86400) << qint64(1000) << "up"
                                         << "11000";
        QTest::newRow("no step") << qint64(60) << qint64(0) << "up"
                                 << "step";
        QTest::newRow("end before start") << qint64(-60) << qint64(1000) << "up"
                                          << "end";
        QTest::newRow("empty query") << qint64(60) << qint64(1000) << " "
                                     << "empty";
    }

    void rangesPrometheusWouldRefuseAreNotSent() {
        QFETCH(qint64, seconds);
        QFETCH(qint64, stepMs);
        QFETCH(QString, query);
        QFETCH(QString, contains);
        PrometheusSource source(m_server->url());
        QSignalSpy failed(&source, &PrometheusSource::requestFailed);
        PrometheusRangeQuery range;
        range.query = query;
        range.end = QDateTime::currentDateTimeUtc();
        range.start = range.end.addSecs(-seconds);
        range.step = std::chrono::milliseconds(stepMs);
        source.queryRange(range);
        QVERIFY(failed.isEmpty()); // never from inside the call
        QVERIFY(failed.wait(2000));
        const PrometheusError error = failureOf(failed);
        QCOMPARE(error.kind, PrometheusError::Kind::BadRequest);
        QVERIFY2(error.message.contains(contains), qPrintable(error.message));
        QVERIFY(m_server->exchanges().isEmpty());
    }

    void destroyedWhileWaitingSaysNothing() {
        m_server->setHandler([](const HttpExchange&) {
            return prometheusJsonAnswer(200, capturedPrometheusAnswer("query_range_requests.json"));
        });
        auto source = std::make_unique<PrometheusSource>(m_server->url());
        QSignalSpy received(source.get(), &PrometheusSource::seriesReceived);
        source->query(QStringLiteral("up"));
        QTRY_VERIFY(!m_server->exchanges().isEmpty());
        source.reset();
        QTest::qWait(200); // an answer or a parse still on its way must find no one
    }
};

QTEST_GUILESS_MAIN(TestPrometheusSource)
#include "tst_prometheus_source.moc"
