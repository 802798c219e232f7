// The agent's configuration: a JSON file, then environment variables over it.
//
// Every bad value is a ConfigError that names the key (or the environment variable); unknown keys
// are warnings, so a newer file still starts an older agent. Not thread-safe to mutate; an
// AgentConfig is a plain value, copied into the Agent at construction.
#pragma once

#include "switchboard/export.h"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard {

// A configuration error, naming the key (e.g. "listen" or "SWITCHBOARD_LISTEN") it is about.
class SWITCHBOARD_AGENT_API ConfigError : public std::runtime_error {
public:
    ConfigError(std::string key, const std::string& message);
    const std::string& key() const noexcept { return key_; }

private:
    std::string key_;
};

struct ReplicaEndpoint {
    std::string name;     // shown in the console, e.g. "pg-replica-1"
    std::string conninfo; // libpq connection string
    bool operator==(const ReplicaEndpoint&) const = default;
};

// The read router's limits (JSON "read_router"; see read_router.h): a replica further behind the
// primary than either one gets no reads.
struct SWITCHBOARD_AGENT_API ReadRouterConfig {
    // Bounds validate() enforces: a day of lag, a TiB of WAL; beyond them a limit means "never".
    static constexpr int kMaxLagMsLimit = 86400000;
    static constexpr std::int64_t kMaxLagBytesLimit = std::int64_t(1) << 40;
    int maxLagMs = 100;                          // "max_lag_ms": replay lag in time
    std::int64_t maxLagBytes = 16 * 1024 * 1024; // "max_lag_bytes": replay lag in WAL bytes
    // Throws ConfigError naming "read_router.max_lag_ms" or "read_router.max_lag_bytes".
    void validate() const;
    bool operator==(const ReadRouterConfig&) const = default;
};

// One sharded table: rows carry their bucket in `bucket_column` (the router's route().bucket)
// and a unique `key_column`, by which a rebalance copies, compares and deletes them.
struct ShardTable {
    std::string name;
    std::string keyColumn = "id";
    std::string bucketColumn = "bucket";
    bool operator==(const ShardTable&) const = default;
};

struct ShardNodeEndpoint {
    std::string name;     // e.g. "shard-1"; fixed once in the catalog
    std::string conninfo; // libpq connection string
    // "spare": joins the catalog without buckets even when the catalog is created now; a
    // rebalance (add_node) gives it some. Nodes listed later join without buckets anyway.
    bool spare = false;
    bool operator==(const ShardNodeEndpoint&) const = default;
};

// Sharding (JSON "shards"; see shard_router.h and docs/sharding.md). Without nodes, none.
struct SWITCHBOARD_AGENT_API ShardsConfig {
    static constexpr std::uint32_t kMaxBuckets = 65536;
    std::string catalog;         // conninfo of the catalog; empty: postgres.primary
    std::uint32_t buckets = 256; // fixed once the catalog exists
    std::vector<ShardNodeEndpoint> nodes;
    std::vector<ShardTable> tables; // what a rebalance moves and the statistics count
    int statsIntervalMs = 5000;     // rows and bytes per bucket, counted on the nodes
    // Throws ConfigError naming "shards.<key>".
    void validate() const;
    bool operator==(const ShardsConfig&) const = default;
};

// The tiered cache (JSON "cache"; see tiered_cache.h and docs/cache.md): L1 in this process, L2
// in the Redis of "redis", then the backend's loader. Present in the file: enabled.
struct SWITCHBOARD_AGENT_API CacheConfig {
    bool enabled = false;
    std::size_t l1MaxEntries = 100000;         // "l1_max_entries"
    std::size_t l1MaxBytes = 64 * 1024 * 1024; // "l1_max_bytes": keys and values
    std::int64_t ttlMs = 60000;                // "ttl_ms": when get() is given none (to 30 days)
    int ttlJitterPct = 10;                     // "ttl_jitter_pct": each TTL +/- up to this
    int redisTimeoutMs = 50;                   // "redis_timeout_ms": L2 connect and commands
    int poolSize = 4;                          // "pool_size": L2 connections
    int statsIntervalMs = 1000;                // "stats_interval_ms": the cache document
    double targetHitRate = 70.0;               // "target_hit_rate": percent, for the console
    std::string channel;     // "channel": L1 invalidations; empty: switchboard:<service>:cache
    int ackTimeoutMs = 2000; // "ack_timeout_ms": how long an invalidation waits for acks
    // Throws ConfigError naming "cache.<key>".
    void validate() const;
    bool operator==(const CacheConfig&) const = default;
};

// One region of the HA configuration (docs/drills.md).
struct HaRegionConfig {
    std::string name;
    std::string role = "active";      // "active" | "standby"
    std::string cluster;              // the Patroni scope; empty: the region's name
    std::vector<std::string> patroni; // each member's REST base URL, e.g. http://127.0.0.1:8008
    // The program and arguments that crash a member for an unplanned-failover drill; "{member}"
    // in any argument is replaced by the member's name. Empty: no unplanned drills here.
    std::vector<std::string> faultCommand;
    // "shards": each shard node's server in this region, by the node's name (shards.nodes):
    // in the active region the shard nodes themselves, in a standby region their streaming
    // standbys. A region drill promotes the target region's servers and repoints the shard
    // router to them. Empty: the region has no shards to take over.
    // (Default member initializers: the older aggregate initializations that stop at
    // faultCommand stay free of -Wmissing-field-initializers.)
    std::map<std::string, std::string> shards{};
    // "standby_cluster": Patroni's standby_cluster section that makes this region's cluster
    // follow the other region (host and port of the other region's primary, the permanent slot
    // there). Needed by region_failback: the old region follows the new one, and the region
    // that took over follows again at the end. Empty host: not configured.
    struct StandbyCluster {
        std::string host;
        int port = 0;
        std::string slot; // "primary_slot_name"
        bool operator==(const StandbyCluster&) const = default;
    } standbyCluster{};
    // "provider": "patroni" (members and roles from the Patroni REST API above; drills through
    // it) or "direct" (no Patroni: the members are postgres.primary and postgres.replicas, seen
    // the way the replication probe sees them; drills fence with default_transaction_read_only
    // and promote with pg_promote()). A direct region is the only region.
    std::string provider = "patroni";
    // "primary_name": a direct region's name for postgres.primary (its fault command's
    // "{member}"), e.g. the server's name in the stack.
    std::string primaryName = "primary";
    bool direct() const { return provider == "direct"; }
    bool operator==(const HaRegionConfig&) const = default;
};

// Regions, the HA probe and failover drills (JSON "ha"; docs/drills.md). Present: enabled.
struct SWITCHBOARD_AGENT_API HaConfig {
    bool enabled = false;
    std::string tier = "critical";          // critical | high | medium: the default targets
    std::int64_t rtoTargetMs = 0;           // "rto_target_ms"; 0: the tier's
    std::int64_t rpoTargetMs = 0;           // "rpo_target_ms"; 0: the tier's
    std::int64_t maxLagBytes = 1024 * 1024; // preflight's lag limit
    int intervalMs = 1000;
    std::string memberConninfo = "dbname=postgres connect_timeout=2"; // host/port from Patroni
    std::vector<HaRegionConfig> regions;
    // "shard_rejoin_command": the program and arguments that make a shard server a streaming
    // standby of another (region_failback rebuilds the old region's shards from the promoted
    // ones: PostgreSQL alone cannot follow a new timeline it diverged from). "{host}", "{port}":
    // the server to rebuild; "{upstream_host}", "{upstream_port}": its new primary. It must
    // return once the server streams. Empty: region_failback is refused for regions with shards.
    std::vector<std::string> shardRejoinCommand;
    // The backend's table of sequence-numbered writes ("writes"); empty table: RPO not counted.
    std::string writesTable;
    std::string writesRunColumn = "write_run";
    std::string writesSeqColumn = "write_seq";
    // "stop_conditions"
    double maxErrorRatePct = 90.0;
    int errorWindowMs = 5000;
    std::int64_t stopMaxLagBytes = 16 * 1024 * 1024;

    // The tier's targets unless overridden.
    std::int64_t rtoTarget() const;
    std::int64_t rpoTarget() const;
    // Throws ConfigError naming "ha.<key>".
    void validate() const;
    bool operator==(const HaConfig&) const = default;
};

// TLS on the agent's port (JSON "tls"; docs/protocol.md, "TLS"). With a certificate the port
// serves only HTTPS and WSS, TLS 1.2 or later; binding beyond loopback needs it.
struct SWITCHBOARD_AGENT_API TlsConfig {
    // "certificate": one PEM file holding the server's certificate (then any intermediate
    // certificates) and its private key, private to the agent's user. Empty: plain HTTP.
    std::string certificate;
    bool enabled() const { return !certificate.empty(); }
    // Reads the file: it must exist, be private (it holds the key), hold a certificate that has
    // not expired and the private key that matches it. Throws ConfigError naming
    // "tls.certificate" and the problem.
    void validate() const;
    bool operator==(const TlsConfig&) const = default;
};

struct SWITCHBOARD_AGENT_API AgentConfig {
    std::string service = "backend";
    std::string instance = "instance-1";
    std::string region = "local";
    // host:port; port 0 picks a free one (Agent::port() tells which).
    std::string listen = "127.0.0.1:7464";
    std::vector<std::string> tokenFiles; // at least one: every read needs a viewer token
    TlsConfig tls;                       // beyond loopback, required
    std::size_t maxRequestBytes = 64 * 1024;
    int probeIntervalMs = 1000;
    int probeTimeoutMs = 2000;
    int statsIntervalMs = 1000;
    std::size_t streamHistory = 4096; // events kept so a reconnecting console can resume
    // Where the audit log is appended (created if missing). Empty: actions are disabled, since
    // nothing may change that is not audited.
    std::string auditLog;

    std::string postgresPrimary; // libpq conninfo; empty: no PostgreSQL probes
    std::vector<ReplicaEndpoint> postgresReplicas;
    std::string redisHost; // empty: no Redis probe
    int redisPort = 6379;
    ReadRouterConfig readRouter;
    ShardsConfig shards;
    CacheConfig cache;
    HaConfig ha;

    std::vector<std::string> warnings; // unknown keys and the like, for the host to log

    // Parses JSON text, then applies overrides from `env` (SWITCHBOARD_* variables), then
    // validates. Throws ConfigError naming the key.
    static AgentConfig fromJson(const std::string& jsonText,
                                const std::map<std::string, std::string>& env = {});
    // Reads the file and uses the process environment. Throws ConfigError.
    static AgentConfig fromFile(const std::string& path);
    // The SWITCHBOARD_* variables of this process.
    static std::map<std::string, std::string> processEnvironment();

    // Applies SWITCHBOARD_* overrides to this configuration. Throws ConfigError.
    void applyEnvironment(const std::map<std::string, std::string>& env);
    // Checks every value; throws ConfigError naming the first bad key.
    void validate() const;
    // Configurations are plain values: equal when every setting (and warning) is.
    bool operator==(const AgentConfig&) const = default;
};

} // namespace switchboard
