// switchboard-cli's command line: what each verb takes, and every refusal that must happen
// before anything is sent (a live drill unconfirmed, a match-all selection unconfirmed, a
// missing token file for --agent, contradictory options).
#include "CliOptions.h"
#include "ExitCode.h"

#include <QTest>

using namespace switchboard;
using namespace switchboard::cli;

class TestCliOptions : public QObject {
    Q_OBJECT

    static QStringList agent(QStringList arguments) {
        return arguments << QStringLiteral("--agent") << QStringLiteral("http://127.0.0.1:7464")
                         << QStringLiteral("--token-file") << QStringLiteral("/tmp/t.json");
    }
    static QString errorOf(const QStringList& arguments) {
        const ParsedCommandLine parsed = parseCommandLine(arguments);
        return parsed.options ? QString() : parsed.error;
    }

private slots:
    void readVerbs() {
        const auto audit = parseCommandLine(agent({"audit", "--limit", "5", "--before", "40"}));
        QVERIFY2(audit.options, qPrintable(audit.error));
        QCOMPARE(audit.options->verb, QStringLiteral("audit"));
        QCOMPARE(audit.options->limit, 5);
        QCOMPARE(audit.options->before, qint64(40));
        QVERIFY(!audit.options->acts());

        const auto job = parseCommandLine(agent({"job", "j-1"}));
        QVERIFY(job.options);
        QCOMPARE(job.options->jobId, QStringLiteral("j-1"));
        QVERIFY(!job.options->wait); // job only watches when asked
        QVERIFY(parseCommandLine(agent({"job", "j-1", "--wait"})).options->wait);
        QVERIFY(!errorOf(agent({"job"})).isEmpty());
        QVERIFY(!errorOf(agent({"audit", "--limit", "0"})).isEmpty());
        QVERIFY(!errorOf(agent({"audit", "--limit", "many"})).isEmpty());
    }

    void agentSelection() {
        QVERIFY(errorOf({"jobs"}).contains(QLatin1String("exactly one")));
        QVERIFY(errorOf({"jobs", "--agent", "http://x:1"}).contains(QLatin1String("--token-file")));
        QVERIFY(!errorOf({"jobs", "--stack", "a.json", "--workspace", "b.json"}).isEmpty());
        const auto stack = parseCommandLine(
            {"jobs", "--stack", "s.json", "--instance", "demo-1", "--timeout", "3"});
        QVERIFY(stack.options);
        QCOMPARE(stack.options->instance, QStringLiteral("demo-1"));
        QCOMPARE(stack.options->timeoutMs, 3000);
    }

    void rebalance() {
        const auto plan =
            parseCommandLine(agent({"rebalance", "plan", "--goal", "drain_node", "--node",
                                    "shard-2", "--by", "bytes", "--threshold", "5"}));
        QVERIFY2(plan.options, qPrintable(plan.error));
        QCOMPARE(plan.options->step, CliOptions::Step::Plan);
        QCOMPARE(plan.options->rebalance.goal, RebalanceRequest::Goal::DrainNode);
        QCOMPARE(plan.options->rebalance.params().value("node").toString(),
                 QStringLiteral("shard-2"));
        QVERIFY(plan.options->acts()); // a plan is a POST: operator token
        QVERIFY(parseCommandLine(agent({"rebalance", "run"})).options->acts());
        QVERIFY(errorOf(agent({"rebalance", "run", "--goal", "add_node"}))
                    .contains(QLatin1String("--node")));
        QVERIFY(!errorOf(agent({"rebalance", "run", "--by", "mood"})).isEmpty());
        QVERIFY(!errorOf(agent({"rebalance"})).isEmpty());
        QVERIFY(!errorOf(agent({"rebalance", "run", "--wait", "--no-wait"})).isEmpty());
        QVERIFY(!parseCommandLine(agent({"rebalance", "run", "--no-wait"})).options->wait);
    }

    void invalidateMatchAllNeedsItsConfirmation() {
        QVERIFY(errorOf(agent({"invalidate", "run", "--pattern", "*"}))
                    .contains(QLatin1String("--confirm-all")));
        QVERIFY(errorOf(agent({"invalidate", "run", "--prefix", ""}))
                    .contains(QLatin1String("--confirm-all")));
        const auto all =
            parseCommandLine(agent({"invalidate", "run", "--pattern", "*", "--confirm-all"}));
        QVERIFY2(all.options, qPrintable(all.error));
        QVERIFY(all.options->invalidate.params().value("allow_match_all").toBool());
        const auto prefix = parseCommandLine(
            agent({"invalidate", "plan", "--prefix", "catalog:", "--rate", "1000"}));
        QVERIFY(prefix.options);
        QCOMPARE(prefix.options->invalidate.params().value("rate").toInt(), 1000);
        QVERIFY(!prefix.options->invalidate.params().contains(QLatin1String("allow_match_all")));
        QVERIFY(!errorOf(agent({"invalidate", "run", "--key", "a", "--prefix", "b"})).isEmpty());
        QVERIFY(!errorOf(agent({"invalidate", "run"})).isEmpty());
    }

    void liveDrillNeedsTheRegionsName() {
        const QStringList live{"drill",  "run",        "--region", "us-east",
                               "--kind", "switchover", "--mode",   "live"};
        QVERIFY(errorOf(agent(live)).contains(QLatin1String("--confirm us-east")));
        QVERIFY(errorOf(agent(live + QStringList{"--confirm", "us-west"}))
                    .contains(QLatin1String("does not name")));
        const auto confirmed = parseCommandLine(agent(live + QStringList{"--confirm", "us-east"}));
        QVERIFY2(confirmed.options, qPrintable(confirmed.error));
        QCOMPARE(confirmed.options->drill.params().value("confirm_region").toString(),
                 QStringLiteral("us-east"));
        const auto simulated = parseCommandLine(
            agent({"drill", "plan", "--region", "r", "--kind", "failover", "--mode", "simulated"}));
        QVERIFY(simulated.options);
        QVERIFY(!simulated.options->drill.params().contains(QLatin1String("confirm_region")));
        QVERIFY(!errorOf(agent({"drill", "plan", "--region", "r", "--kind", "reboot"})).isEmpty());
        QVERIFY(!errorOf(agent({"drill", "plan", "--kind", "failover"})).isEmpty());
        QVERIFY(errorOf(agent({"drill", "plan", "--region", "r", "--kind", "failover", "--target",
                               "x"}))
                    .contains(QLatin1String("--region")));
    }

    void whichVerbsCatchInterrupts() {
        // Following a job: an interrupt cancels it (run) or stops watching (job --wait, cancel).
        QVERIFY(parseCommandLine(agent({"rebalance", "run"})).options->followsJobs());
        QVERIFY(parseCommandLine(agent({"cancel", "j-1"})).options->followsJobs());
        QVERIFY(parseCommandLine(agent({"job", "j-1", "--wait"})).options->followsJobs());
        // Reading or planning: an interrupt simply ends the program.
        QVERIFY(!parseCommandLine(agent({"job", "j-1"})).options->followsJobs());
        QVERIFY(!parseCommandLine(agent({"rebalance", "plan"})).options->followsJobs());
        QVERIFY(!parseCommandLine(agent({"agents"})).options->followsJobs());
    }

    void exitCodesOfAgentErrors() {
        ActionError error;
        error.reason = ActionError::kTimeout;
        QCOMPARE(exitCodeOf(error), ExitCode::Unreachable);
        error.httpStatus = 403;
        error.reason = QStringLiteral("forbidden");
        QCOMPARE(exitCodeOf(error), ExitCode::Unauthorized);
        error.httpStatus = 409;
        error.reason = QStringLiteral("busy");
        QCOMPARE(exitCodeOf(error), ExitCode::Refused);
        error.httpStatus = 200;
        error.reason = ActionError::kBadResponse;
        QCOMPARE(exitCodeOf(error), ExitCode::Unreachable);
    }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_cli_options.moc"
