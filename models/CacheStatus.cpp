#include "CacheStatus.h"

#include "CacheWireNames.h"
#include "TolerantJson.h"

#include <QJsonArray>

namespace switchboard {

namespace wire = cache_wire;
namespace field = protocol::field;
using namespace tolerant;

namespace {

// A percentage the agent computed: -1 (no gets) and anything outside 0..100 is unknown.
double percent(const QJsonValue& value) {
    const double p = number(value, -1.0);
    return p >= 0.0 && p <= 100.0 ? p : -1.0;
}

CacheL1Layer parseL1(const QJsonObject& object) {
    CacheL1Layer l1;
    l1.hits = integer(at(object, wire::kHits), -1);
    l1.misses = integer(at(object, wire::kMisses), -1);
    l1.hitsPerSecond = number(at(object, wire::kHitsPerSecond), -1.0);
    l1.missesPerSecond = number(at(object, wire::kMissesPerSecond), -1.0);
    l1.hitRate = percent(at(object, wire::kHitRate));
    l1.entries = integer(at(object, wire::kEntries), -1);
    l1.bytes = integer(at(object, field::kBytes), -1);
    l1.evictions = integer(at(object, wire::kEvictions), -1);
    return l1;
}

CacheL2Layer parseL2(const QJsonObject& object) {
    CacheL2Layer l2;
    l2.hits = integer(at(object, wire::kHits), -1);
    l2.misses = integer(at(object, wire::kMisses), -1);
    l2.errors = integer(at(object, field::kErrors), -1);
    l2.skipped = integer(at(object, wire::kSkipped), -1);
    l2.hitsPerSecond = number(at(object, wire::kHitsPerSecond), -1.0);
    l2.missesPerSecond = number(at(object, wire::kMissesPerSecond), -1.0);
    l2.hitRate = percent(at(object, wire::kHitRate));
    l2.breaker = text(at(object, wire::kBreaker));
    return l2;
}

CacheLoaderLayer parseLoader(const QJsonObject& object) {
    CacheLoaderLayer loader;
    loader.loads = integer(at(object, wire::kLoads), -1);
    loader.errors = integer(at(object, field::kErrors), -1);
    loader.coalesced = integer(at(object, wire::kCoalesced), -1);
    loader.loadsPerSecond = number(at(object, wire::kLoadsPerSecond), -1.0);
    return loader;
}

CachePrefixStats parsePrefix(const QJsonObject& object) {
    CachePrefixStats prefix;
    prefix.prefix = text(at(object, wire::kPrefix));
    prefix.l1Hits = std::max<qint64>(0, integer(at(object, wire::kL1Hits), 0));
    prefix.l2Hits = std::max<qint64>(0, integer(at(object, wire::kL2Hits), 0));
    prefix.misses = std::max<qint64>(0, integer(at(object, wire::kMisses), 0));
    prefix.hitRate = percent(at(object, wire::kHitRate));
    prefix.keys = integer(at(object, wire::kKeys), -1);
    prefix.memoryBytes = integer(at(object, wire::kMemoryBytes), -1);
    return prefix;
}

CacheRedisStatus parseRedis(const QJsonObject& object) {
    CacheRedisStatus redis;
    redis.status = probeStatus(at(object, field::kStatus));
    redis.error = text(at(object, field::kError));
    redis.target = text(at(object, field::kTarget));
    redis.usedMemory = integer(at(object, wire::kUsedMemory), -1);
    redis.maxMemory = integer(at(object, wire::kMaxMemory), -1);
    redis.evictedKeys = integer(at(object, wire::kEvictedKeys), -1);
    redis.evictionsPerSecond = number(at(object, wire::kEvictionsPerSecond), -1.0);
    redis.keyspaceHitsPerSecond = number(at(object, wire::kKeyspaceHitsPerSecond), -1.0);
    redis.keyspaceMissesPerSecond = number(at(object, wire::kKeyspaceMissesPerSecond), -1.0);
    redis.hitRate = percent(at(object, wire::kHitRate));
    redis.connectedClients = integer(at(object, wire::kConnectedClients), -1);
    redis.keys = integer(at(object, wire::kKeys), -1);
    return redis;
}

CacheInvalidationStatus parseInvalidation(const QJsonObject& object) {
    CacheInvalidationStatus invalidation;
    invalidation.channel = text(at(object, wire::kChannel));
    invalidation.subscribed = boolean(at(object, wire::kSubscribed), false);
    invalidation.received = integer(at(object, wire::kReceived), 0);
    const QJsonValue last = at(object, wire::kLast);
    if (last.isObject()) {
        const QJsonObject message = last.toObject();
        CacheInvalidationMessage applied;
        applied.id = text(at(message, wire::kId));
        applied.match = text(at(message, wire::kMatch));
        applied.value = text(at(message, wire::kValue));
        applied.removed = integer(at(message, wire::kRemoved), -1);
        applied.from = text(at(message, wire::kFrom));
        invalidation.last = applied;
    }
    return invalidation;
}

// Adds rates that may be unknown (-1): unknown only when both are.
double plus(double a, double b) {
    if (a < 0 && b < 0)
        return -1.0;
    return std::max(a, 0.0) + std::max(b, 0.0);
}

} // namespace

double CacheStatus::getsPerSecond() const {
    return plus(l1.hitsPerSecond, l1.missesPerSecond);
}

double CacheStatus::l2GetsPerSecond() const {
    return plus(l2.hitsPerSecond, l2.missesPerSecond);
}

CacheStatus parseCacheStatus(const QJsonObject& object) {
    CacheStatus cache;
    cache.checkedMs = integer(at(object, field::kCheckedMs), 0);
    cache.intervalMs = integer(at(object, field::kIntervalMs), 0);
    cache.targetHitRate = percent(at(object, wire::kTargetHitRate));
    cache.hitRate = percent(at(object, wire::kHitRate));
    const QJsonObject layers = at(object, wire::kLayers).toObject();
    cache.l1 = parseL1(at(layers, wire::kL1).toObject());
    cache.l2 = parseL2(at(layers, wire::kL2).toObject());
    cache.loader = parseLoader(at(layers, wire::kLoader).toObject());
    for (const QJsonValue& prefix : at(object, wire::kPrefixes).toArray()) {
        if (prefix.isObject())
            cache.prefixes.append(parsePrefix(prefix.toObject()));
    }
    cache.redis = parseRedis(at(object, wire::kRedis).toObject());
    cache.invalidation = parseInvalidation(at(object, wire::kInvalidation).toObject());
    return cache;
}

QString cachePercentText(double percent) {
    if (percent < 0 || !std::isfinite(percent))
        return QStringLiteral("–");
    return QStringLiteral("%1 %").arg(percent, 0, 'f', 1);
}

QString cacheRateText(double perSecond) {
    if (perSecond < 0 || !std::isfinite(perSecond))
        return QStringLiteral("–");
    return QStringLiteral("%1 /s").arg(perSecond, 0, 'f', perSecond < 10 ? 1 : 0);
}

} // namespace switchboard
