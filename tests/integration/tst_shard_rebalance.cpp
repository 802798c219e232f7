// The rebalance against the stack's real shard nodes while writers keep writing (and updating
// rows they wrote) through the shard router, claiming each bucket as a backend does and retrying
// on SB001:
//  - bad plan requests are 400s naming the parameter, and nothing changes;
//  - a plan to even out rows lists its moves, an estimate and the skew before and after;
//  - confirmed, every move runs; afterwards every acknowledged row exists exactly once, with
//    its last acknowledged amount, on the node the catalog maps its bucket to (counted here,
//    independently of the agent), each node owns exactly its buckets, and the skew fell;
//  - a drain cancelled mid-way leaves the same invariant and no move unfinished.
#include "HttpCall.h"
#include "LocalStack.h"
#include "switchboard/agent.h"
#include "switchboard/protocol.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>

using switchboard::Agent;
using switchboard::AgentConfig;
using switchboard::ShardRouter;

namespace {

constexpr int kBuckets = 32;

// Writes orders through the router until stopped: mostly new rows (customers skewed to the even
// buckets, so node shard-1 grows fastest), sometimes a new amount for an earlier one. Remembers
// every acknowledged id with its last acknowledged amount, and how long each write waited.
class Writer {
public:
    // `seed` also sets the ids' range: ids are unique across writers, as a rebalance needs.
    explicit Writer(Agent& agent, int seed)
        : agent_(agent)
        , seed_(seed)
        , random_(seed) {}
    ~Writer() { stop(); }

    void start() {
        thread_ = std::thread([this] { run(); });
    }
    void stop() {
        stopping_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    std::map<std::int64_t, std::int64_t> acknowledged() const {
        std::lock_guard lock(mutex_);
        return acked_;
    }
    std::vector<double> waitsMs() const {
        std::lock_guard lock(mutex_);
        return waitsMs_;
    }
    int failures() const { return failures_; }
    std::string lastError() const {
        std::lock_guard lock(mutex_);
        return lastError_;
    }

private:
    void run() {
        std::map<int, std::unique_ptr<pqxx::connection>> connections;
        std::int64_t nextId = std::int64_t(seed_) * 1'000'000;
        while (!stopping_) {
            std::int64_t customer, id,
                amount = std::uniform_int_distribution<int>(1, 99999)(random_);
            bool update = false;
            {
                std::lock_guard lock(mutex_);
                update = !acked_.empty() && random_() % 5 == 0;
                if (update) {
                    auto it = acked_.begin();
                    std::advance(it, random_() % acked_.size());
                    id = it->first;
                    customer = customers_[id];
                } else {
                    id = ++nextId;
                    // Three in four writes go to a customer whose bucket is even.
                    do
                        customer = std::uniform_int_distribution<std::int64_t>(1, 5000)(random_);
                    while (random_() % 4 != 0 && ShardRouter::bucketOf(customer, kBuckets) % 2);
                }
            }
            auto began = std::chrono::steady_clock::now();
            bool done = false;
            while (!done && !stopping_ &&
                   std::chrono::steady_clock::now() - began < std::chrono::seconds(5)) {
                auto route = agent_.shardRouter().route(customer);
                try {
                    auto& db = connections[route.node];
                    if (!db)
                        db = std::make_unique<pqxx::connection>(
                            agent_.shardRouter().nodeConninfo(route.node));
                    pqxx::work tx(*db);
                    tx.exec_params(ShardRouter::kClaimSql, static_cast<int>(route.bucket));
                    if (update)
                        tx.exec_params0("UPDATE orders SET amount = $2 WHERE id = $1", id, amount);
                    else
                        tx.exec_params0("INSERT INTO orders (id, customer, bucket, amount) "
                                        "VALUES ($1, $2, $3, $4)",
                                        id, customer, static_cast<int>(route.bucket), amount);
                    tx.commit();
                    done = true;
                } catch (const pqxx::sql_error& error) {
                    if (error.sqlstate() != ShardRouter::kNotOwner) {
                        std::lock_guard lock(mutex_);
                        lastError_ = error.what();
                        ++failures_;
                        break;
                    }
                    agent_.refreshShards(); // the bucket moved: ask for the new map, then retry
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                } catch (const std::exception& error) {
                    std::lock_guard lock(mutex_);
                    lastError_ = error.what();
                    connections.erase(route.node);
                    ++failures_;
                    break;
                }
            }
            std::lock_guard lock(mutex_);
            if (done) {
                acked_[id] = amount;
                customers_[id] = customer;
                waitsMs_.push_back(std::chrono::duration<double, std::milli>(
                                       std::chrono::steady_clock::now() - began)
                                       .count());
            }
        }
    }
    Agent& agent_;
    int seed_;
    std::mt19937 random_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> failures_{0};
    mutable std::mutex mutex_;
    std::map<std::int64_t, std::int64_t> acked_; // id → last acknowledged amount
    std::map<std::int64_t, std::int64_t> customers_;
    std::vector<double> waitsMs_;
    std::string lastError_;
    std::thread thread_;
};

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p * double(values.size() - 1) + 0.5))];
}

} // namespace

class TestShardRebalance : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<Agent> agent_;
    QTemporaryDir auditDir_;

    std::string conninfo(const char* server) const {
        return stack_->server(QString::fromLatin1(server))
            .value(QStringLiteral("conninfo"))
            .toString()
            .toStdString();
    }
    QUrl url(const QString& path) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(agent_->port()).arg(path));
    }
    HttpResult post(const QString& path, const QJsonObject& body = {}) {
        return HttpCall::run("POST", url(path), HttpCall::bearer(stack_->operatorToken()),
                             QJsonDocument(body).toJson(QJsonDocument::Compact), 20000);
    }
    HttpResult get(const QString& path) {
        return HttpCall::run("GET", url(path), HttpCall::bearer(stack_->viewerToken()));
    }
    HttpResult plan(const QJsonObject& params) {
        return post(QStringLiteral("/v1/plans"),
                    {{QStringLiteral("kind"), QStringLiteral("shards.rebalance")},
                     {QStringLiteral("target"), QStringLiteral("shards")},
                     {QStringLiteral("params"), params}});
    }
    long long catalogVersion() const {
        pqxx::connection db(conninfo("pg-primary"));
        return pqxx::nontransaction(db)
            .exec1("SELECT version FROM switchboard_shard_meta")[0]
            .as<long long>();
    }
    // Waits for the job to end; returns its final document.
    QJsonObject awaitJob(const QString& jobId, int timeoutMs = 90000) {
        QElapsedTimer clock;
        clock.start();
        QJsonObject job;
        while (clock.elapsed() < timeoutMs) {
            job = get(QStringLiteral("/v1/jobs/") + jobId).json;
            QString state = job.value(QStringLiteral("state")).toString();
            if (state != QLatin1String("running") && state != QLatin1String("cancelling"))
                return job;
            QTest::qWait(100);
        }
        return job;
    }
    // Every acknowledged row exactly once, with its last amount, on the node the catalog maps
    // its bucket to; each node owns exactly its buckets; no move unfinished.
    void checkInvariant(const std::map<std::int64_t, std::int64_t>& acked) {
        pqxx::connection catalog(conninfo("pg-primary"));
        pqxx::nontransaction meta(catalog);
        std::map<int, std::string> nodeOf;
        for (const auto& row : meta.exec("SELECT bucket, node FROM switchboard_shard_buckets"))
            nodeOf[row[0].as<int>()] = row[1].as<std::string>();
        QCOMPARE(int(nodeOf.size()), kBuckets);
        QCOMPARE(meta.exec("SELECT 1 FROM switchboard_shard_moves WHERE phase NOT IN "
                           "('done', 'rolled_back', 'failed', 'pending')")
                     .size(),
                 std::size_t(0));
        std::map<std::int64_t, int> seen;
        for (const char* node : {"shard-1", "shard-2"}) {
            pqxx::connection db(conninfo(node));
            pqxx::nontransaction tx(db);
            for (const auto& row : tx.exec("SELECT id, bucket, amount::bigint FROM orders")) {
                auto id = row[0].as<std::int64_t>();
                int bucket = row[1].as<int>();
                ++seen[id];
                QVERIFY2(nodeOf[bucket] == node,
                         qPrintable(QStringLiteral("id %1 of bucket %2 is on %3, the map says %4")
                                        .arg(id)
                                        .arg(bucket)
                                        .arg(node)
                                        .arg(QString::fromStdString(nodeOf[bucket]))));
                auto it = acked.find(id);
                if (it != acked.end())
                    QCOMPARE(row[2].as<std::int64_t>(), it->second);
            }
            for (const auto& row : tx.exec("SELECT bucket FROM switchboard_bucket_owner"))
                QCOMPARE(nodeOf[row[0].as<int>()], std::string(node));
            QCOMPARE(tx.exec1("SELECT count(*) FROM switchboard_bucket_owner")[0].as<std::size_t>(),
                     std::size_t(std::count_if(nodeOf.begin(), nodeOf.end(),
                                               [&](auto& entry) { return entry.second == node; })));
        }
        for (const auto& [id, amount] : acked)
            QVERIFY2(
                seen[id] == 1,
                qPrintable(
                    QStringLiteral("acknowledged id %1 is there %2 times").arg(id).arg(seen[id])));
        for (const auto& [id, times] : seen)
            QVERIFY2(times == 1,
                     qPrintable(QStringLiteral("id %1 is there %2 times").arg(id).arg(times)));
    }

private slots:
    void initTestCase() {
        QVERIFY(auditDir_.isValid());
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        for (const char* node : {"shard-1", "shard-2"}) {
            pqxx::connection db(conninfo(node));
            pqxx::nontransaction(db).exec0(
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint NOT NULL, "
                "bucket int NOT NULL, amount numeric(12,2) NOT NULL, note text)");
        }
        AgentConfig config;
        config.listen = "127.0.0.1:0";
        config.tokenFiles = {stack_->viewerTokenFile().toStdString(),
                             stack_->operatorTokenFile().toStdString()};
        config.postgresPrimary = conninfo("pg-primary");
        config.auditLog = (auditDir_.path() + QStringLiteral("/audit.jsonl")).toStdString();
        config.shards.buckets = kBuckets;
        config.shards.nodes = {{"shard-1", conninfo("shard-1")}, {"shard-2", conninfo("shard-2")}};
        config.shards.tables = {{"orders"}};
        config.shards.statsIntervalMs = 300;
        agent_ = std::make_unique<Agent>(config);
        agent_->start();
        QTRY_VERIFY_WITH_TIMEOUT(agent_->shardRouter().version() >= 1, 10000);
    }
    void cleanupTestCase() {
        agent_.reset();
        stack_.reset();
    }

    void badPlansChangeNothing() {
        long long version = catalogVersion();
        const QList<QPair<QJsonObject, QString>> bad = {
            {{{"goal", "drain_node"}, {"node", "shard-9"}}, "node"},
            {{{"goal", "add_node"}}, "node"},
            {{{"threshold_pct", -5}}, "threshold_pct"},
            {{{"goal", "sideways"}}, "goal"},
            {{{"by", "weight"}}, "by"},
            {{{"speed", 3}}, "speed"},
        };
        QTRY_VERIFY2_WITH_TIMEOUT(plan({}).status == 201, plan({}).body.constData(),
                                  10000); // statistics are in
        for (const auto& [params, field] : bad) {
            HttpResult reply = plan(params);
            QCOMPARE(reply.status, 400);
            QString message = reply.json.value(QStringLiteral("error"))
                                  .toObject()
                                  .value(QStringLiteral("message"))
                                  .toString();
            QVERIFY2(message.startsWith(field + QStringLiteral(": ")), qPrintable(message));
        }
        QCOMPARE(catalogVersion(), version);
    }

    void rebalanceUnderWritesLosesNothing() {
        Writer writer(*agent_, 1);
        writer.start();
        // Skew builds up: shard-1 gets three writes in four.
        QTRY_VERIFY_WITH_TIMEOUT(writer.acknowledged().size() > 1500, 60000);
        QTest::qWait(700); // a statistics interval past the writes
        HttpResult planned = plan({{"goal", "even"}, {"by", "rows"}, {"threshold_pct", 5}});
        QVERIFY2(planned.status == 201, planned.body.constData());
        QJsonArray moves = planned.json.value(QStringLiteral("moves")).toArray();
        QVERIFY2(!moves.isEmpty(), qPrintable(planned.json.value("summary").toString()));
        QCOMPARE(planned.json.value(QStringLiteral("changes")).toArray().size(), moves.size());
        auto rowSkew = [&](const char* which) {
            return planned.json.value(which)
                .toObject()
                .value("rows")
                .toObject()
                .value("max_over_mean")
                .toDouble();
        };
        double before = rowSkew("skew_before"), after = rowSkew("skew_after");
        QVERIFY2(before > 1.2 && after < before,
                 qPrintable(QStringLiteral("%1 → %2").arg(before).arg(after)));
        QVERIFY(planned.json.contains(QStringLiteral("estimate_s")));
        qInfo("plan: %s", qPrintable(planned.json.value(QStringLiteral("summary")).toString()));
        long long version = catalogVersion();

        HttpResult confirmed = post(
            QStringLiteral("/v1/plans/%1/confirm").arg(planned.json.value("plan_id").toString()));
        QVERIFY2(confirmed.status == 200 || confirmed.status == 202, confirmed.body.constData());
        QJsonObject job = awaitJob(confirmed.json.value(QStringLiteral("job_id")).toString());
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        qInfo("job: %s", qPrintable(job.value(QStringLiteral("message")).toString()));
        QTest::qWait(300);
        writer.stop();
        QVERIFY2(writer.failures() == 0, writer.lastError().c_str());
        QCOMPARE(catalogVersion(), version + moves.size());
        checkInvariant(writer.acknowledged());
        auto waits = writer.waitsMs();
        qInfo("%zu writes; wait p50 %.1f ms, p99 %.1f ms, max %.1f ms", waits.size(),
              percentile(waits, 0.5), percentile(waits, 0.99), percentile(waits, 1.0));
        // The snapshot's skew follows.
        auto skewNow = [&] {
            return get(QStringLiteral("/v1/snapshot"))
                .json.value("shards")
                .toObject()
                .value("skew")
                .toObject()
                .value("rows")
                .toObject()
                .value("max_over_mean")
                .toDouble();
        };
        QTRY_VERIFY_WITH_TIMEOUT(skewNow() < before, 5000);
    }

    void cancelledDrainLeavesEveryRowOnce() {
        // One big bucket on shard-2 (a few seconds to copy, longer than the confirm waits for a
        // job to end), so the cancel lands inside its move: a drain takes the largest first.
        pqxx::connection catalog(conninfo("pg-primary"));
        const int big = pqxx::nontransaction(catalog)
                            .exec1("SELECT min(bucket) FROM switchboard_shard_buckets "
                                   "WHERE node = 'shard-2'")[0]
                            .as<int>();
        {
            pqxx::connection node(conninfo("shard-2"));
            pqxx::work tx(node);
            tx.exec_params(ShardRouter::kClaimSql, big);
            tx.exec_params0("INSERT INTO orders (id, customer, bucket, amount) SELECT "
                            "9000000000000 + g, 0, $1, 1.0 FROM generate_series(1, 600000) g",
                            big);
            tx.commit();
        }
        QTest::qWait(700); // counted by the next statistics
        Writer writer(*agent_, 2);
        writer.start();
        HttpResult planned = plan({{"goal", "drain_node"}, {"node", "shard-2"}});
        QCOMPARE(planned.status, 201);
        int moves = planned.json.value(QStringLiteral("moves")).toArray().size();
        QVERIFY(moves > 2);
        QCOMPARE(planned.json.value(QStringLiteral("moves"))
                     .toArray()
                     .first()
                     .toObject()
                     .value("bucket")
                     .toInt(),
                 big);
        HttpResult confirmed = post(
            QStringLiteral("/v1/plans/%1/confirm").arg(planned.json.value("plan_id").toString()));
        QString jobId = confirmed.json.value(QStringLiteral("job_id")).toString();
        QVERIFY(!jobId.isEmpty());
        // Cancel while the big bucket is being copied.
        auto copying = [&] {
            return !pqxx::nontransaction(catalog)
                        .exec_params("SELECT 1 FROM switchboard_shard_moves WHERE bucket = $1 "
                                     "AND phase = 'copying'",
                                     big)
                        .empty();
        };
        QTRY_VERIFY2_WITH_TIMEOUT(
            copying(),
            QJsonDocument(get(QStringLiteral("/v1/jobs/") + jobId).json).toJson().constData(),
            30000);
        post(QStringLiteral("/v1/jobs/%1/cancel").arg(jobId));
        QJsonObject job = awaitJob(jobId);
        QVERIFY2(job.value(QStringLiteral("state")).toString() == QLatin1String("cancelled"),
                 QJsonDocument(job).toJson().constData());
        qInfo("cancelled: %s", qPrintable(job.value(QStringLiteral("message")).toString()));
        writer.stop();
        QVERIFY2(writer.failures() == 0, writer.lastError().c_str());
        checkInvariant(writer.acknowledged());
        // Some buckets are still on shard-2: the drain stopped short.
        pqxx::connection db(conninfo("pg-primary"));
        QVERIFY(
            pqxx::nontransaction(db)
                .exec1("SELECT count(*) FROM switchboard_shard_buckets WHERE node = 'shard-2'")[0]
                .as<int>() > 0);
    }
};

QTEST_GUILESS_MAIN(TestShardRebalance)
#include "tst_shard_rebalance.moc"
