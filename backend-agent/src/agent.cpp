#include "switchboard/agent.h"

#include "action_api.h"
#include "action_pipeline.h"
#include "agent_http_server.h"
#include "audit_log.h"
#include "breaker_override_action.h"
#include "breaker_overrides.h"
#include "breaker_publisher.h"
#include "cache_invalidate_action.h"
#include "cache_publisher.h"
#include "clock.h"
#include "drill_action.h"
#include "ha_monitor.h"
#include "periodic_thread.h"
#include "pg_advisory_lock.h"
#include "pool_registry.h"
#include "postgres_probe.h"
#include "probe_runner.h"
#include "process_sampler.h"
#include "read_router_publisher.h"
#include "rebalance_action.h"
#include "redis_probe.h"
#include "replication_monitor.h"
#include "request_sampler.h"
#include "shard_service.h"
#include "stream_hub.h"
#include "switchboard/breaker_registry.h"
#include "tiered_cache_core.h"
#include "token_store.h"
#include "write_router_core.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <random>
#include <sstream>
#include <stdexcept>

#ifndef SWITCHBOARD_VERSION
#define SWITCHBOARD_VERSION "0.0.0"
#endif

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

const char* agentVersion() noexcept {
    return SWITCHBOARD_VERSION;
}

namespace {

// A new id at every start tells a reconnecting console that sequence numbers restarted.
std::string newStreamId() {
    std::random_device random;
    std::ostringstream id;
    id << std::hex << random() << random();
    return id.str();
}

json infoDocument(const AgentConfig& config) {
    namespace cap = protocol::capability;
    json capabilities = {cap::kProbes, cap::kRequests, cap::kStream, cap::kMetrics, cap::kBreakers};
    if (!config.auditLog.empty())
        capabilities.push_back(cap::kActions);
    if (!config.postgresPrimary.empty())
        capabilities.push_back(cap::kReadRouter);
    if (!config.postgresPrimary.empty())
        capabilities.push_back(cap::kReplication);
    if (!config.shards.nodes.empty())
        capabilities.push_back(cap::kShards);
    if (config.cache.enabled)
        capabilities.push_back(cap::kCache);
    if (config.ha.enabled)
        capabilities.push_back(cap::kRegions);
    return {{field::kService, config.service},      {field::kInstance, config.instance},
            {field::kRegion, config.region},        {field::kAgentVersion, agentVersion()},
            {field::kProtocol, protocol::kVersion}, {field::kCapabilities, capabilities},
            {field::kTls, config.tls.enabled()}};
}

// Across instances, one cluster-wide job of a kind at a time, through the database they share.
std::unique_ptr<ClusterLock> clusterLock(const AgentConfig& config) {
    if (config.postgresPrimary.empty())
        return std::make_unique<LocalClusterLock>();
    return std::make_unique<PgAdvisoryLock>(config.postgresPrimary, config.probeTimeoutMs);
}

// Actions exist only with an audit log: nothing may change that is not audited.
std::unique_ptr<AuditLog> openAuditLog(const AgentConfig& config) {
    if (config.auditLog.empty())
        return nullptr;
    try {
        return std::make_unique<AuditLog>(config.auditLog, nowMs);
    } catch (const std::exception& error) {
        throw ConfigError("audit_log", error.what());
    }
}

// A direct HA region's members (docs/drills.md): the servers the replication probe watches.
std::vector<DirectMember> directMembers(const AgentConfig& config) {
    std::vector<DirectMember> members;
    if (config.postgresPrimary.empty())
        return members;
    members.push_back({"primary", config.postgresPrimary});
    for (const auto& replica : config.postgresReplicas)
        members.push_back({replica.name, replica.conninfo});
    return members;
}

// The read router exists with a primary to fall back to: targets are it and the replicas.
std::unique_ptr<ReadRouter> makeReadRouter(const AgentConfig& config) {
    if (config.postgresPrimary.empty())
        return nullptr;
    std::vector<std::string> names;
    for (const auto& replica : config.postgresReplicas)
        names.push_back(replica.name);
    return std::make_unique<ReadRouter>(std::move(names), config.readRouter);
}

// The breaker in front of the cache's Redis: a few timeouts in a short window open it, and
// while it is open gets go to the loader instead of waiting on Redis.
BreakerConfig cacheBreakerConfig(const CacheConfig& cache) {
    BreakerConfig config;
    config.windowType = BreakerConfig::WindowType::Count;
    config.windowSize = 20;
    config.minimumCalls = 10;
    config.failureRateThreshold = 50;
    config.slowCallRateThreshold = 100;
    config.slowCallDuration = std::chrono::milliseconds(cache.redisTimeoutMs);
    config.waitInOpen = std::chrono::seconds(1);
    config.permittedCallsInHalfOpen = 3;
    return config;
}

std::unique_ptr<TieredCache> makeCache(const AgentConfig& config, BreakerRegistry& breakers) {
    if (!config.cache.enabled)
        return nullptr;
    TieredCache::Options options;
    options.config = config.cache;
    options.redisHost = config.redisHost;
    options.redisPort = config.redisPort;
    options.instance = config.instance;
    options.channel = config.cache.channel.empty() ? "switchboard:" + config.service + ":cache"
                                                   : config.cache.channel;
    return std::make_unique<TieredCache>(
        options, breakers.breaker("cache.redis", cacheBreakerConfig(config.cache)));
}

AgentHttpServer::Options serverOptions(const AgentConfig& config) {
    auto colon = config.listen.rfind(':');
    return {config.listen.substr(0, colon), std::stoi(config.listen.substr(colon + 1)),
            config.maxRequestBytes, config.tls.certificate};
}

} // namespace

struct Agent::Impl {
    explicit Impl(AgentConfig configIn)
        : config((configIn.validate(), std::move(configIn)))
        , registry(std::make_shared<prometheus::Registry>())
        , tokens(config.tokenFiles)
        , hub(infoDocument(config), config.streamHistory, newStreamId(), nowMs)
        , sampler(hub, *registry, config.statsIntervalMs)
        , pools(hub, *registry)
        , process(hub, *registry, config.statsIntervalMs)
        , probes(hub, *registry, config.probeIntervalMs, config.probeTimeoutMs)
        , breakers(*registry)
        , breakerPublisher(breakers, hub)
        , readRouter(makeReadRouter(config))
        , readRouterPublisher(
              readRouter ? std::make_unique<ReadRouterPublisher>(*readRouter, hub, *registry)
                         : nullptr)
        , writes(config.postgresPrimary.empty()
                     ? nullptr
                     : std::make_unique<WriteRouter>(
                           std::make_shared<WriteRouterCore>("primary", config.postgresPrimary)))
        , ha(config.ha.enabled
                 ? std::make_unique<HaMonitor>(config.ha, hub, *registry, config.probeTimeoutMs,
                                               directMembers(config))
                 : nullptr)
        , overrides(breakers, nowMs)
        , audit(openAuditLog(config))
        , pipeline(audit ? std::make_unique<ActionPipeline>(
                               *audit,
                               [this](const json& job) { hub.publish(protocol::event::kJob, job); },
                               nowMs, ActionPipeline::Options{}, clusterLock(config))
                         : nullptr)
        , actions(pipeline.get(), audit.get())
        , replication(config.postgresPrimary.empty()
                          ? nullptr
                          : std::make_unique<ReplicationMonitor>(config, hub, *registry))
        , shards(config.shards.nodes.empty()
                     ? nullptr
                     : std::make_unique<ShardService>(config, hub, *registry))
        , cache(makeCache(config, breakers))
        , cachePublisher(cache ? std::make_unique<CachePublisher>(*cache, hub, *registry,
                                                                  config.cache.statsIntervalMs,
                                                                  config.probeTimeoutMs)
                               : nullptr)
        , server(serverOptions(config), tokens, hub,
                 {[this] { return hub.snapshot()[field::kInfo]; }, [this] { return metrics(); },
                  &actions}) {
        if (pipeline)
            pipeline->add(std::make_unique<BreakerOverrideAction>(breakers, overrides, nowMs));
        if (pipeline && shards)
            pipeline->add(std::make_unique<RebalanceAction>(*shards, config.probeTimeoutMs));
        if (pipeline && cache)
            pipeline->add(std::make_unique<CacheInvalidateAction>(*cache, config.probeTimeoutMs,
                                                                  config.cache.ackTimeoutMs));
        if (ha && writes) { // issue 8: the backend writes to the active region's leader
            ha->onLeaderChange([this](const std::string& name, const std::string& conninfo) {
                writes->core().follow(name, conninfo);
            });
            writes->core().setListener([this](const WriteRouter::Target& target) {
                ha->setWriteTarget(target.name, target.epoch);
            });
            const auto target = writes->target();
            ha->setWriteTarget(target.name, target.epoch);
        }
        if (pipeline && ha)
            pipeline->add(std::make_unique<DrillAction>(*ha, writes ? &writes->core() : nullptr,
                                                        config.probeTimeoutMs,
                                                        shards ? &shards->router() : nullptr));
        if (replication) // issue 5: each replication probe cycle re-decides the read router
            replication->setListener([this](const ReplicationReport& r) { readRouter->update(r); });
        breakerPublisher.setOverrideLookup(
            [this](const std::string& name) { return overrides.current(name); });
        if (cache) // the tiered cache's own Redis pool (its L2), beside the backend's pools
            pools.add("redis.cache", [this] { return cache->core().pool.usage(); });
        if (!config.postgresPrimary.empty())
            probes.add(std::make_unique<PostgresProbe>("postgres.primary", config.postgresPrimary,
                                                       config.probeTimeoutMs));
        for (const auto& replica : config.postgresReplicas)
            probes.add(std::make_unique<PostgresProbe>("postgres." + replica.name, replica.conninfo,
                                                       config.probeTimeoutMs));
        if (!config.redisHost.empty())
            probes.add(std::make_unique<RedisProbe>("redis", config.redisHost, config.redisPort,
                                                    config.probeTimeoutMs));
    }

    std::string metrics() {
        breakers.refreshMetrics(); // breaker call counts reach Prometheus at scrape time
        if (readRouterPublisher)
            readRouterPublisher->refreshMetrics(); // so do the read router's
        std::ostringstream text;
        prometheus::TextSerializer().Serialize(text, registry->Collect());
        return text.str();
    }

    AgentConfig config;
    std::shared_ptr<prometheus::Registry> registry;
    TokenStore tokens;
    StreamHub hub;
    RequestSampler sampler;
    PoolRegistry pools;
    ProcessSampler process;
    ProbeRunner probes;
    BreakerRegistry breakers;
    BreakerPublisher breakerPublisher;
    // With postgres.primary only. Declared before the replication monitor, so it outlives the
    // monitor's thread, which calls update().
    std::unique_ptr<ReadRouter> readRouter;
    std::unique_ptr<ReadRouterPublisher> readRouterPublisher;
    std::unique_ptr<WriteRouter> writes; // with postgres.primary
    // With ha. Declared after the write router (its leader callback may repoint it) and before
    // the pipeline (a drill's job uses it), so it lives exactly as long as both need.
    std::unique_ptr<HaMonitor> ha;
    BreakerOverrides overrides;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<ActionPipeline> pipeline;
    ActionApi actions;
    std::unique_ptr<ReplicationMonitor> replication; // with postgres.primary; setListener()
    std::unique_ptr<ShardService> shards;            // with shards.nodes
    std::unique_ptr<TieredCache> cache;              // with cache
    std::unique_ptr<CachePublisher> cachePublisher;  // with cache
    AgentHttpServer server;
    std::unique_ptr<PeriodicThread> sampling;
    bool started = false;
};

Agent::Agent(AgentConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}

Agent::~Agent() {
    stop();
}

void Agent::start() {
    if (impl_->started)
        return;
    impl_->server.start();
    impl_->probes.start();
    impl_->breakerPublisher.start();
    if (impl_->replication)
        impl_->replication->start();
    if (impl_->shards)
        impl_->shards->start();
    if (impl_->cache) {
        impl_->cache->start();
        impl_->cachePublisher->start();
    }
    if (impl_->ha)
        impl_->ha->start();
    impl_->overrides.start([impl = impl_.get()](const std::string& breaker, const json& record) {
        if (impl->pipeline)
            impl->pipeline->auditSystemEvent(
                protocol::audit_event::kExpired,
                {{field::kKind, protocol::action::kBreakerOverride},
                 {field::kTarget, breaker},
                 {field::kParams, record},
                 {field::kOutcome, "reverted"},
                 {field::kDetail, "the override of " + breaker + " expired; back to closed"}});
    });
    impl_->sampler.prime(nowMs());
    impl_->process.prime(nowMs());
    if (impl_->readRouterPublisher)
        impl_->readRouterPublisher->prime(nowMs());
    impl_->sampling = std::make_unique<PeriodicThread>(
        std::chrono::milliseconds(impl_->config.statsIntervalMs),
        [impl = impl_.get()] {
            impl->sampler.sample(nowMs());
            impl->pools.sample();
            impl->process.sample(nowMs());
            impl->breakerPublisher.publishAll();
            if (impl->readRouterPublisher)
                impl->readRouterPublisher->tick(nowMs());
        },
        // A rate needs an interval: the first one ends one interval after the start.
        PeriodicThread::FirstRun::AfterInterval);
    impl_->started = true;
}

void Agent::stop() noexcept {
    if (!impl_ || !impl_->started)
        return;
    impl_->server.stop();
    if (impl_->pipeline)
        impl_->pipeline->stop();
    impl_->overrides.stop();
    if (impl_->sampling)
        impl_->sampling->stop();
    impl_->probes.stop();
    if (impl_->replication)
        impl_->replication->stop();
    if (impl_->shards)
        impl_->shards->stop();
    if (impl_->cache) {
        impl_->cachePublisher->stop();
        impl_->cache->stop();
    }
    if (impl_->ha)
        impl_->ha->stop();
    impl_->breakerPublisher.stop();
    impl_->started = false;
}

int Agent::port() const noexcept {
    return impl_->server.port();
}

std::shared_ptr<prometheus::Registry> Agent::registry() const noexcept {
    return impl_->registry;
}

RouteStats& Agent::route(const std::string& name) {
    return impl_->sampler.route(name);
}

ReadRouter& Agent::readRouter() {
    if (!impl_->readRouter)
        throw std::logic_error("Agent::readRouter(): no read router without a PostgreSQL primary "
                               "(set postgres.primary in the agent's configuration)");
    return *impl_->readRouter;
}

WriteRouter& Agent::writes() {
    if (!impl_->writes)
        throw std::logic_error("Agent::writes(): no write router without a PostgreSQL primary "
                               "(set postgres.primary in the agent's configuration)");
    return *impl_->writes;
}

ShardRouter& Agent::shardRouter() {
    if (!impl_->shards)
        throw std::logic_error("Agent::shardRouter(): no shard router without shard nodes "
                               "(set shards.nodes in the agent's configuration)");
    return impl_->shards->router();
}

void Agent::refreshShards() noexcept {
    if (impl_->shards)
        impl_->shards->refreshSoon();
}

TieredCache& Agent::cache() {
    if (!impl_->cache)
        throw std::logic_error("Agent::cache(): no tiered cache without a \"cache\" section "
                               "(and redis.host) in the agent's configuration");
    return *impl_->cache;
}

void Agent::reportPool(const std::string& name, PoolUsageReader usage) {
    impl_->pools.add(name, std::move(usage));
}

void Agent::forgetPool(const std::string& name) noexcept {
    impl_->pools.forget(name);
}

CircuitBreaker& Agent::breaker(const std::string& name, const BreakerConfig& config) {
    return impl_->breakers.breaker(name, config);
}

} // namespace switchboard
