#include "drill_sql.h"

#include "pg_conninfo.h"

#include <pqxx/pqxx>

namespace switchboard {

namespace {

template <typename Query>
auto attempt(const std::string& conninfo, int timeoutMs, std::string& error, Query query)
    -> std::optional<decltype(query(std::declval<pqxx::work&>()))> {
    try {
        pqxx::connection db(probeConninfo(conninfo, timeoutMs));
        pqxx::work tx(db);
        auto value = query(tx);
        tx.commit();
        return value;
    } catch (const std::exception& failure) {
        error = pgErrorText(failure);
        return std::nullopt;
    }
}

} // namespace

struct PromotionWatch::Session {
    explicit Session(const std::string& conninfo)
        : db(conninfo) {}
    pqxx::connection db;
};

PromotionWatch::PromotionWatch(std::string conninfo, int timeoutMs)
    : conninfo_(std::move(conninfo))
    , timeoutMs_(timeoutMs) {}

PromotionWatch::~PromotionWatch() = default;

bool PromotionWatch::promoted() {
    try {
        if (!session_)
            session_ = std::make_unique<Session>(probeConninfo(conninfo_, timeoutMs_));
        pqxx::nontransaction tx(session_->db);
        return tx.exec1("SELECT NOT pg_is_in_recovery()")[0].as<bool>();
    } catch (const std::exception&) {
        session_.reset(); // the next look reconnects
        return false;
    }
}

std::optional<bool> acceptsWrites(const std::string& conninfo, int timeoutMs, std::string& error) {
    return attempt(conninfo, timeoutMs, error, [](pqxx::work& tx) {
        return tx.exec1("SELECT NOT pg_is_in_recovery()")[0].as<bool>();
    });
}

std::optional<bool> fenced(const std::string& conninfo, int timeoutMs, std::string& error) {
    return attempt(conninfo, timeoutMs, error, [](pqxx::work& tx) {
        return tx.exec1("SHOW default_transaction_read_only")[0].as<std::string>() == "on";
    });
}

std::optional<std::int64_t> walPosition(const std::string& conninfo, int timeoutMs,
                                        std::string& error) {
    return attempt(conninfo, timeoutMs, error, [](pqxx::work& tx) {
        return tx
            .exec1("SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
                   "ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn)::bigint")[0]
            .as<std::int64_t>();
    });
}

std::optional<std::set<std::uint64_t>> presentWrites(const std::string& conninfo, int timeoutMs,
                                                     const WritesTable& writes,
                                                     const std::string& runId, std::uint64_t first,
                                                     std::uint64_t last, std::string& error) {
    return attempt(conninfo, timeoutMs, error, [&](pqxx::work& tx) {
        // The names come from the validated configuration; quote_name keeps them names.
        const auto rows =
            tx.exec_params("SELECT " + tx.quote_name(writes.seqColumn) + " FROM " + writes.table +
                               " WHERE " + tx.quote_name(writes.runColumn) + " = $1 AND " +
                               tx.quote_name(writes.seqColumn) + " BETWEEN $2 AND $3",
                           runId, static_cast<long long>(first), static_cast<long long>(last));
        std::set<std::uint64_t> present;
        for (const auto& row : rows)
            present.insert(row[0].as<std::uint64_t>());
        return present;
    });
}

std::optional<StandbyStatus> standbyStatus(const std::string& conninfo, int timeoutMs,
                                           std::string& error) {
    return attempt(conninfo, timeoutMs, error, [](pqxx::work& tx) {
        const auto row = tx.exec1(
            "SELECT pg_is_in_recovery(), coalesce(r.status, ''), coalesce(r.sender_host, ''), "
            "coalesce(r.sender_port, 0), coalesce((pg_last_wal_replay_lsn() - '0/0'::pg_lsn), "
            "0)::bigint, coalesce((pg_last_wal_receive_lsn() - '0/0'::pg_lsn), 0)::bigint "
            "FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver r ON true");
        StandbyStatus status;
        status.inRecovery = row[0].as<bool>();
        status.receiverStatus = row[1].as<std::string>();
        status.senderHost = row[2].as<std::string>();
        status.senderPort = row[3].as<int>();
        status.replayLsn = row[4].as<std::int64_t>();
        status.receiveLsn = row[5].as<std::int64_t>();
        return status;
    });
}

std::optional<bool> promoteStandby(const std::string& conninfo, int timeoutMs, std::string& error) {
    return attempt(conninfo, timeoutMs, error, [](pqxx::work& tx) {
        return tx.exec1("SELECT pg_promote(wait => true, wait_seconds => 30)")[0].as<bool>();
    });
}

std::optional<bool> canaryWrite(const std::string& conninfo, int timeoutMs,
                                const std::string& drillId, const std::string& database,
                                std::string& error) {
    const auto written = attempt(conninfo, timeoutMs, error, [&](pqxx::work& tx) {
        tx.exec0("CREATE TABLE IF NOT EXISTS switchboard_drill_canary (drill text NOT NULL, "
                 "database text NOT NULL, written_at timestamptz NOT NULL DEFAULT now(), "
                 "PRIMARY KEY (drill, database))");
        tx.exec_params0("INSERT INTO switchboard_drill_canary (drill, database) VALUES ($1, $2) "
                        "ON CONFLICT DO NOTHING",
                        drillId, database);
        return true;
    });
    if (!written)
        return std::nullopt;
    // Read back in a session of its own: the row is committed, not just in our transaction.
    return attempt(conninfo, timeoutMs, error, [&](pqxx::work& tx) {
        return tx.exec_params("SELECT 1 FROM switchboard_drill_canary WHERE drill = $1 AND "
                              "database = $2",
                              drillId, database)
                   .size() == 1;
    });
}

} // namespace switchboard
