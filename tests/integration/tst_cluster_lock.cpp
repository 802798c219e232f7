// The cluster lock on a real PostgreSQL: two agents (two locks on one database) never both hold
// a kind; a kind freed is takeable again; the session dying frees it; an unreachable database
// refuses the lock with its cause instead of guessing.
#include "LocalStack.h"
#include "pg_advisory_lock.h"

#include <QElapsedTimer>
#include <QTest>
#include <memory>

using switchboard::PgAdvisoryLock;

class TestClusterLock : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::string conninfo() const {
        return stack_->server(QStringLiteral("pg-primary"))
            .value(QStringLiteral("conninfo"))
            .toString()
            .toStdString();
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        QVERIFY(!conninfo().empty());
    }
    void cleanupTestCase() { stack_.reset(); }

    void oneHolderPerKindAcrossAgents() {
        PgAdvisoryLock first(conninfo(), 2000), second(conninfo(), 2000);
        std::string why;
        QVERIFY2(first.tryLock("shard.rebalance", why), why.c_str());
        QVERIFY(!second.tryLock("shard.rebalance", why));
        QVERIFY2(QString::fromStdString(why).contains("another instance"), why.c_str());
        QVERIFY(!first.tryLock("shard.rebalance", why)); // not twice on one agent either
        // Another kind is independent.
        QVERIFY2(second.tryLock("cache.invalidate", why), why.c_str());
        first.unlock("shard.rebalance");
        QVERIFY2(second.tryLock("shard.rebalance", why), why.c_str());
        second.unlock("shard.rebalance");
        second.unlock("cache.invalidate");
    }

    void anAgentThatGoesAwayFreesTheLock() {
        std::string why;
        auto holder = std::make_unique<PgAdvisoryLock>(conninfo(), 2000);
        QVERIFY2(holder->tryLock("region.failover", why), why.c_str());
        holder.reset(); // its sessions close, as when the process dies
        PgAdvisoryLock next(conninfo(), 2000);
        // PostgreSQL notices the closed session at once on loopback; allow it a moment anyway.
        // (Not QTRY_VERIFY: it evaluates once more after success, and tryLock has an effect.)
        bool taken = false;
        for (QElapsedTimer waited; !taken && (!waited.isValid() || waited.elapsed() < 5000);) {
            if (!waited.isValid())
                waited.start();
            taken = next.tryLock("region.failover", why);
            if (!taken)
                QTest::qWait(50);
        }
        QVERIFY2(taken, why.c_str());
        next.unlock("region.failover");
    }

    void unreachableDatabaseRefusesWithTheCause() {
        PgAdvisoryLock lock("host=127.0.0.1 port=1 dbname=postgres user=postgres", 1000);
        std::string why;
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!lock.tryLock("shard.rebalance", why));
        QVERIFY(clock.elapsed() < 5000);
        QVERIFY2(QString::fromStdString(why).contains("cannot take the cluster lock"), why.c_str());
    }
};

QTEST_GUILESS_MAIN(TestClusterLock)
#include "tst_cluster_lock.moc"
