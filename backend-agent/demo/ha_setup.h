// The agent's "ha" configuration for a stack of the full profile: its Patroni clusters as
// regions (the one that is not a standby cluster active), each member's REST URL, the demo's
// sequence-numbered orders as the drills' writes table, and `scripts/stack kill` as the fault
// command of unplanned-failover drills when the demo knows where that script is.
#pragma once

#include "stack_file.h"

#include <optional>
#include <string>
#include <switchboard/agent_config.h>

namespace demo {

// Nothing for a stack without Patroni clusters (the minimal profile).
std::optional<switchboard::HaConfig> haConfig(const StackFile& stack,
                                              const std::string& stackScript);

} // namespace demo
