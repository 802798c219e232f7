#pragma once

#include "ActionError.h"
#include "ActionJob.h"
#include "ActionPlan.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace switchboard {

// The cache.invalidate action's parameters (docs/protocol.md, "Action cache.invalidate").
struct InvalidateRequest {
    enum class Match { Key, Prefix, Pattern };

    static constexpr qsizetype kMaxValueBytes = 512;
    static constexpr int kDefaultRate = 200000;
    static constexpr int kMaxRate = 10000000;

    Match match = Match::Prefix;
    QString value;
    int rate = kDefaultRate; // keys per second, the throttle for UNLINK
    bool allowMatchAll = false;

    static QString matchName(Match match); // "key", "prefix", "pattern"
    // A selection of every key: an empty prefix, or a pattern of nothing but '*'. The agent
    // refuses those without allow_match_all; the console asks its own confirmation first.
    bool isMatchAll() const;
    // Why the agent would refuse it as malformed, in words; empty when it is fine. A match-all
    // selection is fine here (it has its own confirmation).
    QString problem() const;
    // The plan's params, as POST /v1/plans takes them. An empty prefix goes as the pattern "*":
    // the same keys, and a value within the documented 1 to 512 bytes.
    QJsonObject params() const;
};

// What an invalidation plan carries beside the common plan. Read tolerantly, from the plan's
// "details" object or, failing that, from the plan itself.
struct InvalidatePlanDetails {
    qint64 matching = -1; // keys that match now; -1: not reported
    qint64 scanned = -1;  // keys the count looked at
    QStringList sample;   // up to 20 matching keys
    bool matchAll = false;
    double estimateSeconds = -1.0;
};

InvalidatePlanDetails invalidatePlanDetails(const ActionPlan& plan);

// How far a running invalidation got: unlinked of matching keys. Read from the job, its
// "details" or its "result"; -1 where absent.
struct InvalidateProgress {
    qint64 unlinked = -1;
    qint64 matching = -1;
};

InvalidateProgress invalidateJobProgress(const ActionJob& job);

// A finished invalidation's result, with the L1 acknowledgements per instance.
struct InvalidateResult {
    qint64 unlinked = -1;
    qint64 scanned = -1;
    qint64 elapsedMs = -1;
    double keysPerSecond = -1.0;
    int receivers = -1;            // instances subscribed when it was published
    QStringList acked;             // instance names that acknowledged
    QMap<QString, qint64> removed; // instance → entries it dropped from its L1
    int missing = -1;              // receivers that did not acknowledge within 2 s
    double ackMs = -1.0;
    QString error; // why the publish or the wait for acknowledgements failed, if it did
};

// nullopt while the job carries no result.
std::optional<InvalidateResult> invalidateJobResult(const ActionJob& job);

// The agent's refusal of a match-all selection that did not say allow_match_all.
bool isMatchAllRefusal(const ActionError& error);

} // namespace switchboard
