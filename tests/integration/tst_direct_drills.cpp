// Issue 8's direct provider on the minimal stack (no Patroni): the agent's direct region of
// pg-primary and pg-replica-1 from the replication probe's view; the preflight refuses the
// replica once its WAL receiver is stopped; a planned switchover fences pg-primary
// (default_transaction_read_only), promotes pg-replica-1 with pg_promote() and loses no
// acknowledged write, the writes landing on the new primary; then, with pg-primary rebuilt as
// its standby (scripts/stack rebuild-standby), an unplanned failover (pg-replica-1 crashed by
// scripts/stack kill) reports exactly the acknowledged writes the test counts missing itself.
#include "AcknowledgedWrites.h"
#include "DemoBackend.h"
#include "DrillClient.h"
#include "LocalStack.h"
#include "region_fence.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <memory>
#include <pqxx/pqxx>

class TestDirectDrills : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    std::unique_ptr<DrillClient> drills_;
    QTemporaryDir files_;
    QString ackedFile_;
    QString region_;

    QJsonObject direct() { return drills_->region(region_); }
    QJsonObject member(const QString& name) {
        for (const auto& member : direct().value("members").toArray())
            if (member.toObject().value("name") == name)
                return member.toObject();
        return {};
    }
    // The region led by `leader`, every member streaming, the writes going to the leader.
    bool settled(const QString& leader) {
        const QJsonObject region = direct();
        if (region.value("leader") != leader || region.value("health") != QLatin1String("ok"))
            return false;
        return drills_->regions().value("write_target").toObject().value("name") == leader;
    }
    std::string conninfoOf(const QString& name) {
        const QJsonObject server = stack_->server(name);
        return QStringLiteral("host=127.0.0.1 port=%1 user=switchboard dbname=switchboard "
                              "connect_timeout=5")
            .arg(server.value("port").toInt())
            .toStdString();
    }
    std::string setting(const QString& server, const char* name) {
        pqxx::connection db(conninfoOf(server));
        pqxx::work tx(db);
        return tx.exec1(std::string("SHOW ") + name)[0].as<std::string>();
    }
    // Rows of the demo's current run on `server` (it counts up while writes land there).
    long long rowsOn(const QString& server) {
        const auto run = acknowledgedWrites(ackedFile_).first;
        pqxx::connection db(conninfoOf(server));
        pqxx::work tx(db);
        return tx.exec_params1("SELECT count(*) FROM demo_orders WHERE write_run = $1", run)[0]
            .as<long long>();
    }
    bool stackCommand(const QStringList& arguments) {
        const QString failed = stack_->command(arguments);
        if (!failed.isEmpty())
            qWarning("%s", qPrintable(failed));
        return failed.isEmpty();
    }

    // A live drill of `kind` to `candidate`, run to its end: `planned` is its plan, `result` its
    // result (check QTest::currentTestFailed() after).
    void runLive(const QString& kind, const QString& candidate, QJsonObject& planned,
                 QJsonObject& result) {
        const auto [plan, started] = drills_->start(
            region_, {{"kind", kind}, {"mode", "live"}, {"confirm_region", region_}});
        planned = plan.json;
        QVERIFY2(planned.value("executable").toBool(), QJsonDocument(planned).toJson().constData());
        QCOMPARE(planned.value("candidate").toString(), candidate);
        const QJsonObject job = drills_->finish(started);
        QCOMPARE(job.value("state").toString(), QStringLiteral("succeeded"));
        result = job.value("result").toObject();
        QVERIFY2(result.value("outcome") == QLatin1String("succeeded"),
                 QJsonDocument(result).toJson().constData());
        QCOMPARE(result.value("to").toString(), candidate);
        QVERIFY(result.value("rto_ms").toInteger() > 0);
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        ackedFile_ = files_.filePath(QStringLiteral("acked-writes.txt"));
        stack_ = std::make_unique<LocalStack>(QStringLiteral("minimal"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-d1"));
        demo_->setExtraArguments(DemoBackend::drillArguments(ackedFile_));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        drills_ = std::make_unique<DrillClient>([this] { return demo_->url(); },
                                                [this] { return stack_->operatorToken(); });
        QTRY_VERIFY_WITH_TIMEOUT(!drills_->regions().value("regions").toArray().isEmpty(), 30000);
        region_ = drills_->regions()
                      .value("regions")
                      .toArray()
                      .first()
                      .toObject()
                      .value("name")
                      .toString();
        QTRY_VERIFY_WITH_TIMEOUT(settled(QStringLiteral("pg-primary")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(acknowledgedWrites(ackedFile_).second.size() > 50, 30000);
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void theDirectRegionIsTheReplicationProbesView() {
        const QJsonObject region = direct();
        QCOMPARE(region.value("provider").toString(), QStringLiteral("direct"));
        QCOMPARE(region.value("role").toString(), QStringLiteral("active"));
        QCOMPARE(region.value("leader").toString(), QStringLiteral("pg-primary"));
        QCOMPARE(region.value("members").toArray().size(), 2);
        const QJsonObject replica = member(QStringLiteral("pg-replica-1"));
        QCOMPARE(replica.value("role").toString(), QStringLiteral("replica"));
        QCOMPARE(replica.value("state").toString(), QStringLiteral("streaming"));
        QVERIFY(replica.value("streaming").toBool());
        QVERIFY(replica.value("lag_bytes").isDouble());
        QCOMPARE(replica.value("port").toInt(),
                 stack_->server(QStringLiteral("pg-replica-1")).value("port").toInt());
        QCOMPARE(member(QStringLiteral("pg-primary")).value("role").toString(),
                 QStringLiteral("leader"));
    }

    void preflightRefusesAReplicaThatIsNotStreaming() {
        // The replica stays up but its WAL receiver stops (no primary_conninfo): the primary
        // no longer lists it. Restored however the test ends.
        const QString replica = QStringLiteral("pg-replica-1");
        const std::string conninfo = setting(replica, "primary_conninfo");
        auto setConninfo = [this, replica](const std::string& value) {
            pqxx::connection db(conninfoOf(replica));
            pqxx::nontransaction tx(db);
            tx.exec0("ALTER SYSTEM SET primary_conninfo = " + tx.quote(value));
            tx.exec1("SELECT pg_reload_conf()");
        };
        struct Restore {
            std::function<void()> undo;
            ~Restore() { undo(); }
        } restore{[&] {
            setConninfo(conninfo);
        }};
        setConninfo("");
        QTRY_COMPARE_WITH_TIMEOUT(member(replica).value("streaming").toBool(), false, 15000);

        const HttpResult planned = drills_->plan(
            region_, {{"kind", "switchover"}, {"mode", "live"}, {"confirm_region", region_}});
        QCOMPARE(planned.status, 201);
        const QJsonObject streaming =
            DrillClient::checkNamed(planned.json, replica + QStringLiteral(": streaming"));
        QCOMPARE(streaming.value("verdict").toString(), QStringLiteral("fail"));
        QVERIFY2(streaming.value("detail").toString().contains(
                     QStringLiteral("does not list it as streaming")),
                 qPrintable(streaming.value("detail").toString()));
        QCOMPARE(planned.json.value("executable").toBool(), false);
        QCOMPARE(direct().value("leader").toString(), QStringLiteral("pg-primary"));
        setConninfo(conninfo);
        QTRY_VERIFY_WITH_TIMEOUT(member(replica).value("streaming").toBool(), 30000);
    }

    void aFenceCoversCommitsAcknowledgedButNotYetWritten() {
        // synchronous_commit is off on the stack, as on many busy primaries: a commit is
        // acknowledged before its WAL is written. With the WAL writer slowed to 10 s, the write
        // position lags such a commit; the fence's position must still cover it, or a standby
        // caught up to it lacks the write.
        const std::string primary = conninfoOf(QStringLiteral("pg-primary"));
        auto configure = [&](const std::string& statement) {
            pqxx::connection db(primary);
            pqxx::nontransaction tx(db);
            tx.exec0(statement);
            tx.exec1("SELECT pg_reload_conf()");
        };
        struct Restore {
            std::function<void()> undo;
            ~Restore() { undo(); }
        } restore{[&] {
            configure("ALTER SYSTEM RESET wal_writer_delay");
            QVERIFY(switchboard::unfenceServer(primary, 5000).empty());
        }};
        configure("ALTER SYSTEM SET wal_writer_delay = '10s'");
        std::int64_t acknowledgedEnd = 0;
        {
            pqxx::connection db(primary);
            pqxx::nontransaction tx(db);
            tx.exec0("CREATE TABLE IF NOT EXISTS fence_check (n int)");
            tx.exec0("SET synchronous_commit = off");
            for (int i = 0; i < 20; ++i)
                tx.exec0("INSERT INTO fence_check VALUES (" + std::to_string(i) + ")");
            acknowledgedEnd =
                tx.exec1("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")[0]
                    .as<std::int64_t>();
        }
        const switchboard::FenceOutcome fence = switchboard::fenceServer(primary, 5000);
        QVERIFY2(fence.ok(), fence.error.c_str());
        QVERIFY(fence.lsn.has_value());
        QVERIFY2(*fence.lsn >= acknowledgedEnd,
                 qPrintable(QStringLiteral("fence at %1, acknowledged commits end at %2")
                                .arg(*fence.lsn)
                                .arg(acknowledgedEnd)));
        QCOMPARE(setting(QStringLiteral("pg-primary"), "default_transaction_read_only"),
                 std::string("on"));
    }

    void switchoverFencesPromotesAndLosesNothing() {
        QTRY_VERIFY_WITH_TIMEOUT(settled(QStringLiteral("pg-primary")), 30000);
        const int timeline = direct().value("timeline").toInt();
        QVERIFY(timeline >= 1);
        QJsonObject planned, result;
        runLive(QStringLiteral("switchover"), QStringLiteral("pg-replica-1"), planned, result);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(result.value("from").toString(), QStringLiteral("pg-primary"));
        QCOMPARE(result.value("rpo_writes").toInteger(), 0);
        QCOMPARE(result.value("rpo_bytes").toInteger(), 0);
        QVERIFY(result.value("writes_checked").toInteger() > 0);
        QVERIFY(result.value("rto_ms").toInteger() < 15000);
        qInfo("direct switchover: RTO %lld ms, write gap %lld ms, %lld writes checked",
              static_cast<long long>(result.value("rto_ms").toInteger()),
              static_cast<long long>(result.value("write_gap_ms").toInteger()),
              static_cast<long long>(result.value("writes_checked").toInteger()));

        // The old primary is fenced and stays so; the replica is a primary now.
        QCOMPARE(setting(QStringLiteral("pg-primary"), "default_transaction_read_only"),
                 std::string("on"));
        QCOMPARE(setting(QStringLiteral("pg-replica-1"), "default_transaction_read_only"),
                 std::string("off"));
        QTRY_COMPARE_WITH_TIMEOUT(direct().value("leader").toString(),
                                  QStringLiteral("pg-replica-1"), 10000);
        // The promotion's new timeline at once (not after the next checkpoint).
        QCOMPARE(direct().value("timeline").toInt(), timeline + 1);
        const QJsonArray steps = planned.value("steps").toArray();
        QVERIFY2(steps.at(1).toString().startsWith(QStringLiteral("fence pg-primary")),
                 qPrintable(steps.at(1).toString()));
        QCOMPARE(member(QStringLiteral("pg-primary")).value("role").toString(),
                 QStringLiteral("detached"));
        QCOMPARE(drills_->regions().value("write_target").toObject().value("name").toString(),
                 QStringLiteral("pg-replica-1"));

        // Counted independently: every write the demo saw acknowledged is on the new primary,
        // and new writes keep landing there.
        const auto [run, sequences] = acknowledgedWrites(ackedFile_);
        QVERIFY(sequences.size() > 50);
        const auto missing =
            missingWrites(conninfoOf(QStringLiteral("pg-replica-1")), run, sequences);
        QVERIFY2(missing.empty(),
                 qPrintable(QStringLiteral("%1 acknowledged writes missing").arg(missing.size())));
        const long long rows = rowsOn(QStringLiteral("pg-replica-1"));
        QTRY_VERIFY_WITH_TIMEOUT(rowsOn(QStringLiteral("pg-replica-1")) > rows + 20, 15000);
    }

    void aRestartedAgentFollowsThePromotedReplica() {
        // The agent keeps the promoted leader in memory: restarted, it starts from
        // primary_name (fenced, out of recovery) and must give way to the writable one.
        QVERIFY(demo_->stop());
        ackedFile_ = files_.filePath(QStringLiteral("acked-writes-2.txt"));
        demo_->setExtraArguments(DemoBackend::drillArguments(ackedFile_));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        QTRY_COMPARE_WITH_TIMEOUT(direct().value("leader").toString(),
                                  QStringLiteral("pg-replica-1"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(
            drills_->regions().value("write_target").toObject().value("name").toString(),
            QStringLiteral("pg-replica-1"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(rowsOn(QStringLiteral("pg-replica-1")) > 20, 15000);
    }

    void failoverAfterTheOldPrimaryRejoinedReportsWhatItLost() {
        // The fenced old primary rejoins as the new primary's standby (a fresh base backup).
        const int replicaPort =
            stack_->server(QStringLiteral("pg-replica-1")).value("port").toInt();
        const int primaryPort = stack_->server(QStringLiteral("pg-primary")).value("port").toInt();
        QVERIFY(stackCommand({QStringLiteral("rebuild-standby"), QStringLiteral("--port"),
                              QString::number(primaryPort), QStringLiteral("--upstream-port"),
                              QString::number(replicaPort)}));
        QTRY_VERIFY_WITH_TIMEOUT(member(QStringLiteral("pg-primary")).value("streaming").toBool(),
                                 30000);
        QTRY_VERIFY_WITH_TIMEOUT(settled(QStringLiteral("pg-replica-1")), 30000);

        QJsonObject planned, result;
        runLive(QStringLiteral("failover"), QStringLiteral("pg-primary"), planned, result);
        if (QTest::currentTestFailed())
            return;

        // The test's own count of acknowledged writes the new primary lacks.
        const auto [run, sequences] = acknowledgedWrites(ackedFile_);
        const auto missing =
            missingWrites(conninfoOf(QStringLiteral("pg-primary")), run, sequences);
        QCOMPARE(result.value("rpo_writes").toInteger(), qint64(missing.size()));
        qInfo("direct failover: RTO %lld ms, %lld acknowledged writes lost",
              static_cast<long long>(result.value("rto_ms").toInteger()),
              static_cast<long long>(missing.size()));
        QTRY_COMPARE_WITH_TIMEOUT(direct().value("leader").toString(), QStringLiteral("pg-primary"),
                                  10000);
        QCOMPARE(member(QStringLiteral("pg-replica-1")).value("state").toString(),
                 QStringLiteral("down"));
        const long long rows = rowsOn(QStringLiteral("pg-primary"));
        QTRY_VERIFY_WITH_TIMEOUT(rowsOn(QStringLiteral("pg-primary")) > rows + 20, 15000);
    }
};

QTEST_GUILESS_MAIN(TestDirectDrills)
#include "tst_direct_drills.moc"
