#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>
#include <switchboard/protocol.h>

namespace switchboard {

// L1, the cache in the backend's own process. Counts are since the agent started; rates and
// the hit rate (percent) are over the last interval. -1: not reported (or, for a rate, no gets
// in the interval).
struct CacheL1Layer {
    qint64 hits = -1;
    qint64 misses = -1;
    double hitsPerSecond = -1.0;
    double missesPerSecond = -1.0;
    double hitRate = -1.0;
    qint64 entries = -1;
    qint64 bytes = -1;
    qint64 evictions = -1;

    friend bool operator==(const CacheL1Layer&, const CacheL1Layer&) = default;
};

// L2, Redis as the backend's cache client sees it. `skipped`: gets that did not ask Redis
// because its breaker refused; `breaker`: that breaker's state name.
struct CacheL2Layer {
    qint64 hits = -1;
    qint64 misses = -1;
    qint64 errors = -1;
    qint64 skipped = -1;
    double hitsPerSecond = -1.0;
    double missesPerSecond = -1.0;
    double hitRate = -1.0;
    QString breaker;

    friend bool operator==(const CacheL2Layer&, const CacheL2Layer&) = default;
};

// The backend's loader, behind both layers. `coalesced`: gets that waited for another get's
// load of the same key (single flight).
struct CacheLoaderLayer {
    qint64 loads = -1;
    qint64 errors = -1;
    qint64 coalesced = -1;
    double loadsPerSecond = -1.0;

    friend bool operator==(const CacheLoaderLayer&, const CacheLoaderLayer&) = default;
};

// One key prefix (the key up to its last ':'). Hits and misses are this instance's counts;
// keys and memory are estimates from the cache probe's sample of Redis (-1 before the first).
struct CachePrefixStats {
    QString prefix;
    qint64 l1Hits = 0;
    qint64 l2Hits = 0;
    qint64 misses = 0;
    double hitRate = -1.0;
    qint64 keys = -1;
    qint64 memoryBytes = -1;

    qint64 gets() const { return l1Hits + l2Hits + misses; }
    friend bool operator==(const CachePrefixStats&, const CachePrefixStats&) = default;
};

// Redis from INFO. `maxMemory` 0 means no limit; counters became rates over the probe interval.
struct CacheRedisStatus {
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    QString error;
    QString target; // host:port: instances naming the same one share its keys
    qint64 usedMemory = -1;
    qint64 maxMemory = -1;
    qint64 evictedKeys = -1;
    double evictionsPerSecond = -1.0;
    double keyspaceHitsPerSecond = -1.0;
    double keyspaceMissesPerSecond = -1.0;
    double hitRate = -1.0;
    qint64 connectedClients = -1;
    qint64 keys = -1;

    bool isDown() const { return status == protocol::ProbeStatus::Down; }
    friend bool operator==(const CacheRedisStatus&, const CacheRedisStatus&) = default;
};

// The last invalidation message an instance applied to its L1.
struct CacheInvalidationMessage {
    QString id;
    QString match; // key, prefix or pattern
    QString value;
    qint64 removed = -1;
    QString from; // the instance that ran the invalidation

    friend bool operator==(const CacheInvalidationMessage&,
                           const CacheInvalidationMessage&) = default;
};

// The pub/sub channel an instance listens on for L1 invalidations.
struct CacheInvalidationStatus {
    QString channel;
    bool subscribed = false;
    qint64 received = 0;
    std::optional<CacheInvalidationMessage> last;

    friend bool operator==(const CacheInvalidationStatus&,
                           const CacheInvalidationStatus&) = default;
};

// An agent's tiered cache ("cache" in a snapshot or event).
struct CacheStatus {
    qint64 checkedMs = 0;
    qint64 intervalMs = 0;
    double targetHitRate = -1.0; // percent; -1: the agent names no target
    double hitRate = -1.0;       // gets answered by L1 or L2 over the last interval
    CacheL1Layer l1;
    CacheL2Layer l2;
    CacheLoaderLayer loader;
    QList<CachePrefixStats> prefixes;
    CacheRedisStatus redis;
    CacheInvalidationStatus invalidation;

    // Gets per second over the last interval (L1 sees every get); -1 when unknown.
    double getsPerSecond() const;
    double l2GetsPerSecond() const;

    friend bool operator==(const CacheStatus&, const CacheStatus&) = default;
};

// Tolerant, as parseShardsStatus: a missing field keeps its default and a field of the wrong
// type counts as missing, so one odd value never costs the whole snapshot.
CacheStatus parseCacheStatus(const QJsonObject& object);

// "83.5 %"; "–" when unknown (negative).
QString cachePercentText(double percent);
// "950 /s", "2.5 /s"; "–" when unknown.
QString cacheRateText(double perSecond);

} // namespace switchboard
