// The demo's sharded orders against a real stack (issue 6): two demo instances write orders
// through the agent's shard router and the bucket claim, one of them with half its orders for a
// hot customer. Their agents show rows and writes on both shard nodes, and the hot instance's
// load skew stands clearly above the even one's. The hot customer's bucket is moved to the other
// node under the writers, as a rebalance's flip does; the writers waiting on it get SB001 and
// retry there. Once both have stopped, every order they acknowledged exists exactly once, on
// the node the catalog maps its bucket to, with the bucket computed here independently.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "pg_advisory_lock.h"
#include "switchboard/protocol.h"

#define XXH_INLINE_ALL
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <set>
#include <xxhash.h>

namespace {

constexpr std::int64_t kHotCustomer = 42; // the demo's (CustomerPicker::kHotCustomer)
const char* const kNodes[] = {"shard-1", "shard-2"};

// The router's bucket of an integer key, computed here as docs/protocol.md defines it: XXH3-64
// of the key's 8 little-endian bytes, modulo the bucket count.
std::uint32_t bucketOf(std::int64_t key, std::uint32_t buckets) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(key) >> (8 * i));
    return static_cast<std::uint32_t>(XXH3_64bits(bytes, sizeof bytes) % buckets);
}

struct Row {
    std::string node;
    std::int64_t customer;
    std::uint32_t bucket;
};

} // namespace

class TestDemoShards : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> even_, hot_;
    QTemporaryDir files_;
    QElapsedTimer clock_;

    std::string conninfo(const QString& server) const {
        return stack_->server(server).value(QStringLiteral("conninfo")).toString().toStdString();
    }
    QString ackedFile(const QString& instance) const {
        return files_.filePath(instance + QStringLiteral(".acked"));
    }
    std::unique_ptr<DemoBackend> demo(const QString& instance, QStringList arguments) {
        auto backend = std::make_unique<DemoBackend>(stack_->stackFile(), instance);
        backend->setExtraArguments(
            arguments + QStringList{QStringLiteral("--rate"), QStringLiteral("40"),
                                    QStringLiteral("--acked-file"), ackedFile(instance)});
        return backend;
    }
    QJsonObject shards(const DemoBackend& backend) const {
        QUrl url = backend.url();
        url.setPath(QStringLiteral("/v1/snapshot"));
        return HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()))
            .json.value(QStringLiteral("shards"))
            .toObject();
    }
    static double loadSkew(const QJsonObject& shards) {
        return shards.value(QStringLiteral("skew"))
            .toObject()
            .value(QStringLiteral("load"))
            .toObject()
            .value(QStringLiteral("max_over_mean"))
            .toDouble();
    }
    // The demo's /metrics text: read once for figures compared with each other, since the
    // writers move them on between two reads.
    QString metrics(const DemoBackend& backend) const {
        QUrl url = backend.url();
        url.setPath(QStringLiteral("/metrics"));
        return QString::fromUtf8(
            HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken())).body);
    }
    // A sample of that text, e.g. switchboard_demo_shard_write_retries_total; -1 if missing.
    static double sample(const QString& text, const QString& name) {
        QRegularExpression line(QStringLiteral("^") + QRegularExpression::escape(name) +
                                    QStringLiteral(" (\\S+)$"),
                                QRegularExpression::MultilineOption);
        auto match = line.match(text);
        return match.hasMatch() ? match.captured(1).toDouble() : -1;
    }
    void log(const char* what) { qInfo("%s at %.1f s", what, double(clock_.elapsed()) / 1000.0); }

    // bucket → node name, as the catalog on the primary has it now; and the bucket count.
    std::map<std::uint32_t, std::string> catalogMap(std::uint32_t& buckets) const {
        pqxx::connection db(conninfo(QStringLiteral("pg-primary")));
        pqxx::nontransaction tx(db);
        buckets =
            tx.exec1("SELECT bucket_count FROM switchboard_shard_meta")[0].as<std::uint32_t>();
        std::map<std::uint32_t, std::string> map;
        for (const auto& row : tx.exec("SELECT bucket, node FROM switchboard_shard_buckets"))
            map[row[0].as<std::uint32_t>()] = row[1].as<std::string>();
        return map;
    }
    // id → where it is, over both nodes; an id found on both goes to `twice`.
    std::map<std::int64_t, Row> storedOrders(std::set<std::int64_t>& twice) const {
        std::map<std::int64_t, Row> rows;
        for (const char* node : kNodes) {
            pqxx::connection db(conninfo(QString::fromLatin1(node)));
            pqxx::nontransaction tx(db);
            for (const auto& row :
                 tx.exec("SELECT id, customer, bucket FROM demo_sharded_orders")) {
                auto id = row[0].as<std::int64_t>();
                if (!rows.emplace(id,
                                  Row{node, row[1].as<std::int64_t>(), row[2].as<std::uint32_t>()})
                         .second)
                    twice.insert(id);
            }
        }
        return rows;
    }
    // id → customer from an instance's acknowledged-writes file.
    std::map<std::int64_t, std::int64_t> acknowledged(const QString& instance) const {
        QFile file(ackedFile(instance));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        std::map<std::int64_t, std::int64_t> acked;
        for (const QByteArray& line : file.readAll().split('\n')) {
            auto fields = line.simplified().split(' ');
            if (fields.size() == 2)
                acked[fields[0].toLongLong()] = fields[1].toLongLong();
        }
        return acked;
    }

    // Moves `bucket` to `to` as a rebalance's flip does, while the demos write: its owner row
    // goes on the source first, and writers claiming the bucket there wait for `holdMs`; then its
    // rows are copied, the target owns it, the catalog maps it there and announces the new
    // version, and the source commits: the waiting writers get SB001 and retry on the target.
    void moveBucket(std::uint32_t bucket, const std::string& from, const std::string& to,
                    int holdMs) {
        pqxx::connection catalog(conninfo(QStringLiteral("pg-primary")));
        // Keeps the agents from reconciling owner rows meanwhile, as a rebalance does.
        pqxx::nontransaction(catalog).exec_params(
            "SELECT pg_advisory_lock($1, hashtext($2))", switchboard::PgAdvisoryLock::kNamespace,
            std::string(switchboard::protocol::action::kShardsRebalance));
        pqxx::connection source(conninfo(QString::fromStdString(from)));
        pqxx::connection target(conninfo(QString::fromStdString(to)));
        pqxx::work out(source);
        out.exec_params0("DELETE FROM switchboard_bucket_owner WHERE bucket = $1", int(bucket));
        QThread::msleep(static_cast<unsigned long>(holdMs));
        pqxx::work in(target);
        for (const auto& row : out.exec_params("SELECT id, customer, amount, created_at FROM "
                                               "demo_sharded_orders WHERE bucket = $1",
                                               int(bucket)))
            in.exec_params0("INSERT INTO demo_sharded_orders (id, customer, bucket, amount, "
                            "created_at) VALUES ($1, $2, $3, $4, $5)",
                            row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), int(bucket),
                            row[2].as<std::string>(), row[3].as<std::string>());
        in.exec_params0("INSERT INTO switchboard_bucket_owner VALUES ($1)", int(bucket));
        in.commit();
        {
            pqxx::work map(catalog);
            map.exec_params0("UPDATE switchboard_shard_buckets SET node = $1 WHERE bucket = $2", to,
                             int(bucket));
            auto version = map.exec1("UPDATE switchboard_shard_meta SET version = version + 1 "
                                     "RETURNING version")[0]
                               .as<std::string>();
            map.exec0("NOTIFY switchboard_shard_map, " + map.quote(version));
            map.commit();
        }
        out.exec_params0("DELETE FROM demo_sharded_orders WHERE bucket = $1", int(bucket));
        out.commit();
        pqxx::nontransaction(catalog).exec_params(
            "SELECT pg_advisory_unlock($1, hashtext($2))", switchboard::PgAdvisoryLock::kNamespace,
            std::string(switchboard::protocol::action::kShardsRebalance));
    }

private slots:
    void initTestCase() {
        clock_.start();
        QVERIFY(files_.isValid());
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        even_ = demo(QStringLiteral("demo-even"), {});
        hot_ = demo(QStringLiteral("demo-hot"),
                    {QStringLiteral("--hot-tenant"), QStringLiteral("0.5")});
        QVERIFY2(even_->start(), qPrintable(even_->output()));
        QVERIFY2(hot_->start(), qPrintable(hot_->output()));
        log("stack and two demos up");
    }
    void cleanupTestCase() {
        if (even_)
            even_->stop();
        if (hot_)
            hot_->stop();
        even_.reset();
        hot_.reset();
        stack_.reset();
        log("stopped");
    }

    void bothNodesGetRowsAndWrites() {
        auto busy = [&](const DemoBackend& backend) {
            QJsonArray nodes = shards(backend).value(QStringLiteral("nodes")).toArray();
            if (nodes.size() != 2)
                return false;
            for (const auto& node : nodes)
                if (node.toObject().value(QStringLiteral("rows")).toInteger() <= 0 ||
                    node.toObject().value(QStringLiteral("writes_per_s")).toDouble() <= 0)
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(busy(*even_), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(busy(*hot_), 10000);
        log("rows and writes on both nodes");
    }

    void hotTenantSkewsTheLoad() {
        // Even: about 1.0 (two nodes, 128 buckets each). Half the orders for one customer: one
        // node gets 3/4 of the load, so 1.5.
        double even = 0, hot = 0;
        auto skewed = [&] {
            even = loadSkew(shards(*even_));
            hot = loadSkew(shards(*hot_));
            return even >= 1 && hot >= 1.3 && hot > even + 0.2;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(skewed(),
                                  qPrintable(QStringLiteral("load max/mean: even %1, "
                                                            "hot %2")
                                                 .arg(even)
                                                 .arg(hot)),
                                  15000);
        qInfo("load max/mean: even %.2f, hot tenant 0.5 %.2f", even, hot);
    }

    void hotTenantIsAKnob() {
        QUrl url = even_->dependencyUrl();
        url.setPath(QStringLiteral("/knobs"));
        auto set = HttpCall::run("PUT", url, {}, R"({"hot_tenant": 0.25})");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json.value(QStringLiteral("hot_tenant")).toDouble(), 0.25);
        auto bad = HttpCall::run("PUT", url, {}, R"({"hot_tenant": 1.5})");
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.json.value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("hot_tenant")));
        QCOMPARE(HttpCall::run("PUT", url, {}, R"({"hot_tenant": 0})").status, 200);
        QCOMPARE(HttpCall::run("GET", url).json.value(QStringLiteral("hot_tenant")).toDouble(-1),
                 0.0);
    }

    void writersFollowAMovedBucket() {
        std::uint32_t buckets = 0;
        auto map = catalogMap(buckets);
        std::uint32_t bucket = bucketOf(kHotCustomer, buckets);
        std::string from = map.at(bucket);
        std::string to = from == kNodes[0] ? kNodes[1] : kNodes[0];
        // Writes that took longer than 0.2 s, and retries, in one read of the metrics.
        struct Figures {
            double retries, slow;
        };
        auto figures = [&] {
            QString text = metrics(*hot_);
            return Figures{
                sample(text, QStringLiteral("switchboard_demo_shard_write_retries_total")),
                sample(text, QStringLiteral("switchboard_demo_shard_write_seconds_count")) -
                    sample(text, QStringLiteral(
                                     "switchboard_demo_shard_write_seconds_bucket{le=\"0.2\"}"))};
        };
        // Retries not necessarily 0: an agent that starts while another still sets the owner
        // rows up routes at once, and its first writes may meet SB001 too.
        const Figures before = figures();
        QVERIFY(before.retries >= 0 && before.slow >= 0);
        moveBucket(bucket, from, to, 500);
        log("hot customer's bucket moved");
        // The hot writer (20 orders/s for customer 42) waited on the flip, got SB001, retried,
        // and that write's pause shows: longer than 0.2 s, waiting included.
        Figures after{};
        QTRY_VERIFY2_WITH_TIMEOUT((after = figures()).retries > before.retries &&
                                      after.slow > before.slow,
                                  qPrintable(QStringLiteral("retries %1 -> %2, slow writes %3 -> "
                                                            "%4; %5")
                                                 .arg(before.retries)
                                                 .arg(after.retries)
                                                 .arg(before.slow)
                                                 .arg(after.slow)
                                                 .arg(hot_->output())),
                                  10000);
        // And writes for the customer land on the new node.
        auto onTarget = [&] {
            pqxx::connection db(conninfo(QString::fromStdString(to)));
            pqxx::nontransaction tx(db);
            return tx.exec_params1("SELECT count(*) FROM demo_sharded_orders WHERE customer = $1 "
                                   "AND created_at > now() - interval '1 second'",
                                   kHotCustomer)[0]
                       .as<long long>() > 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(onTarget(), 10000);
    }

    void everyAcknowledgedOrderIsWhereTheCatalogSays() {
        QTest::qWait(2000); // more writes after the move
        QVERIFY2(even_->stop(), qPrintable(even_->output()));
        QVERIFY2(hot_->stop(), qPrintable(hot_->output()));
        log("demos stopped");
        auto evenAcked = acknowledged(QStringLiteral("demo-even"));
        auto hotAcked = acknowledged(QStringLiteral("demo-hot"));
        QVERIFY2(evenAcked.size() >= 100, qPrintable(QString::number(evenAcked.size())));
        QVERIFY2(hotAcked.size() >= 100, qPrintable(QString::number(hotAcked.size())));
        for (const auto& [id, customer] : hotAcked)
            QVERIFY2(!evenAcked.contains(id), qPrintable(QStringLiteral("id %1 twice").arg(id)));

        std::uint32_t buckets = 0;
        auto map = catalogMap(buckets);
        std::set<std::int64_t> twice;
        auto stored = storedOrders(twice);
        QVERIFY2(twice.empty(), qPrintable(QStringLiteral("%1 orders are on both nodes, e.g. %2")
                                               .arg(twice.size())
                                               .arg(twice.empty() ? 0 : *twice.begin())));
        std::map<std::string, int> perNode;
        for (const auto* acked : {&evenAcked, &hotAcked}) {
            for (const auto& [id, customer] : *acked) {
                auto found = stored.find(id);
                QVERIFY2(found != stored.end(),
                         qPrintable(QStringLiteral("acknowledged order %1 is lost").arg(id)));
                const Row& row = found->second;
                QCOMPARE(row.customer, customer);
                QCOMPARE(row.bucket, bucketOf(customer, buckets));
                QCOMPARE(row.node, map.at(row.bucket));
                ++perNode[row.node];
            }
        }
        QCOMPARE(perNode.size(), std::size_t(2));
        qInfo("%zu acknowledged orders checked (%d on shard-1, %d on shard-2)",
              evenAcked.size() + hotAcked.size(), perNode["shard-1"], perNode["shard-2"]);
    }
};

QTEST_GUILESS_MAIN(TestDemoShards)
#include "tst_demo_shards.moc"
