#include "switchboard/agent.h"

#include "agent_http_server.h"
#include "breaker_publisher.h"
#include "clock.h"
#include "periodic_thread.h"
#include "postgres_probe.h"
#include "probe_runner.h"
#include "redis_probe.h"
#include "request_sampler.h"
#include "stream_hub.h"
#include "switchboard/breaker_registry.h"
#include "token_store.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <random>
#include <sstream>

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
    return {{field::kService, config.service},
            {field::kInstance, config.instance},
            {field::kRegion, config.region},
            {field::kAgentVersion, agentVersion()},
            {field::kProtocol, protocol::kVersion},
            {field::kCapabilities,
             {cap::kProbes, cap::kRequests, cap::kStream, cap::kMetrics, cap::kBreakers}}};
}

AgentHttpServer::Options serverOptions(const AgentConfig& config) {
    auto colon = config.listen.rfind(':');
    return {config.listen.substr(0, colon), std::stoi(config.listen.substr(colon + 1)),
            config.maxRequestBytes};
}

} // namespace

struct Agent::Impl {
    explicit Impl(AgentConfig configIn)
        : config((configIn.validate(), std::move(configIn)))
        , registry(std::make_shared<prometheus::Registry>())
        , tokens(config.tokenFiles)
        , hub(infoDocument(config), config.streamHistory, newStreamId(), nowMs)
        , sampler(hub, *registry, config.statsIntervalMs)
        , probes(hub, *registry, config.probeIntervalMs, config.probeTimeoutMs)
        , breakers(*registry)
        , breakerPublisher(breakers, hub)
        , server(serverOptions(config), tokens, hub,
                 {[this] { return hub.snapshot()[field::kInfo]; },
                  [this] {
                      return metrics();
                  }}) {
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
        std::ostringstream text;
        prometheus::TextSerializer().Serialize(text, registry->Collect());
        return text.str();
    }

    AgentConfig config;
    std::shared_ptr<prometheus::Registry> registry;
    TokenStore tokens;
    StreamHub hub;
    RequestSampler sampler;
    ProbeRunner probes;
    BreakerRegistry breakers;
    BreakerPublisher breakerPublisher;
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
    impl_->sampler.prime(nowMs());
    impl_->sampling = std::make_unique<PeriodicThread>(
        std::chrono::milliseconds(impl_->config.statsIntervalMs),
        [impl = impl_.get()] {
            impl->sampler.sample(nowMs());
            impl->breakerPublisher.publishAll();
        },
        // A rate needs an interval: the first one ends one interval after the start.
        PeriodicThread::FirstRun::AfterInterval);
    impl_->started = true;
}

void Agent::stop() noexcept {
    if (!impl_ || !impl_->started)
        return;
    impl_->server.stop();
    if (impl_->sampling)
        impl_->sampling->stop();
    impl_->probes.stop();
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

CircuitBreaker& Agent::breaker(const std::string& name, const BreakerConfig& config) {
    return impl_->breakers.breaker(name, config);
}

} // namespace switchboard
