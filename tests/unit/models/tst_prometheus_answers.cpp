// PrometheusAnswers against real answers of Prometheus 2.42 (tests/data/prometheus-api, captured
// from the full stack's server): targets up and down with their labels, a query_range matrix,
// NaN and ±Inf, a scalar, the metric metadata (the same catalog as the direct scraper's, from
// the very agent), Prometheus's error documents, and answers that are not the API's.
#include "PrometheusAnswers.h"
#include "PrometheusFixtures.h"
#include "ScrapeFold.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cmath>

using switchboard::MetricInfo;
using switchboard::PrometheusAnswers;
using switchboard::PrometheusError;
using switchboard::PrometheusSeries;
using switchboard::PrometheusTarget;

namespace {

template <typename Value>
PrometheusError errorOf(const std::variant<Value, PrometheusError>& result) {
    const auto* error = std::get_if<PrometheusError>(&result);
    return error ? *error : PrometheusError{PrometheusError::Kind::Network, -1, {}, {}};
}

// A metadata answer for `families` (name → type), built as Prometheus writes it.
QByteArray metadataAnswer(const QList<std::pair<QString, QJsonValue>>& families) {
    QJsonObject data;
    for (const auto& [name, entries] : families)
        data.insert(name, entries);
    return QJsonDocument(QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                                     {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

QJsonArray described(const QString& type, const QString& help = QStringLiteral("help")) {
    return {QJsonObject{{QStringLiteral("type"), type},
                        {QStringLiteral("help"), help},
                        {QStringLiteral("unit"), QString()}}};
}

QList<MetricInfo> catalogOf(const std::variant<QList<MetricInfo>, PrometheusError>& result) {
    const auto* catalog = std::get_if<QList<MetricInfo>>(&result);
    return catalog ? *catalog : QList<MetricInfo>();
}

} // namespace

class TestPrometheusAnswers : public QObject {
    Q_OBJECT

private slots:
    void targetsUpAndDown() {
        const auto result =
            PrometheusAnswers::targets(200, capturedPrometheusAnswer("targets.json"));
        QVERIFY2(std::holds_alternative<QList<PrometheusTarget>>(result),
                 qPrintable(errorOf(result).text()));
        const auto& targets = std::get<QList<PrometheusTarget>>(result);
        QCOMPARE(targets.size(), 2);

        const PrometheusTarget& up = targets.at(0);
        QCOMPARE(up.instance, QStringLiteral("demo-1"));
        QCOMPARE(up.job, QStringLiteral("switchboard-agents"));
        QCOMPARE(up.region, QStringLiteral("us-east"));
        QCOMPARE(up.service, QStringLiteral("checkout"));
        QCOMPARE(up.health, PrometheusTarget::Health::Up);
        QVERIFY(up.lastError.isEmpty());
        QCOMPARE(up.scrapeUrl.path(), QStringLiteral("/metrics"));
        QCOMPARE(up.scrapeUrl.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(up.lastScrapeMs > 1700000000000); // a real RFC 3339 time with nanoseconds
        QVERIFY(up.lastScrapeDurationS > 0 && up.lastScrapeDurationS < 1);
        QCOMPARE(up.labels.value(QStringLiteral("instance")), up.instance);

        const PrometheusTarget& down = targets.at(1);
        QCOMPARE(down.instance, QStringLiteral("gone-1"));
        QCOMPARE(down.region, QStringLiteral("eu-west"));
        QVERIFY(down.service.isEmpty());
        QCOMPARE(down.health, PrometheusTarget::Health::Down);
        QVERIFY2(down.lastError.contains(QLatin1String("connection refused")),
                 qPrintable(down.lastError));
    }

    void queryRangeMatrix() {
        const auto result =
            PrometheusAnswers::series(200, capturedPrometheusAnswer("query_range_requests.json"));
        QVERIFY2(std::holds_alternative<QList<PrometheusSeries>>(result),
                 qPrintable(errorOf(result).text()));
        const auto& series = std::get<QList<PrometheusSeries>>(result);
        QCOMPARE(series.size(), 6);
        for (const PrometheusSeries& one : series) {
            QCOMPARE(one.label(QStringLiteral("instance")), QStringLiteral("demo-1"));
            QCOMPARE(one.label(QStringLiteral("region")), QStringLiteral("us-east"));
            QVERIFY(!one.label(QStringLiteral("route")).isEmpty());
            QCOMPARE(one.points.size(), 11); // 20 s at a 2 s step, both ends included
            for (qsizetype i = 1; i < one.points.size(); ++i) {
                QCOMPARE(one.points.at(i).timeMs - one.points.at(i - 1).timeMs, 2000);
                // A counter summed per route never goes down while the demo runs.
                QVERIFY(one.points.at(i).value >= one.points.at(i - 1).value);
            }
        }
    }

    void specialValues() {
        const auto result = PrometheusAnswers::series(
            200, capturedPrometheusAnswer("query_range_special_values.json"));
        QVERIFY2(std::holds_alternative<QList<PrometheusSeries>>(result),
                 qPrintable(errorOf(result).text()));
        QHash<QString, double> byKind;
        for (const PrometheusSeries& one : std::get<QList<PrometheusSeries>>(result)) {
            QVERIFY(!one.points.isEmpty());
            byKind.insert(one.label(QStringLiteral("k")), one.points.first().value);
        }
        QVERIFY(std::isinf(byKind.value(QStringLiteral("inf"))));
        QVERIFY(byKind.value(QStringLiteral("inf")) > 0);
        QVERIFY(std::isinf(byKind.value(QStringLiteral("neginf"))));
        QVERIFY(byKind.value(QStringLiteral("neginf")) < 0);
        QVERIFY(std::isnan(byKind.value(QStringLiteral("nan"))));
    }

    void scalarIsOneSeriesWithoutLabels() {
        const auto result =
            PrometheusAnswers::series(200, capturedPrometheusAnswer("query_scalar.json"));
        QVERIFY(std::holds_alternative<QList<PrometheusSeries>>(result));
        const auto& series = std::get<QList<PrometheusSeries>>(result);
        QCOMPARE(series.size(), 1);
        QVERIFY(series.first().labels.isEmpty());
        QCOMPARE(series.first().points.size(), 1);
        QCOMPARE(series.first().points.first().value, 2.0);
        QCOMPARE(series.first().points.first().timeMs, 1795499651980);
    }

    void instantVector() {
        const QByteArray body = R"({"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"instance":"a"},"value":[1700000000.5,"3"]}]}})";
        const auto result = PrometheusAnswers::series(200, body);
        QVERIFY(std::holds_alternative<QList<PrometheusSeries>>(result));
        const auto& series = std::get<QList<PrometheusSeries>>(result);
        QCOMPARE(series.size(), 1);
        QCOMPARE(series.first().points.first().timeMs, 1700000000500);
        QCOMPARE(series.first().points.first().value, 3.0);
    }

    void prometheusErrors_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("contains");
        QTest::newRow("parse error")
            << QByteArray("error_bad_data.json") << "unclosed left parenthesis";
        QTest::newRow("too many points")
            << QByteArray("error_too_many_points.json") << "exceeded maximum resolution";
    }

    void prometheusErrors() {
        QFETCH(QByteArray, file);
        QFETCH(QString, contains);
        const PrometheusError error =
            errorOf(PrometheusAnswers::series(400, capturedPrometheusAnswer(file.constData())));
        QCOMPARE(error.kind, PrometheusError::Kind::Prometheus);
        QCOMPARE(error.httpStatus, 400);
        QCOMPARE(error.errorType, QStringLiteral("bad_data"));
        QVERIFY2(error.message.contains(contains), qPrintable(error.message));
        QVERIFY2(error.text().contains(contains), qPrintable(error.text()));
    }

    void answersThatAreNotTheApis_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("contains");
        const int http = static_cast<int>(PrometheusError::Kind::Http);
        const int bad = static_cast<int>(PrometheusError::Kind::BadResponse);
        QTest::newRow("proxy 502")
            << 502 << QByteArray("<html>Bad Gateway</html>") << http << "Bad Gateway";
        QTest::newRow("404 text") << 404 << QByteArray("404 page not found") << http << "not found";
        QTest::newRow("not json") << 200 << QByteArray("{\"status\":") << bad << "not JSON";
        QTest::newRow("array") << 200 << QByteArray("[]") << bad << "status";
        QTest::newRow("no data") << 200 << QByteArray(R"({"status":"success"})") << bad << "data";
        QTest::newRow("string result")
            << 200 << QByteArray(R"({"status":"success","data":{"resultType":"string",
                   "result":[1,"x"]}})")
            << bad << "string";
        QTest::newRow("bad sample")
            << 200 << QByteArray(R"({"status":"success","data":{"resultType":"matrix",
                   "result":[{"metric":{},"values":[[1,"x"]]}]}})")
            << bad << "malformed sample";
        QTest::newRow("sample as number")
            << 200 << QByteArray(R"({"status":"success","data":{"resultType":"matrix",
                   "result":[{"metric":{},"values":[[1,2]]}]}})")
            << bad << "malformed sample";
    }

    void answersThatAreNotTheApis() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, contains);
        const PrometheusError error = errorOf(PrometheusAnswers::series(status, body));
        QCOMPARE(static_cast<int>(error.kind), kind);
        QCOMPARE(error.httpStatus, status);
        QVERIFY2(error.message.contains(contains), qPrintable(error.message));
    }

    void targetsWithoutActiveTargets() {
        const PrometheusError error = errorOf(
            PrometheusAnswers::targets(200, R"({"status":"success","data":{"dropped":[]}})"));
        QCOMPARE(error.kind, PrometheusError::Kind::BadResponse);
        QVERIFY(error.message.contains(QLatin1String("activeTargets")));
    }

    void metadataOfTheFullStack() {
        const auto result =
            PrometheusAnswers::metadata(200, capturedPrometheusAnswer("metadata.json"));
        QVERIFY2(std::holds_alternative<QList<MetricInfo>>(result),
                 qPrintable(errorOf(result).text()));
        const QList<MetricInfo> catalog = catalogOf(result);
        QHash<QString, MetricInfo> byName;
        for (const MetricInfo& info : catalog)
            byName.insert(info.name, info);
        QCOMPARE(byName.size(), catalog.size()); // one entry per stored name

        const MetricInfo requests = byName.value(QStringLiteral("switchboard_requests_total"));
        QCOMPARE(requests.type, QStringLiteral("counter"));
        QCOMPARE(requests.storedAs, MetricInfo::StoredAs::RatePerSecond);
        QCOMPARE(requests.help,
                 QStringLiteral("Requests the backend handled, by route and outcome"));
        const MetricInfo lag = byName.value(QStringLiteral("switchboard_replication_lag_bytes"));
        QCOMPARE(lag.type, QStringLiteral("gauge"));
        QCOMPARE(lag.storedAs, MetricInfo::StoredAs::Value);
        // A histogram: its _count and _sum as rates, never the family or its buckets.
        const QString histogram = QStringLiteral("switchboard_request_duration_seconds");
        QVERIFY(!byName.contains(histogram));
        QVERIFY(!byName.contains(histogram + QLatin1String("_bucket")));
        for (const char* suffix : {"_count", "_sum"}) {
            const MetricInfo part = byName.value(histogram + QLatin1String(suffix));
            QCOMPARE(part.type, QStringLiteral("histogram"));
            QCOMPARE(part.storedAs, MetricInfo::StoredAs::RatePerSecond);
        }
        // 32 gauges and 9 counters as they are, 3 histograms as two names each; by name.
        QCOMPARE(catalog.size(), 32 + 9 + 3 * 2);
        QVERIFY(std::is_sorted(catalog.begin(), catalog.end(),
                               [](const auto& a, const auto& b) { return a.name < b.name; }));
    }

    // The metric browser lists the same catalog whichever source feeds it: the metadata
    // Prometheus answered and the direct scraper's fold of the same agent's /metrics, captured
    // the same second (tests/data/prometheus-api/README.md).
    void metadataIsTheScrapersCatalog() {
        const QByteArray text = capturedPrometheusAnswer("metadata_agent_metrics.txt");
        QVERIFY(!text.isEmpty());
        switchboard::ScrapeFold fold(QStringLiteral("http://127.0.0.1:7464"));
        const auto parse = [&] {
            return switchboard::promtext::parsePrometheusText(
                std::string_view(text.constData(), static_cast<size_t>(text.size())));
        };
        fold.fold(parse(), 1000);
        QList<MetricInfo> scraped = fold.fold(parse(), 2000).metrics; // counters need two
        std::sort(scraped.begin(), scraped.end(),
                  [](const MetricInfo& a, const MetricInfo& b) { return a.name < b.name; });
        const QList<MetricInfo> fromPrometheus =
            catalogOf(PrometheusAnswers::metadata(200, capturedPrometheusAnswer("metadata.json")));
        QCOMPARE(fromPrometheus.size(), scraped.size());
        for (qsizetype i = 0; i < scraped.size(); ++i) {
            QCOMPARE(fromPrometheus.at(i).name, scraped.at(i).name);
            QCOMPARE(fromPrometheus.at(i).type, scraped.at(i).type);
            QCOMPARE(fromPrometheus.at(i).storedAs, scraped.at(i).storedAs);
            QCOMPARE(fromPrometheus.at(i).help, scraped.at(i).help);
        }
    }

    // Types the agent does not export today, as the scraper would keep them.
    void metadataOfOtherTypes() {
        const QList<MetricInfo> catalog = catalogOf(PrometheusAnswers::metadata(
            200,
            metadataAnswer(
                {{QStringLiteral("rpc_seconds"), described(QStringLiteral("summary"))},
                 {QStringLiteral("legacy"), described(QStringLiteral("unknown"))},
                 {QStringLiteral("twice"),
                  QJsonArray{described(QStringLiteral("gauge"), QStringLiteral("first")).first(),
                             described(QStringLiteral("counter")).first()}}})));
        using StoredAs = MetricInfo::StoredAs;
        const QList<MetricInfo> expected{
            {QStringLiteral("legacy"), QStringLiteral("untyped"), QStringLiteral("help"),
             StoredAs::Value},
            {QStringLiteral("rpc_seconds"), QStringLiteral("summary"), QStringLiteral("help"),
             StoredAs::Value},
            {QStringLiteral("rpc_seconds_count"), QStringLiteral("summary"), QStringLiteral("help"),
             StoredAs::RatePerSecond},
            {QStringLiteral("rpc_seconds_sum"), QStringLiteral("summary"), QStringLiteral("help"),
             StoredAs::RatePerSecond},
            // Targets that describe a metric differently: the first description counts.
            {QStringLiteral("twice"), QStringLiteral("gauge"), QStringLiteral("first"),
             StoredAs::Value}};
        QCOMPARE(catalog, expected);
        QVERIFY(catalogOf(PrometheusAnswers::metadata(200, metadataAnswer({}))).isEmpty());
    }

    void malformedMetadata_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("contains");
        const int bad = static_cast<int>(PrometheusError::Kind::BadResponse);
        QTest::newRow("not json") << 200 << QByteArray("{\"status\":\"succ") << bad << "not JSON";
        QTest::newRow("data an array")
            << 200 << QByteArray(R"({"status":"success","data":[]})") << bad << "data";
        QTest::newRow("entry not a list")
            << 200 << metadataAnswer({{QStringLiteral("m"), QStringLiteral("gauge")}}) << bad
            << "\"m\"";
        QTest::newRow("empty list")
            << 200 << metadataAnswer({{QStringLiteral("m"), QJsonArray()}}) << bad << "\"m\"";
        QTest::newRow("no type")
            << 200
            << metadataAnswer(
                   {{QStringLiteral("m"),
                     QJsonArray{QJsonObject{{QStringLiteral("help"), QStringLiteral("h")}}}}})
            << bad << "type";
        QTest::newRow("type a number")
            << 200
            << metadataAnswer(
                   {{QStringLiteral("m"), QJsonArray{QJsonObject{{QStringLiteral("type"), 3}}}}})
            << bad << "type";
        QTest::newRow("prometheus error")
            << 503
            << QByteArray(R"({"status":"error","errorType":"unavailable","error":"not ready"})")
            << static_cast<int>(PrometheusError::Kind::Prometheus) << "not ready";
        QTest::newRow("proxy 502")
            << 502 << QByteArray("Bad Gateway") << static_cast<int>(PrometheusError::Kind::Http)
            << "Bad Gateway";
    }

    void malformedMetadata() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, contains);
        const PrometheusError error = errorOf(PrometheusAnswers::metadata(status, body));
        QCOMPARE(static_cast<int>(error.kind), kind);
        QCOMPARE(error.httpStatus, status);
        QVERIFY2(error.message.contains(contains), qPrintable(error.message));
    }

    void times() {
        QCOMPARE(
            PrometheusAnswers::timeMs(QStringLiteral("2026-11-24T05:53:37.70193797Z")),
            QDateTime(QDate(2026, 11, 24), QTime(5, 53, 37, 701), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(PrometheusAnswers::timeMs(QStringLiteral("2026-11-24T05:53:37Z")),
                 QDateTime(QDate(2026, 11, 24), QTime(5, 53, 37), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(PrometheusAnswers::timeMs(QStringLiteral("0001-01-01T00:00:00Z")), 0);
        QCOMPARE(PrometheusAnswers::timeMs(QStringLiteral("yesterday")), 0);
    }
};

QTEST_GUILESS_MAIN(TestPrometheusAnswers)
#include "tst_prometheus_answers.moc"
