#include "sharded_orders.h"

#include "pg_timeouts.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ostream>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <stdexcept>
#include <thread>

namespace demo {

namespace {

using Clock = std::chrono::steady_clock;
using switchboard::ShardRouter;

// Two instances may prepare a node (or the primary's sequence) at once: CREATE ... IF NOT EXISTS
// alone still races on the catalog's unique indexes, so they take turns on this advisory lock.
constexpr int kSetupLock = 7465;
constexpr const char* kIdSequence = "demo_sharded_order_ids";

// Short enough for the console's Shards view to move while it is watched, long enough that
// counting rows per bucket on the nodes stays a small share of their work.
constexpr int kStatsIntervalMs = 2000;

// A write's time from a few milliseconds (a plain write) to the whole retry budget (a bucket
// that took seconds to move).
prometheus::Histogram& writeHistogram(prometheus::Registry& registry, const char* name,
                                      const char* help) {
    return prometheus::BuildHistogram().Name(name).Help(help).Register(registry).Add(
        {}, prometheus::Histogram::BucketBoundaries{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2,
                                                    0.5, 1, 2, 3, 5});
}

prometheus::Counter& retryCounter(prometheus::Registry& registry) {
    return prometheus::BuildCounter()
        .Name("switchboard_demo_shard_write_retries_total")
        .Help("Sharded writes retried on another node after SQLSTATE SB001 (bucket moved)")
        .Register(registry)
        .Add({});
}

std::vector<std::string> shardNodeConninfos(const StackFile& stack) {
    std::vector<std::string> conninfos;
    for (const auto& node : stack.all("shard"))
        conninfos.push_back(withTimeouts(node.conninfo));
    return conninfos;
}

void createOrdersTable(pqxx::connection& node) {
    pqxx::work tx(node);
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kSetupLock);
    tx.exec0(std::string("CREATE TABLE IF NOT EXISTS ") + kShardedOrdersTable +
             " (id bigint PRIMARY KEY, customer bigint NOT NULL, bucket int NOT NULL, "
             "amount numeric(10,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
    // The reads look up one customer's newest orders.
    tx.exec0(std::string("CREATE INDEX IF NOT EXISTS ") + kShardedOrdersTable + "_customer ON " +
             kShardedOrdersTable + " (customer, id)");
    // A rebalance finds, counts, copies and deletes a bucket's rows by this column.
    tx.exec0(std::string("CREATE INDEX IF NOT EXISTS ") + kShardedOrdersTable + "_bucket ON " +
             kShardedOrdersTable + " (bucket)");
    tx.commit();
}

} // namespace

switchboard::ShardsConfig shardsConfig(const StackFile& stack) {
    switchboard::ShardsConfig shards;
    shards.catalog = stack.primaryConninfo();
    // The stack's extra nodes (--extra-shard) are spare: no buckets until a rebalance adds them.
    for (const auto& node : stack.all("shard"))
        shards.nodes.push_back({node.name, node.conninfo, node.extra});
    shards.tables = {{kShardedOrdersTable}}; // key "id", bucket column "bucket": the defaults
    shards.statsIntervalMs = kStatsIntervalMs;
    return shards;
}

pqxx::connection& ShardConnections::at(int node) {
    auto index = static_cast<std::size_t>(node);
    if (connections_.size() <= index)
        connections_.resize(index + 1);
    if (!connections_[index])
        connections_[index] =
            std::make_unique<pqxx::connection>(withTimeouts(router_.nodeConninfo(node)));
    return *connections_[index];
}

void ShardConnections::reset(int node) {
    if (static_cast<std::size_t>(node) < connections_.size())
        connections_[static_cast<std::size_t>(node)].reset();
}

std::int64_t CustomerPicker::next(double hot) {
    if (hot > 0 && std::uniform_real_distribution<double>(0, 1)(random_) < hot)
        return kHotCustomer;
    return std::uniform_int_distribution<std::int64_t>(1, kCustomers)(random_);
}

ShardedOrderWriter::ShardedOrderWriter(switchboard::Agent& agent, const StackFile& stack,
                                       const std::string& ackedFile)
    : agent_(agent)
    , router_(agent.shardRouter())
    , primary_(withTimeouts(stack.primaryConninfo()))
    , stackNodes_(shardNodeConninfos(stack))
    , nodes_(router_)
    , pause_(writeHistogram(
          *agent.registry(), "switchboard_demo_shard_write_seconds",
          "Time of each acknowledged sharded write, waiting for a moving bucket included"))
    // The writes that met a moving bucket (SB001) and followed it: what a rebalance's flip
    // costs a writer, as BENCHMARKS.md reports it.
    , movedPause_(
          writeHistogram(*agent.registry(), "switchboard_demo_shard_moved_write_seconds",
                         "Time of each sharded write that followed its bucket to another node"))
    , retries_(retryCounter(*agent.registry())) {
    if (ackedFile.empty())
        return;
    acked_.open(ackedFile, std::ios::app);
    if (!acked_)
        throw std::runtime_error("cannot append to --acked-file " + ackedFile + ": " +
                                 std::strerror(errno));
}

// Every shard node of the stack gets the table, the extra ones too: a rebalance copies rows
// into a node's table, it does not create it.
void ShardedOrderWriter::prepare() {
    for (const auto& conninfo : stackNodes_) {
        pqxx::connection node(conninfo);
        createOrdersTable(node);
    }
    primaryDb_ = std::make_unique<pqxx::connection>(primary_);
    pqxx::work tx(*primaryDb_);
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kSetupLock);
    tx.exec0(std::string("CREATE SEQUENCE IF NOT EXISTS ") + kIdSequence + " INCREMENT BY " +
             std::to_string(kIdBlock));
    tx.commit();
    prepared_ = true;
}

// A block of ids per round trip to the primary: nextval hands each caller the first id of a
// block no one else gets. The primary is wherever the write router points (the same database
// as primary_, reached directly): after a region failover the old one is fenced read-only and
// refuses nextval, and the promoted region's copy of the sequence carries on.
std::int64_t ShardedOrderWriter::nextId() {
    if (nextId_ == blockEnd_) {
        try {
            const auto target = agent_.writes().target();
            if (target.epoch != idEpoch_) {
                primaryDb_.reset();
                idEpoch_ = target.epoch;
            }
            if (!primaryDb_)
                primaryDb_ = std::make_unique<pqxx::connection>(withTimeouts(target.conninfo));
            pqxx::nontransaction tx(*primaryDb_);
            nextId_ =
                tx.exec_params1("SELECT nextval($1::regclass)", kIdSequence)[0].as<std::int64_t>();
            blockEnd_ = nextId_ + kIdBlock;
        } catch (const std::exception&) {
            primaryDb_.reset();
            throw;
        }
    }
    return nextId_++;
}

bool ShardedOrderWriter::write(std::int64_t customer, ShardRouter::Route route) {
    const auto started = Clock::now();
    if (!prepared_)
        prepare();
    const std::int64_t id = nextId();
    const double amount = std::uniform_int_distribution<int>(100, 99999)(random_) / 100.0;
    bool moved = false;
    while (true) {
        try {
            insert(route, id, customer, amount);
            break;
        } catch (const pqxx::sql_error& error) {
            if (error.sqlstate() != ShardRouter::kNotOwner || Clock::now() - started >= kRetryFor)
                throw;
        }
        // Rolled back: the same id goes to the bucket's new node.
        moved = true;
        retries_.Increment();
        route = rerouteAfterMove(customer, route.version, started + kRetryFor);
    }
    const double took = std::chrono::duration<double>(Clock::now() - started).count();
    pause_.Observe(took);
    if (moved)
        movedPause_.Observe(took);
    acknowledge(id, customer);
    return true;
}

void ShardedOrderWriter::insert(const ShardRouter::Route& route, std::int64_t id,
                                std::int64_t customer, double amount) {
    try {
        pqxx::work tx(nodes_.at(route.node));
        // First: it waits while the bucket flips, and refuses once it is elsewhere.
        tx.exec_params(ShardRouter::kClaimSql, static_cast<int>(route.bucket));
        tx.exec_params0(std::string("INSERT INTO ") + kShardedOrdersTable +
                            " (id, customer, bucket, amount) VALUES ($1, $2, $3, $4)",
                        id, customer, static_cast<int>(route.bucket), amount);
        tx.commit();
    } catch (const pqxx::sql_error&) {
        throw; // the connection is still good
    } catch (const std::exception&) {
        nodes_.reset(route.node);
        throw;
    }
}

// The map that moved the bucket may not have reached the router yet: ask for it, give it a
// moment to arrive, and route again (the caller retries until `until`).
ShardRouter::Route ShardedOrderWriter::rerouteAfterMove(std::int64_t customer,
                                                        std::int64_t staleVersion,
                                                        Clock::time_point until) {
    agent_.refreshShards();
    const auto waitUntil = std::min(until, Clock::now() + std::chrono::milliseconds(100));
    while (router_.version() <= staleVersion && Clock::now() < waitUntil)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return router_.route(customer);
}

void ShardedOrderWriter::acknowledge(std::int64_t id, std::int64_t customer) {
    if (!acked_.is_open())
        return;
    // Flushed per line: whatever stops the demo, every line in the file was committed.
    acked_ << id << ' ' << customer << '\n';
    acked_.flush();
}

bool readRecentOrders(ShardConnections& nodes, const ShardRouter::Route& route,
                      std::int64_t customer) {
    try {
        pqxx::read_transaction tx(nodes.at(route.node));
        tx.exec_params(std::string("SELECT id, amount, created_at FROM ") + kShardedOrdersTable +
                           " WHERE customer = $1 ORDER BY id DESC LIMIT 10",
                       customer);
        return true;
    } catch (const pqxx::undefined_table&) {
        return true;
    } catch (const pqxx::sql_error&) {
        throw;
    } catch (const std::exception&) {
        nodes.reset(route.node);
        throw;
    }
}

} // namespace demo
