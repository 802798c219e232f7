// The demo backend's command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace demo {

struct DemoOptions {
    std::string stackFile;
    std::string instance;
    std::string region = "us-east";
    std::string listen = "127.0.0.1:0";
    std::vector<std::string> tokenFiles; // default: the stack's tokens
    double ratePerRoute = 20;            // requests per second on each route
    std::string portFile;                // where to write the bound port, for scripts
    // The flaky pricing dependency the demo serves itself (flaky_dependency.h).
    int dependencyPort = 0;         // 0: a free port
    double dependencyErrorRate = 0; // its knobs at start
    int dependencyLatencyMs = 0;
    std::string dependencyPortFile; // where to write its bound port, for scripts
    // The sharded orders (sharded_orders.h): the share of writes for the hot customer, and
    // where every acknowledged write's id and customer are appended (none: nowhere).
    double hotTenant = 0;
    std::string ackedFile;
    // The orders written to the primary: where each acknowledged write's run id and sequence
    // number are appended (none: nowhere), and the stack script for fault drills.
    std::string ackedWritesFile;
    std::string stackScript;
    // The cached catalog reads: how many items, how skewed towards a few (zipf_keys.h).
    int catalogKeys = 1000;
    double catalogSkew = 1.0;
};

// Parses argv; on a bad argument returns nothing and sets `error` (to print with the usage).
std::optional<DemoOptions> parseDemoOptions(int argc, char** argv, std::string& error);
extern const char* const kDemoUsage;

} // namespace demo
