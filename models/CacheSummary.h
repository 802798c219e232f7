#pragma once

#include "CacheStatus.h"
#include "Health.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace switchboard {

// How an instance's cache (or a Redis target's) should worry an operator, worst last.
enum class CacheHealth {
    Healthy = 0,     // hit rate at or above the target (or no target, or no gets)
    BelowTarget = 1, // hit rate under the agent's target_hit_rate
    Stale = 2,       // what is shown is old: the agent is unreachable
    RedisDown = 3,   // L2 does not answer: every get falls through to the loader
};

// "healthy", "below target", "stale", "Redis down".
QString cacheHealthText(CacheHealth health);
// Green, amber, amber, red.
Health cacheHealthColour(CacheHealth health);

// Figures over one or more instances' last intervals. Hit rates are the agents' own, averaged
// weighted by each instance's gets in that layer, so the busiest instance counts most; rates
// and counts are summed. -1: unknown (no instance reported it, or no gets).
struct CacheFigures {
    double hitRate = -1.0; // answered by L1 or L2
    double l1HitRate = -1.0;
    double l2HitRate = -1.0;
    double getsPerSecond = -1.0;
    double loadsPerSecond = -1.0;
    qint64 l1Entries = -1;
    qint64 l1Bytes = -1;
    qint64 l1Evictions = -1;
    qint64 l2Errors = -1;
    qint64 l2Skipped = -1;

    friend bool operator==(const CacheFigures&, const CacheFigures&) = default;
};

CacheFigures cacheFiguresOf(const QList<const CacheStatus*>& reports);

// One prefix over the instances that share a Redis: hits and misses summed, keys and memory
// from the freshest report (they are Redis's, the same for every instance).
struct CachePrefixSummary {
    QString prefix;
    qint64 l1Hits = 0;
    qint64 l2Hits = 0;
    qint64 misses = 0;
    double hitRate = -1.0; // the instances' rates weighted by their gets of the prefix
    qint64 keys = -1;
    qint64 memoryBytes = -1;

    friend bool operator==(const CachePrefixSummary&, const CachePrefixSummary&) = default;
};

// In the order the freshest report lists them, then prefixes only other instances report.
QList<CachePrefixSummary> sumCachePrefixes(const QList<const CacheStatus*>& reports,
                                           const CacheStatus* freshest);

// Everything the Cache view shows about one Redis target (the instances sharing it), as a value.
struct CacheTargetSummary {
    QString key;                 // the Redis target, or "agent:<id>" for an agent that names none
    QString target;              // as reported
    CacheRedisStatus redis;      // from the freshest report
    double targetHitRate = -1.0; // percent; -1: no target named
    CacheFigures now;            // over the live instances (every instance when none is live)
    QList<CachePrefixSummary> prefixes;
    QString channel;       // the invalidation channel, from the freshest report
    int subscribed = 0;    // instances listening on it now
    QStringList reporters; // instance names, the source first
    QString sourceAgentId; // whose report the Redis figures come from
    bool stale = false;    // every reporting agent is unreachable
    QDateTime staleSince;  // invalid when not stale or not known

    bool isEmpty() const { return key.isEmpty(); }
    CacheHealth health() const;

    friend bool operator==(const CacheTargetSummary&, const CacheTargetSummary&) = default;
};

// One point of the hit-rate chart: each layer's rate at one time, -1 where unknown.
struct CacheHitRatePoint {
    qint64 timeMs = 0;
    double hitRate = -1.0;
    double l1HitRate = -1.0;
    double l2HitRate = -1.0;
};

// "4.2 MiB of 64 MiB (6.6 %)", "4.2 MiB (no limit)", "–".
QString cacheMemoryText(qint64 used, qint64 max);

} // namespace switchboard
