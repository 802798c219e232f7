// The demo's synthetic workload: one thread per route, each paced to a steady rate that drifts
// slowly (so charts have something to show), recording every request in the agent.
//   orders.write  INSERT into the agent's write target (the primary, or the Patroni leader),
//                 each with its sequence number; plus a bulk batch every few seconds so the
//                 replicas' replay lag moves (sequenced_orders.h)
//   catalog.read  SELECT where the agent's read router says: a replica within the lag limits,
//                 else the primary (through a pool per target, reported to the agent as
//                 "postgres.<target>", the primary's shared with catalog.cached's loader)
//   catalog.cached  an item read through the agent's tiered cache (L1, Redis, then a query on
//                   the primary), ids skewed by the catalog knobs (zipf_keys.h), at 10x the
//                   route rate so the hit rates have something to count
//   pricing.quote GET /quote from the demo's own flaky HTTP dependency (flaky_dependency.h)
//   orders.sharded       an order written through the agent's shard router to its shard node,
//                        claimed there first (sharded_orders.h)
//   orders.sharded.read  a customer's newest orders from its shard node, at a quarter the rate
// A failing server is an error count and a retry with backoff, never an exit.
#pragma once

#include "pg_pool.h"
#include "sequenced_orders.h"
#include "sharded_orders.h"
#include "stack_file.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <switchboard/agent.h>
#include <thread>
#include <vector>

namespace demo {

class Workload {
public:
    // `pricingUrl`: the flaky dependency's base URL, e.g. http://127.0.0.1:PORT. `hotTenant`
    // says, at each call, the share of sharded orders for the hot customer (a run-time knob);
    // `ackedFile` (may be empty) gets every acknowledged sharded order. Throws
    // std::runtime_error when that file cannot be opened.
    // `ackedWritesFile` (may be empty) gets every acknowledged order written to the primary
    // (sequenced_orders.h). `config` is the agent's: the primary and replicas to read from.
    Workload(switchboard::Agent& agent, const switchboard::AgentConfig& config,
             const StackFile& stack, std::string instance, double ratePerRoute,
             std::string pricingUrl, std::function<double()> hotTenant,
             const std::string& ackedFile, const std::string& ackedWritesFile,
             std::function<std::pair<int, double>()> catalogKnobs);
    ~Workload();

    void start();
    void stop();

private:
    // Runs `request` at the paced rate (`share` of the route rate) until stop(), through
    // `breaker` (a call it does not permit fails at once, as a real backend would fail fast);
    // request returns success.
    void pace(switchboard::RouteStats& stats, switchboard::CircuitBreaker& breaker,
              const std::function<bool()>& request);
    // The same, with the breaker picked per call (called just before the request): reads pick
    // their target first, and each target has its own breaker.
    void pace(switchboard::RouteStats& stats,
              const std::function<switchboard::CircuitBreaker&()>& pickBreaker,
              const std::function<bool()>& request, double share = 1.0);
    // The breaker around one dependency: trips on half the last 20 calls failing or being
    // slow (over 250 ms), tries again after 3 s with 3 trial calls.
    switchboard::CircuitBreaker& breakerFor(const std::string& dependency);
    bool sleepUntil(std::chrono::steady_clock::time_point when);
    void writeLoop();
    void readLoop();
    void cachedCatalogLoop();
    void pricingLoop();
    void shardedWriteLoop();
    void shardedReadLoop();
    // Until the agent's shard router has its first map (false: stopping meanwhile).
    bool awaitShardMap();
    // The breaker of shard node `index` ("shards.<name>"), registered on first use in `cache`.
    switchboard::CircuitBreaker& shardBreaker(std::vector<switchboard::CircuitBreaker*>& cache,
                                              int index);

    switchboard::Agent& agent_;
    std::vector<std::string> readTargets_; // the read router's targets: primary, then replicas
    // A pool per read target, in the same order, and the names the agent reports them by.
    std::vector<std::unique_ptr<PgPool>> readPools_;
    std::vector<std::string> poolNames_;
    std::string pricingUrl_;
    std::string instance_;
    double rate_;
    std::function<double()> hotTenant_;
    std::function<std::pair<int, double>()> catalogKnobs_; // keys, skew
    ShardedOrderWriter shardWriter_;
    SequencedOrderWriter sequencedOrders_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace demo
