// The rebalance's acceptance with the demo (issue 6): two demo instances write sharded orders
// to shard-1 and shard-2 while one of them runs "add shard-3" (the stack's extra, spare node).
// Its process is killed (SIGKILL) in the middle of a move; restarted, its agent settles the
// move (forward or back); a second rebalance then gives shard-3 buckets. Afterwards every order
// either demo acknowledged exists exactly once, on the node the catalog maps its bucket to,
// with the bucket computed here; shard-3 holds its share; no move is left unfinished.
#include "DemoBackend.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "switchboard/shard_router.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <memory>
#include <pqxx/pqxx>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {

const char* const kNodes[] = {"shard-1", "shard-2", "shard-3"};

std::uint32_t bucketOf(std::int64_t key, std::uint32_t buckets) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(key) >> (8 * i));
    return static_cast<std::uint32_t>(XXH3_64bits(bytes, sizeof bytes) % buckets);
}

} // namespace

class TestRebalanceDemo : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> runner_, writer_;
    QTemporaryDir files_;

    std::string conninfo(const char* server) const {
        return stack_->server(QString::fromLatin1(server))
            .value(QStringLiteral("conninfo"))
            .toString()
            .toStdString();
    }
    QString ackedFile(const QString& instance) const {
        return files_.filePath(instance + QStringLiteral(".acked"));
    }
    std::unique_ptr<DemoBackend> demo(const QString& instance) {
        auto backend = std::make_unique<DemoBackend>(stack_->stackFile(), instance);
        backend->setExtraArguments({QStringLiteral("--rate"), QStringLiteral("40"),
                                    QStringLiteral("--acked-file"), ackedFile(instance)});
        return backend;
    }
    HttpResult call(const char* method, const QString& path, const QJsonObject& body = {}) {
        QUrl url = runner_->url();
        url.setPath(path);
        return HttpCall::run(method, url, HttpCall::bearer(stack_->operatorToken()),
                             body.isEmpty() ? QByteArray()
                                            : QJsonDocument(body).toJson(QJsonDocument::Compact),
                             20000);
    }
    QJsonObject shards() {
        return call("GET", QStringLiteral("/v1/snapshot")).json.value("shards").toObject();
    }
    int bucketsOn(const char* node) {
        pqxx::connection db(conninfo("pg-primary"));
        return pqxx::nontransaction(db)
            .exec_params1("SELECT count(*) FROM switchboard_shard_buckets WHERE node = $1", node)[0]
            .as<int>();
    }
    int unfinishedMoves() {
        pqxx::connection db(conninfo("pg-primary"));
        return pqxx::nontransaction(db)
            .exec1("SELECT count(*) FROM switchboard_shard_moves WHERE phase IN "
                   "('copying', 'catching_up', 'verifying', 'flipping', 'deleting')")[0]
            .as<int>();
    }
    QString confirmAddNode(const QString& by) {
        // A freshly started agent answers 503 until its first statistics are in.
        HttpResult plan;
        QElapsedTimer clock;
        clock.start();
        do {
            if (plan.status == 503)
                QTest::qWait(200);
            plan = call(
                "POST", QStringLiteral("/v1/plans"),
                {{"kind", "shards.rebalance"},
                 {"target", "shards"},
                 {"params", QJsonObject{{"goal", "add_node"}, {"node", "shard-3"}, {"by", by}}}});
        } while (plan.status == 503 && clock.elapsed() < 20000);
        if (plan.status != 201) {
            qWarning("plan: %d %s", plan.status, plan.body.constData());
            return {};
        }
        qInfo("plan: %s", qPrintable(plan.json.value("summary").toString()));
        HttpResult job =
            call("POST",
                 QStringLiteral("/v1/plans/%1/confirm").arg(plan.json.value("plan_id").toString()));
        return job.json.value(QStringLiteral("job_id")).toString();
    }
    QJsonObject awaitJob(const QString& jobId) {
        QElapsedTimer clock;
        clock.start();
        QJsonObject job;
        while (clock.elapsed() < 120000) {
            job = call("GET", QStringLiteral("/v1/jobs/") + jobId).json;
            QString state = job.value("state").toString();
            if (state != QLatin1String("running") && state != QLatin1String("cancelling"))
                break;
            QTest::qWait(200);
        }
        return job;
    }
    std::map<std::int64_t, std::int64_t> acknowledged(const QString& instance) const {
        QFile file(ackedFile(instance));
        std::map<std::int64_t, std::int64_t> acked;
        if (!file.open(QIODevice::ReadOnly))
            return acked;
        for (const QByteArray& line : file.readAll().split('\n')) {
            auto fields = line.simplified().split(' ');
            if (fields.size() == 2)
                acked[fields[0].toLongLong()] = fields[1].toLongLong();
        }
        return acked;
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        stack_ = std::make_unique<LocalStack>(QStringLiteral("minimal"),
                                              QStringList{QStringLiteral("--extra-shard")});
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        QVERIFY(!conninfo("shard-3").empty());
        runner_ = demo(QStringLiteral("demo-runner"));
        writer_ = demo(QStringLiteral("demo-writer"));
        QVERIFY2(runner_->start(), qPrintable(runner_->output()));
        QVERIFY2(writer_->start(), qPrintable(writer_->output()));
        // shard-3 joins spare; orders pile up on shard-1 and shard-2.
        auto rowsOn = [&](int node) {
            return shards().value("nodes").toArray().at(node).toObject().value("rows").toInteger();
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowsOn(0) > 300 && rowsOn(1) > 300, 60000);
        QCOMPARE(bucketsOn("shard-3"), 0);
    }
    void cleanupTestCase() {
        writer_.reset();
        runner_.reset();
        stack_.reset();
    }

    void killedMidMoveIsSettled() {
        // One big bucket, so that a move lasts long enough to be killed in the middle: 300 000
        // orders of one customer (ids far above the demos'), on the node that owns its bucket.
        constexpr std::int64_t kBigCustomer = 777777;
        pqxx::connection catalog(conninfo("pg-primary"));
        auto buckets = pqxx::nontransaction(catalog)
                           .exec1("SELECT bucket_count FROM switchboard_shard_meta")[0]
                           .as<int>();
        const int big = int(bucketOf(kBigCustomer, std::uint32_t(buckets)));
        auto owner = pqxx::nontransaction(catalog)
                         .exec_params1(
                             "SELECT node FROM switchboard_shard_buckets WHERE bucket = $1", big)[0]
                         .as<std::string>();
        {
            pqxx::connection node(conninfo(owner.c_str()));
            pqxx::work tx(node);
            tx.exec_params(switchboard::ShardRouter::kClaimSql, big);
            tx.exec_params0(
                "INSERT INTO demo_sharded_orders (id, customer, bucket, amount) "
                "SELECT 9000000000000 + g, $1, $2, 1.0 FROM generate_series(1, 300000) g",
                kBigCustomer, big);
            tx.commit();
        }
        // Planned by rows: wait until the statistics have counted them (every few seconds, later
        // on a busy machine), or the plan would not see the big bucket at all.
        QTRY_VERIFY_WITH_TIMEOUT(
            shards().value("buckets").toObject().value("rows").toArray().at(big).toInteger() >=
                300000,
            60000);
        // By rows, the big bucket is the one to move.
        QString jobId = confirmAddNode(QStringLiteral("rows"));
        QVERIFY(!jobId.isEmpty());
        // Kill while the big bucket is being moved.
        auto bigMoving = [&] {
            pqxx::nontransaction tx(catalog);
            return !tx.exec_params("SELECT 1 FROM switchboard_shard_moves WHERE bucket = $1 AND "
                                   "phase IN ('copying', 'catching_up', 'verifying')",
                                   big)
                        .empty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(bigMoving(), 60000);
        runner_->kill();
        int port = runner_->port();
        qInfo("killed with %d move(s) unfinished, %d buckets on shard-3", unfinishedMoves(),
              bucketsOn("shard-3"));
        QVERIFY2(runner_->start(port), qPrintable(runner_->output()));
        QTRY_COMPARE_WITH_TIMEOUT(unfinishedMoves(), 0, 30000);
    }

    void aSecondRebalanceFinishesTheJob() {
        // Without the big customer's orders, the demos' rows spread over every bucket: by
        // rows, shard-3 gets about a third of them.
        for (const char* node : kNodes) {
            pqxx::connection db(conninfo(node));
            pqxx::nontransaction(db).exec0(
                "DELETE FROM demo_sharded_orders WHERE id > 9000000000000");
        }
        QTest::qWait(2500); // counted again by the statistics
        QString jobId = confirmAddNode(QStringLiteral("rows"));
        QVERIFY(!jobId.isEmpty());
        QJsonObject job = awaitJob(jobId);
        QVERIFY2(job.value("state").toString() == QLatin1String("succeeded"),
                 QJsonDocument(job).toJson().constData());
        qInfo("job: %s", qPrintable(job.value("message").toString()));
        qInfo("shard-3 now has %d buckets", bucketsOn("shard-3"));
        QVERIFY(bucketsOn("shard-3") >= 20); // its share of rows, in buckets of varying size
    }

    void everyAcknowledgedOrderIsOnceWhereTheMapSays() {
        QTest::qWait(1000); // writes land on shard-3 too
        QVERIFY(runner_->stop());
        QVERIFY(writer_->stop());
        pqxx::connection catalog(conninfo("pg-primary"));
        pqxx::nontransaction meta(catalog);
        auto buckets = meta.exec1("SELECT bucket_count FROM switchboard_shard_meta")[0].as<int>();
        std::map<int, std::string> nodeOf;
        for (const auto& row : meta.exec("SELECT bucket, node FROM switchboard_shard_buckets"))
            nodeOf[row[0].as<int>()] = row[1].as<std::string>();
        std::map<std::int64_t, std::pair<std::string, std::int64_t>> stored; // id → node, customer
        for (const char* node : kNodes) {
            pqxx::connection db(conninfo(node));
            for (const auto& row : pqxx::nontransaction(db).exec(
                     "SELECT id, customer, bucket FROM demo_sharded_orders")) {
                auto id = row[0].as<std::int64_t>();
                QVERIFY2(stored.emplace(id, std::pair{std::string(node), row[1].as<std::int64_t>()})
                             .second,
                         qPrintable(QStringLiteral("order %1 is on two nodes").arg(id)));
                QCOMPARE(nodeOf.at(row[2].as<int>()), std::string(node));
            }
        }
        std::map<std::string, int> perNode;
        std::size_t checked = 0;
        for (const QString& instance :
             {QStringLiteral("demo-runner"), QStringLiteral("demo-writer")}) {
            for (const auto& [id, customer] : acknowledged(instance)) {
                auto found = stored.find(id);
                QVERIFY2(found != stored.end(),
                         qPrintable(QStringLiteral("acknowledged order %1 is lost").arg(id)));
                QCOMPARE(found->second.second, customer);
                QCOMPARE(found->second.first, nodeOf.at(int(bucketOf(customer, buckets))));
                ++perNode[found->second.first];
                ++checked;
            }
        }
        qInfo("%zu acknowledged orders checked: shard-1 %d, shard-2 %d, shard-3 %d", checked,
              perNode["shard-1"], perNode["shard-2"], perNode["shard-3"]);
        QVERIFY(checked > 500);
        QVERIFY(perNode["shard-3"] > 0);
    }
};

QTEST_GUILESS_MAIN(TestRebalanceDemo)
#include "tst_rebalance_demo.moc"
