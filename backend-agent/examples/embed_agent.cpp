// The smallest backend that embeds the Switchboard agent; README.md shows this file, and
// tests/integration/readme_example_test.sh checks that README and this file agree and that
// it builds and runs.
#include <chrono>
#include <iostream>
#include <switchboard/agent.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: embed_agent AGENT_CONFIG.json\n";
        return 2;
    }
    try {
        // JSON file first, then SWITCHBOARD_* environment variables over it.
        auto config = switchboard::AgentConfig::fromFile(argv[1]);
        for (const auto& warning : config.warnings)
            std::cerr << "agent config: " << warning << "\n";

        switchboard::Agent agent(config);
        agent.start(); // serves /healthz, /metrics, /v1/... on config.listen
        std::cout << "agent on port " << agent.port() << "\n";

        // Once, at start-up: a handle per route of your service.
        switchboard::RouteStats& checkout = agent.route("checkout");

        // Around a dependency: a circuit breaker (default: opens at 50 % failures of the last
        // 100 calls, tries again after 60 s). Its state is on the stream and in /metrics.
        switchboard::CircuitBreaker& payments = agent.breaker("payments");

        // On the hot path: lock-free counters, no allocation, never throws.
        auto started = std::chrono::steady_clock::now();
        bool ok = false;
        if (payments.tryAcquire()) {
            ok = true; // ... call the payment service ...
            auto took = std::chrono::steady_clock::now() - started;
            ok ? payments.onSuccess(took) : payments.onFailure(took);
        } // else: fail fast, the service is known to be down
        checkout.record(
            ok, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    } catch (const switchboard::ConfigError& error) {
        std::cerr << "bad configuration: " << error.what() << "\n"; // names the key
        return 2;
    }
    return 0;
}
