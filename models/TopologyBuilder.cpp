#include "TopologyBuilder.h"

#include "CacheModel.h"
#include "FleetModel.h"
#include "RegionsModel.h"
#include "ReplicationModel.h"
#include "ShardsModel.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

namespace switchboard {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("Topology", text);
}

// Accumulates the graph: nodes and edges deduplicated by id, regions in order of first mention.
class GraphBuilder {
public:
    explicit GraphBuilder(const TopologySources& sources)
        : m_sources(sources) {}

    Topology build() {
        addReportedRegions();
        addInstances();
        addDatabases();
        addRedis();
        addShards();
        return std::move(m_topology);
    }

private:
    TopologyNode* addNode(TopologyNode node) {
        if (const auto it = m_nodeIndex.constFind(node.id); it != m_nodeIndex.constEnd())
            return &m_topology.nodes[*it];
        noteRegion(node.region);
        m_nodeIndex.insert(node.id, m_topology.nodes.size());
        m_topology.nodes.append(std::move(node));
        return &m_topology.nodes.last();
    }

    TopologyNode* findNode(const QString& id) {
        const auto it = m_nodeIndex.constFind(id);
        return it == m_nodeIndex.constEnd() ? nullptr : &m_topology.nodes[*it];
    }

    // Returns the edge already there between the same ends, if any.
    TopologyEdge* addEdge(TopologyEdge edge) {
        if (edge.from.isEmpty() || edge.to.isEmpty() || !findNode(edge.from) || !findNode(edge.to))
            return nullptr;
        const QString pair = edge.from + QLatin1Char('>') + edge.to;
        if (const auto it = m_edgeIndex.constFind(pair); it != m_edgeIndex.constEnd())
            return &m_topology.edges[*it];
        m_edgeIndex.insert(pair, m_topology.edges.size());
        m_topology.edges.append(std::move(edge));
        return &m_topology.edges.last();
    }

    void noteRegion(const QString& name) {
        if (m_regionNames.contains(name))
            return;
        m_regionNames.insert(name);
        TopologyRegion region;
        region.name = name;
        region.detail = name.isEmpty() ? tr("no region") : QString();
        m_topology.regions.append(region);
    }

    const RegionsStatus* regionsDocument() const {
        if (!m_sources.regions || m_sources.regions->current().isEmpty())
            return nullptr;
        return &m_sources.regions->current().status;
    }

    void addReportedRegions() {
        const RegionsStatus* document = regionsDocument();
        if (!document)
            return;
        const bool stale = m_sources.regions->current().stale;
        for (const RegionStatus& region : document->regions) {
            noteRegion(region.name);
            TopologyRegion& entry = m_topology.regions.last();
            entry.detail = QStringLiteral("%1 · %2").arg(
                region.isActive() ? tr("active") : tr("standby"), regionHealthText(region.health));
            entry.health = stale ? Health::Unknown : regionHealthColour(region.health);
            for (const RegionMember& member : region.members)
                m_memberRegion.insert(member.name, region.name);
        }
    }

    // The instances, and what each one's snapshot says it depends on.
    void addInstances() {
        const FleetModel* fleet = m_sources.fleet;
        if (!fleet)
            return;
        for (int row = 0; row < fleet->rowCount(); ++row) {
            const QString agentId = fleet->agentId(row);
            const QModelIndex index = fleet->index(row, FleetModel::InstanceColumn);
            TopologyNode node;
            node.id = QStringLiteral("agent:") + agentId;
            node.tier = TopologyTier::Instance;
            node.region =
                fleet->index(row, FleetModel::RegionColumn).data(Qt::DisplayRole).toString();
            node.label = fleet->displayName(agentId);
            const QString connection =
                fleet->index(row, FleetModel::ConnectionColumn).data().toString();
            const auto snapshot = fleet->snapshot(agentId);
            node.detail = snapshot ? QStringLiteral("%1 · %2 req/s")
                                         .arg(connection)
                                         .arg(snapshot->requests.ratePerSecond, 0, 'f', 0)
                                   : connection;
            const QString probes = fleet->index(row, FleetModel::ProbesColumn).data().toString();
            node.toolTip = probes.isEmpty() ? agentId : agentId + QLatin1Char('\n') + probes;
            node.health = index.data(FleetModel::HealthRole).value<Health>();
            node.concern = TopologyConcern::Overview;
            node.focusKey = agentId;
            m_agentRegion.insert(agentId, node.region);
            addNode(std::move(node));
            if (snapshot && snapshot->replication) {
                const QString target = snapshot->replication->primary.target;
                const QString group = target.isEmpty() ? agentId : target;
                const QString primary = snapshot->replication->primary.name.isEmpty()
                                            ? QStringLiteral("primary")
                                            : snapshot->replication->primary.name;
                m_primaryKeyOf.insert(agentId, group + QLatin1Char('/') + primary);
                if (!m_groupRegion.contains(group))
                    m_groupRegion.insert(group, m_agentRegion.value(agentId));
            }
        }
    }

    // The database node a replication row stands for: the region member of the same name,
    // the active leader for a primary, else a node of its own.
    QString databaseNodeId(const QString& rowKey, const QString& name, bool primary) const {
        if (const RegionsStatus* document = regionsDocument()) {
            if (primary) {
                for (const RegionStatus& region : document->regions) {
                    if (region.isActive() && !region.leader.isEmpty())
                        return QStringLiteral("pg:") + region.leader;
                }
            }
            if (m_memberRegion.contains(name))
                return QStringLiteral("pg:") + name;
        }
        return QStringLiteral("pg:") + rowKey;
    }

    void addDatabases() {
        // Region members first: Patroni's names and roles, the regions' columns.
        if (const RegionsStatus* document = regionsDocument()) {
            for (const RegionStatus& region : document->regions) {
                for (const RegionMember& member : region.members) {
                    TopologyNode node;
                    node.id = QStringLiteral("pg:") + member.name;
                    node.tier = TopologyTier::Database;
                    node.region = region.name;
                    node.label = member.name;
                    node.detail = QStringLiteral("%1 · %2").arg(member.role, member.state);
                    node.toolTip = member.host.isEmpty() ? member.name
                                                         : QStringLiteral("%1 (%2:%3)")
                                                               .arg(member.name, member.host)
                                                               .arg(member.port);
                    node.health = memberHealth(region, member);
                    node.concern = TopologyConcern::Regions;
                    node.focusKey = region.name;
                    addNode(std::move(node));
                }
            }
        }
        // Then the replication rows: folded into members of the same name, else nodes of their
        // own in the region of the instances that report them.
        const ReplicationModel* replication = m_sources.replication;
        if (replication) {
            const QStringList replicaKeys = replication->replicaKeys();
            QHash<QString, QString> primaryNodeOfGroup;
            for (int row = 0; row < replication->rowCount(); ++row) {
                const QModelIndex index = replication->index(row, 0);
                const QString key = index.data(ReplicationModel::NodeKeyRole).toString();
                const QString name = replication->nodeName(key);
                const QString group = key.chopped(name.size() + 1);
                const bool primary = !replicaKeys.contains(key);
                const QString id = databaseNodeId(key, name, primary);
                const Health health = index.data(ReplicationModel::HealthRole).value<Health>();
                const QString state =
                    replication->index(row, ReplicationModel::StateColumn).data().toString();
                const QString nodeText =
                    replication->index(row, ReplicationModel::NodeColumn).data().toString();
                TopologyNode* node = findNode(id);
                if (!node) {
                    TopologyNode fresh;
                    fresh.id = id;
                    fresh.tier = TopologyTier::Database;
                    fresh.region = m_groupRegion.value(group);
                    fresh.label = name;
                    fresh.detail = primary ? tr("primary") : state;
                    fresh.health = health;
                    node = addNode(std::move(fresh));
                }
                // The replication view knows the node best: a click opens its row.
                node->health = std::max(node->health, health);
                node->concern = TopologyConcern::Replication;
                node->focusKey = key;
                node->toolTip =
                    nodeText + QLatin1Char('\n') +
                    replication->index(row, ReplicationModel::HealthColumn).data().toString();
                m_databaseNodeOfKey.insert(key, id);
                if (primary) {
                    primaryNodeOfGroup.insert(group, id);
                    continue;
                }
                const QString from = primaryNodeOfGroup.value(group);
                TopologyEdge edge;
                edge.id = QStringLiteral("replication:") + key;
                edge.from = from;
                edge.to = id;
                edge.kind = TopologyEdgeKind::Replication;
                edge.label =
                    topologyLagLabel(index.data(ReplicationModel::LagBytesRole).toLongLong(),
                                     index.data(ReplicationModel::LagSecondsRole).toDouble());
                if (edge.label.isEmpty())
                    edge.label = state;
                edge.toolTip = tr("replication to %1: %2").arg(name, state);
                edge.health = health;
                edge.concern = TopologyConcern::Replication;
                edge.focusKey = key;
                addEdge(std::move(edge));
            }
        }
        addRegionLinks();
        // Each instance depends on its primary.
        for (auto it = m_primaryKeyOf.constBegin(); it != m_primaryKeyOf.constEnd(); ++it)
            addDependency(it.key(), m_databaseNodeOfKey.value(it.value()));
    }

    static Health memberHealth(const RegionStatus& region, const RegionMember& member) {
        if (region.health == RegionHealth::Unknown)
            return Health::Unknown;
        const bool running =
            member.state == QLatin1String("running") || member.state == QLatin1String("streaming");
        if (!running)
            return Health::Down;
        return member.streaming ? Health::Up : Health::Unknown;
    }

    // The standby regions' leaders follow the active leader; a region's other members follow
    // its leader. Replication edges already drawn between the same nodes keep their lag label.
    void addRegionLinks() {
        const RegionsStatus* document = regionsDocument();
        if (!document)
            return;
        QString activeLeader;
        for (const RegionStatus& region : document->regions) {
            if (region.isActive() && !region.leader.isEmpty())
                activeLeader = QStringLiteral("pg:") + region.leader;
        }
        for (const RegionStatus& region : document->regions) {
            const QString leader =
                region.leader.isEmpty() ? QString() : QStringLiteral("pg:") + region.leader;
            if (!region.isActive() && !activeLeader.isEmpty() && !leader.isEmpty()) {
                TopologyEdge edge;
                edge.id = QStringLiteral("region:") + region.name;
                edge.from = activeLeader;
                edge.to = leader;
                edge.kind = TopologyEdgeKind::CrossRegion;
                edge.label = region.crossRegionLagBytes < 0
                                 ? QString()
                                 : replicationBytesText(region.crossRegionLagBytes);
                edge.toolTip = tr("%1 follows the active region (%2 behind)")
                                   .arg(region.name, region.crossRegionLagBytes < 0 ? tr("unknown")
                                                                                    : edge.label);
                edge.health = regionHealthColour(region.health);
                edge.concern = TopologyConcern::Regions;
                edge.focusKey = region.name;
                if (TopologyEdge* existing = addEdge(edge); existing && existing->id != edge.id) {
                    // Also a replication row: one arrow, marked as crossing regions.
                    existing->kind = TopologyEdgeKind::CrossRegion;
                    existing->toolTip += QLatin1Char('\n') + edge.toolTip;
                }
            }
            for (const RegionMember& member : region.members) {
                if (leader.isEmpty() || QStringLiteral("pg:") + member.name == leader)
                    continue;
                const QString to = QStringLiteral("pg:") + member.name;
                const bool reached =
                    std::any_of(m_topology.edges.cbegin(), m_topology.edges.cend(),
                                [&to](const TopologyEdge& e) { return e.to == to; });
                if (reached)
                    continue;
                TopologyEdge edge;
                edge.id = QStringLiteral("member:") + member.name;
                edge.from = leader;
                edge.to = to;
                edge.kind = TopologyEdgeKind::Replication;
                edge.label =
                    member.lagBytes < 0 ? QString() : replicationBytesText(member.lagBytes);
                edge.toolTip =
                    tr("%1 follows %2 in %3").arg(member.name, region.leader, region.name);
                edge.health = memberHealth(region, member);
                edge.concern = TopologyConcern::Regions;
                edge.focusKey = region.name;
                addEdge(std::move(edge));
            }
        }
    }

    void addDependency(const QString& agentId, const QString& to) {
        TopologyEdge edge;
        edge.id = QStringLiteral("uses:%1>%2").arg(agentId, to);
        edge.from = QStringLiteral("agent:") + agentId;
        edge.to = to;
        edge.kind = TopologyEdgeKind::Dependency;
        const TopologyNode* target = findNode(to);
        const TopologyNode* instance = findNode(edge.from);
        if (!target || !instance)
            return;
        edge.toolTip = tr("%1 calls %2 (its breakers: click)").arg(instance->label, target->label);
        edge.health = std::max(instance->health, target->health);
        edge.concern = TopologyConcern::Breakers;
        edge.focusKey = agentId;
        addEdge(std::move(edge));
    }

    void addRedis() {
        const CacheModel* cache = m_sources.cache;
        if (!cache)
            return;
        for (const QString& key : cache->targetKeys()) {
            const CacheTargetSummary summary = cache->target(key);
            TopologyNode node;
            node.id = QStringLiteral("redis:") + key;
            node.tier = TopologyTier::Cache;
            node.region = m_agentRegion.value(summary.sourceAgentId);
            node.label = summary.target.isEmpty() ? tr("Redis") : summary.target;
            node.detail = tr("Redis · %1 hits").arg(cachePercentText(summary.now.hitRate));
            node.toolTip =
                tr("%1\nmemory %2\n%3")
                    .arg(cacheHealthText(summary.health()),
                         cacheMemoryText(summary.redis.usedMemory, summary.redis.maxMemory),
                         summary.reporters.join(QStringLiteral(", ")));
            // Redis's own health: a hit rate under target is the cache's worry, not Redis's.
            node.health = summary.redis.isDown()                              ? Health::Down
                          : summary.stale                                     ? Health::Unknown
                          : summary.redis.status == protocol::ProbeStatus::Up ? Health::Up
                                                                              : Health::Unknown;
            node.concern = TopologyConcern::Cache;
            node.focusKey = key;
            addNode(std::move(node));
        }
        if (!m_sources.fleet)
            return;
        for (const QString& agentId : m_sources.fleet->agentIds()) {
            const QString key = cache->targetOf(agentId);
            if (!key.isEmpty())
                addDependency(agentId, QStringLiteral("redis:") + key);
        }
    }

    void addShards() {
        const ShardsModel* shards = m_sources.shards;
        if (!shards)
            return;
        for (const QString& key : shards->clusterKeys()) {
            const ShardCluster cluster = shards->cluster(key);
            for (const ShardNodeSummary& shard : cluster.nodes) {
                TopologyNode node;
                node.id = QStringLiteral("shard:%1/%2").arg(key, shard.name);
                node.tier = TopologyTier::Shard;
                node.region = m_agentRegion.value(cluster.sourceAgentId);
                node.label = shard.name;
                node.detail = shard.rowsShare < 0
                                  ? tr("shard · %1 buckets").arg(shardCountText(shard.buckets))
                                  : tr("shard · %1 % of rows").arg(shard.rowsShare, 0, 'f', 0);
                node.toolTip = QStringLiteral("%1 (%2)\n%3")
                                   .arg(shard.name, shard.target, shardHealthText(shard.health));
                if (!shard.error.isEmpty())
                    node.toolTip += QLatin1Char('\n') + shard.error;
                node.health = shardHealthColour(shard.health);
                node.concern = TopologyConcern::Shards;
                node.focusKey = key + QLatin1Char('/') + shard.name;
                addNode(std::move(node));
            }
        }
        if (!m_sources.fleet)
            return;
        for (const QString& agentId : m_sources.fleet->agentIds()) {
            const QString key = shards->clusterOf(agentId);
            if (key.isEmpty())
                continue;
            for (const ShardNodeSummary& shard : shards->cluster(key).nodes)
                addDependency(agentId, QStringLiteral("shard:%1/%2").arg(key, shard.name));
        }
    }

    const TopologySources& m_sources;
    Topology m_topology;
    QHash<QString, qsizetype> m_nodeIndex;
    QHash<QString, qsizetype> m_edgeIndex; // "from>to" → index
    QSet<QString> m_regionNames;
    QHash<QString, QString> m_agentRegion;       // agent id → region
    QHash<QString, QString> m_groupRegion;       // replication group → first reporter's region
    QHash<QString, QString> m_memberRegion;      // member name → region
    QHash<QString, QString> m_primaryKeyOf;      // agent id → its primary's row key
    QHash<QString, QString> m_databaseNodeOfKey; // replication row key → node id
};

} // namespace

Topology buildTopology(const TopologySources& sources) {
    return GraphBuilder(sources).build();
}

QString topologyLagLabel(qint64 bytes, double seconds) {
    QStringList parts;
    if (bytes >= 0)
        parts.append(replicationBytesText(bytes));
    if (seconds >= 0)
        parts.append(replicationLagText(seconds));
    return parts.join(QStringLiteral(" · "));
}

const TopologyNode* Topology::node(const QString& id) const {
    for (const TopologyNode& candidate : nodes)
        if (candidate.id == id)
            return &candidate;
    return nullptr;
}

const TopologyEdge* Topology::edge(const QString& id) const {
    for (const TopologyEdge& candidate : edges)
        if (candidate.id == id)
            return &candidate;
    return nullptr;
}

QString topologyConcernName(TopologyConcern concern) {
    switch (concern) {
    case TopologyConcern::Overview:
        return tr("Overview");
    case TopologyConcern::Breakers:
        return tr("Breakers");
    case TopologyConcern::Replication:
        return tr("Replication");
    case TopologyConcern::Shards:
        return tr("Shards");
    case TopologyConcern::Cache:
        return tr("Cache");
    case TopologyConcern::Regions:
        return tr("Regions");
    }
    return {};
}

} // namespace switchboard
