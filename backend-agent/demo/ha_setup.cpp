#include "ha_setup.h"

namespace demo {

std::optional<switchboard::HaConfig> haConfig(const StackFile& stack,
                                              const std::string& stackScript) {
    if (stack.clusters.empty())
        return std::nullopt;
    switchboard::HaConfig ha;
    ha.enabled = true;
    ha.tier = "critical";
    // The demo's own goals, far tighter than the tier's hour: what a drill here can show.
    ha.rtoTargetMs = 15000;
    ha.rpoTargetMs = 1000;
    ha.memberConninfo = "user=switchboard dbname=switchboard connect_timeout=2";
    for (const auto& cluster : stack.clusters) {
        switchboard::HaRegionConfig region;
        region.name = cluster.region;
        region.role = cluster.standby ? "standby" : "active";
        region.cluster = cluster.scope;
        for (const auto& member : cluster.members)
            if (const StackServer* server = stack.named(member); server && server->restPort)
                region.patroni.push_back("http://" + server->host + ":" +
                                         std::to_string(server->restPort));
        if (!stackScript.empty() && !stack.dir.empty())
            region.faultCommand = {stackScript, "kill", "--dir", stack.dir, "--name", "{member}"};
        ha.regions.push_back(std::move(region));
    }
    ha.writesTable = "demo_orders";
    return ha;
}

} // namespace demo
