#include "pg_advisory_lock.h"

#include <algorithm>
#include <pqxx/pqxx>

namespace switchboard {

struct PgAdvisoryLock::Session {
    explicit Session(const std::string& conninfo)
        : connection(conninfo) {}
    pqxx::connection connection;
};

PgAdvisoryLock::PgAdvisoryLock(std::string conninfo, int timeoutMs) {
    // libpq counts connect_timeout in whole seconds (at least 2).
    int connectSeconds = std::max(2, (timeoutMs + 999) / 1000);
    conninfo_ = conninfo + " connect_timeout=" + std::to_string(connectSeconds) +
                " application_name=switchboard-cluster-lock options='-c statement_timeout=" +
                std::to_string(timeoutMs) + "'";
}

PgAdvisoryLock::~PgAdvisoryLock() {
    std::lock_guard lock(mutex_);
    held_.clear(); // closing the sessions frees their locks
}

bool PgAdvisoryLock::tryLock(std::string_view kind, std::string& why) {
    std::lock_guard lock(mutex_);
    if (held_.contains(kind)) {
        why = "a " + std::string(kind) + " job is already running on this instance";
        return false;
    }
    try {
        auto session = std::make_unique<Session>(conninfo_);
        pqxx::nontransaction query(session->connection);
        // hashtext() maps the kind's name to the second key; collisions only serialise two
        // kinds that did not need it, never let two jobs of one kind run.
        bool taken = query
                         .exec_params("SELECT pg_try_advisory_lock($1, hashtext($2))", kNamespace,
                                      std::string(kind))[0][0]
                         .as<bool>();
        if (!taken) {
            why = "a " + std::string(kind) +
                  " job is already running on another instance (PostgreSQL advisory lock held)";
            return false;
        }
        held_.emplace(std::string(kind), std::move(session));
        return true;
    } catch (const std::exception& error) {
        why = "cannot take the cluster lock for " + std::string(kind) +
              " on PostgreSQL, so it is not safe to start: " + error.what();
        return false;
    }
}

void PgAdvisoryLock::unlock(std::string_view kind) noexcept {
    std::unique_ptr<Session> session;
    {
        std::lock_guard lock(mutex_);
        auto it = held_.find(kind);
        if (it == held_.end())
            return;
        session = std::move(it->second);
        held_.erase(it);
    }
    try {
        pqxx::nontransaction query(session->connection);
        query.exec_params("SELECT pg_advisory_unlock($1, hashtext($2))", kNamespace,
                          std::string(kind));
    } catch (...) {
        // Closing the session below frees the lock anyway.
    }
}

} // namespace switchboard
