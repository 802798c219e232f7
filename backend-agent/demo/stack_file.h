// The servers of a local stack, read from the stack file `scripts/stack up` writes
// (docs/stack.md): where the demo's primary, replica, shard nodes and Redis are, and the stack's
// tokens.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace demo {

struct StackServer {
    std::string name;
    std::string role; // primary, replica, shard, cache
    std::string host;
    int port = 0;
    std::string conninfo; // PostgreSQL servers only
    bool extra = false;   // a shard node started to be added by a rebalance (--extra-shard)
};

struct StackFile {
    std::vector<StackServer> servers;
    std::vector<std::string> tokenFiles; // viewer and operator

    // Throws std::runtime_error naming the file and what is wrong with it.
    static StackFile read(const std::string& path);
    // The first server with that role; throws if there is none.
    const StackServer& first(const std::string& role) const;
    std::vector<StackServer> all(const std::string& role) const;
};

} // namespace demo
