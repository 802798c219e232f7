#include "pg_pool.h"

#include <stdexcept>

namespace demo {

PgPool::PgPool(std::string conninfo, std::size_t max, std::chrono::milliseconds wait)
    : conninfo_(std::move(conninfo))
    , max_(max < 1 ? 1 : max)
    , wait_(wait) {}

PgPool::Lease::~Lease() {
    if (pool_ && connection_)
        pool_->giveBack(std::move(connection_), broken_);
}

PgPool::Lease PgPool::lease() {
    std::unique_lock lock(mutex_);
    if (!returned_.wait_for(lock, wait_, [this] { return !idle_.empty() || open_ < max_; }))
        throw std::runtime_error("every pooled PostgreSQL connection is busy");
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(connection));
    }
    ++open_;
    lock.unlock();
    // Connect outside the lock: a server that does not answer holds only this caller.
    try {
        return Lease(*this, std::make_unique<pqxx::connection>(conninfo_));
    } catch (...) {
        giveBack(nullptr, true);
        throw;
    }
}

void PgPool::giveBack(std::unique_ptr<pqxx::connection> connection, bool broken) noexcept {
    {
        std::lock_guard lock(mutex_);
        if (connection && !broken && connection->is_open())
            idle_.push_back(std::move(connection));
        else
            --open_;
    }
    // Closing a broken connection happens here, outside the lock.
    returned_.notify_one();
}

switchboard::PoolUsage PgPool::usage() const {
    std::lock_guard lock(mutex_);
    const auto open = static_cast<std::int64_t>(open_);
    return {open, open - static_cast<std::int64_t>(idle_.size()), static_cast<std::int64_t>(max_)};
}

} // namespace demo
