// Issue 9's acceptance, data side: the full stack's real Prometheus scraping a real demo
// backend. The console's PrometheusSource finds the stack's Prometheus in the stack file,
// discovers the agent `scripts/stack add-agent` registered (up, with its region and service),
// and reads a minute of a counter it exports with query_range: timestamps on the step grid
// (what lines annotations up with the points), ascending, the counter never going down, the
// last point close to now. A bad query comes back as Prometheus's own error.
#include "DemoBackend.h"
#include "LocalStack.h"
#include "PrometheusSource.h"
#include "StackFile.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <memory>

using switchboard::PrometheusError;
using switchboard::PrometheusRangeQuery;
using switchboard::PrometheusSeries;
using switchboard::PrometheusSource;
using switchboard::PrometheusTarget;
using switchboard::StackFile;

namespace {

const QString kInstance = QStringLiteral("demo-prom-1");

} // namespace

class TestPrometheusSourceLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    std::unique_ptr<PrometheusSource> source_;

    // Sends one request and waits for its answer (the payload signal) or its failure; the
    // failure's error, if any, in *error.
    template <typename Answer, typename Send>
    QList<Answer> ask(void (PrometheusSource::*answered)(quint64, const QList<Answer>&), Send send,
                      PrometheusError* error) {
        QSignalSpy received(source_.get(), answered);
        QSignalSpy failed(source_.get(), &PrometheusSource::requestFailed);
        send();
        QDeadlineTimer deadline(10000);
        while (received.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
            received.wait(100);
        if (!failed.isEmpty())
            *error = failed.first().at(2).value<PrometheusError>();
        return received.isEmpty() ? QList<Answer>()
                                  : received.first().at(1).template value<QList<Answer>>();
    }

    QList<PrometheusTarget> discover(PrometheusError* error) {
        return ask(
            &PrometheusSource::targetsDiscovered, [this] { source_->discoverTargets(); }, error);
    }

    QList<PrometheusSeries> rangeOf(const PrometheusRangeQuery& range, PrometheusError* error) {
        return ask(
            &PrometheusSource::seriesReceived, [&] { source_->queryRange(range); }, error);
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>(QStringLiteral("full"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        QString error;
        const auto stackFile = StackFile::load(stack_->stackFile(), &error);
        QVERIFY2(stackFile, qPrintable(error));
        QVERIFY2(!stackFile->prometheusUrl.isEmpty(), "the full stack lists no Prometheus");
        source_ = std::make_unique<PrometheusSource>(stackFile->prometheusUrl);
        source_->setTimeout(std::chrono::milliseconds(5000));

        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), kInstance);
        demo_->setExtraArguments({QStringLiteral("--region"), QStringLiteral("us-east")});
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        // As scripts/demo does: the stack file lists it, and Prometheus's targets file with it.
        const QString added = stack_->addAgent(kInstance, demo_->url(), QStringLiteral("us-east"),
                                               QStringLiteral("checkout"));
        QVERIFY2(added.isEmpty(), qPrintable(added));
    }

    void cleanupTestCase() {
        source_.reset();
        if (demo_)
            demo_->stop();
        demo_.reset();
        stack_.reset(); // scripts/stack down: Prometheus with the rest
    }

    void discoversTheAgentUp() {
        PrometheusError error;
        PrometheusTarget found;
        // file_sd sees the rewrite at once; the first scrape follows within a second or two.
        QDeadlineTimer deadline(30000);
        while (!deadline.hasExpired()) {
            for (const PrometheusTarget& target : discover(&error))
                if (target.instance == kInstance)
                    found = target;
            if (found.health == PrometheusTarget::Health::Up)
                break;
            QTest::qWait(250);
        }
        QVERIFY2(
            found.health == PrometheusTarget::Health::Up,
            qPrintable(
                QStringLiteral("not up after 30 s: %1 %2").arg(error.text(), found.lastError)));
        QCOMPARE(found.region, QStringLiteral("us-east"));
        QCOMPARE(found.service, QStringLiteral("checkout"));
        QCOMPARE(found.job, QStringLiteral("switchboard-agents"));
        QCOMPARE(found.scrapeUrl.port(), demo_->url().port());
        QCOMPARE(found.scrapeUrl.path(), QStringLiteral("/metrics"));
        QVERIFY(found.lastError.isEmpty());
        QVERIFY(std::llabs(found.lastScrapeMs - QDateTime::currentMSecsSinceEpoch()) < 10000);
    }

    void readsAMinuteOfACounter() {
        // Ten seconds of 1 s scrapes at least, so the minute has points to check.
        QTest::qWait(10000);
        const std::chrono::milliseconds step(2000);
        PrometheusRangeQuery range;
        range.query = QStringLiteral(
                          "sum by (instance, region) (switchboard_requests_total{instance=\"%1\"})")
                          .arg(kInstance);
        // On the step grid, as a chart asks: every point then falls on a multiple of the step.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        range.end = QDateTime::fromMSecsSinceEpoch(now - now % step.count());
        range.start = range.end.addSecs(-60);
        range.step = step;
        PrometheusError error;
        const QList<PrometheusSeries> series = rangeOf(range, &error);
        QVERIFY2(series.size() == 1, qPrintable(error.text()));
        const PrometheusSeries& counter = series.first();
        QCOMPARE(counter.label(QStringLiteral("instance")), kInstance);
        QCOMPARE(counter.label(QStringLiteral("region")), QStringLiteral("us-east"));
        QVERIFY2(counter.points.size() >= 4, qPrintable(QString::number(counter.points.size())));
        QVERIFY(counter.points.size() <= 31);
        for (qsizetype i = 0; i < counter.points.size(); ++i) {
            const auto& point = counter.points.at(i);
            QVERIFY(point.timeMs >= range.start.toMSecsSinceEpoch());
            QVERIFY(point.timeMs <= range.end.toMSecsSinceEpoch());
            QCOMPARE(point.timeMs % step.count(), 0);
            QVERIFY(std::isfinite(point.value) && point.value >= 0);
            if (i > 0) {
                // Ascending, step respected (a gap is a whole number of steps).
                const qint64 gap = point.timeMs - counter.points.at(i - 1).timeMs;
                QVERIFY(gap > 0 && gap % step.count() == 0);
                QVERIFY(point.value >= counter.points.at(i - 1).value); // a counter
            }
        }
        // The demo serves requests all along: the counter grew over the minute.
        QVERIFY(counter.points.last().value > counter.points.first().value);
        QCOMPARE(counter.points.last().timeMs, range.end.toMSecsSinceEpoch());
    }

    void aRateOverTheFleet() {
        PrometheusRangeQuery range;
        range.query = QStringLiteral("sum by (instance) (rate(switchboard_requests_total[5s]))");
        range.end = QDateTime::currentDateTimeUtc();
        range.start = range.end.addSecs(-20);
        range.step = std::chrono::milliseconds(1000);
        PrometheusError error;
        const QList<PrometheusSeries> series = rangeOf(range, &error);
        QVERIFY2(!series.isEmpty(), qPrintable(error.text()));
        const auto it = std::find_if(series.begin(), series.end(), [](const auto& s) {
            return s.label(QStringLiteral("instance")) == kInstance;
        });
        QVERIFY(it != series.end());
        // The demo's default workload: a few to a few hundred requests a second.
        QVERIFY2(it->points.last().value > 0.5 && it->points.last().value < 5000,
                 qPrintable(QString::number(it->points.last().value)));
    }

    void aBadQueryIsPrometheussOwnError() {
        PrometheusRangeQuery range;
        range.query = QStringLiteral("sum(rate(");
        range.end = QDateTime::currentDateTimeUtc();
        range.start = range.end.addSecs(-60);
        PrometheusError error;
        QVERIFY(rangeOf(range, &error).isEmpty());
        QCOMPARE(error.kind, PrometheusError::Kind::Prometheus);
        QCOMPARE(error.httpStatus, 400);
        QCOMPARE(error.errorType, QStringLiteral("bad_data"));
        QVERIFY2(error.message.contains(QLatin1String("parse error")), qPrintable(error.message));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusSourceLive)
#include "tst_prometheus_source_live.moc"
