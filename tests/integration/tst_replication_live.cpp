// The acceptance, end to end with real servers: the demo backend (agent embedded, catalog
// reads through the read router) on a real primary and streaming replica, watched by the
// console's models (Fleet → ReplicationModel, what the Replication view shows).
//  - replay paused under write load: lag grows in the snapshot and in the view; over the limit
//    the router sends the replica no reads; resumed: lag falls and reads come back;
//  - the replica stopped: "down" with its cause, excluded, the agent keeps serving;
//  - the primary stopped: reported with its cause, the demo's breaker on it opens, and the demo
//    still exits cleanly.
#include "DemoBackend.h"
#include "Fleet.h"
#include "HttpCall.h"
#include "LocalStack.h"
#include "ReplicationModel.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <csignal>
#include <memory>
#include <pqxx/pqxx>

using namespace switchboard;

namespace {

constexpr const char* kReplica = "pg-replica-1";

QJsonObject member(const QJsonArray& array, const QString& name) {
    for (const auto& value : array)
        if (value.toObject().value(QStringLiteral("name")).toString() == name)
            return value.toObject();
    return {};
}

} // namespace

class TestReplicationLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    std::unique_ptr<Fleet> fleet_;

    std::string conninfo(const char* server) const {
        return stack_->server(QString::fromLatin1(server))
            .value(QStringLiteral("conninfo"))
            .toString()
            .toStdString();
    }
    void onReplica(const char* sql) {
        pqxx::connection db(conninfo(kReplica));
        pqxx::nontransaction(db).exec(sql);
    }
    // Stops one of the stack's PostgreSQL servers the way `pg_ctl -m fast` does.
    void stopServer(const char* server) {
        QFile pidFile(stack_->server(QString::fromLatin1(server))
                          .value(QStringLiteral("data_dir"))
                          .toString() +
                      QStringLiteral("/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        pid_t pid = pidFile.readLine().trimmed().toInt();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGINT), 0);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 20000);
    }

    HttpResult get(const QString& path) const {
        QUrl url = demo_->url();
        url.setPath(path);
        return HttpCall::run("GET", url, HttpCall::bearer(stack_->viewerToken()));
    }
    QJsonObject snapshot() const { return get(QStringLiteral("/v1/snapshot")).json; }
    QJsonObject snapshotReplica() const {
        return member(snapshot()
                          .value(QStringLiteral("replication"))
                          .toObject()
                          .value(QStringLiteral("replicas"))
                          .toArray(),
                      QString::fromLatin1(kReplica));
    }
    QJsonObject routerTarget(const QJsonObject& snap, const char* name) const {
        return member(snap.value(QStringLiteral("read_router"))
                          .toObject()
                          .value(QStringLiteral("targets"))
                          .toArray(),
                      QString::fromLatin1(name));
    }
    qint64 readsTo(const char* name) const {
        return routerTarget(snapshot(), name).value(QStringLiteral("reads")).toInteger(-1);
    }

    // The view's row of a node, by its name.
    int viewRow(const QString& node) const {
        const ReplicationModel& model = *fleet_->replication();
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.nodeName(
                    model.index(row, 0).data(ReplicationModel::NodeKeyRole).toString()) == node)
                return row;
        return -1;
    }
    QVariant viewData(const QString& node, int column, int role = Qt::DisplayRole) const {
        int row = viewRow(node);
        return row < 0 ? QVariant() : fleet_->replication()->index(row, column).data(role);
    }
    ReplicationHealth viewHealth(const QString& node) const {
        QVariant health = viewData(node, 0, ReplicationModel::ReplicationHealthRole);
        return health.isValid() ? ReplicationHealth(health.toInt()) : ReplicationHealth::Stale;
    }
    QString viewEligible(const QString& node) const {
        return viewData(node, ReplicationModel::EligibleColumn).toString();
    }
    double viewLagSeconds() const {
        QVariant lag = viewData(QString::fromLatin1(kReplica), 0, ReplicationModel::LagSecondsRole);
        return lag.isValid() ? lag.toDouble() : -1.0;
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-repl"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
        fleet_ = std::make_unique<Fleet>();
        fleet_->addAgent(demo_->url(), stack_->viewerToken());
        const QString replica = QString::fromLatin1(kReplica);
        QTRY_VERIFY_WITH_TIMEOUT(viewHealth(replica) == ReplicationHealth::Healthy, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(viewEligible(replica), QStringLiteral("yes"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(readsTo(kReplica) > 0, 10000);
    }
    void cleanupTestCase() {
        fleet_.reset();
        demo_.reset();
        stack_.reset();
    }

    void pausedReplayLagsAndGetsNoReads() {
        const QString replica = QString::fromLatin1(kReplica);
        onReplica("SELECT pg_wal_replay_pause()");
        // The demo keeps writing (about 20 commits/s): the lag only grows from here.
        QTRY_VERIFY_WITH_TIMEOUT(viewHealth(replica) == ReplicationHealth::Lagging, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(viewEligible(replica).contains(QStringLiteral("replay lag")),
                                 10000);
        qInfo("view: %s, %s",
              qPrintable(viewData(replica, ReplicationModel::LagSecondsColumn).toString()),
              qPrintable(viewEligible(replica)));
        // Growing, in the snapshot and in the view.
        double snapshotLag = snapshotReplica().value(QStringLiteral("replay_lag_s")).toDouble();
        double shownLag = viewLagSeconds();
        QVERIFY(snapshotLag > 0.1);
        QTRY_VERIFY_WITH_TIMEOUT(
            snapshotReplica().value(QStringLiteral("replay_lag_s")).toDouble() > snapshotLag + 1.0,
            10000);
        QTRY_VERIFY_WITH_TIMEOUT(viewLagSeconds() > shownLag + 1.0, 10000);
        // The router's reason, as the snapshot says it.
        QJsonObject snap = snapshot();
        QJsonObject target = routerTarget(snap, kReplica);
        QVERIFY(!target.value(QStringLiteral("eligible")).toBool(true));
        QVERIFY2(target.value(QStringLiteral("why_not"))
                     .toString()
                     .startsWith(QStringLiteral("replay lag")),
                 qPrintable(target.value(QStringLiteral("why_not")).toString()));
        // No reads to the replica while it lags; the primary takes them.
        qint64 replicaReads = readsTo(kReplica), primaryReads = readsTo("primary");
        QTest::qWait(2000);
        QCOMPARE(readsTo(kReplica), replicaReads);
        QVERIFY(readsTo("primary") > primaryReads);
    }

    void resumedReplayCatchesUpAndReadsReturn() {
        const QString replica = QString::fromLatin1(kReplica);
        qint64 replicaReads = readsTo(kReplica);
        onReplica("SELECT pg_wal_replay_resume()");
        QTRY_VERIFY_WITH_TIMEOUT(viewHealth(replica) == ReplicationHealth::Healthy, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(viewEligible(replica), QStringLiteral("yes"), 10000);
        QVERIFY(snapshotReplica().value(QStringLiteral("replay_lag_s")).toDouble() <= 0.1);
        QTRY_VERIFY_WITH_TIMEOUT(readsTo(kReplica) > replicaReads, 10000);
    }

    void stoppedReplicaIsDownWithItsCause() {
        const QString replica = QString::fromLatin1(kReplica);
        stopServer(kReplica);
        QTRY_VERIFY_WITH_TIMEOUT(viewHealth(replica) == ReplicationHealth::Down, 20000);
        QJsonObject row = snapshotReplica();
        QCOMPARE(row.value(QStringLiteral("state_name")).toString(), QStringLiteral("down"));
        QVERIFY2(!row.value(QStringLiteral("error")).toString().isEmpty(),
                 "a down replica says why");
        qInfo("replica down: %s", qPrintable(row.value(QStringLiteral("error")).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!viewEligible(replica).startsWith(QStringLiteral("yes")), 10000);
        QJsonObject target = routerTarget(snapshot(), kReplica);
        QVERIFY(!target.value(QStringLiteral("eligible")).toBool(true));
        // The agent keeps serving, and reads keep going, to the primary.
        QCOMPARE(get(QStringLiteral("/healthz")).status, 200);
        qint64 replicaReads = readsTo(kReplica), primaryReads = readsTo("primary");
        QTest::qWait(1500);
        QCOMPARE(readsTo(kReplica), replicaReads);
        QVERIFY(readsTo("primary") > primaryReads);
    }

    // Last: the stack has no database left after it.
    void unreachablePrimaryIsReportedAndBreakersReact() {
        stopServer("pg-primary");
        QTRY_VERIFY_WITH_TIMEOUT(viewHealth(QStringLiteral("primary")) == ReplicationHealth::Down,
                                 20000);
        QJsonObject primary = snapshot()
                                  .value(QStringLiteral("replication"))
                                  .toObject()
                                  .value(QStringLiteral("primary"))
                                  .toObject();
        QVERIFY2(!primary.value(QStringLiteral("error")).toString().isEmpty(),
                 "an unreachable primary says why");
        qInfo("primary down: %s", qPrintable(primary.value(QStringLiteral("error")).toString()));
        // The demo's writes fail: its breaker on the primary opens (and stays open or half-open).
        auto primaryBreaker = [&] {
            return member(snapshot().value(QStringLiteral("breakers")).toArray(),
                          QStringLiteral("postgres.primary"))
                .value(QStringLiteral("state_name"))
                .toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(primaryBreaker() == QLatin1String("open") ||
                                     primaryBreaker() == QLatin1String("half_open"),
                                 20000);
        QCOMPARE(get(QStringLiteral("/healthz")).status, 200);
        // Nothing crashed: the demo shuts down cleanly.
        QVERIFY2(demo_->stop(), qPrintable(demo_->output()));
    }
};

QTEST_GUILESS_MAIN(TestReplicationLive)
#include "tst_replication_live.moc"
