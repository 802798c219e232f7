#pragma once

#include "CacheInvalidation.h"
#include "DrillRequest.h"
#include "ShardsRebalance.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace switchboard::cli {

// Everything switchboard-cli was asked to do, read from its command line and checked before
// anything is sent: a bad option, a missing value or a live drill without its confirmation is a
// usage error (exit 2) and no agent hears of it.
struct CliOptions {
    enum class Step { None, Plan, Run };

    QString verb; // agents, snapshot, rebalance, invalidate, drill, job, jobs, cancel, audit
    Step step = Step::None;
    QString jobId; // job, cancel

    // Which agent and with which token (one of agentUrl, stackFile, workspaceFile).
    QString agentUrl;
    QString stackFile;
    QString workspaceFile;
    QString instance;
    QString tokenFile; // overrides the stack's or the workspace's
    QString caFile;    // overrides the workspace's
    int timeoutMs = 10000;

    QString section;    // snapshot
    int limit = 100;    // audit
    qint64 before = -1; // audit: older than this seq; -1: the newest page

    bool wait = true;     // run, cancel: follow the job to its end; job: only with --wait
    int waitLimitS = 600; // how long a job is followed before giving up
    QString target;       // the action's target; empty: the one the agent's snapshot names

    RebalanceRequest rebalance;
    InvalidateRequest invalidate;
    DrillRequest drill;

    bool help = false;
    bool version = false;

    // Whether the verb POSTs to the agent (plan, run, cancel): it needs an operator token.
    bool acts() const;
    // Whether the verb may follow a job, where an interrupt must cancel it or stop watching
    // rather than end the program at once.
    bool followsJobs() const;
};

struct ParsedCommandLine {
    std::optional<CliOptions> options;
    QString error; // what is wrong with the command line, when options is empty
};

// `arguments` without the program name.
ParsedCommandLine parseCommandLine(const QStringList& arguments);

// The --help text: verbs, options and exit codes.
QString usageText();

} // namespace switchboard::cli
