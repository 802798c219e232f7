// switchboard-demo: a sample backend with the Switchboard agent embedded, running a steady
// synthetic workload against a local stack so that every view of the console is live.
#include "demo_options.h"
#include "flaky_dependency.h"
#include "ha_setup.h"
#include "sharded_orders.h"
#include "stack_file.h"
#include "workload.h"

#include <csignal>
#include <curl/curl.h>
#include <fstream>
#include <iostream>
#include <switchboard/agent.h>

namespace {

// Written whole, then renamed, so a script polling for the file never reads half a number.
void writePortFile(const std::string& path, int port) {
    if (path.empty())
        return;
    std::ofstream(path + ".tmp") << port << "\n";
    std::rename((path + ".tmp").c_str(), path.c_str());
}

} // namespace

int main(int argc, char** argv) {
    std::string error;
    auto options = demo::parseDemoOptions(argc, argv, error);
    if (!options) {
        std::cerr << "switchboard-demo: " << error << "\n" << demo::kDemoUsage;
        return 2;
    }

    // Block the stop signals before any thread starts, so every thread inherits the mask and
    // main() alone receives them in sigwait() below.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    // Once, before any thread: curl_global_init is not safe to race with other curl calls.
    curl_global_init(CURL_GLOBAL_DEFAULT);

    try {
        auto stack = demo::StackFile::read(options->stackFile);
        switchboard::AgentConfig config;
        config.service = "switchboard-demo";
        config.instance = options->instance;
        config.region = options->region;
        config.listen = options->listen;
        config.tokenFiles = options->tokenFiles.empty() ? stack.tokenFiles : options->tokenFiles;
        if (stack.clusters.empty()) {
            config.postgresPrimary = stack.first("primary").conninfo;
            for (const auto& replica : stack.all("replica"))
                config.postgresReplicas.push_back({replica.name, replica.conninfo});
            // No Patroni here: the agent's direct region of these servers (docs/drills.md).
            config.ha = demo::haConfig(stack, options->stackScript, options->region);
        } else {
            // The full profile: HAProxy's primary port stands for "the primary" (it follows the
            // Patroni leader), and the agent's HA probe follows the leader for the writes. No
            // replica is configured: the members swap roles in a drill, so a fixed name would
            // show as "not connected" after one (the replication view lists the replicas the
            // primary reports anyway), and reads stay on the primary.
            config.postgresPrimary = stack.primaryConninfo();
            config.ha = demo::haConfig(stack, options->stackScript, options->region);
        }
        config.redisHost = stack.first("cache").host;
        config.redisPort = stack.first("cache").port;
        config.shards = demo::shardsConfig(stack);
        // Catalog items through the tiered cache: a short TTL so the hit rates follow the
        // catalog knobs within a minute.
        config.cache.enabled = true;
        config.cache.ttlMs = 30000;
        // The environment still has the last word, as for any embedding backend.
        config.applyEnvironment(switchboard::AgentConfig::processEnvironment());
        config.validate();

        demo::FlakyDependency pricing(options->dependencyPort,
                                      {options->dependencyErrorRate, options->dependencyLatencyMs,
                                       options->hotTenant, options->catalogKeys,
                                       options->catalogSkew});
        pricing.start();
        std::string pricingUrl = "http://127.0.0.1:" + std::to_string(pricing.port());
        std::cout << "switchboard-demo " << options->instance << ": pricing dependency on "
                  << pricingUrl << " (knobs: " << pricingUrl << "/knobs)" << std::endl;

        switchboard::Agent agent(config);
        agent.start();
        std::cout << "switchboard-demo " << options->instance
                  << ": agent on http://127.0.0.1:" << agent.port() << std::endl;

        demo::Workload workload(
            agent, config, stack, options->instance, options->ratePerRoute, pricingUrl,
            [&pricing] { return pricing.knobs().hotTenant; }, options->ackedFile,
            options->ackedWritesFile,
            [&pricing] {
                const auto knobs = pricing.knobs();
                return std::make_pair(knobs.catalogKeys, knobs.catalogSkew);
            });
        // The port files only once the workload could open its files: whoever waits for
        // them (scripts/demo, the tests) sees a demo that refused its options exit instead.
        // The agent's last: whoever waits for it finds the dependency's there too.
        writePortFile(options->dependencyPortFile, pricing.port());
        writePortFile(options->portFile, agent.port());
        workload.start();

        int received = 0;
        sigwait(&stopSignals, &received);
        std::cout << "switchboard-demo " << options->instance << ": stopping" << std::endl;
        // The workload first, so no call is left waiting on a server that has gone.
        workload.stop();
        pricing.stop();
        agent.stop();
    } catch (const switchboard::ConfigError& error) {
        std::cerr << "switchboard-demo: configuration: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "switchboard-demo: " << error.what() << "\n";
        return 1;
    }
    curl_global_cleanup();
    return 0;
}
