// switchboard-audit verify [--json] FILE
//
// Checks an agent's audit log (its hash chain, docs/protocol.md) without the agent: exit 0 when
// the chain is intact, 1 naming the first broken entry, 2 when the file cannot be read or the
// command line is wrong.
#include "audit_chain.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr int kIntact = 0;
constexpr int kBroken = 1;
constexpr int kTrouble = 2;

constexpr std::string_view kUsage =
    "usage: switchboard-audit verify [--json] FILE\n"
    "\n"
    "Verifies the hash chain of an agent's audit log (JSON lines). Prints the number of entries\n"
    "and the last line's hash (keep it elsewhere: it anchors the chain), or the first broken\n"
    "entry and why. Exit status: 0 intact, 1 broken, 2 unreadable file or bad usage.\n"
    "  --json  print the result as one JSON document\n";

int usageError(const std::string& problem) {
    std::cerr << "switchboard-audit: " << problem << "\n" << kUsage;
    return kTrouble;
}

int unreadable(const std::string& file, const std::string& why, bool asJson) {
    if (asJson)
        std::cout << nlohmann::json{{"file", file}, {"error", why}}.dump() << "\n";
    else
        std::cerr << "switchboard-audit: cannot read " << file << ": " << why << "\n";
    return kTrouble;
}

int verify(const std::string& file, bool asJson) {
    std::error_code error;
    if (std::filesystem::is_directory(file, error))
        return unreadable(file, "is a directory", asJson);
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return unreadable(file, std::strerror(errno), asJson);
    const switchboard::AuditChainState state = switchboard::verifyAuditChain(in);
    if (in.bad())
        return unreadable(file, "read error", asJson);

    if (asJson) {
        nlohmann::json result = switchboard::toJson(state);
        result["file"] = file;
        result["warnings"] = state.warnings;
        std::cout << result.dump(2) << "\n";
    } else {
        if (state.firstBreak) {
            std::cout << file << ": " << switchboard::describe(*state.firstBreak) << "\n";
        } else {
            std::cout << file << ": " << state.entries << " entries";
            if (state.legacyEntries > 0)
                std::cout << " (" << state.legacyEntries << " from before the chain, unverified)";
            std::cout << ", chain intact (last hash " << state.lastLineHash << ")\n";
        }
        for (const std::string& warning : state.warnings)
            std::cout << file << ": note: " << warning << "\n";
    }
    return state.intact() ? kIntact : kBroken;
}

} // namespace

int main(int argc, char** argv) {
    std::string command;
    std::string file;
    bool asJson = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument == "-h" || argument == "--help") {
            std::cout << kUsage;
            return kIntact;
        }
        if (argument == "--json")
            asJson = true;
        else if (argument.size() > 1 && argument.front() == '-')
            return usageError("unknown option " + std::string(argument));
        else if (command.empty())
            command = argument;
        else if (file.empty())
            file = argument;
        else
            return usageError("one file at a time");
    }
    if (command != "verify")
        return usageError(command.empty() ? "no command" : "unknown command " + command);
    if (file.empty())
        return usageError("no file to verify");
    try {
        return verify(file, asJson);
    } catch (const std::exception& failure) {
        return unreadable(file, failure.what(), asJson);
    }
}
