#pragma once

#include "AgentSession.h"
#include "InterruptSignals.h"

#include <optional>

namespace switchboard::cli {

// How following a job ended: its last state (final or not) or the refusal that ended it.
struct FollowedJob {
    ActionJob job;
    std::optional<ActionError> error; // a read or the cancel refused (not a network error)
    bool interrupted = false;         // a signal asked to stop; the job was cancelled first
};

// Follows `job` to its end by GET /v1/jobs/<id> four times a second, one request at a time,
// with a progress line on stderr whenever it moves; a network error is retried, until
// `limitSeconds` have passed. With `cancelOnInterrupt`, the first SIGINT/SIGTERM cancels the job
// and following goes on until it has stopped (the agent ends it at a safe point); a second one
// stops following at once.
FollowedJob followJob(AgentSession& session, const ActionJob& job, InterruptSignals& interrupts,
                      int limitSeconds, bool cancelOnInterrupt);

// "job j-81d2: running 42 % (copying bucket 17)"
QString jobLine(const ActionJob& job);

} // namespace switchboard::cli
