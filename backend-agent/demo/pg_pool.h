// A small bounded pool of PostgreSQL connections for the demo's request threads, of the kind a
// real backend has, so the agent has a real pool to report (Agent::reportPool).
//
// lease() hands out an idle connection, opens one while fewer than `max` exist, or waits up to
// `wait` for one to come back and then throws (a request that fails fast, not one that hangs).
// A lease whose query failed is discarded: its connection closes and the next lease opens a new
// one. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <switchboard/pool_usage.h>
#include <vector>

namespace demo {

class PgPool {
public:
    PgPool(std::string conninfo, std::size_t max, std::chrono::milliseconds wait);

    class Lease {
    public:
        Lease(PgPool& pool, std::unique_ptr<pqxx::connection> connection)
            : pool_(&pool)
            , connection_(std::move(connection)) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        pqxx::connection& operator*() const { return *connection_; }
        // After a failure: the connection closes instead of going back to the pool.
        void discard() noexcept { broken_ = true; }

    private:
        PgPool* pool_;
        std::unique_ptr<pqxx::connection> connection_;
        bool broken_ = false;
    };

    // Throws std::runtime_error when every connection stays busy for `wait`, and what pqxx
    // throws when a new connection cannot be opened (the slot is freed again).
    Lease lease();
    switchboard::PoolUsage usage() const;

private:
    void giveBack(std::unique_ptr<pqxx::connection> connection, bool broken) noexcept;

    const std::string conninfo_;
    const std::size_t max_;
    const std::chrono::milliseconds wait_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    std::size_t open_ = 0; // idle, leased and being opened
};

} // namespace demo
