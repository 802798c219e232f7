// The replication probe against the real stack: a streaming replica with its slot; a paused
// replay under write load shows growing lag in bytes and seconds that match the same queries run
// here; resumed, the lag falls back; an unreachable primary and a stopped replica are rows with
// a status and a cause, and a cycle still ends within its timeouts. The monitor publishes the
// document, feeds its listener and its gauges; an agent with a primary offers "replication" in
// /v1/info and its snapshot; a primary that never answers a query is ended by the watchdog.
#include "HttpCall.h"
#include "LocalStack.h"
#include "replication_monitor.h"
#include "replication_probe.h"
#include "stream_hub.h"
#include "switchboard/agent.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTest>
#include <arpa/inet.h>
#include <atomic>
#include <csignal>
#include <cstring>
#include <memory>
#include <mutex>
#include <poll.h>
#include <pqxx/pqxx>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using switchboard::ReplicationProbe;
using switchboard::ReplicationReport;
using Status = switchboard::protocol::ProbeStatus;

namespace {

constexpr const char* kReplica = "pg-replica-1";
constexpr int kTimeoutMs = 2000;

// One value of one row, on a fresh connection.
std::string queryValue(const std::string& conninfo, const std::string& sql) {
    pqxx::connection db(conninfo);
    pqxx::nontransaction tx(db);
    pqxx::row row = tx.exec1(sql);
    return row[0].is_null() ? std::string() : row[0].as<std::string>();
}

// A "PostgreSQL server" that completes the startup handshake and then never answers a query:
// the case only the monitor's watchdog ends (the statement timeout is the server's to enforce).
class SilentServer {
public:
    SilentServer() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 8);
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~SilentServer() {
        stopping_ = true;
        thread_.join();
        for (int fd : clients_)
            ::close(fd);
        ::close(listener_);
    }
    int port() const { return port_; }

private:
    void serve() {
        while (!stopping_) {
            pollfd ready{listener_, POLLIN, 0};
            if (::poll(&ready, 1, 50) <= 0)
                continue;
            int client = ::accept(listener_, nullptr, nullptr);
            if (client < 0)
                continue;
            clients_.push_back(client);
            char startup[1024];
            if (::recv(client, startup, sizeof startup, 0) <= 0) // the startup message
                continue;
            std::string reply("R\0\0\0\x08\0\0\0\0", 9); // AuthenticationOk
            auto parameter = [&](const std::string& name, const std::string& value) {
                std::uint32_t length = htonl(std::uint32_t(4 + name.size() + 1 + value.size() + 1));
                reply += 'S';
                reply.append(reinterpret_cast<const char*>(&length), 4);
                reply += name + std::string(1, '\0') + value + std::string(1, '\0');
            };
            parameter("server_version", "15.0");
            parameter("client_encoding", "UTF8");
            parameter("integer_datetimes", "on");
            reply += std::string("K\0\0\0\x0c\0\0\0\x01\0\0\0\x02", 13); // BackendKeyData
            reply += std::string("Z\0\0\0\x05I", 6);                     // ReadyForQuery
            ::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
            // and then silence
        }
    }
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::vector<int> clients_;
    std::thread thread_;
};

} // namespace

class TestReplicationProbe : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::string conninfo(const char* server) const {
        return stack_->server(QString::fromLatin1(server))
            .value(QStringLiteral("conninfo"))
            .toString()
            .toStdString();
    }
    std::vector<switchboard::ReplicaEndpoint> replicas() const {
        return {{kReplica, conninfo(kReplica)}};
    }
    ReplicationReport check() {
        ReplicationProbe probe(conninfo("pg-primary"), replicas(), kTimeoutMs);
        return probe.check();
    }
    // Commits rows on the primary for about `ms` milliseconds.
    void writeFor(int ms) {
        pqxx::connection db(conninfo("pg-primary"));
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < ms) {
            pqxx::work tx(db);
            tx.exec0("INSERT INTO repl_load(payload) SELECT repeat('x', 200) FROM "
                     "generate_series(1, 50)");
            tx.commit();
        }
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        QVERIFY(!conninfo("pg-primary").empty());
        QVERIFY(!conninfo(kReplica).empty());
        pqxx::connection db(conninfo("pg-primary"));
        pqxx::nontransaction(db).exec0(
            "CREATE TABLE IF NOT EXISTS repl_load(id bigserial, payload text)");
    }
    void cleanupTestCase() { stack_.reset(); }

    void streamingReplicaIsReported() {
        QElapsedTimer clock;
        clock.start();
        ReplicationReport report = check();
        qInfo("one cycle: %lld ms", static_cast<long long>(clock.elapsed()));
        QVERIFY2(report.primary.status == Status::Up, report.primary.error.c_str());
        QCOMPARE(report.primary.timeline, std::int64_t(1));
        QVERIFY(!report.primary.inRecovery);
        QVERIFY(!report.primary.currentLsn.empty());
        QVERIFY(report.replicas.size() >= 1);
        const auto& replica = report.replicas.front();
        QCOMPARE(replica.name, std::string(kReplica));
        QCOMPARE(replica.state, std::string("streaming"));
        QVERIFY2(replica.status == Status::Up, replica.error.c_str());
        QCOMPARE(replica.syncState, std::string("async"));
        QCOMPARE(replica.timeline, std::int64_t(1));
        QVERIFY(replica.slot.has_value());
        QCOMPARE(replica.slot->name, std::string("slot_pg_replica_1"));
        QVERIFY(replica.slot->active);
        QVERIFY2(replica.self.status == Status::Up, replica.self.error.c_str());
        QVERIFY(replica.self.inRecovery);
        QVERIFY(!replica.self.replayPaused);
        QVERIFY(!replica.self.receiveLsn.empty());
    }

    void pausedReplayShowsGrowingLag() {
        const std::string primary = conninfo("pg-primary"), standby = conninfo(kReplica);
        // The replica's own lag in time counts from its last replayed commit: have one.
        QTRY_VERIFY_WITH_TIMEOUT(
            !queryValue(standby, "SELECT pg_last_xact_replay_timestamp()::text").empty(), 10000);
        queryValue(standby, "SELECT pg_wal_replay_pause()::text");
        writeFor(1500);
        // The walreceiver still writes and flushes while replay is paused: wait until it has
        // everything, so the replay lag is the only one left.
        QTRY_VERIFY_WITH_TIMEOUT(
            queryValue(primary,
                       "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn) FROM "
                       "pg_stat_replication WHERE application_name = 'pg-replica-1'") == "0",
            10000);
        // Replay is paused, so the primary's own figure only grows (autovacuum and checkpoints
        // write WAL too): the probe's must lie between two asked around it.
        auto askedLagBytes = [&] {
            return std::stoll(queryValue(
                primary, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint "
                         "FROM pg_stat_replication WHERE application_name = 'pg-replica-1'"));
        };
        const long long bytesBefore = askedLagBytes();
        ReplicationReport report = check();
        const long long bytesAfter = askedLagBytes();
        const auto& replica = report.replicas.front();
        qInfo("paused: replay lag %lld bytes, %.3f s (own %.3f s), receive %s replay %s",
              static_cast<long long>(replica.replayLagBytes), replica.replayLagSeconds,
              replica.self.replayLagSeconds, replica.self.receiveLsn.c_str(),
              replica.self.replayLsn.c_str());
        QVERIFY(replica.self.replayPaused);
        QVERIFY2(replica.replayLagBytes > 100000, std::to_string(replica.replayLagBytes).c_str());
        QVERIFY(replica.self.replayLagSeconds >= 1.0);
        QVERIFY(replica.replayLagSeconds >= replica.self.replayLagSeconds);
        QVERIFY2(bytesBefore <= replica.replayLagBytes && replica.replayLagBytes <= bytesAfter,
                 (std::to_string(bytesBefore) + " <= " + std::to_string(replica.replayLagBytes) +
                  " <= " + std::to_string(bytesAfter))
                     .c_str());
        QCOMPARE(replica.self.replayLsn,
                 queryValue(standby, "SELECT pg_last_wal_replay_lsn()::text"));
        auto seconds = std::stod(queryValue(
            standby, "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"));
        QVERIFY2(std::abs(seconds - replica.self.replayLagSeconds) < 1.0,
                 (std::to_string(seconds) + " vs " + std::to_string(replica.self.replayLagSeconds))
                     .c_str());
        // Paused, the lag in time keeps growing.
        QTest::qWait(1100);
        ReplicationReport later = check();
        QVERIFY(later.replicas.front().replayLagSeconds > replica.replayLagSeconds + 0.5);
        QVERIFY(later.replicas.front().replayLagBytes >= replica.replayLagBytes);
    }

    void resumedReplayCatchesUp() {
        queryValue(conninfo(kReplica), "SELECT pg_wal_replay_resume()::text");
        auto caughtUp = [this] {
            ReplicationReport report = check();
            const auto& replica = report.replicas.front();
            return !replica.self.replayPaused && replica.replayLagBytes < 65536 &&
                   replica.replayLagSeconds < 1.0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(), 20000);
    }

    void monitorPublishesAndFeedsItsListener() {
        switchboard::AgentConfig config;
        config.postgresPrimary = conninfo("pg-primary");
        config.postgresReplicas = replicas();
        config.probeTimeoutMs = kTimeoutMs;
        switchboard::StreamHub hub(nlohmann::json{{"instance", "i-1"}}, 8, "s", [] { return 1; });
        prometheus::Registry registry;
        switchboard::ReplicationMonitor monitor(config, hub, registry);
        std::vector<std::string> heard;
        monitor.setListener([&](const ReplicationReport& report) {
            heard.push_back(report.replicas.front().state);
        });
        monitor.runOnce();
        QCOMPARE(heard, std::vector<std::string>{"streaming"});
        auto doc = hub.snapshot()["replication"];
        QCOMPARE(doc["replicas"][0]["state_name"].get<std::string>(), std::string("streaming"));
        QCOMPARE(doc["primary"]["timeline"].get<int>(), 1);
        std::ostringstream text;
        prometheus::TextSerializer().Serialize(text, registry.Collect());
        QVERIFY(text.str().find("switchboard_replication_up{replica=\"pg-replica-1\"} 1") !=
                std::string::npos);
        for (const char* expected :
             {"switchboard_replication_slot_retained_wal_bytes{replica=\"pg-replica-1\"",
              "switchboard_replication_state{replica=\"pg-replica-1\",state=\"streaming\"} 1",
              "switchboard_replication_sync_state{replica=\"pg-replica-1\",sync_state=\"async\"} 1",
              "switchboard_replication_slot_active{replica=\"pg-replica-1\",slot=\"slot_pg_replica_"
              "1\"} 1",
              "switchboard_replication_in_recovery{node=\"pg-replica-1\"} 1",
              "switchboard_replication_in_recovery{node=\"primary\"} 0",
              "switchboard_replication_primary_up 1",
              "switchboard_replication_probe_duration_seconds",
              "switchboard_replication_lag_bytes{kind=\"replay\",replica=\"pg-replica-1\"}",
              "switchboard_replication_lag_seconds{kind=\"flush\",replica=\"pg-replica-1\"}"})
            QVERIFY2(text.str().find(expected) != std::string::npos, expected);
    }

    void unreachablePrimaryStillListsReplicas() {
        ReplicationProbe probe("host=127.0.0.1 port=1 dbname=postgres user=postgres", replicas(),
                               1000);
        QElapsedTimer clock;
        clock.start();
        ReplicationReport report = probe.check();
        QVERIFY(clock.elapsed() < 5000);
        QVERIFY(report.primary.status == Status::Down);
        QVERIFY(!report.primary.error.empty());
        QCOMPARE(report.replicas.size(), std::size_t(1));
        QCOMPARE(report.replicas.front().name, std::string(kReplica));
        QVERIFY(report.replicas.front().status == Status::Down);
        QVERIFY(report.replicas.front().self.status == Status::Up); // it still answers itself
    }

    void agentOffersReplicationInInfoAndSnapshot() {
        switchboard::AgentConfig config;
        config.listen = "127.0.0.1:0";
        config.tokenFiles = {stack_->viewerTokenFile().toStdString()};
        config.postgresPrimary = conninfo("pg-primary");
        config.postgresReplicas = replicas();
        config.probeIntervalMs = 200;
        switchboard::Agent agent(config);
        agent.start();
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(agent.port());
        const QByteArray token = HttpCall::bearer(stack_->viewerToken());
        HttpResult info = HttpCall::run("GET", QUrl(base + QStringLiteral("/v1/info")), token);
        QCOMPARE(info.status, 200);
        QVERIFY(info.json.value(QStringLiteral("capabilities"))
                    .toArray()
                    .contains(QStringLiteral("replication")));
        auto replicaState = [&] {
            HttpResult snapshot =
                HttpCall::run("GET", QUrl(base + QStringLiteral("/v1/snapshot")), token);
            return snapshot.json.value(QStringLiteral("replication"))
                .toObject()
                .value(QStringLiteral("replicas"))
                .toArray()
                .at(0)
                .toObject()
                .value(QStringLiteral("state_name"))
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(replicaState(), QStringLiteral("streaming"), 10000);
        agent.stop();
    }

    void watchdogEndsAQueryTheServerNeverAnswers() {
        SilentServer silent;
        switchboard::AgentConfig config;
        config.postgresPrimary =
            "host=127.0.0.1 port=" + std::to_string(silent.port()) +
            " dbname=postgres user=postgres sslmode=disable gssencmode=disable";
        config.postgresReplicas = replicas();
        config.probeTimeoutMs = 500;
        config.probeIntervalMs = 200;
        switchboard::StreamHub hub(nlohmann::json{{"instance", "i-1"}}, 8, "s", [] { return 1; });
        prometheus::Registry registry;
        switchboard::ReplicationMonitor monitor(config, hub, registry);
        std::atomic<int> reports{0};
        std::string primaryError;
        std::mutex mutex;
        monitor.setListener([&](const ReplicationReport& report) {
            std::lock_guard lock(mutex);
            primaryError = report.primary.error;
            ++reports;
        });
        QElapsedTimer clock;
        clock.start();
        monitor.start();
        // The silent query is shut down after timeout + 1 s; the cycle then completes.
        QTRY_VERIFY_WITH_TIMEOUT(reports.load() >= 1, 5000);
        qInfo("first cycle against a silent primary: %lld ms",
              static_cast<long long>(clock.elapsed()));
        monitor.stop();
        std::lock_guard lock(mutex);
        qInfo("its cause: %s", primaryError.c_str());
        QVERIFY2(QString::fromStdString(primaryError).contains(QStringLiteral("no answer within")),
                 primaryError.c_str());
    }

    // Last: the replica does not come back.
    void stoppedReplicaStaysARowWithItsCause() {
        auto dataDir = stack_->server(QString::fromLatin1(kReplica))
                           .value(QStringLiteral("data_dir"))
                           .toString();
        QFile pidFile(dataDir + QStringLiteral("/postmaster.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        pid_t pid = pidFile.readLine().trimmed().toInt();
        QVERIFY(pid > 0);
        ReplicationProbe probe(conninfo("pg-primary"), replicas(), kTimeoutMs);
        QCOMPARE(probe.check().replicas.front().state, std::string("streaming"));
        QCOMPARE(::kill(pid, SIGINT), 0); // fast shutdown, as pg_ctl -m fast
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 20000);
        auto down = [&] {
            QElapsedTimer clock;
            clock.start();
            ReplicationReport report = probe.check();
            if (clock.elapsed() > kTimeoutMs * 3)
                return false;
            const auto& replica = report.replicas.front();
            return report.primary.status == Status::Up && replica.name == kReplica &&
                   replica.state == "down" && replica.status == Status::Down &&
                   replica.self.status == Status::Down && !replica.self.error.empty() &&
                   replica.error.find("no walsender") != std::string::npos &&
                   replica.slot.has_value() && !replica.slot->active;
        };
        QTRY_VERIFY_WITH_TIMEOUT(down(), 15000);
    }
};

QTEST_GUILESS_MAIN(TestReplicationProbe)
#include "tst_replication_probe.moc"
