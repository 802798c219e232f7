// Runs a region's fault command (ha.regions[].fault_command) for an unplanned-failover drill:
// the program with "{member}" replaced in its arguments, no shell, its output discarded, killed
// if it outlives the timeout. Every failure is a value.
#pragma once

#include <string>
#include <vector>

namespace switchboard {

struct FaultOutcome {
    bool ok = false;
    std::string error; // why not: could not start, exit status, signal, timeout
};

FaultOutcome runFaultCommand(const std::vector<std::string>& command, const std::string& member,
                             int timeoutMs);

} // namespace switchboard
