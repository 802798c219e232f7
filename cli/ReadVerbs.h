#pragma once

#include "CliOptions.h"
#include "ExitCode.h"
#include "InterruptSignals.h"

namespace switchboard::cli {

// The verbs that only read: agents, snapshot, job, jobs, audit. Each prints the agent's own
// document on stdout.
ExitCode runAgents(const CliOptions& options);
ExitCode runSnapshot(const CliOptions& options);
ExitCode runJob(const CliOptions& options, InterruptSignals& interrupts);
ExitCode runJobs(const CliOptions& options);
ExitCode runAudit(const CliOptions& options);

} // namespace switchboard::cli
