// Shards against the stack's real shard nodes, with the catalog on the core primary: an agent
// creates the catalog (buckets round robin, version 1) and the owner tables; writes routed and
// claimed land on the node the map names, and a claim on another node fails with SB001; the
// "shards" document counts rows per bucket exactly as a query run here does; a new map version
// written to the catalog reaches the router through NOTIFY within a second; a stopped node is a
// row with its cause; a second agent configured with another bucket count says why it cannot
// use the catalog.
#include "HttpCall.h"
#include "LocalStack.h"
#include "switchboard/agent.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <csignal>
#include <memory>
#include <pqxx/pqxx>

using switchboard::Agent;
using switchboard::AgentConfig;
using switchboard::ShardRouter;

namespace {

constexpr int kBuckets = 64;

} // namespace

class TestShardService : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<Agent> agent_;

    std::string conninfo(const char* server) const {
        return stack_->server(QString::fromLatin1(server))
            .value(QStringLiteral("conninfo"))
            .toString()
            .toStdString();
    }
    AgentConfig config(std::uint32_t buckets = kBuckets) const {
        AgentConfig config;
        config.listen = "127.0.0.1:0";
        config.tokenFiles = {stack_->viewerTokenFile().toStdString()};
        config.postgresPrimary = conninfo("pg-primary");
        config.shards.buckets = buckets;
        config.shards.nodes = {{"shard-1", conninfo("shard-1")}, {"shard-2", conninfo("shard-2")}};
        config.shards.tables = {{"orders"}};
        config.shards.statsIntervalMs = 300;
        return config;
    }
    QJsonObject shards(const Agent& agent) const {
        HttpResult snapshot = HttpCall::run(
            "GET", QUrl(QStringLiteral("http://127.0.0.1:%1/v1/snapshot").arg(agent.port())),
            HttpCall::bearer(stack_->viewerToken()));
        return snapshot.json.value(QStringLiteral("shards")).toObject();
    }
    // Writes one order through the router and the claim, as a backend does.
    void writeOrder(std::int64_t customer) {
        auto route = agent_->shardRouter().route(customer);
        QVERIFY(route.node >= 0);
        pqxx::connection db(agent_->shardRouter().nodeConninfo(route.node));
        pqxx::work tx(db);
        tx.exec_params(ShardRouter::kClaimSql, static_cast<int>(route.bucket));
        tx.exec_params0("INSERT INTO orders (customer, bucket, amount) VALUES ($1, $2, 1.5)",
                        customer, static_cast<int>(route.bucket));
        tx.commit();
    }
    static long long count(const std::string& node, const std::string& where) {
        pqxx::connection db(node);
        pqxx::nontransaction tx(db);
        return tx.exec1("SELECT count(*) FROM orders WHERE " + where)[0].as<long long>();
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        for (const char* node : {"shard-1", "shard-2"}) {
            pqxx::connection db(conninfo(node));
            pqxx::nontransaction(db).exec0(
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer bigint NOT NULL, "
                "bucket int NOT NULL, amount numeric(10,2) NOT NULL)");
        }
        agent_ = std::make_unique<Agent>(config());
        agent_->start();
        QTRY_VERIFY_WITH_TIMEOUT(agent_->shardRouter().version() >= 1, 10000);
    }
    void cleanupTestCase() {
        agent_.reset();
        stack_.reset();
    }

    void catalogStartsRoundRobin() {
        pqxx::connection db(conninfo("pg-primary"));
        pqxx::nontransaction tx(db);
        auto meta = tx.exec1("SELECT bucket_count, version FROM switchboard_shard_meta");
        QCOMPARE(meta[0].as<int>(), kBuckets);
        QCOMPARE(meta[1].as<int>(), 1);
        auto perNode = tx.exec("SELECT node, count(*) FROM switchboard_shard_buckets GROUP BY 1 "
                               "ORDER BY 1");
        QCOMPARE(perNode.size(), std::size_t(2));
        QCOMPARE(perNode[0][1].as<int>(), kBuckets / 2);
        QCOMPARE(perNode[1][1].as<int>(), kBuckets / 2);
        for (int bucket : {0, 1, 17})
            QCOMPARE(agent_->shardRouter().routeBucket(bucket).node, bucket % 2);
        // Each node owns exactly its buckets.
        for (int node = 0; node < 2; ++node) {
            pqxx::connection shard(agent_->shardRouter().nodeConninfo(node));
            pqxx::nontransaction read(shard);
            auto owned = read.exec("SELECT bucket FROM switchboard_bucket_owner ORDER BY 1");
            QCOMPARE(owned.size(), std::size_t(kBuckets / 2));
            for (const auto& row : owned)
                QCOMPARE(row[0].as<int>() % 2, node);
        }
    }

    void claimedWritesLandWhereTheMapSays() {
        for (std::int64_t customer = 1; customer <= 400; ++customer)
            writeOrder(customer);
        // Each row's bucket is the router's, and it sits on that bucket's node.
        QCOMPARE(count(conninfo("shard-1"), "bucket % 2 = 1") +
                     count(conninfo("shard-2"), "bucket % 2 = 0"),
                 0LL);
        QCOMPARE(count(conninfo("shard-1"), "true") + count(conninfo("shard-2"), "true"), 400LL);
        // A write on the node that does not own the bucket is refused with SB001.
        pqxx::connection wrong(conninfo("shard-2"));
        pqxx::work tx(wrong);
        try {
            tx.exec_params(ShardRouter::kClaimSql, 0); // bucket 0 is shard-1's
            QFAIL("a claim on a bucket the node does not own succeeded");
        } catch (const pqxx::sql_error& error) {
            QCOMPARE(error.sqlstate(), std::string(ShardRouter::kNotOwner));
        }
    }

    void statsMatchAnIndependentCount() {
        auto perBucket = [&](const char* node) {
            std::map<int, long long> counts;
            pqxx::connection db(conninfo(node));
            pqxx::nontransaction tx(db);
            for (const auto& row : tx.exec("SELECT bucket, count(*) FROM orders GROUP BY 1"))
                counts[row[0].as<int>()] = row[1].as<long long>();
            return counts;
        };
        auto expected = perBucket("shard-1");
        expected.merge(perBucket("shard-2"));
        auto rowsShown = [&] {
            QJsonArray rows = shards(*agent_)
                                  .value(QStringLiteral("buckets"))
                                  .toObject()
                                  .value(QStringLiteral("rows"))
                                  .toArray();
            if (rows.size() != kBuckets)
                return false;
            for (int bucket = 0; bucket < kBuckets; ++bucket)
                if (rows.at(bucket).toInteger() != expected[bucket])
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowsShown(), 5000);
        QJsonObject doc = shards(*agent_);
        QCOMPARE(doc.value(QStringLiteral("bucket_count")).toInt(), kBuckets);
        QJsonArray nodes = doc.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), 2);
        long long total = 0;
        for (const auto& node : nodes) {
            QCOMPARE(node.toObject().value(QStringLiteral("status")).toInt(), 1);
            QCOMPARE(node.toObject().value(QStringLiteral("buckets")).toInt(), kBuckets / 2);
            total += node.toObject().value(QStringLiteral("rows")).toInteger();
        }
        QCOMPARE(total, 400LL);
        double maxOverMean = doc.value(QStringLiteral("skew"))
                                 .toObject()
                                 .value(QStringLiteral("rows"))
                                 .toObject()
                                 .value(QStringLiteral("max_over_mean"))
                                 .toDouble();
        QVERIFY(maxOverMean >= 1.0 && maxOverMean < 1.3);
    }

    void newMapVersionArrivesByNotify() {
        {
            pqxx::connection db(conninfo("pg-primary"));
            pqxx::work tx(db);
            tx.exec0("UPDATE switchboard_shard_buckets SET node = 'shard-2' WHERE bucket = 0");
            tx.exec0("UPDATE switchboard_shard_meta SET version = version + 1");
            tx.exec0("NOTIFY switchboard_shard_map, '2'");
            tx.commit();
        }
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE_WITH_TIMEOUT(agent_->shardRouter().version(), std::int64_t(2), 5000);
        // Well inside the 10 s periodic reload: the notification did it.
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(agent_->shardRouter().routeBucket(0).node, 1);
        QTRY_COMPARE_WITH_TIMEOUT(shards(*agent_).value(QStringLiteral("version")).toInt(), 2,
                                  3000);
    }

    void otherBucketCountIsRefusedWithItsReason() {
        Agent other(config(128));
        other.start();
        auto error = [&] {
            return shards(other).value(QStringLiteral("error")).toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(error().contains(QStringLiteral("64 buckets")), 10000);
        QCOMPARE(shards(other).value(QStringLiteral("status")).toInt(), 2);
        QCOMPARE(other.shardRouter().version(), std::int64_t(0));
    }

    // Last: the node stays down.
    void stoppedNodeIsARowWithItsCause() {
        QFile pidFile(
            stack_->server(QStringLiteral("shard-2")).value(QStringLiteral("data_dir")).toString() +
            QStringLiteral("/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        pid_t pid = pidFile.readLine().trimmed().toInt();
        QCOMPARE(::kill(pid, SIGINT), 0);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 20000);
        auto node = [&] {
            return shards(*agent_).value(QStringLiteral("nodes")).toArray().at(1).toObject();
        };
        QTRY_COMPARE_WITH_TIMEOUT(node().value(QStringLiteral("status")).toInt(), 2, 10000);
        QVERIFY(!node().value(QStringLiteral("error")).toString().isEmpty());
        QCOMPARE(node().value(QStringLiteral("rows")).toInteger(), -1LL);
        QCOMPARE(node().value(QStringLiteral("name")).toString(), QStringLiteral("shard-2"));
        // The other node still counts.
        QVERIFY(shards(*agent_)
                    .value(QStringLiteral("nodes"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("rows"))
                    .toInteger() > 0);
    }
};

QTEST_GUILESS_MAIN(TestShardService)
#include "tst_shard_service.moc"
