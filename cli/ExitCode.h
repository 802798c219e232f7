#pragma once

#include "ActionError.h"

namespace switchboard::cli {

// What switchboard-cli's exit status says happened (docs/cli.md, "Exit codes"); scripts branch
// on these, so they never change meaning.
enum class ExitCode {
    Done = 0,
    JobFailed = 1,     // failed, cancelled, or still running when following gave up
    Usage = 2,         // nothing was sent
    Refused = 3,       // the agent said no (4xx other than 401/403, 503, not executable)
    Unauthorized = 4,  // 401, 403
    Unreachable = 5,   // no usable answer: network, timeout, TLS, garbage
    Interrupted = 130, // Ctrl-C before anything was confirmed, as shells report SIGINT
};

// The exit code an agent's refusal or a failed request means.
ExitCode exitCodeOf(const ActionError& error);

} // namespace switchboard::cli
