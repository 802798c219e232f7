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

// A limit as the operator set it: 70, 0.5, 0.25 (no rounding a small one down to 0).
QString limitNumber(double value) {
    return QLocale().toString(value, 'g', 6);
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

ScoreLine newLine(const QString& key, const QString& title, const QString& concern) {
    return ScoreLine{key, title, Verdict::Unknown, {}, {}, concern};
}

// The worst figure seen and where: the highest, or the lowest for a figure that must stay over
// its limit. Negative figures are "not measured" and never offered.
struct Worst {
    bool lowestIsWorst = false;
    double value = -1;
    QString where;

    void offer(double figure, const QString& at) {
        if (figure < 0)
            return;
        if (value < 0 || (lowestIsWorst ? figure < value : figure > value)) {
            value = figure;
            where = at;
        }
    }
    bool found() const { return value >= 0; }
};

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

// A line graded on its worst figure against a limit, the reason naming where.
ScoreLine graded(ScoreLine line, Verdict verdict, const QString& figure, const QString& limit,
                 const QString& where) {
    line.verdict = verdict;
    line.figure = figure;
    line.why = against(verdict, figure, limit, where);
    return line;
}

// Request latency at the 95th percentile, the worst route of any instance over the agents' last
// interval (an instance whose agent gives no per-route figure counts with its overall one).
ScoreLine p95Latency(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line = newLine(QStringLiteral("p95_latency"),
                             tr("p95 latency < %1 ms").arg(limitNumber(limits.p95LatencyMs)),
                             QStringLiteral("metrics"));
    Worst worst;
    bool anyRequests = false;
    for (const ScorecardAgent& agent : agents) {
        const RequestStats& requests = agent.snapshot.requests;
        bool routeFigures = false;
        for (const RouteRequestStats& route : requests.routes) {
            anyRequests = anyRequests || route.total > 0;
            if (route.latencyP95Ms) {
                routeFigures = true;
                worst.offer(*route.latencyP95Ms,
                            QStringLiteral("%1 on %2").arg(route.route, agent.name));
            }
        }
        if (!routeFigures && requests.latencyP95Ms)
            worst.offer(*requests.latencyP95Ms, agent.name);
    }
    if (!worst.found())
        return unknown(line, anyRequests ? tr("no agent reports latency percentiles")
                                         : tr("no requests in the agents' last interval"));
    return graded(line, underLimit(worst.value, limits.p95LatencyMs, limits.warnBand),
                  tr("%1 ms").arg(number(worst.value, worst.value < 10 ? 1 : 0)),
                  tr("%1 ms").arg(limitNumber(limits.p95LatencyMs)), worst.where);
}

// Connections leased over each pool's limit; a pool without a limit has no share to grade.
ScoreLine poolUse(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line = newLine(QStringLiteral("pool_use"),
                             tr("Connection-pool use < %1 %").arg(limitNumber(limits.poolUsePercent)),
                             QStringLiteral("overview"));
    Worst worst;
    QStringList unbounded;
    for (const ScorecardAgent& agent : agents)
        for (const PoolStatus& pool : agent.snapshot.pools) {
            const QString where = QStringLiteral("%1 on %2").arg(pool.name, agent.name);
            if (pool.useRatio() < 0)
                unbounded.append(where);
            worst.offer(100.0 * pool.useRatio(), where);
        }
    if (!worst.found())
        return unknown(
            line, unbounded.isEmpty()
                      ? tr("no agent reports a connection pool")
                      : tr("no pool has a limit: %1").arg(unbounded.join(QStringLiteral(", "))));
    return graded(line, underLimit(worst.value, limits.poolUsePercent, limits.warnBand),
                  tr("%1 %").arg(number(worst.value)),
                  tr("%1 %").arg(limitNumber(limits.poolUsePercent)), worst.where);
}

// The backend process's CPU over every core it may use, the busiest instance.
ScoreLine cpu(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line = newLine(QStringLiteral("cpu"), tr("CPU < %1 %").arg(limitNumber(limits.cpuPercent)),
                             QStringLiteral("overview"));
    Worst worst;
    QStringList unmeasured;
    for (const ScorecardAgent& agent : agents) {
        if (!agent.snapshot.process)
            continue;
        const double percent = agent.snapshot.process->cpuPercentOfAllCores();
        if (percent < 0)
            unmeasured.append(
                QStringLiteral("%1 (%2)").arg(agent.name, agent.snapshot.process->error.isEmpty()
                                                              ? tr("not measured")
                                                              : agent.snapshot.process->error));
        worst.offer(percent, agent.name);
    }
    if (!worst.found())
        return unknown(line,
                       unmeasured.isEmpty()
                           ? tr("no agent reports its process's CPU")
                           : tr("CPU not measured: %1").arg(unmeasured.join(QStringLiteral(", "))));
    return graded(line, underLimit(worst.value, limits.cpuPercent, limits.warnBand),
                  tr("%1 %").arg(number(worst.value)), tr("%1 %").arg(limitNumber(limits.cpuPercent)),
                  worst.where);
}

ScoreLine replicaLag(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line = newLine(QStringLiteral("replica_lag"),
                             tr("Replica lag < %1 ms").arg(limitNumber(limits.replicaLagMs)),
                             QStringLiteral("replication"));
    Worst worst;
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
            worst.offer(replica.replayLagSeconds * 1000.0, replica.name);
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
    return graded(line, underLimit(worst.value, limits.replicaLagMs, limits.warnBand),
                  tr("%1 ms").arg(number(worst.value)),
                  tr("%1 ms").arg(limitNumber(limits.replicaLagMs)), worst.where);
}

ScoreLine cacheHitRate(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line = newLine(QStringLiteral("cache_hit_rate"),
                             tr("Cache hit rate > %1 %").arg(limitNumber(limits.cacheHitRatePercent)),
                             QStringLiteral("cache"));
    Worst worst;
    worst.lowestIsWorst = true;
    bool anyCache = false;
    for (const ScorecardAgent& agent : agents) {
        if (!agent.snapshot.cache)
            continue;
        anyCache = true;
        worst.offer(agent.snapshot.cache->hitRate, agent.name);
    }
    if (!anyCache)
        return unknown(line, tr("no agent reports a cache"));
    if (!worst.found())
        return unknown(line, tr("no cache gets in the last interval"));
    return graded(line, overLimit(worst.value, limits.cacheHitRatePercent, limits.warnBand),
                  tr("%1 %").arg(number(worst.value, 1)),
                  tr("%1 %").arg(limitNumber(limits.cacheHitRatePercent)), worst.where);
}

ScoreLine redisMemory(const QList<ScorecardAgent>& agents, const ScorecardThresholds& limits) {
    ScoreLine line = newLine(QStringLiteral("redis_memory"),
                             tr("Redis memory < %1 %").arg(limitNumber(limits.redisMemoryPercent)),
                             QStringLiteral("cache"));
    QMap<QString, CacheRedisStatus> redises; // by host:port: instances share one Redis
    for (const ScorecardAgent& agent : agents)
        if (agent.snapshot.cache && !agent.snapshot.cache->redis.target.isEmpty())
            redises.insert(agent.snapshot.cache->redis.target, agent.snapshot.cache->redis);
    if (redises.isEmpty())
        return unknown(line, tr("no agent reports a Redis"));
    Worst worst;
    QStringList down, unbounded;
    for (auto it = redises.cbegin(); it != redises.cend(); ++it) {
        if (it->isDown()) {
            down.append(it.key());
        } else if (it->maxMemory <= 0) {
            unbounded.append(it.key());
        } else if (it->usedMemory >= 0) {
            worst.offer(100.0 * double(it->usedMemory) / double(it->maxMemory), it.key());
        }
    }
    if (!down.isEmpty()) {
        line.verdict = Verdict::Fail;
        line.figure = tr("%1 down").arg(down.size());
        line.why = tr("Redis down: %1").arg(down.join(QStringLiteral(", ")));
        return line;
    }
    if (worst.found())
        line = graded(line, underLimit(worst.value, limits.redisMemoryPercent, limits.warnBand),
                      tr("%1 %").arg(number(worst.value, 1)),
                      tr("%1 %").arg(limitNumber(limits.redisMemoryPercent)), worst.where);
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
    ScoreLine line = newLine(QStringLiteral("open_breakers"), tr("No open breakers"),
                             QStringLiteral("breakers"));
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
    ScoreLine line = newLine(QStringLiteral("error_rate"),
                             tr("Error rate < %1 %").arg(limitNumber(limits.errorRatePercent)),
                             QStringLiteral("overview"));
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
    ScoreLine line =
        newLine(QStringLiteral("last_drill"), tr("Last drill within the tier's RTO and RPO"),
                QStringLiteral("regions"));
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
    ScoreLine line = newLine(QStringLiteral("shard_skew"),
                             tr("Shard skew < %1× the mean").arg(number(limits.shardSkew, 1)),
                             QStringLiteral("shards"));
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
    ScoreLine line = newLine(QStringLiteral("single_points_of_failure"),
                             tr("No single point of failure"), QStringLiteral("regions"));
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
    // In the order the scaling guides list them: the request path, then data, then resilience.
    return {p95Latency(agents, thresholds),
            replicaLag(agents, thresholds),
            cacheHitRate(agents, thresholds),
            poolUse(agents, thresholds),
            cpu(agents, thresholds),
            redisMemory(agents, thresholds),
            openBreakers(agents),
            errorRate(agents, thresholds),
            lastDrill(agents),
            shardSkew(agents, thresholds),
            singlePointsOfFailure(agents)};
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
