#include "Scorecard.h"

#include "ProtocolNames.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>
#include <QMap>
#include <QSet>
#include <algorithm>
#include <functional>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("Scorecard", text);
}

QString number(double value, int decimals = 0) {
    return QLocale().toString(value, 'f', decimals);
}

// A figure that must stay under its limit: fail at or over it, warn within the band below it.
Verdict underLimit(double value, double limit, double band) {
    if (value >= limit)
        return Verdict::Fail;
    return value >= limit * (1 - band) ? Verdict::Warn : Verdict::Pass;
}

// A figure that must stay over its limit: fail under it, warn within the band above it.
Verdict overLimit(double value, double limit, double band) {
    if (value < limit)
        return Verdict::Fail;
    return value < limit * (1 + band) ? Verdict::Warn : Verdict::Pass;
}

ScoreLine unknown(ScoreLine line, const QString& why) {
    line.verdict = Verdict::Unknown;
    line.figure = QStringLiteral("–");
    line.why = why;
    return line;
}

// The "why" of a verdict on a figure against a limit.
QString against(Verdict verdict, const QString& figure, const QString& limit,
                const QString& where) {
    switch (verdict) {
    case Verdict::Fail:
        return tr("%1 at %2: past the limit of %3").arg(figure, where, limit);
    case Verdict::Warn:
        return tr("%1 at %2: close to the limit of %3").arg(figure, where, limit);
    default:
        return tr("worst %1 (%2), limit %3").arg(figure, where, limit);
    }
}

ScoreLine replicaLag(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line{QStringLiteral("replica_lag"),
                   tr("Replica lag < %1 ms").arg(number(limits.replicaLagMs)),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("replication")};
    double worstMs = -1;
    QString worstName;
    QStringList notStreaming;
    QSet<QString> seen;
    for (const ScorecardAgent& agent : agents) {
        if (!agent.snapshot.replication)
            continue;
        for (const ReplicaStatus& replica : agent.snapshot.replication->replicas) {
            if (seen.contains(replica.name))
                continue; // the same replica seen by another instance
            seen.insert(replica.name);
            if (replica.stateName != QLatin1String("streaming") ||
                replica.status == protocol::ProbeStatus::Down) {
                notStreaming.append(QStringLiteral("%1 (%2)").arg(
                    replica.name, replica.stateName.isEmpty() ? tr("down") : replica.stateName));
                continue;
            }
            const double lagMs = replica.replayLagSeconds * 1000.0;
            if (lagMs > worstMs) {
                worstMs = lagMs;
                worstName = replica.name;
            }
        }
    }
    if (seen.isEmpty())
        return unknown(line, tr("no agent reports replication"));
    if (!notStreaming.isEmpty()) {
        line.verdict = Verdict::Fail;
        line.figure = tr("%1 of %2 not streaming").arg(notStreaming.size()).arg(seen.size());
        line.why = tr("not streaming: %1").arg(notStreaming.join(QStringLiteral(", ")));
        return line;
    }
    line.verdict = underLimit(worstMs, limits.replicaLagMs, limits.warnBand);
    line.figure = tr("%1 ms").arg(number(worstMs));
    line.why =
        against(line.verdict, line.figure, tr("%1 ms").arg(number(limits.replicaLagMs)), worstName);
    return line;
}

ScoreLine cacheHitRate(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line{QStringLiteral("cache_hit_rate"),
                   tr("Cache hit rate > %1 %").arg(number(limits.cacheHitRatePercent)),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("cache")};
    double worst = -1;
    QString worstName;
    bool anyCache = false;
    for (const ScorecardAgent& agent : agents) {
        if (!agent.snapshot.cache)
            continue;
        anyCache = true;
        const double rate = agent.snapshot.cache->hitRate;
        if (rate >= 0 && (worst < 0 || rate < worst)) {
            worst = rate;
            worstName = agent.name;
        }
    }
    if (!anyCache)
        return unknown(line, tr("no agent reports a cache"));
    if (worst < 0)
        return unknown(line, tr("no cache gets in the last interval"));
    line.verdict = overLimit(worst, limits.cacheHitRatePercent, limits.warnBand);
    line.figure = tr("%1 %").arg(number(worst, 1));
    line.why = against(line.verdict, line.figure,
                       tr("%1 %").arg(number(limits.cacheHitRatePercent)), worstName);
    return line;
}

ScoreLine redisMemory(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line{QStringLiteral("redis_memory"),
                   tr("Redis memory < %1 %").arg(number(limits.redisMemoryPercent)),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("cache")};
    QMap<QString, CacheRedisStatus> redises; // by host:port: instances share one Redis
    for (const ScorecardAgent& agent : agents)
        if (agent.snapshot.cache && !agent.snapshot.cache->redis.target.isEmpty())
            redises.insert(agent.snapshot.cache->redis.target, agent.snapshot.cache->redis);
    if (redises.isEmpty())
        return unknown(line, tr("no agent reports a Redis"));
    double worst = -1;
    QString worstTarget;
    QStringList down, unbounded;
    for (auto it = redises.cbegin(); it != redises.cend(); ++it) {
        if (it->isDown()) {
            down.append(it.key());
        } else if (it->maxMemory <= 0) {
            unbounded.append(it.key());
        } else if (it->usedMemory >= 0) {
            const double percent = 100.0 * double(it->usedMemory) / double(it->maxMemory);
            if (percent > worst) {
                worst = percent;
                worstTarget = it.key();
            }
        }
    }
    if (!down.isEmpty()) {
        line.verdict = Verdict::Fail;
        line.figure = tr("%1 down").arg(down.size());
        line.why = tr("Redis down: %1").arg(down.join(QStringLiteral(", ")));
        return line;
    }
    if (worst >= 0) {
        line.verdict = underLimit(worst, limits.redisMemoryPercent, limits.warnBand);
        line.figure = tr("%1 %").arg(number(worst, 1));
        line.why = against(line.verdict, line.figure,
                           tr("%1 %").arg(number(limits.redisMemoryPercent)), worstTarget);
    }
    if (!unbounded.isEmpty() && line.verdict != Verdict::Fail) {
        // Without maxmemory a Redis grows until the host runs out: no percentage to grade.
        line.verdict = Verdict::Warn;
        if (line.figure.isEmpty())
            line.figure = tr("no limit");
        line.why = tr("no maxmemory set on %1: it grows until the host runs out")
                       .arg(unbounded.join(QStringLiteral(", ")));
    }
    return line;
}

ScoreLine openBreakers(const QList<ScorecardAgent>& agents) {
    ScoreLine line{
        QStringLiteral("open_breakers"), tr("No open breakers"), Verdict::Unknown, {}, {},
        QStringLiteral("breakers")};
    QStringList open, halfOpen;
    int breakers = 0;
    for (const ScorecardAgent& agent : agents)
        for (const BreakerStatus& breaker : agent.snapshot.breakers) {
            ++breakers;
            const QString where = QStringLiteral("%1 on %2").arg(breaker.name, agent.name);
            if (breaker.state == protocol::BreakerState::Open)
                open.append(where);
            else if (breaker.state == protocol::BreakerState::ForcedOpen)
                open.append(tr("%1 (forced by an operator)").arg(where));
            else if (breaker.state == protocol::BreakerState::HalfOpen)
                halfOpen.append(where);
        }
    if (breakers == 0)
        return unknown(line, tr("no agent reports a breaker"));
    line.figure =
        tr("%1 open, %2 half-open of %3").arg(open.size()).arg(halfOpen.size()).arg(breakers);
    if (!open.isEmpty()) {
        line.verdict = Verdict::Fail;
        line.why = tr("open: %1").arg(open.join(QStringLiteral(", ")));
    } else if (!halfOpen.isEmpty()) {
        line.verdict = Verdict::Warn;
        line.why = tr("half-open, probing: %1").arg(halfOpen.join(QStringLiteral(", ")));
    } else {
        line.verdict = Verdict::Pass;
        line.why = tr("every breaker closed");
    }
    return line;
}

ScoreLine errorRate(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line{QStringLiteral("error_rate"),
                   tr("Error rate < %1 %").arg(number(limits.errorRatePercent)),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("overview")};
    qint64 total = 0, errors = 0;
    QHash<QString, std::pair<qint64, qint64>> byRoute; // route → errors, total
    for (const ScorecardAgent& agent : agents)
        for (const RouteRequestStats& route : agent.snapshot.requests.routes) {
            total += route.total;
            errors += route.errors;
            auto& sums = byRoute[route.route];
            sums.first += route.errors;
            sums.second += route.total;
        }
    if (total == 0)
        return unknown(line, tr("no requests in the agents' last interval"));
    const double percent = 100.0 * double(errors) / double(total);
    QString worstRoute;
    double worstPercent = -1;
    for (auto it = byRoute.cbegin(); it != byRoute.cend(); ++it) {
        if (it->second == 0)
            continue;
        const double routePercent = 100.0 * double(it->first) / double(it->second);
        if (routePercent > worstPercent) {
            worstPercent = routePercent;
            worstRoute = it.key();
        }
    }
    line.verdict = underLimit(percent, limits.errorRatePercent, limits.warnBand);
    line.figure = tr("%1 %").arg(number(percent, 2));
    line.why = tr("%1 errors in %2 requests; worst route %3 at %4 %")
                   .arg(errors)
                   .arg(total)
                   .arg(worstRoute, number(worstPercent, 2));
    return line;
}

ScoreLine lastDrill(const QList<ScorecardAgent>& agents) {
    ScoreLine line{QStringLiteral("last_drill"),
                   tr("Last drill within the tier's RTO and RPO"),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("regions")};
    const DrillResult* newest = nullptr;
    const RegionsStatus* regions = nullptr;
    for (const ScorecardAgent& agent : agents) {
        if (!agent.snapshot.regions)
            continue;
        if (!regions)
            regions = &*agent.snapshot.regions;
        for (const DrillResult& drill : agent.snapshot.regions->drills)
            if (!newest || drill.finishedMs > newest->finishedMs) {
                newest = &drill;
                regions = &*agent.snapshot.regions;
            }
    }
    if (!regions)
        return unknown(line, tr("no agent reports regions"));
    const QString tier = regions->targets.tier.isEmpty() ? tr("the tier") : regions->targets.tier;
    if (!newest) {
        line.verdict = Verdict::Warn;
        line.figure = tr("none");
        line.why = tr("no drill has run: %1's RTO and RPO are untested").arg(tier);
        return line;
    }
    line.figure =
        tr("RTO %1 ms, RPO %2 writes")
            .arg(newest->rtoMs)
            .arg(newest->rpoWrites < 0 ? QStringLiteral("–") : QString::number(newest->rpoWrites));
    if (!newest->succeeded()) {
        line.verdict = Verdict::Fail;
        line.why = tr("the last drill (%1, %2) %3: %4")
                       .arg(newest->kind, newest->region, newest->outcome, newest->error);
    } else if (newest->rtoMet == false || newest->rpoMet == false) {
        line.verdict = Verdict::Fail;
        line.why = tr("the last drill missed %1's %2")
                       .arg(tier, newest->rtoMet == false ? tr("RTO") : tr("RPO"));
    } else {
        line.verdict = Verdict::Pass;
        line.why = tr("the last drill (%1 of %2) met %3's RTO and RPO")
                       .arg(newest->kind, newest->region, tier);
    }
    return line;
}

ScoreLine shardSkew(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line{QStringLiteral("shard_skew"),
                   tr("Shard skew < %1× the mean").arg(number(limits.shardSkew, 1)),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("shards")};
    double worst = -1;
    QString what;
    for (const ScorecardAgent& agent : agents) {
        if (!agent.snapshot.shards || agent.snapshot.shards->nodes.isEmpty())
            continue;
        const ShardSkew& skew = agent.snapshot.shards->skew;
        // Load when there is any; rows otherwise (a quiet cluster still has its data's shape).
        const bool byLoad = skew.load.maxOverMean > 0;
        const double value = byLoad ? skew.load.maxOverMean : skew.rows.maxOverMean;
        if (value > worst) {
            worst = value;
            what = byLoad ? tr("load") : tr("rows");
        }
    }
    if (worst < 0)
        return unknown(line, tr("no agent reports shards"));
    line.verdict = underLimit(worst, limits.shardSkew, limits.warnBand);
    line.figure = tr("%1×").arg(number(worst, 2));
    line.why = tr("busiest node's %1 over the mean: %2, limit %3×")
                   .arg(what, line.figure, number(limits.shardSkew, 1));
    return line;
}

ScoreLine singlePointsOfFailure(const QList<ScorecardAgent>& agents) {
    ScoreLine line{QStringLiteral("single_points_of_failure"),
                   tr("No single point of failure"),
                   Verdict::Unknown,
                   {},
                   {},
                   QStringLiteral("regions")};
    QStringList found;
    bool anyTopology = false;
    QSet<QString> regionsSeen, primariesSeen;
    QMap<QString, QStringList> instancesByService;
    for (const ScorecardAgent& agent : agents) {
        const AgentInfo& info = agent.snapshot.info;
        instancesByService[info.service.isEmpty() ? tr("(no service)") : info.service].append(
            agent.name);
        if (agent.snapshot.regions)
            for (const RegionStatus& region : agent.snapshot.regions->regions) {
                anyTopology = true;
                if (regionsSeen.contains(region.name))
                    continue;
                regionsSeen.insert(region.name);
                if (region.members.size() <= 1)
                    found.append(tr("region %1 has one database node").arg(region.name));
            }
        if (agent.snapshot.replication && !agent.snapshot.replication->primary.name.isEmpty()) {
            anyTopology = true;
            const ReplicationStatus& replication = *agent.snapshot.replication;
            if (primariesSeen.contains(replication.primary.name))
                continue;
            primariesSeen.insert(replication.primary.name);
            const bool streaming =
                std::any_of(replication.replicas.begin(), replication.replicas.end(),
                            [](const ReplicaStatus& replica) {
                                return replica.stateName == QLatin1String("streaming");
                            });
            if (!streaming)
                found.append(
                    tr("PostgreSQL %1 has no streaming replica").arg(replication.primary.name));
        }
    }
    for (auto it = instancesByService.cbegin(); it != instancesByService.cend(); ++it)
        if (it->size() == 1 && !agents.isEmpty())
            found.append(tr("service %1 runs one instance (%2)").arg(it.key(), it->first()));
    if (agents.isEmpty() || (!anyTopology && found.isEmpty()))
        return unknown(line, tr("no agent reports its databases or regions"));
    line.figure = found.isEmpty() ? tr("none") : tr("%1 found").arg(found.size());
    line.verdict = found.isEmpty() ? Verdict::Pass : Verdict::Fail;
    line.why = found.isEmpty() ? tr("every region, database and service has a second node")
                               : found.join(QStringLiteral("; "));
    return line;
}

} // namespace

QString verdictName(Verdict verdict) {
    switch (verdict) {
    case Verdict::Pass:
        return QStringLiteral("pass");
    case Verdict::Warn:
        return QStringLiteral("warn");
    case Verdict::Fail:
        return QStringLiteral("fail");
    case Verdict::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QList<ScoreLine> gradeScorecard(const QList<ScorecardAgent>& agents,
                                const ScorecardThresholds& thresholds) {
    return {replicaLag(agents, thresholds),  cacheHitRate(agents, thresholds),
            redisMemory(agents, thresholds), openBreakers(agents),
            errorRate(agents, thresholds),   lastDrill(agents),
            shardSkew(agents, thresholds),   singlePointsOfFailure(agents)};
}

Verdict worstVerdict(const QList<ScoreLine>& lines) {
    const auto rank = [](Verdict verdict) {
        switch (verdict) {
        case Verdict::Pass:
            return 0;
        case Verdict::Unknown:
            return 1;
        case Verdict::Warn:
            return 2;
        case Verdict::Fail:
            return 3;
        }
        return 1;
    };
    Verdict worst = Verdict::Pass;
    for (const ScoreLine& line : lines)
        if (rank(line.verdict) > rank(worst))
            worst = line.verdict;
    return worst;
}

} // namespace switchboard
