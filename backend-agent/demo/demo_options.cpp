#include "demo_options.h"

#include <string_view>

namespace demo {

const char* const kDemoUsage =
    "usage: switchboard-demo --stack FILE --instance NAME [--region R]\n"
    "                        [--listen 127.0.0.1:PORT] [--token-file F ...] [--rate N]\n"
    "                        [--port-file F]\n"
    "Runs a steady synthetic workload (writes to the primary, reads from the replica, Redis\n"
    "gets and sets) against a local stack, with the Switchboard agent embedded.\n";

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
