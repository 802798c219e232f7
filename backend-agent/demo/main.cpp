// switchboard-demo: a sample backend with the Switchboard agent embedded, running a steady
// synthetic workload against a local stack so that every view of the console is live.
#include "demo_options.h"
#include "stack_file.h"
#include "workload.h"

#include <csignal>
#include <fstream>
#include <iostream>
#include <switchboard/agent.h>

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

    try {
        auto stack = demo::StackFile::read(options->stackFile);
        switchboard::AgentConfig config;
        config.service = "switchboard-demo";
        config.instance = options->instance;
        config.region = options->region;
        config.listen = options->listen;
        config.tokenFiles = options->tokenFiles.empty() ? stack.tokenFiles : options->tokenFiles;
        config.postgresPrimary = stack.first("primary").conninfo;
        for (const auto& replica : stack.all("replica"))
            config.postgresReplicas.push_back({replica.name, replica.conninfo});
        config.redisHost = stack.first("cache").host;
        config.redisPort = stack.first("cache").port;
        // The environment still has the last word, as for any embedding backend.
        config.applyEnvironment(switchboard::AgentConfig::processEnvironment());

        switchboard::Agent agent(config);
        agent.start();
        std::cout << "switchboard-demo " << options->instance
                  << ": agent on http://127.0.0.1:" << agent.port() << std::endl;
        if (!options->portFile.empty()) {
            std::ofstream(options->portFile + ".tmp") << agent.port() << "\n";
            std::rename((options->portFile + ".tmp").c_str(), options->portFile.c_str());
        }

        demo::Workload workload(agent, stack, options->instance, options->ratePerRoute);
        workload.start();

        int received = 0;
        sigwait(&stopSignals, &received);
        std::cout << "switchboard-demo " << options->instance << ": stopping" << std::endl;
        workload.stop();
        agent.stop();
    } catch (const switchboard::ConfigError& error) {
        std::cerr << "switchboard-demo: configuration: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "switchboard-demo: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
