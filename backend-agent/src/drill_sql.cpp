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

} // namespace switchboard
