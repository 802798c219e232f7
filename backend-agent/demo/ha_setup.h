// The agent's "ha" configuration for a local stack. The full profile: its Patroni clusters as
// regions (the one that is not a standby cluster active), each member's REST URL. The minimal
// profile: one direct region (no Patroni) of the primary and its replica, named `region`. Both:
// the demo's sequence-numbered orders as the drills' writes table, and `scripts/stack kill` as
// the fault command of unplanned-failover drills when the demo knows where that script is.
#pragma once

#include "stack_file.h"

#include <optional>
#include <string>
#include <switchboard/agent_config.h>

namespace demo {

switchboard::HaConfig haConfig(const StackFile& stack, const std::string& stackScript,
                               const std::string& region);

} // namespace demo
