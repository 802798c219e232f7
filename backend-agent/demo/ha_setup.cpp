#include "ha_setup.h"

namespace demo {

namespace {

// The stack's standby region is created as "eu-west" following "us-east"; its way back (the
// slot us-east follows eu-west by after a region failover) is named here.
constexpr const char* kFailbackSlot = "standby_us_east";

// Each region's server for each shard node: the shard nodes in their own region, their
// standbys (role shard_standby, "upstream" naming the node) in the standby's region.
void addShards(const StackFile& stack, switchboard::HaConfig& ha) {
    for (auto& region : ha.regions) {
        for (const auto& shard : stack.all("shard"))
            if (!shard.extra && shard.region == region.name)
                region.shards[shard.name] = shard.conninfo;
        for (const auto& standby : stack.all("shard_standby"))
            if (standby.region == region.name && !standby.upstream.empty())
                region.shards[standby.upstream] = standby.conninfo;
    }
}

// How each region's cluster follows the other (region_failback): the standby region through
// HAProxy's primary port on its permanent slot, as `scripts/stack up` set it; the active region
// from the standby region's leader directly (no proxy there).
void addStandbyClusters(const StackFile& stack, switchboard::HaConfig& ha) {
    const StackServer* proxy = nullptr;
    for (const auto& server : stack.servers)
        if (server.role == "proxy")
            proxy = &server;
    for (const auto& cluster : stack.clusters) {
        for (auto& region : ha.regions) {
            if (region.name != cluster.region)
                continue;
            if (cluster.standby && proxy) {
                region.standbyCluster = {proxy->host, proxy->port, cluster.slot};
            } else {
                for (const auto& other : stack.clusters)
                    if (other.standby && !other.members.empty())
                        if (const StackServer* leader = stack.named(other.members.front()))
                            region.standbyCluster = {leader->host, leader->port, kFailbackSlot};
            }
        }
    }
}

} // namespace

switchboard::HaConfig haConfig(const StackFile& stack, const std::string& stackScript,
                               const std::string& regionName) {
    switchboard::HaConfig ha;
    ha.enabled = true;
    ha.tier = "critical";
    // The demo's own goals, far tighter than the tier's hour: what a drill here can show.
    ha.rtoTargetMs = 15000;
    ha.rpoTargetMs = 1000;
    ha.memberConninfo = "user=switchboard dbname=switchboard connect_timeout=2";
    ha.writesTable = "demo_orders";
    std::vector<std::string> faultCommand;
    if (!stackScript.empty() && !stack.dir.empty())
        faultCommand = {stackScript, "kill", "--dir", stack.dir, "--name", "{member}"};
    if (stack.clusters.empty()) {
        // The minimal profile: the agent's postgres.primary and .replicas are the members.
        switchboard::HaRegionConfig region;
        region.name = regionName;
        region.provider = "direct";
        region.primaryName = stack.first("primary").name;
        region.faultCommand = faultCommand;
        ha.regions.push_back(std::move(region));
        return ha;
    }
    for (const auto& cluster : stack.clusters) {
        switchboard::HaRegionConfig region;
        region.name = cluster.region;
        region.role = cluster.standby ? "standby" : "active";
        region.cluster = cluster.scope;
        for (const auto& member : cluster.members)
            if (const StackServer* server = stack.named(member); server && server->restPort)
                region.patroni.push_back("http://" + server->host + ":" +
                                         std::to_string(server->restPort));
        region.faultCommand = faultCommand;
        ha.regions.push_back(std::move(region));
    }
    addShards(stack, ha);
    addStandbyClusters(stack, ha);
    if (!stackScript.empty() && !stack.dir.empty())
        ha.shardRejoinCommand = {stackScript,       "rebuild-standby", "--dir",
                                 stack.dir,         "--port",          "{port}",
                                 "--upstream-port", "{upstream_port}"};
    return ha;
}

} // namespace demo
