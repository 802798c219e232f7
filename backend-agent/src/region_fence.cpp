#include "region_fence.h"

#include "pg_conninfo.h"

#include <chrono>
#include <pqxx/pqxx>
#include <thread>

namespace switchboard {

namespace {

constexpr std::chrono::milliseconds kSessionsGoneLimit{5000};
constexpr std::chrono::milliseconds kReloadLimit{3000};
constexpr std::chrono::milliseconds kPoll{20};

// The client sessions but ours; walsenders (replication) and Patroni's own background workers
// are not client backends. Patroni's SQL session is one: it reconnects, read-only from then on.
constexpr const char* kOthers = "backend_type = 'client backend' AND pid <> pg_backend_pid()";

// Signals every other client session and waits until they are gone, so that nothing is still
// committing when the caller reads the WAL position. Returns how many were signalled.
int endSessions(pqxx::connection& db) {
    pqxx::nontransaction tx(db);
    // Materialized first: in one WHERE the planner may call pg_terminate_backend before the
    // test that spares our own session (it did, here).
    const auto ended =
        tx.exec(std::string("WITH others AS MATERIALIZED (SELECT pid FROM "
                            "pg_stat_activity WHERE ") +
                kOthers + ") SELECT pid FROM others WHERE pg_terminate_backend(pid)");
    std::string pids;
    for (const auto& row : ended)
        pids += (pids.empty() ? "" : ",") + row[0].as<std::string>();
    const auto deadline = std::chrono::steady_clock::now() + kSessionsGoneLimit;
    while (!pids.empty()) {
        const auto left =
            tx.exec1("SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + pids + ")")[0]
                .as<int>();
        if (left == 0)
            break;
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(std::to_string(left) + " ended session(s) still there after " +
                                     std::to_string(kSessionsGoneLimit.count()) + " ms");
        std::this_thread::sleep_for(kPoll);
    }
    return static_cast<int>(ended.size());
}

} // namespace

FenceOutcome fenceServer(const std::string& conninfo, int timeoutMs) {
    FenceOutcome outcome;
    const std::string options = probeConninfo(conninfo, timeoutMs);
    try {
        pqxx::connection db(options);
        {
            pqxx::nontransaction tx(db);
            // ALTER SYSTEM cannot run in a transaction block: nontransaction.
            tx.exec0("ALTER SYSTEM SET default_transaction_read_only = on");
            tx.exec1("SELECT pg_reload_conf()");
        }
        // A new session reads the reloaded configuration: once it says "on", every session
        // that starts from now on is read-only; those before are ended below.
        const auto deadline = std::chrono::steady_clock::now() + kReloadLimit;
        while (!outcome.readOnly) {
            pqxx::connection fresh(options);
            pqxx::nontransaction tx(fresh);
            outcome.readOnly =
                tx.exec1("SHOW default_transaction_read_only")[0].as<std::string>() == "on";
            if (outcome.readOnly)
                break;
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("default_transaction_read_only is not on after reload");
            std::this_thread::sleep_for(kPoll);
        }
        outcome.terminated = endSessions(db);
        pqxx::nontransaction tx(db);
        if (!tx.exec1("SELECT pg_is_in_recovery()")[0].as<bool>()) {
            // With synchronous_commit off a commit is acknowledged before its WAL is written,
            // so pg_current_wal_lsn() can lie behind writes the backend was told succeeded
            // (a switchover lost some that way). A synchronous commit that wrote WAL flushes
            // all WAL before it (one that only took an xid does not: a logical message is the
            // smallest record that counts), so the position read after it covers them all.
            tx.exec("BEGIN READ WRITE; SET LOCAL synchronous_commit = on; "
                    "SELECT pg_logical_emit_message(true, 'switchboard', 'fence'); COMMIT");
            outcome.lsn = tx.exec1("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")[0]
                              .as<std::int64_t>();
        }
    } catch (const std::exception& failure) {
        outcome.error = pgErrorText(failure);
    }
    return outcome;
}

std::string unfenceServer(const std::string& conninfo, int timeoutMs) {
    try {
        pqxx::connection db(probeConninfo(conninfo, timeoutMs));
        pqxx::nontransaction tx(db);
        tx.exec0("ALTER SYSTEM RESET default_transaction_read_only");
        tx.exec1("SELECT pg_reload_conf()");
        return {};
    } catch (const std::exception& failure) {
        return pgErrorText(failure);
    }
}

std::optional<int> endClientSessions(const std::string& conninfo, int timeoutMs,
                                     std::string& error) {
    try {
        pqxx::connection db(probeConninfo(conninfo, timeoutMs));
        return endSessions(db);
    } catch (const std::exception& failure) {
        error = pgErrorText(failure);
        return std::nullopt;
    }
}

} // namespace switchboard
