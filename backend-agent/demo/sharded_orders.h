// The demo's sharded orders (issue 6): orders of 10 000 customers, kept on the stack's shard
// nodes by customer through the agent's shard router, as a sharded backend keeps them.
//
//   write  an id from a block of a sequence on the primary (ids stay unique across nodes and
//          instances, since a rebalance moves rows between nodes by id); then on the node the
//          router names, in one transaction, ShardRouter::kClaimSql and the INSERT. SQLSTATE
//          SB001 means the bucket has just moved to another node: refreshShards(), wait a
//          little, route again, for up to kRetryFor. The whole time of each acknowledged write,
//          waiting included (the "write pause" a rebalance causes), goes to a histogram; its id
//          and customer to the acknowledged-writes file, so a test can check none is lost.
//   read   a customer's newest orders on the node the router names (Access::Read).
#pragma once

#include "stack_file.h"

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <switchboard/agent.h>
#include <vector>

namespace prometheus {
class Counter;
class Histogram;
} // namespace prometheus

namespace demo {

inline constexpr const char* kShardedOrdersTable = "demo_sharded_orders";

// The agent's shards configuration for a stack: the catalog on the primary, every shard node
// in stack order, the demo's table (key id, bucket column bucket).
switchboard::ShardsConfig shardsConfig(const StackFile& stack);

// One connection per node index of the router, opened on first use, kept across calls.
class ShardConnections {
public:
    explicit ShardConnections(switchboard::ShardRouter& router)
        : router_(router) {}
    pqxx::connection& at(int node);
    void reset(int node); // after a failure: the next call opens a new one

private:
    switchboard::ShardRouter& router_;
    std::vector<std::unique_ptr<pqxx::connection>> connections_;
};

// The customer of the next order or read: uniform over kCustomers, except a share `hot` of them
// for kHotCustomer (the --hot-tenant knob), which skews one node's load.
class CustomerPicker {
public:
    static constexpr std::int64_t kCustomers = 10000;
    static constexpr std::int64_t kHotCustomer = 42;
    std::int64_t next(double hot);

private:
    std::mt19937_64 random_{std::random_device{}()};
};

// Writes orders as described above. One thread at a time.
class ShardedOrderWriter {
public:
    static constexpr std::chrono::seconds kRetryFor{3};
    static constexpr int kIdBlock = 1000; // ids fetched from the primary's sequence at once

    // `ackedFile` empty: acknowledged writes are only counted. Throws std::runtime_error when
    // the file cannot be opened for appending.
    ShardedOrderWriter(switchboard::Agent& agent, const StackFile& stack,
                       const std::string& ackedFile);

    // One order for `customer`, starting at `route` (the caller's route(), which picked the
    // breaker). True once committed; throws with the cause otherwise.
    bool write(std::int64_t customer, switchboard::ShardRouter::Route route);

private:
    void prepare();
    std::int64_t nextId();
    void insert(const switchboard::ShardRouter::Route& route, std::int64_t id,
                std::int64_t customer, double amount);
    switchboard::ShardRouter::Route rerouteAfterMove(std::int64_t customer,
                                                     std::int64_t staleVersion,
                                                     std::chrono::steady_clock::time_point until);
    void acknowledge(std::int64_t id, std::int64_t customer);

    switchboard::Agent& agent_;
    switchboard::ShardRouter& router_;
    std::string primary_;
    std::vector<std::string> stackNodes_; // every shard node of the stack, extra ones too
    ShardConnections nodes_;
    std::unique_ptr<pqxx::connection> primaryDb_;
    std::uint64_t idEpoch_ = 0; // the write router's epoch primaryDb_ was opened under
    bool prepared_ = false;
    std::int64_t nextId_ = 0, blockEnd_ = 0;
    std::ofstream acked_;
    std::mt19937 random_{std::random_device{}()};
    prometheus::Histogram& pause_;
    prometheus::Histogram& movedPause_;
    prometheus::Counter& retries_;
};

// Reads up to ten of the customer's newest orders from the route's node. A table not created
// yet (the writer creates it) is no rows, not a failure. Throws with the cause on a failure.
bool readRecentOrders(ShardConnections& nodes, const switchboard::ShardRouter::Route& route,
                      std::int64_t customer);

} // namespace demo
