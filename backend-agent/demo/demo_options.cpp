#include "demo_options.h"

#include "flaky_dependency.h"

#include <charconv>
#include <string_view>
#include <system_error>

namespace demo {

namespace {

// The whole of `text` as a number from `low` to `high`; nothing if it is anything else.
template <typename Number>
std::optional<Number> numberIn(const std::string& text, Number low, Number high) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // Written as "not within" so that a NaN ("nan" parses as a double) is refused too.
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        !(value >= low && value <= high))
        return std::nullopt;
    return value;
}

} // namespace

const char* const kDemoUsage =
    "usage: switchboard-demo --stack FILE --instance NAME [--region R]\n"
    "                        [--listen 127.0.0.1:PORT] [--token-file F ...] [--rate N]\n"
    "                        [--port-file F] [--dependency-port N]\n"
    "                        [--dependency-error-rate R] [--dependency-latency-ms N]\n"
    "                        [--dependency-port-file F] [--hot-tenant SHARE]\n"
    "                        [--acked-file F] [--catalog-keys N] [--catalog-skew Z]\n"
    "                        [--acked-writes F] [--stack-script PATH]\n"
    "Runs a steady synthetic workload (writes to the primary, reads from the replica, catalog\n"
    "reads through the agent's tiered cache (L1, Redis, then PostgreSQL), quotes from a flaky\n"
    "HTTP dependency, orders written to and read from the\n"
    "stack's shard nodes through the agent's shard router) against a local stack, with the\n"
    "Switchboard agent embedded. The demo serves that dependency itself on 127.0.0.1\n"
    "(--dependency-port, default any free port; --dependency-port-file writes the port), with\n"
    "knobs to make it fail: the share of 503 answers (--dependency-error-rate, 0 to 1) and the\n"
    "latency of every answer (--dependency-latency-ms, 0 to 10000). --hot-tenant (0 to 1,\n"
    "default 0) sends that share of the sharded orders to one customer, 42, to skew the shards'\n"
    "load. --catalog-keys (1 to 10000000, default 1000) and --catalog-skew (0 uniform to 3,\n"
    "default 1) shape the cached catalog reads' working set. Change all of them at run time\n"
    "with PUT /knobs on the dependency's port\n"
    "(scripts/demo-knobs). --acked-file appends \"ID CUSTOMER\" for every sharded order once\n"
    "its transaction has committed, one line each, flushed at once. --acked-writes does the\n"
    "same for the orders written to the primary: \"RUN SEQUENCE\", the write router's run id\n"
    "and sequence number that the row carries (failover drills count them). With a stack of\n"
    "the full profile the agent gets its Patroni regions; --stack-script (scripts/stack) lets\n"
    "unplanned-failover drills crash a node with `scripts/stack kill`.\n";

std::optional<DemoOptions> parseDemoOptions(int argc, char** argv, std::string& error) {
    DemoOptions options;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                error = std::string(arg) + " needs a value";
                return false;
            }
            out = argv[++i];
            return true;
        };
        std::string text;
        if (arg == "--stack") {
            if (!value(options.stackFile))
                return std::nullopt;
        } else if (arg == "--instance") {
            if (!value(options.instance))
                return std::nullopt;
        } else if (arg == "--region") {
            if (!value(options.region))
                return std::nullopt;
        } else if (arg == "--listen") {
            if (!value(options.listen))
                return std::nullopt;
        } else if (arg == "--acked-writes") {
            if (!value(options.ackedWritesFile))
                return std::nullopt;
        } else if (arg == "--stack-script") {
            if (!value(options.stackScript))
                return std::nullopt;
        } else if (arg == "--port-file") {
            if (!value(options.portFile))
                return std::nullopt;
        } else if (arg == "--token-file") {
            if (!value(text))
                return std::nullopt;
            options.tokenFiles.push_back(text);
        } else if (arg == "--rate") {
            if (!value(text))
                return std::nullopt;
            try {
                options.ratePerRoute = std::stod(text);
            } catch (...) {
                options.ratePerRoute = -1;
            }
            if (options.ratePerRoute <= 0 || options.ratePerRoute > 1000) {
                error = "--rate must be a number from 0 to 1000, got " + text;
                return std::nullopt;
            }
        } else if (arg == "--dependency-port-file") {
            if (!value(options.dependencyPortFile))
                return std::nullopt;
        } else if (arg == "--dependency-port") {
            if (!value(text))
                return std::nullopt;
            auto port = numberIn(text, 0, 65535);
            if (!port) {
                error =
                    "--dependency-port must be a port from 0 (any free one) to 65535, got " + text;
                return std::nullopt;
            }
            options.dependencyPort = *port;
        } else if (arg == "--dependency-error-rate") {
            if (!value(text))
                return std::nullopt;
            auto rate = numberIn(text, 0.0, 1.0);
            if (!rate) {
                error = "--dependency-error-rate must be a number from 0 to 1, got " + text;
                return std::nullopt;
            }
            options.dependencyErrorRate = *rate;
        } else if (arg == "--dependency-latency-ms") {
            if (!value(text))
                return std::nullopt;
            auto latency = numberIn(text, 0, FlakyDependency::kMaxLatencyMs);
            if (!latency) {
                error = "--dependency-latency-ms must be a whole number from 0 to " +
                        std::to_string(FlakyDependency::kMaxLatencyMs) + ", got " + text;
                return std::nullopt;
            }
            options.dependencyLatencyMs = *latency;
        } else if (arg == "--hot-tenant") {
            if (!value(text))
                return std::nullopt;
            auto share = numberIn(text, 0.0, 1.0);
            if (!share) {
                error = "--hot-tenant must be a share from 0 to 1, got " + text;
                return std::nullopt;
            }
            options.hotTenant = *share;
        } else if (arg == "--catalog-keys") {
            if (!value(text))
                return std::nullopt;
            auto keys = numberIn(text, 1, FlakyDependency::kMaxCatalogKeys);
            if (!keys) {
                error = "--catalog-keys must be a whole number from 1 to " +
                        std::to_string(FlakyDependency::kMaxCatalogKeys) + ", got " + text;
                return std::nullopt;
            }
            options.catalogKeys = *keys;
        } else if (arg == "--catalog-skew") {
            if (!value(text))
                return std::nullopt;
            auto skew = numberIn(text, 0.0, FlakyDependency::kMaxCatalogSkew);
            if (!skew) {
                error = "--catalog-skew must be a number from 0 to 3, got " + text;
                return std::nullopt;
            }
            options.catalogSkew = *skew;
        } else if (arg == "--acked-file") {
            if (!value(options.ackedFile))
                return std::nullopt;
            if (options.ackedFile.empty()) {
                error = "--acked-file needs a file name";
                return std::nullopt;
            }
        } else {
            error = "unknown argument " + std::string(arg);
            return std::nullopt;
        }
    }
    if (options.stackFile.empty() || options.instance.empty()) {
        error = "--stack and --instance are required";
        return std::nullopt;
    }
    return options;
}

} // namespace demo
