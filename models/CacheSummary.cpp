#include "CacheSummary.h"

#include "ReplicationStatus.h" // replicationBytesText: one way to write sizes

#include <QCoreApplication>
#include <QHash>
#include <algorithm>

namespace switchboard {

namespace {

// A weighted mean that stays unknown until some weight is known.
struct WeightedMean {
    double sum = 0.0;
    double weight = 0.0;
    bool any = false;

    void add(double value, double w) {
        if (value < 0)
            return;
        any = true;
        // An instance with no gets measured still says something when it is the only one.
        w = std::max(w, 0.0);
        sum += value * w;
        weight += w;
        if (w == 0.0)
            zeroWeighted.append(value);
    }
    double value() const {
        if (!any)
            return -1.0;
        if (weight > 0.0)
            return sum / weight;
        double plain = 0.0;
        for (double v : zeroWeighted)
            plain += v;
        return plain / double(zeroWeighted.size());
    }
    QList<double> zeroWeighted;
};

void addKnown(double* sum, double value) {
    if (value < 0)
        return;
    *sum = *sum < 0 ? value : *sum + value;
}

void addKnown(qint64* sum, qint64 value) {
    if (value < 0)
        return;
    *sum = *sum < 0 ? value : *sum + value;
}

} // namespace

QString cacheHealthText(CacheHealth health) {
    switch (health) {
    case CacheHealth::Healthy:
        return QCoreApplication::translate("Cache", "healthy");
    case CacheHealth::BelowTarget:
        return QCoreApplication::translate("Cache", "below target");
    case CacheHealth::Stale:
        return QCoreApplication::translate("Cache", "stale");
    case CacheHealth::RedisDown:
        return QCoreApplication::translate("Cache", "Redis down");
    }
    return {};
}

Health cacheHealthColour(CacheHealth health) {
    switch (health) {
    case CacheHealth::Healthy:
        return Health::Up;
    case CacheHealth::BelowTarget:
    case CacheHealth::Stale:
        return Health::Unknown;
    case CacheHealth::RedisDown:
        return Health::Down;
    }
    return Health::Unknown;
}

CacheFigures cacheFiguresOf(const QList<const CacheStatus*>& reports) {
    CacheFigures figures;
    WeightedMean overall;
    WeightedMean l1;
    WeightedMean l2;
    for (const CacheStatus* report : reports) {
        overall.add(report->hitRate, report->getsPerSecond());
        l1.add(report->l1.hitRate, report->getsPerSecond());
        l2.add(report->l2.hitRate, report->l2GetsPerSecond());
        addKnown(&figures.getsPerSecond, report->getsPerSecond());
        addKnown(&figures.loadsPerSecond, report->loader.loadsPerSecond);
        addKnown(&figures.l1Entries, report->l1.entries);
        addKnown(&figures.l1Bytes, report->l1.bytes);
        addKnown(&figures.l1Evictions, report->l1.evictions);
        addKnown(&figures.l2Errors, report->l2.errors);
        addKnown(&figures.l2Skipped, report->l2.skipped);
    }
    figures.hitRate = overall.value();
    figures.l1HitRate = l1.value();
    figures.l2HitRate = l2.value();
    return figures;
}

QList<CachePrefixSummary> sumCachePrefixes(const QList<const CacheStatus*>& reports,
                                           const CacheStatus* freshest) {
    QList<CachePrefixSummary> summaries;
    QHash<QString, qsizetype> rowOf;
    auto rowFor = [&](const QString& prefix) -> CachePrefixSummary& {
        auto it = rowOf.constFind(prefix);
        if (it == rowOf.constEnd()) {
            CachePrefixSummary summary;
            summary.prefix = prefix;
            summaries.append(summary);
            it = rowOf.insert(prefix, summaries.size() - 1);
        }
        return summaries[*it];
    };
    // The freshest report's order first: it is the agent's, busiest prefixes usually first.
    if (freshest) {
        for (const CachePrefixStats& prefix : freshest->prefixes) {
            CachePrefixSummary& row = rowFor(prefix.prefix);
            row.keys = prefix.keys;
            row.memoryBytes = prefix.memoryBytes;
        }
    }
    QHash<QString, WeightedMean> rates;
    for (const CacheStatus* report : reports) {
        for (const CachePrefixStats& prefix : report->prefixes) {
            CachePrefixSummary& row = rowFor(prefix.prefix);
            row.l1Hits += prefix.l1Hits;
            row.l2Hits += prefix.l2Hits;
            row.misses += prefix.misses;
            rates[prefix.prefix].add(prefix.hitRate, double(prefix.gets()));
            // A prefix the freshest report lacks: keys and memory from whoever has them.
            if (row.keys < 0)
                row.keys = prefix.keys;
            if (row.memoryBytes < 0)
                row.memoryBytes = prefix.memoryBytes;
        }
    }
    for (CachePrefixSummary& row : summaries)
        row.hitRate = rates.value(row.prefix).value();
    return summaries;
}

CacheHealth CacheTargetSummary::health() const {
    if (stale)
        return CacheHealth::Stale;
    if (redis.isDown())
        return CacheHealth::RedisDown;
    if (targetHitRate >= 0 && now.hitRate >= 0 && now.hitRate < targetHitRate)
        return CacheHealth::BelowTarget;
    return CacheHealth::Healthy;
}

QString cacheMemoryText(qint64 used, qint64 max) {
    if (used < 0)
        return QStringLiteral("–");
    if (max <= 0)
        return QCoreApplication::translate("Cache", "%1 (no limit)")
            .arg(replicationBytesText(used));
    return QCoreApplication::translate("Cache", "%1 of %2 (%3 %)")
        .arg(replicationBytesText(used), replicationBytesText(max))
        .arg(double(used) * 100.0 / double(max), 0, 'f', 1);
}

} // namespace switchboard
