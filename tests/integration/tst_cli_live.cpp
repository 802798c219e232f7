// switchboard-cli against a live stack: the real binary, run as a runbook or CI job would run
// it, for every verb. One minimal stack with a spare shard node and one demo backend whose agent
// has shards, a cache and a direct region. Checked: exit codes, the JSON on stdout, that refusals
// (a live drill unconfirmed, a match-all invalidation unconfirmed, a token file others can read)
// send nothing (the audit log does not grow), a viewer token acting (4), an agent that is gone
// (5), a running rebalance cancelled by `cancel` and an invalidation cancelled by SIGTERM.
#include "CliRun.h"
#include "DemoBackend.h"
#include "LocalStack.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <pqxx/pqxx>
#include <switchboard/shard_router.h>

class TestCliLive : public QObject {
    Q_OBJECT

    QTemporaryDir files_;
    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QString region_;

    // The binary under test: the build's, or another one named by SWITCHBOARD_CLI_UNDER_TEST
    // (an installed package's, a sanitizer build's).
    static QString program() {
        return qEnvironmentVariable("SWITCHBOARD_CLI_UNDER_TEST", QStringLiteral(SWITCHBOARD_CLI));
    }
    static CliResult finish(QProcess& process, int timeoutMs) {
        return finishCli(process, timeoutMs);
    }
    static void start(QProcess& process, const QStringList& arguments) {
        process.start(program(), arguments);
        QVERIFY2(process.waitForStarted(5000), qPrintable(process.errorString()));
    }
    CliResult cli(const QStringList& arguments, int timeoutMs = 60000) {
        QProcess process;
        process.start(program(), arguments);
        return finish(process, timeoutMs);
    }
    // The demo's agent through the stack file: viewer token to read, operator token to act.
    QStringList viaStack(const QStringList& arguments) const {
        return arguments + QStringList{QStringLiteral("--stack"), stack_->stackFile(),
                                       QStringLiteral("--instance"), QStringLiteral("demo-cli")};
    }
    QStringList viaUrl(const QStringList& arguments, const QString& tokenFile) const {
        return arguments + QStringList{QStringLiteral("--agent"), demo_->url().toString(),
                                       QStringLiteral("--token-file"), tokenFile};
    }
    QJsonObject section(const QString& name) {
        return cli(viaStack({QStringLiteral("snapshot"), QStringLiteral("--section"), name}))
            .json.value(name)
            .toObject();
    }
    // The agent's one region (a direct one) as the snapshot's regions section shows it.
    QJsonObject firstRegion() {
        return section(QStringLiteral("regions")).value("regions").toArray().first().toObject();
    }
    // The newest audit entry's seq: a refusal the command line made itself must not move it.
    qint64 newestAuditSeq() {
        const CliResult audit = cli(
            viaStack({QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("1")}));
        return audit.json.value("entries").toArray().first().toObject().value("seq").toInteger();
    }
    std::string conninfo(const QString& server) const {
        return QStringLiteral("host=127.0.0.1 port=%1 user=switchboard dbname=switchboard")
            .arg(stack_->server(server).value("port").toInt())
            .toStdString();
    }
    bool redis(const QStringList& arguments) {
        QProcess process;
        process.start(
            QStringLiteral("redis-cli"),
            QStringList{
                QStringLiteral("-p"),
                QString::number(stack_->server(QStringLiteral("redis")).value("port").toInt())} +
                arguments);
        return process.waitForFinished(20000) && process.exitCode() == 0;
    }
    // `count` keys `prefix`1… in the stack's Redis, in one server-side loop.
    bool fill(const QString& prefix, int count) {
        return redis({QStringLiteral("EVAL"),
                      QStringLiteral("for i = 1, tonumber(ARGV[2]) do redis.call('SET', ARGV[1] .. "
                                     "i, 'x') end"),
                      QStringLiteral("0"), prefix, QString::number(count)});
    }

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        qputenv("SWITCHBOARD_AUDIT_LOG", files_.filePath(QStringLiteral("audit.jsonl")).toUtf8());
        stack_ = std::make_unique<LocalStack>(QStringLiteral("minimal"),
                                              QStringList{QStringLiteral("--extra-shard")});
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-cli"));
        demo_->setExtraArguments(
            DemoBackend::drillArguments(files_.filePath(QStringLiteral("acked-writes.txt"))));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        const QString added =
            stack_->addAgent(QStringLiteral("demo-cli"), demo_->url(), QStringLiteral("us-east"));
        QVERIFY2(added.isEmpty(), qPrintable(added));
        // The agent reports its direct region settled, its shards with shard-3 spare, its cache.
        QTRY_VERIFY_WITH_TIMEOUT(firstRegion().value("health") == QLatin1String("ok"), 30000);
        region_ = firstRegion().value("name").toString();
        QTRY_VERIFY_WITH_TIMEOUT(
            !section(QStringLiteral("shards")).value("catalog").toString().isEmpty(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!section(QStringLiteral("cache"))
                                      .value("redis")
                                      .toObject()
                                      .value("target")
                                      .toString()
                                      .isEmpty(),
                                 30000);
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void helpAndUsageErrors() {
        const CliResult help = cli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QLatin1String("Exit codes")));
        const CliResult unknown = cli({QStringLiteral("reboot")});
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(unknown.json.value("error").toObject().value("reason").toString(),
                 QStringLiteral("usage"));
        QVERIFY(unknown.err.contains(QLatin1String("reboot")));
    }

    void agentsListsTheStacksAgents() {
        const CliResult result =
            cli({QStringLiteral("agents"), QStringLiteral("--stack"), stack_->stackFile()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        const QJsonArray agents = result.json.value("agents").toArray();
        QCOMPARE(agents.size(), 1);
        const QJsonObject agent = agents.first().toObject();
        QCOMPARE(agent.value("name").toString(), QStringLiteral("demo-cli"));
        QCOMPARE(agent.value("url").toString(), demo_->url().toString());
        QVERIFY(agent.value("reachable").toBool());
        QCOMPARE(agent.value("info").toObject().value("instance").toString(),
                 QStringLiteral("demo-cli"));
        QCOMPARE(agent.value("info").toObject().value("protocol").toInt(), 1);
    }

    void aWorkspaceNamesTheAgentAndItsToken() {
        // A console workspace (docs/metrics.md) listing the demo with the operator token.
        QFile file(files_.filePath(QStringLiteral("fleet.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QJsonDocument(
                QJsonObject{{"token_file", stack_->operatorTokenFile()},
                            {"agents", QJsonArray{QJsonObject{{"url", demo_->url().toString()},
                                                              {"name", "demo-cli"}}}}})
                .toJson());
        file.close();
        const QStringList workspace{QStringLiteral("--workspace"), file.fileName()};
        const CliResult agents = cli(QStringList{QStringLiteral("agents")} + workspace);
        QVERIFY2(agents.exitCode == 0, qPrintable(agents.describe()));
        QVERIFY(
            agents.json.value("agents").toArray().first().toObject().value("reachable").toBool());
        const CliResult jobs = cli(QStringList{QStringLiteral("jobs"), QStringLiteral("--instance"),
                                               QStringLiteral("demo-cli")} +
                                   workspace);
        QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.describe()));
        QVERIFY(jobs.json.value("jobs").isArray());
        const CliResult unknown =
            cli(QStringList{QStringLiteral("jobs"), QStringLiteral("--instance"),
                            QStringLiteral("demo-9")} +
                workspace);
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QLatin1String("demo-cli"))); // says which agents there are
    }

    void snapshotWholeAndOneSection() {
        const CliResult whole = cli(viaStack({QStringLiteral("snapshot")}));
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.describe()));
        QVERIFY(whole.json.value("revision").toInteger() > 0);
        QCOMPARE(whole.json.value("info").toObject().value("instance").toString(),
                 QStringLiteral("demo-cli"));
        const CliResult shards = cli(viaStack(
            {QStringLiteral("snapshot"), QStringLiteral("--section"), QStringLiteral("shards")}));
        QCOMPARE(shards.exitCode, 0);
        QVERIFY(shards.json.value("shards").toObject().value("nodes").toArray().size() >= 3);
        QVERIFY(!shards.json.contains(QLatin1String("probes")));
        const CliResult missing =
            cli(viaStack({QStringLiteral("snapshot"), QStringLiteral("--section"),
                          QStringLiteral("no_such_thing")}));
        QCOMPARE(missing.exitCode, 3);
        QCOMPARE(missing.json.value("error").toObject().value("reason").toString(),
                 QStringLiteral("no_such_section"));
    }

    void rebalancePlanThenRun() {
        const QStringList addNode{QStringLiteral("--goal"), QStringLiteral("add_node"),
                                  QStringLiteral("--node"), QStringLiteral("shard-3")};
        const CliResult plan = cli(
            viaStack(QStringList{QStringLiteral("rebalance"), QStringLiteral("plan")} + addNode));
        QVERIFY2(plan.exitCode == 0, qPrintable(plan.describe()));
        QVERIFY(plan.json.value("executable").toBool());
        QCOMPARE(plan.json.value("kind").toString(), QStringLiteral("shards.rebalance"));
        // The target the console sends: the catalog the agent reports.
        QCOMPARE(plan.json.value("target").toString(),
                 section(QStringLiteral("shards")).value("catalog").toString());
        const QJsonArray changes = plan.json.value("changes").toArray();
        QVERIFY(!changes.isEmpty());
        for (const auto& change : changes)
            QCOMPARE(change.toObject().value("to").toString(), QStringLiteral("shard-3"));

        const CliResult run =
            cli(viaStack(QStringList{QStringLiteral("rebalance"), QStringLiteral("run")} + addNode),
                150000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json.value("state").toString(), QStringLiteral("succeeded"));
        QVERIFY(run.json.value("job_id").toString().startsWith(QLatin1Char('j')));
        QVERIFY(run.err.contains(QLatin1String("succeeded"))); // the progress lines
        qInfo("rebalance run, stderr:\n%s", qPrintable(run.err));
    }

    void aRunningRebalanceIsCancelled() {
        // One big bucket on shard-2, so draining it takes long enough to be cancelled midway.
        pqxx::connection catalog(conninfo(QStringLiteral("pg-primary")));
        const int big = pqxx::nontransaction(catalog)
                            .exec1("SELECT min(bucket) FROM switchboard_shard_buckets "
                                   "WHERE node = 'shard-2'")[0]
                            .as<int>();
        {
            pqxx::connection node(conninfo(QStringLiteral("shard-2")));
            pqxx::work tx(node);
            tx.exec_params(switchboard::ShardRouter::kClaimSql, big);
            tx.exec_params0("INSERT INTO demo_sharded_orders (id, customer, bucket, amount) "
                            "SELECT 9100000000000 + g, 888888, $1, 1.0 "
                            "FROM generate_series(1, 300000) g",
                            big);
            tx.commit();
        }
        const CliResult started = cli(
            viaStack({QStringLiteral("rebalance"), QStringLiteral("run"), QStringLiteral("--goal"),
                      QStringLiteral("drain_node"), QStringLiteral("--node"),
                      QStringLiteral("shard-2"), QStringLiteral("--no-wait")}));
        QVERIFY2(started.exitCode == 0, qPrintable(started.describe()));
        const QString jobId = started.json.value("job_id").toString();
        QVERIFY(!jobId.isEmpty());
        QCOMPARE(started.json.value("state").toString(), QStringLiteral("running"));

        const CliResult cancelled = cli(viaStack({QStringLiteral("cancel"), jobId}), 90000);
        QVERIFY2(cancelled.exitCode == 0, qPrintable(cancelled.describe()));
        QCOMPARE(cancelled.json.value("state").toString(), QStringLiteral("cancelled"));
        QCOMPARE(cancelled.json.value("job_id").toString(), jobId);
        // Cancelling what has already stopped is the agent's refusal.
        const CliResult again = cli(viaStack({QStringLiteral("cancel"), jobId}));
        QCOMPARE(again.exitCode, 3);
        QCOMPARE(again.json.value("error").toObject().value("reason").toString(),
                 QStringLiteral("job_finished"));
    }

    void invalidatePlanRunAndMatchAllRefused() {
        QVERIFY(fill(QStringLiteral("cli:a:"), 200));
        const QStringList selection{QStringLiteral("--prefix"), QStringLiteral("cli:a:")};
        const CliResult plan = cli(viaStack(
            QStringList{QStringLiteral("invalidate"), QStringLiteral("plan")} + selection));
        QVERIFY2(plan.exitCode == 0, qPrintable(plan.describe()));
        QCOMPARE(plan.json.value("matching").toInteger(), 200);
        const CliResult run = cli(
            viaStack(QStringList{QStringLiteral("invalidate"), QStringLiteral("run")} + selection));
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json.value("state").toString(), QStringLiteral("succeeded"));
        QCOMPARE(run.json.value("result").toObject().value("unlinked").toInteger(), 200);

        // Every key: refused by the command line itself unless --confirm-all; nothing sent.
        const qint64 seq = newestAuditSeq();
        QVERIFY(seq > 0);
        for (const QStringList& all :
             {QStringList{QStringLiteral("--pattern"), QStringLiteral("*")},
              QStringList{QStringLiteral("--prefix"), QString()}}) {
            const CliResult refused = cli(
                viaStack(QStringList{QStringLiteral("invalidate"), QStringLiteral("run")} + all));
            QCOMPARE(refused.exitCode, 2);
            QVERIFY(refused.err.contains(QLatin1String("--confirm-all")));
        }
        QCOMPARE(newestAuditSeq(), seq);
        // With it, the agent plans it (a plan changes nothing).
        const CliResult confirmedPlan = cli(viaStack(
            {QStringLiteral("invalidate"), QStringLiteral("plan"), QStringLiteral("--pattern"),
             QStringLiteral("*"), QStringLiteral("--confirm-all")}));
        QVERIFY2(confirmedPlan.exitCode == 0, qPrintable(confirmedPlan.describe()));
        QVERIFY(confirmedPlan.json.value("match_all").toBool());
    }

    void sigtermWhileFollowingCancelsTheJob() {
        QVERIFY(fill(QStringLiteral("cli:slow:"), 3000));
        QProcess process;
        start(process, viaStack({QStringLiteral("invalidate"), QStringLiteral("run"),
                                 QStringLiteral("--prefix"), QStringLiteral("cli:slow:"),
                                 QStringLiteral("--rate"), QStringLiteral("500")})); // about 6 s
        QString err;
        QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromUtf8(process.readAllStandardError()))
                                     .contains(QLatin1String(": running")),
                                 20000);
        process.terminate(); // SIGTERM, as a CI runner's timeout sends
        const CliResult result = finish(process, 30000);
        QVERIFY2(result.exitCode == 1, qPrintable(result.describe() + err));
        QCOMPARE(result.json.value("state").toString(), QStringLiteral("cancelled"));
        qInfo("invalidate run interrupted, stderr:\n%s", qPrintable(err + result.err));
        const qint64 unlinked =
            result.json.value("result").toObject().value("unlinked").toInteger();
        QVERIFY2(unlinked < 3000, qPrintable(QString::number(unlinked)));
    }

    void drillPlanSimulatedRunAndLiveRefused() {
        const QStringList drill{QStringLiteral("--region"), region_, QStringLiteral("--kind"),
                                QStringLiteral("switchover")};
        const CliResult plan =
            cli(viaStack(QStringList{QStringLiteral("drill"), QStringLiteral("plan"),
                                     QStringLiteral("--mode"), QStringLiteral("simulated")} +
                         drill));
        QVERIFY2(plan.exitCode == 0, qPrintable(plan.describe()));
        QCOMPARE(plan.json.value("kind").toString(), QStringLiteral("drill.run"));
        QCOMPARE(plan.json.value("target").toString(), region_);

        const CliResult run =
            cli(viaStack(QStringList{QStringLiteral("drill"), QStringLiteral("run"),
                                     QStringLiteral("--mode"), QStringLiteral("simulated")} +
                         drill),
                120000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.json.value("state").toString(), QStringLiteral("succeeded"));

        // A plan whose check fails: printed, exit 3; run refuses it without confirming.
        const QStringList leader{QStringLiteral("--mode"), QStringLiteral("simulated"),
                                 QStringLiteral("--candidate"), QStringLiteral("pg-primary")};
        const CliResult failing = cli(viaStack(
            QStringList{QStringLiteral("drill"), QStringLiteral("plan")} + drill + leader));
        QVERIFY2(failing.exitCode == 3, qPrintable(failing.describe()));
        QCOMPARE(failing.json.value("executable").toBool(true), false);
        const CliResult refusedRun = cli(
            viaStack(QStringList{QStringLiteral("drill"), QStringLiteral("run")} + drill + leader));
        QVERIFY2(refusedRun.exitCode == 3, qPrintable(refusedRun.describe()));
        const QJsonObject refusal = refusedRun.json.value("error").toObject();
        QCOMPARE(refusal.value("reason").toString(), QStringLiteral("not_executable"));
        const QString unconfirmedPlan =
            refusal.value("plan").toObject().value("plan_id").toString();
        QVERIFY(!unconfirmedPlan.isEmpty());
        const CliResult audit = cli(
            viaStack({QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("20")}));
        for (const auto& value : audit.json.value("entries").toArray())
            QVERIFY(value.toObject().value("plan_id") != unconfirmedPlan ||
                    value.toObject().value("event") == QLatin1String("plan"));

        // Live: the region's name again, exactly, or nothing is sent.
        const qint64 seq = newestAuditSeq();
        const QStringList live = QStringList{QStringLiteral("drill"), QStringLiteral("run"),
                                             QStringLiteral("--mode"), QStringLiteral("live")} +
                                 drill;
        const CliResult unconfirmed = cli(viaStack(live));
        QCOMPARE(unconfirmed.exitCode, 2);
        QVERIFY(unconfirmed.err.contains(QLatin1String("--confirm ") + region_));
        const CliResult wrong =
            cli(viaStack(live + QStringList{QStringLiteral("--confirm"), region_ + "x"}));
        QCOMPARE(wrong.exitCode, 2);
        QCOMPARE(newestAuditSeq(), seq);
    }

    void jobJobsAndAuditShowWhatWasDone() {
        const CliResult jobs = cli(viaStack({QStringLiteral("jobs")}));
        QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.describe()));
        const QJsonArray list = jobs.json.value("jobs").toArray();
        QVERIFY(list.size() >= 5); // two rebalances, three invalidations... newest first
        QStringList kinds;
        for (const auto& job : list)
            kinds.append(job.toObject().value("kind").toString());
        for (const char* kind : {"shards.rebalance", "cache.invalidate", "drill.run"})
            QVERIFY2(kinds.contains(QLatin1String(kind)), kind);
        const QString newest = list.first().toObject().value("job_id").toString();
        QCOMPARE(list.first().toObject().value("kind").toString(), QStringLiteral("drill.run"));

        const CliResult job = cli(viaStack({QStringLiteral("job"), newest}));
        QCOMPARE(job.exitCode, 0);
        QCOMPARE(job.json.value("job_id").toString(), newest);
        const CliResult waited =
            cli(viaStack({QStringLiteral("job"), newest, QStringLiteral("--wait")}));
        QCOMPARE(waited.exitCode, 0);
        QCOMPARE(waited.json.value("state").toString(), QStringLiteral("succeeded"));
        const CliResult unknown = cli(viaStack({QStringLiteral("job"), QStringLiteral("j-nope")}));
        QCOMPARE(unknown.exitCode, 3);

        const CliResult audit = cli(
            viaStack({QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("200")}));
        QVERIFY2(audit.exitCode == 0, qPrintable(audit.describe()));
        QVERIFY(audit.json.value("chain").toObject().value("intact").toBool());
        bool confirmedDrill = false;
        bool cancelledRebalance = false;
        for (const auto& value : audit.json.value("entries").toArray()) {
            const QJsonObject entry = value.toObject();
            confirmedDrill |=
                entry.value("job_id") == newest && entry.value("event") == QLatin1String("confirm");
            cancelledRebalance |= entry.value("kind") == QLatin1String("shards.rebalance") &&
                                  entry.value("event") == QLatin1String("cancel");
        }
        QVERIFY(confirmedDrill);
        QVERIFY(cancelledRebalance);
        // Paging: two entries, then the two before them.
        const CliResult page = cli(
            viaStack({QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("2")}));
        QCOMPARE(page.json.value("entries").toArray().size(), 2);
        const qint64 next = page.json.value("next_before").toInteger();
        const CliResult older =
            cli(viaStack({QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("2"),
                          QStringLiteral("--before"), QString::number(next)}));
        QCOMPARE(older.exitCode, 0);
        QVERIFY(older.json.value("entries").toArray().first().toObject().value("seq").toInteger() <
                next);
    }

    void aViewerTokenCannotAct() {
        const CliResult result = cli(viaUrl({QStringLiteral("rebalance"), QStringLiteral("run")},
                                            stack_->viewerTokenFile()));
        QVERIFY2(result.exitCode == 4, qPrintable(result.describe()));
        QCOMPARE(result.json.value("error").toObject().value("http_status").toInt(), 403);
        // Reading is what it may do.
        QCOMPARE(cli(viaUrl({QStringLiteral("jobs")}, stack_->viewerTokenFile())).exitCode, 0);
    }

    void anAgentThatIsGoneIsUnreachable() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        const CliResult result =
            cli({QStringLiteral("snapshot"), QStringLiteral("--agent"),
                 QStringLiteral("http://127.0.0.1:%1").arg(port), QStringLiteral("--token-file"),
                 stack_->viewerTokenFile(), QStringLiteral("--timeout"), QStringLiteral("3")});
        QVERIFY2(result.exitCode == 5, qPrintable(result.describe()));
        QCOMPARE(result.json.value("error").toObject().value("reason").toString(),
                 QStringLiteral("network"));
    }

    void aTokenFileOthersCanReadIsRefused() {
        const QString copy = files_.filePath(QStringLiteral("operator-shared.json"));
        QVERIFY(QFile::copy(stack_->operatorTokenFile(), copy));
        QVERIFY(QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner |
                                                QFile::ReadGroup | QFile::ReadOther));
        const qint64 seq = newestAuditSeq();
        const CliResult result =
            cli(viaUrl({QStringLiteral("rebalance"), QStringLiteral("run")}, copy));
        QVERIFY2(result.exitCode == 2, qPrintable(result.describe()));
        QVERIFY(result.err.contains(copy));
        QCOMPARE(newestAuditSeq(), seq);
    }
};

QTEST_MAIN(TestCliLive)
#include "tst_cli_live.moc"
