#include "redis_pool.h"

namespace switchboard {

RedisPool::RedisPool(RedisEndpoint endpoint, std::size_t size)
    : endpoint_(std::move(endpoint))
    , size_(size < 1 ? 1 : size) {}

RedisPool::Lease& RedisPool::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        giveBack();
        pool_ = other.pool_;
        connection_ = std::move(other.connection_);
        error_ = std::move(other.error_);
    }
    return *this;
}

RedisPool::Lease::~Lease() {
    giveBack();
}

void RedisPool::Lease::giveBack() {
    if (pool_ && connection_)
        pool_->giveBack(std::move(connection_));
    connection_.reset();
}

std::string RedisPool::Lease::error() const {
    if (connection_ && !connection_->ok())
        return connection_->error();
    return connection_ ? std::string() : error_;
}

RedisPool::Lease RedisPool::lease() {
    std::unique_lock lock(mutex_);
    const bool available = returned_.wait_for(lock, endpoint_.commandTimeout,
                                              [this] { return !idle_.empty() || open_ < size_; });
    if (!available) {
        Lease empty;
        empty.error_ = "every Redis connection is busy";
        return empty;
    }
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(connection));
    }
    ++open_;
    lock.unlock();
    // Connect outside the lock: a Redis that does not answer holds only this caller.
    return Lease(this, std::make_unique<RedisConnection>(endpoint_));
}

PoolUsage RedisPool::usage() const {
    std::lock_guard lock(mutex_);
    const auto open = static_cast<std::int64_t>(open_);
    return {open, open - static_cast<std::int64_t>(idle_.size()), static_cast<std::int64_t>(size_)};
}

void RedisPool::giveBack(std::unique_ptr<RedisConnection> connection) {
    {
        std::lock_guard lock(mutex_);
        if (connection->ok())
            idle_.push_back(std::move(connection));
        else
            --open_; // dropped: the next lease opens a fresh one
    }
    returned_.notify_one();
}

} // namespace switchboard
