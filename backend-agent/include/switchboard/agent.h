// The Switchboard agent, embedded in a backend.
//
//   switchboard::Agent agent(switchboard::AgentConfig::fromFile("agent.json"));
//   agent.start();                               // throws if the port cannot be bound
//   auto& reads = agent.route("catalog.read");   // once, at start-up
//   reads.record(true, 0.004);                   // on the hot path
//   auto& redis = agent.breaker("redis");        // a circuit breaker, also at start-up
//   auto& reads = agent.readRouter();            // where reads go: reads.route() per read
//   agent.reportPool("pg.main", [&] { return pool.usage(); }); // a pool the backend owns
//
// The agent serves /healthz, /metrics, /v1/info, /v1/snapshot and the /v1/stream WebSocket on one
// port, and runs its probes on their own threads with timeouts: it never blocks the host. After
// start(), nothing the agent does throws into the host; probe failures are values in the
// snapshot. All member functions are thread-safe.
#pragma once

#include "switchboard/agent_config.h"
#include "switchboard/circuit_breaker.h"
#include "switchboard/export.h"
#include "switchboard/pool_usage.h"
#include "switchboard/read_router.h"
#include "switchboard/route_stats.h"
#include "switchboard/shard_router.h"
#include "switchboard/tiered_cache.h"
#include "switchboard/write_router.h"

#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace switchboard {

// The agent's version, e.g. "0.1.0".
SWITCHBOARD_AGENT_API const char* agentVersion() noexcept;

class SWITCHBOARD_AGENT_API Agent {
public:
    // Validates the configuration and reads the token files; throws ConfigError on a bad value.
    explicit Agent(AgentConfig config);
    ~Agent(); // stops the server and joins every probe thread
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    // Binds the port and starts the probes. Throws std::runtime_error if the port is taken.
    void start();
    // Stops serving and joins the probe threads; idempotent.
    void stop() noexcept;

    // The port actually bound (useful with "listen": "127.0.0.1:0"); 0 before start().
    int port() const noexcept;

    // The registry /metrics serves; the backend may add its own metric families to it.
    std::shared_ptr<prometheus::Registry> registry() const noexcept;

    // The statistics handle for a route, created on first use (a short lock; call it at
    // start-up, not per request). The reference stays valid for the agent's lifetime.
    RouteStats& route(const std::string& name);

    // The circuit breaker of that name, registered on first use with `config` (validated:
    // ConfigError names the field; a later call with a different config throws too). Its
    // state, rates and every transition go to the stream and to /metrics. Call it at start-up;
    // the breaker's own calls are the hot path. The reference lives as long as the agent.
    CircuitBreaker& breaker(const std::string& name, const BreakerConfig& config = {});

    // The lag-aware read router over the primary (target 0) and postgres.replicas (1..n, in
    // their order): route() per read picks a replica within read_router.max_lag_ms and
    // max_lag_bytes, else the primary. Eligibility follows every replication probe cycle; until
    // the first one, reads go to the primary. It exists only with postgres.primary: without one
    // this throws std::logic_error (a configuration matter, seen at start-up). The reference
    // lives as long as the agent.
    ReadRouter& readRouter();

    // Where the backend writes and its ledger of sequence-numbered writes (write_router.h): the
    // primary, or with "ha" the active region's leader, repointed by failover drills. Only with
    // postgres.primary: without one this throws std::logic_error. Lives as long as the agent.
    WriteRouter& writes();

    // The shard router over the catalog's bucket map (shard_router.h); it follows every new map
    // version. Only with shards.nodes: without them this throws std::logic_error. The
    // reference lives as long as the agent.
    ShardRouter& shardRouter();
    // The tiered cache (tiered_cache.h) over the agent's Redis. Only with a "cache" section:
    // without one this throws std::logic_error. The reference lives as long as the agent.
    TieredCache& cache();

    // Reports a connection pool the backend owns under `name` (e.g. "postgres.primary"): every
    // statistics interval the agent calls `usage` on its sampling thread (see PoolUsageReader)
    // and sends the figures in the snapshot's "pools", the "pools" event and the
    // switchboard_pool_{open,in_use,max}{pool} gauges. A second call with the same name replaces
    // the reader. Call forgetPool() before the pool is destroyed if the agent outlives it.
    // Thread-safe; throws std::invalid_argument on an empty name or reader.
    void reportPool(const std::string& name, PoolUsageReader usage);
    // Stops reporting the pool; once it returns, its reader is not running and never runs
    // again. Thread-safe; an unknown name is ignored.
    void forgetPool(const std::string& name) noexcept;

    // A write got SQLSTATE ShardRouter::kNotOwner: have the map reloaded now (returns at once;
    // the router's version() grows when the new map is in).
    void refreshShards() noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard
