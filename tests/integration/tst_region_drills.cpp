// Issue 8's region drills on the full stack (Patroni us-east behind HAProxy, the standby
// cluster eu-west, shard-1/shard-2 with their eu-west standbys) with the demo writing
// sequence-numbered orders and sharded orders: the preflight names the database that blocks a
// region failover and why; plan-only and simulated region drills change no region; a live
// region_failover to eu-west loses no acknowledged write (the test counts them itself from the
// demo's --acked-writes file), writes land in eu-west afterwards (the write target, new rows,
// sharded orders on the promoted shard standbys), a canary is reported per database and the
// regions document swaps the roles; region_failback returns to us-east with every acknowledged
// write there and eu-west (and the shard standbys) streaming from us-east again.
#include "AcknowledgedWrites.h"
#include "DemoBackend.h"
#include "DrillClient.h"
#include "LocalStack.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <pqxx/pqxx>
#include <set>

class TestRegionDrills : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QTemporaryDir files_;
    QString ackedFile_;
    QString shardAckedFile_;

    std::unique_ptr<DrillClient> drills_; // tests/support/DrillClient.h

    HttpResult call(const char* method, const QString& path, const QJsonObject& body = {}) {
        return drills_->call(method, path, body);
    }
    QJsonObject regions() { return drills_->regions(); }
    QJsonObject region(const QString& name) { return drills_->region(name); }
    QJsonObject member(const QString& regionName, const QString& name) {
        for (const auto& m : region(regionName).value("members").toArray())
            if (m.toObject().value("name") == name)
                return m.toObject();
        return {};
    }
    std::string conninfoOf(const QString& regionName, const QString& name) {
        const QJsonObject m = member(regionName, name);
        return QStringLiteral("host=%1 port=%2 user=switchboard dbname=switchboard "
                              "connect_timeout=5")
            .arg(m.value("host").toString())
            .arg(m.value("port").toInt())
            .toStdString();
    }
    std::string serverConninfo(const QString& name) {
        return (stack_->server(name).value("conninfo").toString() +
                QStringLiteral(" connect_timeout=5"))
            .toStdString();
    }
    // `active` is active with every member streaming and its leader the write target, the other
    // region's standby leader streams from it, and each shard standby pair streams.
    bool settled(const QString& active, const QString& standby) {
        const QJsonObject a = region(active);
        const QJsonObject s = region(standby);
        if (a.value("role") != QLatin1String("active") || a.value("health") != QLatin1String("ok"))
            return false;
        for (const auto& m : a.value("members").toArray())
            if (!m.toObject().value("streaming").toBool())
                return false;
        const QJsonArray standbyMembers = s.value("members").toArray();
        if (standbyMembers.isEmpty() ||
            !standbyMembers.at(0).toObject().value("streaming").toBool())
            return false;
        return regions().value("write_target").toObject().value("name") == a.value("leader");
    }
    HttpResult plan(const QString& target, const QJsonObject& params) {
        return drills_->plan(target, params);
    }
    QJsonObject confirm(const QJsonObject& planned) {
        return drills_->confirm(planned.value("plan_id").toString()).json;
    }
    static QJsonObject live(const QString& target, const QString& kind) {
        return {{"kind", kind}, {"mode", "live"}, {"confirm_region", target}};
    }
    // A live region drill planned and confirmed (tests/support/DrillStart.h), tried for a
    // minute: the stack settles after a drill (walreceivers reconnect, Patroni's loops run).
    DrillStart startLive(const QString& target, const QString& kind) {
        return drills_->start(target, live(target, kind), 60000);
    }
    QJsonObject finish(const QJsonObject& started, int limitMs = 240000) {
        return drills_->finish(started, limitMs);
    }
    static QJsonObject checkNamed(const QJsonObject& planned, const QString& name) {
        return DrillClient::checkNamed(planned, name);
    }
    HttpResult executablePlan(const QString& target, const QString& kind) {
        return drills_->executablePlan(target, live(target, kind), 60000);
    }
    // The demo's acknowledged writes (tests/support/AcknowledgedWrites.h).
    std::pair<std::string, std::set<long long>> acknowledged() {
        return acknowledgedWrites(ackedFile_);
    }
    std::set<long long> missingOn(const std::string& conninfo, const std::string& run,
                                  const std::set<long long>& sequences) {
        return missingWrites(conninfo, run, sequences);
    }
    long long newestSequence(const std::string& conninfo, const std::string& run) {
        pqxx::connection db(conninfo);
        pqxx::work tx(db);
        return tx
            .exec_params1("SELECT coalesce(max(write_seq), 0) FROM demo_orders WHERE "
                          "write_run = $1",
                          run)[0]
            .as<long long>();
    }
    long long shardedOrders(const std::string& conninfo) {
        pqxx::connection db(conninfo);
        pqxx::work tx(db);
        return tx.exec1("SELECT count(*) FROM demo_sharded_orders")[0].as<long long>();
    }
    std::string setting(const std::string& conninfo, const std::string& name) {
        pqxx::connection db(conninfo);
        pqxx::nontransaction tx(db);
        return tx.exec1("SHOW " + name)[0].as<std::string>();
    }
    bool inRecovery(const std::string& conninfo) {
        pqxx::connection db(conninfo);
        pqxx::nontransaction tx(db);
        return tx.exec1("SELECT pg_is_in_recovery()")[0].as<bool>();
    }
    // The standby's WAL receiver streams from the server on `upstreamPort`.
    bool streamsFrom(const std::string& conninfo, int upstreamPort) {
        try {
            pqxx::connection db(conninfo);
            pqxx::nontransaction tx(db);
            const auto rows = tx.exec("SELECT status, sender_port FROM pg_stat_wal_receiver");
            return rows.size() == 1 && rows[0][0].as<std::string>() == "streaming" &&
                   rows[0][1].as<int>() == upstreamPort;
        } catch (const std::exception&) {
            return false;
        }
    }
    // The drill's result: the job's, or for a failed job the newest in the regions document.
    QJsonObject resultOf(const QJsonObject& job) {
        if (job.value("result").isObject())
            return job.value("result").toObject();
        return regions().value("drills").toArray().at(0).toObject();
    }
    void logTimeline(const QJsonObject& result) {
        for (const auto& entry : result.value("timeline").toArray())
            qInfo("  %6lld ms %s: %s",
                  static_cast<long long>(entry.toObject().value("t_ms").toInteger()),
                  qPrintable(entry.toObject().value("step").toString()),
                  qPrintable(entry.toObject().value("detail").toString()));
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        ackedFile_ = files_.filePath(QStringLiteral("acked-writes.txt"));
        shardAckedFile_ = files_.filePath(QStringLiteral("acked-sharded.txt"));
        stack_ = std::make_unique<LocalStack>(QStringLiteral("full"));
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-r1"));
        demo_->setExtraArguments(DemoBackend::drillArguments(ackedFile_) +
                                 QStringList{QStringLiteral("--acked-file"), shardAckedFile_});
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        drills_ = std::make_unique<DrillClient>([this] { return demo_->url(); },
                                                [this] { return stack_->operatorToken(); });
        QTRY_VERIFY_WITH_TIMEOUT(settled("us-east", "eu-west"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged().second.size() > 50, 30000);
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void preflightNamesTheDatabaseThatBlocks() {
        // The active region cannot take over from itself.
        const HttpResult itself =
            plan(QStringLiteral("us-east"), {{"kind", "region_failover"}, {"mode", "plan"}});
        QCOMPARE(itself.status, 201);
        QCOMPARE(itself.json.value("executable").toBool(), false);
        QVERIFY(checkNamed(itself.json, "target region")
                    .value("detail")
                    .toString()
                    .contains(QStringLiteral("is the active region already")));

        // Cut shard-1's standby's stream on shard-1: its walreceiver retries only after 5 s
        // (wal_retrieve_retry_interval), so a plan made at once sees it not streaming.
        bool refused = false;
        for (int attempt = 0; attempt < 3 && !refused; ++attempt) {
            {
                pqxx::connection db(serverConninfo(QStringLiteral("shard-1")));
                pqxx::work tx(db);
                tx.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_replication WHERE "
                        "application_name = 'shard-1-standby'");
                tx.commit();
            }
            const HttpResult planned = plan(
                QStringLiteral("eu-west"),
                {{"kind", "region_failover"}, {"mode", "live"}, {"confirm_region", "eu-west"}});
            QCOMPARE(planned.status, 201);
            const QJsonObject streaming = checkNamed(planned.json, "shard-1: streaming");
            if (streaming.value("verdict") != QLatin1String("fail"))
                continue; // it reconnected first: cut it again
            refused = true;
            QCOMPARE(planned.json.value("executable").toBool(), false);
            QCOMPARE(checkNamed(planned.json, "shard-2: streaming").value("verdict").toString(),
                     QStringLiteral("pass"));
            QCOMPARE(
                checkNamed(planned.json, "pg-eu-west-1: streaming").value("verdict").toString(),
                QStringLiteral("pass"));
            QVERIFY(checkNamed(planned.json, "pg-eu-west-1: lag")
                        .value("detail")
                        .toString()
                        .contains(QStringLiteral("behind us-east")));
            const HttpResult confirmed =
                call("POST", QStringLiteral("/v1/plans/%1/confirm")
                                 .arg(planned.json.value("plan_id").toString()));
            QCOMPARE(confirmed.status, 422);
        }
        QVERIFY(refused);

        // A failback to the region that is active is refused too.
        const HttpResult back =
            plan(QStringLiteral("us-east"), {{"kind", "region_failback"}, {"mode", "plan"}});
        QCOMPARE(back.status, 201);
        QCOMPARE(checkNamed(back.json, "target region").value("verdict").toString(),
                 QStringLiteral("fail"));
    }

    void planAndSimulatedRegionDrillsChangeNoRegion() {
        const HttpResult planned =
            executablePlan(QStringLiteral("eu-west"), QStringLiteral("region_failover"));
        QVERIFY2(planned.json.value("executable").toBool(),
                 QJsonDocument(planned.json).toJson().constData());
        const HttpResult planOnly =
            plan(QStringLiteral("eu-west"), {{"kind", "region_failover"}, {"mode", "plan"}});
        QCOMPARE(planOnly.json.value("executable").toBool(), true);
        QCOMPARE(finish(confirm(planOnly.json)).value("state").toString(),
                 QStringLiteral("succeeded"));
        const HttpResult simulation =
            plan(QStringLiteral("eu-west"), {{"kind", "region_failover"}, {"mode", "simulated"}});
        const QJsonObject simulated = finish(confirm(simulation.json));
        QCOMPARE(simulated.value("state").toString(), QStringLiteral("succeeded"));
        QCOMPARE(simulated.value("result").toObject().value("rpo_writes").toInteger(), 0);
        QCOMPARE(region(QStringLiteral("us-east")).value("role").toString(),
                 QStringLiteral("active"));
        QCOMPARE(region(QStringLiteral("eu-west")).value("role").toString(),
                 QStringLiteral("standby"));
    }

    void regionFailoverLosesNoAcknowledgedWrite() {
        QTRY_VERIFY_WITH_TIMEOUT(settled("us-east", "eu-west"), 60000);
        const QString oldLeader = region(QStringLiteral("us-east")).value("leader").toString();
        const std::string oldLeaderConninfo = conninfoOf(QStringLiteral("us-east"), oldLeader);
        const long long shardRowsBefore =
            shardedOrders(serverConninfo(QStringLiteral("shard-1-standby"))) +
            shardedOrders(serverConninfo(QStringLiteral("shard-2-standby")));
        const auto [planned, started] =
            startLive(QStringLiteral("eu-west"), QStringLiteral("region_failover"));
        QVERIFY2(planned.json.value("executable").toBool(),
                 QJsonDocument(planned.json).toJson().constData());
        const QJsonObject job = finish(started);
        const QJsonObject result = resultOf(job);
        logTimeline(result);
        QVERIFY2(job.value("state") == QLatin1String("succeeded"),
                 QJsonDocument(job).toJson().constData());
        QCOMPARE(result.value("from").toString(), QStringLiteral("us-east"));
        QCOMPARE(result.value("to").toString(), QStringLiteral("eu-west"));
        QCOMPARE(result.value("rpo_writes").toInteger(), 0);
        QVERIFY(result.value("writes_checked").toInteger() > 0);
        QVERIFY(result.value("rto_ms").toInteger() > 0);
        // The canary: the Patroni leader and both shards, each written and read back.
        const QJsonArray canary = result.value("canary").toArray();
        QCOMPARE(canary.size(), 3);
        for (const auto& entry : canary)
            QVERIFY2(entry.toObject().value("ok").toBool(),
                     QJsonDocument(entry.toObject()).toJson().constData());
        qInfo("region failover: RTO %lld ms, write gap %lld ms, RPO %lld writes of %lld checked, "
              "%lld B",
              static_cast<long long>(result.value("rto_ms").toInteger()),
              static_cast<long long>(result.value("write_gap_ms").toInteger()),
              static_cast<long long>(result.value("rpo_writes").toInteger()),
              static_cast<long long>(result.value("writes_checked").toInteger()),
              static_cast<long long>(result.value("rpo_bytes").toInteger()));

        // The roles swapped; the writes follow eu-west's leader.
        QCOMPARE(region(QStringLiteral("eu-west")).value("role").toString(),
                 QStringLiteral("active"));
        QCOMPARE(region(QStringLiteral("us-east")).value("role").toString(),
                 QStringLiteral("standby"));
        QTRY_COMPARE_WITH_TIMEOUT(
            regions().value("write_target").toObject().value("name").toString(),
            QStringLiteral("pg-eu-west-1"), 10000);

        // Counted independently: every write the demo saw acknowledged is in eu-west.
        const std::string euWest = conninfoOf(QStringLiteral("eu-west"), "pg-eu-west-1");
        const auto [run, sequences] = acknowledged();
        const auto missing = missingOn(euWest, run, sequences);
        QVERIFY2(missing.empty(), qPrintable(QStringLiteral("%1 acknowledged writes missing, "
                                                            "first %2")
                                                 .arg(missing.size())
                                                 .arg(missing.empty() ? 0 : *missing.begin())));
        // New writes land in eu-west; us-east is fenced and gets none.
        const long long newest = newestSequence(euWest, run);
        QTRY_VERIFY_WITH_TIMEOUT(newestSequence(euWest, run) > newest + 20, 15000);
        QCOMPARE(setting(oldLeaderConninfo, "default_transaction_read_only"), std::string("on"));
        QVERIFY(newestSequence(oldLeaderConninfo, run) < newestSequence(euWest, run));
        // Sharded orders land on the promoted shard standbys.
        QTRY_VERIFY_WITH_TIMEOUT(
            shardedOrders(serverConninfo(QStringLiteral("shard-1-standby"))) +
                    shardedOrders(serverConninfo(QStringLiteral("shard-2-standby"))) >
                shardRowsBefore + 20,
            15000);
        QVERIFY(!inRecovery(serverConninfo(QStringLiteral("shard-1-standby"))));
        QCOMPARE(
            setting(serverConninfo(QStringLiteral("shard-1")), "default_transaction_read_only"),
            std::string("on"));
    }

    void regionFailbackReturnsToUsEastConsistent() {
        const auto [planned, started] =
            startLive(QStringLiteral("us-east"), QStringLiteral("region_failback"));
        QVERIFY2(planned.json.value("executable").toBool(),
                 QJsonDocument(planned.json).toJson().constData());
        const QJsonObject job = finish(started, 400000);
        const QJsonObject result = resultOf(job);
        logTimeline(result);
        QVERIFY2(job.value("state") == QLatin1String("succeeded"),
                 QJsonDocument(job).toJson().constData());
        QCOMPARE(result.value("rpo_writes").toInteger(), 0);
        QCOMPARE(result.value("canary").toArray().size(), 3);
        qInfo("region failback: RTO %lld ms, write gap %lld ms, RPO %lld writes of %lld checked, "
              "drill %lld ms",
              static_cast<long long>(result.value("rto_ms").toInteger()),
              static_cast<long long>(result.value("write_gap_ms").toInteger()),
              static_cast<long long>(result.value("rpo_writes").toInteger()),
              static_cast<long long>(result.value("writes_checked").toInteger()),
              static_cast<long long>(result.value("finished_ms").toInteger() -
                                     result.value("started_ms").toInteger()));

        QCOMPARE(region(QStringLiteral("us-east")).value("role").toString(),
                 QStringLiteral("active"));
        QCOMPARE(region(QStringLiteral("eu-west")).value("role").toString(),
                 QStringLiteral("standby"));
        const QString leader = region(QStringLiteral("us-east")).value("leader").toString();
        QTRY_COMPARE_WITH_TIMEOUT(
            regions().value("write_target").toObject().value("name").toString(), leader, 10000);
        const std::string usEast = conninfoOf(QStringLiteral("us-east"), leader);
        QCOMPARE(setting(usEast, "default_transaction_read_only"), std::string("off"));

        // Every acknowledged write (before, during and after both drills) is in us-east.
        const auto [run, sequences] = acknowledged();
        const auto missing = missingOn(usEast, run, sequences);
        QVERIFY2(missing.empty(), qPrintable(QStringLiteral("%1 acknowledged writes missing, "
                                                            "first %2")
                                                 .arg(missing.size())
                                                 .arg(missing.empty() ? 0 : *missing.begin())));
        const long long newest = newestSequence(usEast, run);
        QTRY_VERIFY_WITH_TIMEOUT(newestSequence(usEast, run) > newest + 20, 15000);

        // Both regions consistent: eu-west streams from us-east again and has the writes; the
        // shard standbys are standbys of the shards again, streaming.
        QTRY_VERIFY_WITH_TIMEOUT(settled("us-east", "eu-west"), 60000);
        const std::string euWest = conninfoOf(QStringLiteral("eu-west"), "pg-eu-west-1");
        QVERIFY(inRecovery(euWest));
        QCOMPARE(setting(euWest, "default_transaction_read_only"), std::string("off"));
        QTRY_VERIFY_WITH_TIMEOUT(missingOn(euWest, run, sequences).empty(), 15000);
        for (const QString& node : {QStringLiteral("shard-1"), QStringLiteral("shard-2")}) {
            const std::string standby = serverConninfo(node + QStringLiteral("-standby"));
            QVERIFY(!inRecovery(serverConninfo(node)));
            QVERIFY(inRecovery(standby));
            QTRY_VERIFY_WITH_TIMEOUT(
                streamsFrom(standby, stack_->server(node).value("port").toInt()), 15000);
        }
        // A region failover is possible again.
        QVERIFY(executablePlan(QStringLiteral("eu-west"), QStringLiteral("region_failover"))
                    .json.value("executable")
                    .toBool());
    }
};

QTEST_GUILESS_MAIN(TestRegionDrills)
#include "tst_region_drills.moc"
