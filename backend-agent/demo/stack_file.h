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
    // The full profile: the region, a Patroni node's REST port and cluster (scope), HAProxy's
    // replica-port conninfo.
    std::string region;
    int restPort = 0;
    std::string cluster;
    std::string replicaConninfo;
    std::string upstream; // a replica's or shard standby's primary (its name)
};

// A Patroni cluster of the full profile (the stack file's "patroni"."clusters").
struct StackCluster {
    std::string scope;
    std::string region;
    bool standby = false;
    std::vector<std::string> members;
    std::string slot; // a standby cluster's permanent slot on the cluster it follows
};

struct StackFile {
    std::vector<StackServer> servers;
    std::vector<std::string> tokenFiles; // viewer and operator
    std::string dir;                     // the stack's folder
    std::vector<StackCluster> clusters;  // full profile only

    // Throws std::runtime_error naming the file and what is wrong with it.
    static StackFile read(const std::string& path);
    // The first server with that role; throws if there is none.
    const StackServer& first(const std::string& role) const;
    std::vector<StackServer> all(const std::string& role) const;
    const StackServer* named(const std::string& name) const;
    // Where "the primary" is: the minimal profile's pg-primary, or in the full profile HAProxy's
    // primary port (which follows the Patroni leader). Throws if there is neither.
    std::string primaryConninfo() const;
};

} // namespace demo
