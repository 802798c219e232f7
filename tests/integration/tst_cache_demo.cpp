// Issue 7's acceptance with two demo instances on a real Redis: both report their cache
// (layers, prefixes, Redis) and listen for invalidations; a dry run counts the matching keys and
// changes nothing; invalidation by pattern removes exactly the matching keys from Redis (others
// untouched) and drops the matching entries from both instances' L1, each acknowledging; a
// selection of every key needs its own confirmation; Redis killed mid-run: the demos keep
// serving, their cache documents say Redis is down, and recover when it returns.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "redis_connection.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <hiredis/hiredis.h>
#include <memory>
#include <set>

using switchboard::RedisConnection;
using switchboard::RedisEndpoint;

class TestCacheDemo : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> first_, second_;
    QTemporaryDir files_;
    int redisPort_ = 0;

    RedisConnection redis() const {
        RedisEndpoint endpoint;
        endpoint.port = redisPort_;
        return RedisConnection(endpoint);
    }
    // Every key matching `pattern`, by SCAN.
    std::set<std::string> keys(const std::string& pattern) const {
        RedisConnection connection = redis();
        std::set<std::string> found;
        std::string cursor = "0";
        do {
            auto reply = connection.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
            if (!reply.ok())
                break;
            cursor = std::string(reply->element[0]->str, reply->element[0]->len);
            for (std::size_t i = 0; i < reply->element[1]->elements; ++i)
                found.emplace(reply->element[1]->element[i]->str,
                              reply->element[1]->element[i]->len);
        } while (cursor != "0");
        return found;
    }
    HttpResult call(DemoBackend& demo, const char* method, const QString& path,
                    const QJsonObject& body = {}) {
        QUrl url = demo.url();
        url.setPath(path);
        return HttpCall::run(method, url, HttpCall::bearer(stack_->operatorToken()),
                             body.isEmpty() ? QByteArray()
                                            : QJsonDocument(body).toJson(QJsonDocument::Compact),
                             30000);
    }
    QJsonObject cache(DemoBackend& demo) {
        return call(demo, "GET", QStringLiteral("/v1/snapshot")).json.value("cache").toObject();
    }
    HttpResult plan(const QJsonObject& params) {
        return call(*first_, "POST", QStringLiteral("/v1/plans"),
                    {{"kind", "cache.invalidate"},
                     {"target", QStringLiteral("127.0.0.1:%1").arg(redisPort_)},
                     {"params", params}});
    }
    QJsonObject run(const QJsonObject& planned) {
        HttpResult job =
            call(*first_, "POST",
                 QStringLiteral("/v1/plans/%1/confirm").arg(planned.value("plan_id").toString()));
        QElapsedTimer clock;
        clock.start();
        QJsonObject state = job.json;
        while (clock.elapsed() < 60000 && (state.value("state") == QLatin1String("running") ||
                                           state.value("state") == QLatin1String("cancelling"))) {
            QTest::qWait(100);
            state = call(*first_, "GET",
                         QStringLiteral("/v1/jobs/") + job.json.value("job_id").toString())
                        .json;
        }
        return state;
    }
    void fill(const std::string& prefix, int count) {
        RedisConnection connection = redis();
        std::vector<std::string> names;
        for (int i = 0; i < count; ++i)
            names.push_back(prefix + std::to_string(i));
        std::vector<std::vector<std::string_view>> commands;
        for (const auto& name : names)
            commands.push_back({"SET", name, "x"});
        for (const auto& reply : connection.pipeline(commands))
            QVERIFY2(reply.ok(), reply.error().c_str());
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        redisPort_ = stack_->server(QStringLiteral("redis")).value("port").toInt();
        first_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-c1"));
        second_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-c2"));
        QVERIFY2(first_->start(), qPrintable(first_->output()));
        QVERIFY2(second_->start(), qPrintable(second_->output()));
        for (DemoBackend* demo : {first_.get(), second_.get()})
            QTRY_VERIFY_WITH_TIMEOUT(
                cache(*demo).value("layers")
                            .toObject()
                            .value("l1")
                            .toObject()
                            .value("hits")
                            .toInteger() > 0 &&
                    cache(*demo).value("invalidation").toObject().value("subscribed").toBool(),
                30000);
    }
    void cleanupTestCase() {
        second_.reset();
        first_.reset();
        stack_.reset();
    }

    void eachInstanceReportsItsCache() {
        const QJsonObject document = cache(*first_);
        QCOMPARE(document.value("target_hit_rate").toDouble(), 70.0);
        const QJsonObject layers = document.value("layers").toObject();
        QVERIFY(layers.value("loader").toObject().value("loads").toInteger() > 0);
        QCOMPARE(layers.value("l2").toObject().value("breaker").toString(),
                 QStringLiteral("closed"));
        bool catalog = false;
        for (const auto& row : document.value("prefixes").toArray())
            catalog |= row.toObject().value("prefix") == QLatin1String("catalog:item");
        QVERIFY(catalog);
        const QJsonObject redisSection = document.value("redis").toObject();
        QCOMPARE(redisSection.value("status").toInt(), 1);
        QVERIFY(redisSection.value("used_memory").toInteger() > 0);
        QVERIFY(redisSection.value("keys").toInteger() > 0);
    }

    void dryRunCountsAndChangesNothing() {
        fill("static:a:", 500);
        fill("static:b:", 300);
        const HttpResult planned = plan({{"match", "pattern"}, {"value", "static:a:*"}});
        QCOMPARE(planned.status, 201);
        QCOMPARE(planned.json.value("matching").toInteger(), 500);
        const QJsonArray sample = planned.json.value("sample").toArray();
        QVERIFY(!sample.isEmpty() && sample.size() <= 20);
        for (const auto& key : sample)
            QVERIFY(key.toString().startsWith(QLatin1String("static:a:")));
        QCOMPARE(planned.json.value("match_all").toBool(), false);
        QCOMPARE(keys("static:a:*").size(), std::size_t(500));
        QCOMPARE(keys("static:b:*").size(), std::size_t(300));
    }

    void patternInvalidationRemovesExactlyTheMatchingKeysEverywhere() {
        const std::set<std::string> others = keys("static:b:*");
        const HttpResult planned = plan({{"match", "pattern"}, {"value", "static:a:*"}});
        QCOMPARE(planned.status, 201);
        const QJsonObject job = run(planned.json);
        QCOMPARE(job.value("state").toString(), QStringLiteral("succeeded"));
        const QJsonObject result = job.value("result").toObject();
        QCOMPARE(result.value("unlinked").toInteger(), 500);
        QVERIFY(keys("static:a:*").empty());
        QVERIFY(keys("static:b:*") == others);
        QStringList acked;
        for (const auto& name : result.value("l1").toObject().value("acked").toArray())
            acked.append(name.toString());
        acked.sort();
        QCOMPARE(acked, (QStringList{"demo-c1", "demo-c2"}));
        QCOMPARE(result.value("l1").toObject().value("missing").toInt(), 0);

        // The hot catalog items are in both instances' L1: both drop theirs and say how many.
        const HttpResult hot = plan({{"match", "prefix"}, {"value", "catalog:item:1"}});
        QCOMPARE(hot.status, 201);
        const QJsonObject hotJob = run(hot.json);
        QCOMPARE(hotJob.value("state").toString(), QStringLiteral("succeeded"));
        const QJsonObject removed =
            hotJob.value("result").toObject().value("l1").toObject().value("removed").toObject();
        QVERIFY2(removed.value("demo-c1").toInteger() > 0 &&
                     removed.value("demo-c2").toInteger() > 0,
                 QJsonDocument(removed).toJson().constData());
        // Every instance shows the message it applied.
        QTRY_COMPARE_WITH_TIMEOUT(cache(*second_)
                                      .value("invalidation")
                                      .toObject()
                                      .value("last")
                                      .toObject()
                                      .value("value")
                                      .toString(),
                                  QStringLiteral("catalog:item:1"), 5000);
    }

    void cancelStopsAfterABatchAndKeepsWhatWasDone() {
        fill("slow:x:", 3000);
        const HttpResult planned =
            plan({{"match", "prefix"}, {"value", "slow:x:"}, {"rate", 1000}}); // about 3 s
        QCOMPARE(planned.status, 201);
        const QString jobId = call(*first_, "POST",
                                   QStringLiteral("/v1/plans/%1/confirm")
                                       .arg(planned.json.value("plan_id").toString()))
                                  .json.value("job_id")
                                  .toString();
        QVERIFY(!jobId.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(call(*first_, "GET", QStringLiteral("/v1/jobs/") + jobId)
                                         .json.value("progress")
                                         .toDouble() > 0,
                                 5000);
        QCOMPARE(call(*first_, "POST", QStringLiteral("/v1/jobs/%1/cancel").arg(jobId)).status,
                 202);
        QJsonObject job;
        QTRY_VERIFY_WITH_TIMEOUT(
            (job = call(*first_, "GET", QStringLiteral("/v1/jobs/") + jobId).json).value("state") ==
                QLatin1String("cancelled"),
            10000);
        const qint64 unlinked = job.value("result").toObject().value("unlinked").toInteger();
        QVERIFY2(unlinked > 0 && unlinked < 3000, qPrintable(QString::number(unlinked)));
        QCOMPARE(qint64(keys("slow:x:*").size()), 3000 - unlinked);
        QCOMPARE(
            job.value("result").toObject().value("l1").toObject().value("acked").toArray().size(),
            2);
    }

    void selectingEveryKeyNeedsItsOwnConfirmation() {
        for (const QJsonObject& params : {QJsonObject{{"match", "pattern"}, {"value", "*"}},
                                          QJsonObject{{"match", "prefix"}, {"value", ""}}}) {
            const HttpResult refused = plan(params);
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.json.value("error").toObject().value("reason").toString(),
                     QStringLiteral("match_all_needs_confirmation"));
        }
        QJsonObject confirmed{{"match", "pattern"}, {"value", "*"}, {"allow_match_all", true}};
        const HttpResult planned = plan(confirmed);
        QCOMPARE(planned.status, 201);
        QCOMPARE(planned.json.value("match_all").toBool(), true);
        QCOMPARE(keys("static:b:*").size(), std::size_t(300)); // planned, not run
        const HttpResult bad = plan({{"match", "glob"}, {"value", "x"}});
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.json.value("error").toObject().value("message").toString().contains(
            QLatin1String("params.match")));
    }

    // Last: it restarts the stack's Redis itself.
    void redisKilledTheDemosKeepServing() {
        auto catalogErrors = [&](DemoBackend& demo) {
            const QJsonObject requests =
                call(demo, "GET", QStringLiteral("/v1/snapshot")).json.value("requests").toObject();
            for (const auto& route : requests.value("routes").toArray())
                if (route.toObject().value("route") == QLatin1String("catalog.cached"))
                    return route.toObject().value("errors").toInteger();
            return qint64(-1);
        };
        const qint64 errorsBefore = catalogErrors(*first_);
        QVERIFY(errorsBefore >= 0);
        const int pid = stack_->server(QStringLiteral("redis")).value("pid").toInt();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(cache(*first_).value("redis").toObject().value("status").toInt(),
                                  2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            cache(*first_).value("layers").toObject().value("l2").toObject().value("breaker"),
            QJsonValue(QStringLiteral("open")), 10000);
        const qint64 loadsThen = cache(*first_)
                                     .value("layers")
                                     .toObject()
                                     .value("loader")
                                     .toObject()
                                     .value("loads")
                                     .toInteger();
        QTRY_VERIFY_WITH_TIMEOUT(cache(*first_)
                                         .value("layers")
                                         .toObject()
                                         .value("loader")
                                         .toObject()
                                         .value("loads")
                                         .toInteger() > loadsThen,
                                 10000);
        QCOMPARE(catalogErrors(*first_), errorsBefore); // served from L1 and the database

        QVERIFY(stack_->restartRedis());
        QTRY_COMPARE_WITH_TIMEOUT(cache(*first_).value("redis").toObject().value("status").toInt(),
                                  1, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            cache(*first_).value("layers").toObject().value("l2").toObject().value("breaker"),
            QJsonValue(QStringLiteral("closed")), 15000);
        QCOMPARE(catalogErrors(*first_), errorsBefore);
    }
};

QTEST_GUILESS_MAIN(TestCacheDemo)
#include "tst_cache_demo.moc"
