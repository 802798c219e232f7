// One agent's /metrics folded into store points (ScrapeFold): gauges as they are, counters as
// per-second rates from the second scrape on (across a reset), histogram buckets left out,
// _count and _sum as rates, every series labelled with its agent; on the real capture of our
// agent's /metrics.
#include "AgentSeries.h"
#include "ScrapeFold.h"

#include <QFile>
#include <QTest>

using namespace switchboard;

namespace {

QByteArray capture() {
    QFile file(
        QStringLiteral(SWITCHBOARD_SOURCE_DIR "/tests/data/prometheus/switchboard-agent-demo.txt"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

promtext::ParseResult parse(const QByteArray& text) {
    return promtext::parsePrometheusText(std::string_view(text.constData(), text.size()));
}

const ScrapeFold::Point* find(const ScrapeFold::Result& result, const QString& canonicalPart) {
    for (const auto& point : result.points)
        if (point.key.canonical().contains(canonicalPart))
            return &point;
    return nullptr;
}

const MetricInfo* metric(const ScrapeFold::Result& result, const QString& name) {
    for (const auto& info : result.metrics)
        if (info.name == name)
            return &info;
    return nullptr;
}

} // namespace

class TestScrapeFold : public QObject {
    Q_OBJECT

private slots:
    void theAgentsOwnMetrics() {
        const QByteArray text = capture();
        QVERIFY(!text.isEmpty());
        ScrapeFold fold(QStringLiteral("http://127.0.0.1:7464"));
        const auto first = fold.fold(parse(text), 1000);
        QCOMPARE(first.parseErrors, 0);
        // Counters have no rate before a second reading; gauges are there at once.
        QVERIFY(!find(first, QStringLiteral("switchboard_requests_total{")));
        const auto* gauge = find(first, QStringLiteral("switchboard_breaker_failure_rate{"));
        QVERIFY(gauge);
        QCOMPARE(gauge->key.label(agentLabel()), QStringLiteral("http://127.0.0.1:7464"));
        QCOMPARE(gauge->timeMs, qint64(1000));
        // Buckets are left out; a histogram's _count and _sum are kept (as rates).
        for (const auto& point : first.points)
            QVERIFY2(!point.key.metricName().endsWith(QLatin1String("_bucket")),
                     qPrintable(point.key.canonical()));
        const MetricInfo* requests = metric(first, QStringLiteral("switchboard_requests_total"));
        QVERIFY(requests);
        QCOMPARE(requests->type, QStringLiteral("counter"));
        QCOMPARE(requests->storedAs, MetricInfo::StoredAs::RatePerSecond);
        QVERIFY(requests->help.startsWith(QStringLiteral("Requests the backend handled")));
        const MetricInfo* count =
            metric(first, QStringLiteral("switchboard_request_duration_seconds_count"));
        QVERIFY(count);
        QCOMPARE(count->type, QStringLiteral("histogram"));
        QVERIFY(!metric(first, QStringLiteral("switchboard_request_duration_seconds_bucket")));
        QCOMPARE(metric(first, QStringLiteral("switchboard_breaker_failure_rate"))->storedAs,
                 MetricInfo::StoredAs::Value);
    }

    void countersBecomeRatesAcrossAReset() {
        ScrapeFold fold(QStringLiteral("a1"));
        const QByteArray head = "# TYPE jobs_total counter\n";
        fold.fold(parse(head + "jobs_total{queue=\"q\"} 100\n"), 10000);
        auto second = fold.fold(parse(head + "jobs_total{queue=\"q\"} 150\n"), 12000);
        QCOMPARE(second.points.size(), 1);
        QCOMPARE(second.points.at(0).value, 25.0); // 50 in 2 s
        QCOMPARE(second.points.at(0).key.canonical(),
                 QStringLiteral("jobs_total{agent=\"a1\",queue=\"q\"}"));
        // The process restarted: the counter starts again, its new value is the growth.
        auto third = fold.fold(parse(head + "jobs_total{queue=\"q\"} 8\n"), 14000);
        QCOMPARE(third.points.at(0).value, 4.0);
    }

    void malformedLinesAreCountedAndTheRestKept() {
        ScrapeFold fold(QStringLiteral("a1"));
        const auto result = fold.fold(parse("# TYPE g gauge\ng 1\ng{x=} 2\ng{y=\"1\"} 3\n"), 5);
        QCOMPARE(result.parseErrors, 1);
        QVERIFY2(result.firstError.startsWith(QStringLiteral("line 3: ")),
                 qPrintable(result.firstError));
        QCOMPARE(result.points.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestScrapeFold)
#include "tst_scrape_fold.moc"
