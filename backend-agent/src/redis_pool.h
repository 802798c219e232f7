// A small pool of Redis connections for request threads (the tiered cache's L2).
//
// lease() hands out an idle connection, or opens one while fewer than `size` exist, or waits
// up to the endpoint's command timeout for one to come back; a connection that failed is
// dropped when returned, so the next lease reconnects. Thread-safe.
#pragma once

#include "redis_connection.h"
#include "switchboard/pool_usage.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace switchboard {

class RedisPool {
public:
    RedisPool(RedisEndpoint endpoint, std::size_t size);

    class Lease {
    public:
        Lease() = default;
        Lease(RedisPool* pool, std::unique_ptr<RedisConnection> connection)
            : pool_(pool)
            , connection_(std::move(connection)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&& other) noexcept;
        ~Lease();
        explicit operator bool() const { return connection_ && connection_->ok(); }
        RedisConnection* operator->() const { return connection_.get(); }
        // Why there is no usable connection ("" when there is one).
        std::string error() const;

    private:
        void giveBack();
        RedisPool* pool_ = nullptr;
        std::unique_ptr<RedisConnection> connection_;
        std::string error_;
        friend class RedisPool;
    };

    // A connection, or an empty lease (check it: `if (!lease)`) with error() saying why.
    Lease lease();
    const RedisEndpoint& endpoint() const { return endpoint_; }
    // Open (idle, leased or connecting), leased and the size limit, for the agent's "pools".
    PoolUsage usage() const;

private:
    void giveBack(std::unique_ptr<RedisConnection> connection);

    RedisEndpoint endpoint_;
    std::size_t size_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<RedisConnection>> idle_;
    std::size_t open_ = 0; // idle and leased
};

} // namespace switchboard
