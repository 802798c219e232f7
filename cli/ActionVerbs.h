#pragma once

#include "CliOptions.h"
#include "ExitCode.h"
#include "InterruptSignals.h"

namespace switchboard::cli {

// rebalance, invalidate and drill, plan or run, through the agent's action pipeline: plan (a
// dry run), and for run: refuse unless the plan is executable, confirm, follow the job.
ExitCode runAction(const CliOptions& options, InterruptSignals& interrupts);
// cancel JOB: asks the agent to stop it and, unless --no-wait, waits until it has.
ExitCode runCancel(const CliOptions& options, InterruptSignals& interrupts);

} // namespace switchboard::cli
