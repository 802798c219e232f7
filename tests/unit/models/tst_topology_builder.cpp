// buildTopology and TopologyModel: the fleet's models, fed the values they accept, read as one
// map: nodes seen by several agents deduplicated, replication edges labelled by lag, health
// carried from the models to nodes and edges, regions from the HA document or the instances,
// and rebuilds coalesced.
#include "CacheModel.h"
#include "FleetModel.h"
#include "RegionsModel.h"
#include "ReplicationModel.h"
#include "ShardsModel.h"
#include "TopologyModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1795000000000;
const QString kPrimaryTarget = QStringLiteral("127.0.0.1:41234");
const QString kCatalog = QStringLiteral("127.0.0.1:41300");
const QString kRedis = QStringLiteral("127.0.0.1:6379");

ReplicaStatus replica(const QString& name, double lagSeconds, qint64 lagBytes) {
    ReplicaStatus r;
    r.name = name;
    r.target = QStringLiteral("127.0.0.1:5") + name.right(1);
    r.stateName = QStringLiteral("streaming");
    r.status = protocol::ProbeStatus::Up;
    r.replayLagSeconds = lagSeconds;
    r.replayLagBytes = lagBytes;
    return r;
}

ReplicationStatus replication(QList<ReplicaStatus> replicas) {
    ReplicationStatus status;
    status.checkedMs = kT0;
    status.status = protocol::ProbeStatus::Up;
    status.primary.name = QStringLiteral("primary");
    status.primary.target = kPrimaryTarget;
    status.primary.status = protocol::ProbeStatus::Up;
    status.primary.timeline = 1;
    status.replicas = std::move(replicas);
    return status;
}

ShardsStatus shards(int nodeCount) {
    ShardsStatus s;
    s.checkedMs = kT0;
    s.status = protocol::ProbeStatus::Up;
    s.catalog = kCatalog;
    s.version = 1;
    for (int i = 1; i <= nodeCount; ++i) {
        ShardNode n;
        n.name = QStringLiteral("shard-%1").arg(i);
        n.target = QStringLiteral("127.0.0.1:4130%1").arg(i);
        n.status = protocol::ProbeStatus::Up;
        n.buckets = 4;
        n.rows = 100;
        s.nodes.append(n);
    }
    return s;
}

CacheStatus cache(protocol::ProbeStatus redis = protocol::ProbeStatus::Up) {
    CacheStatus c;
    c.checkedMs = kT0;
    c.redis.target = kRedis;
    c.redis.status = redis;
    if (redis == protocol::ProbeStatus::Down)
        c.redis.error = QStringLiteral("connection refused");
    return c;
}

RegionMember member(const QString& name, const QString& role, qint64 lagBytes = -1) {
    RegionMember m;
    m.name = name;
    m.role = role;
    m.state = QStringLiteral("running");
    m.host = QStringLiteral("127.0.0.1");
    m.port = 5432;
    m.lagBytes = lagBytes;
    m.streaming = true;
    return m;
}

// us-east (active: pg-us-east-1 replica, pg-us-east-2 leader), eu-west (standby: its leader
// alone, 1.3 KiB behind): the full stack's shape.
RegionsStatus regions() {
    RegionsStatus document;
    document.checkedMs = kT0;
    RegionStatus east;
    east.name = QStringLiteral("us-east");
    east.role = QStringLiteral("active");
    east.health = RegionHealth::Ok;
    east.leader = QStringLiteral("pg-us-east-2");
    east.members = {member(QStringLiteral("pg-us-east-1"), QStringLiteral("replica"), 0),
                    member(QStringLiteral("pg-us-east-2"), QStringLiteral("leader"))};
    RegionStatus west;
    west.name = QStringLiteral("eu-west");
    west.role = QStringLiteral("standby");
    west.health = RegionHealth::Ok;
    west.leader = QStringLiteral("pg-eu-west-1");
    west.crossRegionLagBytes = 1331;
    west.members = {member(QStringLiteral("pg-eu-west-1"), QStringLiteral("standby_leader"))};
    document.regions = {east, west};
    return document;
}

AgentSnapshot snapshot(const QString& instance, const QString& region) {
    AgentSnapshot s;
    s.timeMs = kT0;
    s.info.instance = instance;
    s.info.region = region;
    return s;
}

// The five models the console keeps, fed as Fleet feeds them.
struct Models {
    FleetModel fleet;
    ReplicationModel replication;
    ShardsModel shards;
    CacheModel cache;
    RegionsModel regions;

    TopologySources sources() const { return {&fleet, &replication, &shards, &cache, &regions}; }

    void feed(const QString& agentId, const AgentSnapshot& snapshot,
              ConnectionState state = ConnectionState::Live) {
        fleet.addAgent(agentId);
        replication.addAgent(agentId);
        shards.addAgent(agentId);
        cache.addAgent(agentId);
        regions.addAgent(agentId);
        fleet.updateAgent(agentId, snapshot);
        replication.updateAgent(agentId, snapshot);
        shards.updateAgent(agentId, snapshot);
        cache.updateAgent(agentId, snapshot);
        regions.updateAgent(agentId, snapshot);
        setState(agentId, state);
    }

    void setState(const QString& agentId, ConnectionState state) {
        const QDateTime since =
            state == ConnectionState::Live ? QDateTime() : QDateTime::fromMSecsSinceEpoch(kT0);
        fleet.setConnectionState(agentId, state, since);
        replication.setConnectionState(agentId, state, since);
        shards.setConnectionState(agentId, state, since);
        cache.setConnectionState(agentId, state, since);
        regions.setConnectionState(agentId, state, since);
    }
};

int countNodes(const Topology& topology, TopologyTier tier) {
    return int(std::count_if(topology.nodes.cbegin(), topology.nodes.cend(),
                             [tier](const TopologyNode& n) { return n.tier == tier; }));
}

int countEdges(const Topology& topology, TopologyEdgeKind kind, const QString& to = {}) {
    return int(
        std::count_if(topology.edges.cbegin(), topology.edges.cend(), [&](const TopologyEdge& e) {
            return e.kind == kind && (to.isEmpty() || e.to == to);
        }));
}

const TopologyEdge* edgeBetween(const Topology& topology, const QString& from, const QString& to) {
    for (const TopologyEdge& edge : topology.edges)
        if (edge.from == from && edge.to == to)
            return &edge;
    return nullptr;
}

} // namespace

class TestTopologyBuilder : public QObject {
    Q_OBJECT

private slots:
    void emptyModelsGiveAnEmptyMap() {
        Models models;
        const Topology topology = buildTopology(models.sources());
        QVERIFY(topology.isEmpty());
        QVERIFY(topology.edges.isEmpty());
        QVERIFY(buildTopology({}).isEmpty());
    }

    void instancesSharingAPrimaryShareItsNodes() {
        Models models;
        for (const QString& name : {QStringLiteral("demo-1"), QStringLiteral("demo-2")}) {
            AgentSnapshot s = snapshot(name, QStringLiteral("us-east"));
            s.replication = replication({replica(QStringLiteral("pg-replica-1"), 0.012, 8192),
                                         replica(QStringLiteral("pg-replica-2"), 0.0, 0)});
            s.cache = cache();
            s.shards = shards(3);
            models.feed(QStringLiteral("agent-") + name, s);
        }
        const Topology topology = buildTopology(models.sources());

        QCOMPARE(countNodes(topology, TopologyTier::Instance), 2);
        QCOMPARE(countNodes(topology, TopologyTier::Database), 3); // one primary, two replicas
        QCOMPARE(countNodes(topology, TopologyTier::Cache), 1);
        QCOMPARE(countNodes(topology, TopologyTier::Shard), 3);
        QCOMPARE(topology.regions.size(), 1);
        QCOMPARE(topology.regions.first().name, QStringLiteral("us-east"));

        const QString primary = QStringLiteral("pg:%1/primary").arg(kPrimaryTarget);
        QVERIFY(topology.node(primary));
        QCOMPARE(topology.node(primary)->concern, TopologyConcern::Replication);
        QCOMPARE(topology.node(primary)->focusKey, kPrimaryTarget + QStringLiteral("/primary"));
        // Each instance: its primary, its Redis, the three shard nodes; once each.
        QCOMPARE(countEdges(topology, TopologyEdgeKind::Dependency), 2 * 5);
        QCOMPARE(countEdges(topology, TopologyEdgeKind::Dependency, primary), 2);
        QCOMPARE(countEdges(topology, TopologyEdgeKind::Replication), 2);

        const TopologyEdge* calls =
            edgeBetween(topology, QStringLiteral("agent:agent-demo-1"), primary);
        QVERIFY(calls);
        QCOMPARE(calls->concern, TopologyConcern::Breakers);
        QCOMPARE(calls->focusKey, QStringLiteral("agent-demo-1"));
        const TopologyNode* shard = topology.node(QStringLiteral("shard:%1/shard-2").arg(kCatalog));
        QVERIFY(shard);
        QCOMPARE(shard->concern, TopologyConcern::Shards);
        QCOMPARE(shard->focusKey, kCatalog + QStringLiteral("/shard-2"));
        QCOMPARE(topology.node(QStringLiteral("redis:") + kRedis)->focusKey, kRedis);

        // Every id is unique, and the same models give the same map.
        QSet<QString> ids;
        for (const TopologyNode& node : topology.nodes)
            ids.insert(node.id);
        QCOMPARE(ids.size(), topology.nodes.size());
        QCOMPARE(buildTopology(models.sources()), topology);
    }

    void replicationEdgesAreLabelledByLag() {
        QCOMPARE(topologyLagLabel(8192, 0.012), QStringLiteral("8.0 KiB · 12 ms"));
        QCOMPARE(topologyLagLabel(-1, 2.4), QStringLiteral("2.4 s"));
        QCOMPARE(topologyLagLabel(512, -1), QStringLiteral("512 B"));
        QCOMPARE(topologyLagLabel(-1, -1), QString());

        Models models;
        AgentSnapshot s = snapshot(QStringLiteral("demo-1"), QStringLiteral("us-east"));
        s.replication = replication({replica(QStringLiteral("pg-replica-1"), 0.012, 8192)});
        models.feed(QStringLiteral("a"), s);
        const Topology topology = buildTopology(models.sources());
        const QString key = kPrimaryTarget + QStringLiteral("/pg-replica-1");
        const TopologyEdge* edge = topology.edge(QStringLiteral("replication:") + key);
        QVERIFY(edge);
        QCOMPARE(edge->from, QStringLiteral("pg:%1/primary").arg(kPrimaryTarget));
        QCOMPARE(edge->to, QStringLiteral("pg:") + key);
        QCOMPARE(edge->label, QStringLiteral("8.0 KiB · 12 ms"));
        QCOMPARE(edge->health, Health::Up);
        QCOMPARE(edge->concern, TopologyConcern::Replication);
        QCOMPARE(edge->focusKey, key);
    }

    void healthReachesNodesAndEdges() {
        Models models;
        AgentSnapshot s = snapshot(QStringLiteral("demo-1"), QStringLiteral("us-east"));
        ReplicaStatus down = replica(QStringLiteral("pg-replica-1"), 0, 0);
        down.stateName = QStringLiteral("down");
        down.status = protocol::ProbeStatus::Down;
        s.replication = replication({down});
        s.cache = cache(protocol::ProbeStatus::Down);
        models.feed(QStringLiteral("a"), s);
        AgentSnapshot stale = snapshot(QStringLiteral("demo-2"), QStringLiteral("us-east"));
        models.feed(QStringLiteral("b"), stale, ConnectionState::Stale);

        const Topology topology = buildTopology(models.sources());
        const QString replicaId = QStringLiteral("pg:%1/pg-replica-1").arg(kPrimaryTarget);
        QCOMPARE(topology.node(replicaId)->health, Health::Down);
        QCOMPARE(topology.edge(QStringLiteral("replication:") + replicaId.mid(3))->health,
                 Health::Down);
        QCOMPARE(topology.node(QStringLiteral("pg:%1/primary").arg(kPrimaryTarget))->health,
                 Health::Up);
        // Redis down: its node and the calls to it are red.
        const QString redis = QStringLiteral("redis:") + kRedis;
        QCOMPARE(topology.node(redis)->health, Health::Down);
        QCOMPARE(edgeBetween(topology, QStringLiteral("agent:a"), redis)->health, Health::Down);
        // A stale agent's box is amber; a live one with a probe down is not green either.
        QCOMPARE(topology.node(QStringLiteral("agent:b"))->health, Health::Unknown);
        QCOMPARE(topology.node(QStringLiteral("agent:b"))->concern, TopologyConcern::Overview);
        QCOMPARE(topology.node(QStringLiteral("agent:b"))->focusKey, QStringLiteral("b"));
    }

    void regionsDocumentNamesTheDatabases() {
        Models models;
        for (const QString& name : {QStringLiteral("demo-1"), QStringLiteral("demo-2")}) {
            AgentSnapshot s = snapshot(name, QStringLiteral("us-east"));
            s.replication = replication({replica(QStringLiteral("pg-us-east-1"), 0.0, 0),
                                         replica(QStringLiteral("pg-eu-west-1"), 0.003, 1331)});
            s.regions = regions();
            models.feed(name, s);
        }
        const Topology topology = buildTopology(models.sources());

        QCOMPARE(topology.regions.size(), 2);
        QCOMPARE(topology.regions.at(0).name, QStringLiteral("us-east"));
        QCOMPARE(topology.regions.at(1).name, QStringLiteral("eu-west"));
        QCOMPARE(topology.regions.at(1).detail, QStringLiteral("standby · healthy"));
        QCOMPARE(topology.regions.at(1).health, Health::Up);
        // Three members, the replication rows folded into them (the primary is the leader).
        QCOMPARE(countNodes(topology, TopologyTier::Database), 3);
        const TopologyNode* leader = topology.node(QStringLiteral("pg:pg-us-east-2"));
        QVERIFY(leader);
        QCOMPARE(leader->region, QStringLiteral("us-east"));
        QCOMPARE(leader->concern, TopologyConcern::Replication);
        QCOMPARE(leader->focusKey, kPrimaryTarget + QStringLiteral("/primary"));
        // A single-member region: one node in its own column.
        const TopologyNode* standby = topology.node(QStringLiteral("pg:pg-eu-west-1"));
        QVERIFY(standby);
        QCOMPARE(standby->region, QStringLiteral("eu-west"));
        QCOMPARE(
            countEdges(topology, TopologyEdgeKind::Dependency, QStringLiteral("pg:pg-us-east-2")),
            2);

        // The standby leader: one arrow (replication row and region link merged), across.
        const TopologyEdge* across = edgeBetween(topology, QStringLiteral("pg:pg-us-east-2"),
                                                 QStringLiteral("pg:pg-eu-west-1"));
        QVERIFY(across);
        QCOMPARE(across->kind, TopologyEdgeKind::CrossRegion);
        QCOMPARE(across->label, QStringLiteral("1.3 KiB · 3 ms"));
        QCOMPARE(countEdges(topology, TopologyEdgeKind::CrossRegion), 1);
        QCOMPARE(countEdges(topology, TopologyEdgeKind::Replication), 1); // to pg-us-east-1
    }

    void regionLinkWithoutReplicationRows() {
        Models models;
        AgentSnapshot s = snapshot(QStringLiteral("demo-1"), QStringLiteral("us-east"));
        s.regions = regions();
        models.feed(QStringLiteral("a"), s);
        const Topology topology = buildTopology(models.sources());
        const TopologyEdge* across = topology.edge(QStringLiteral("region:eu-west"));
        QVERIFY(across);
        QCOMPARE(across->label, QStringLiteral("1.3 KiB"));
        QCOMPARE(across->concern, TopologyConcern::Regions);
        QCOMPARE(across->focusKey, QStringLiteral("eu-west"));
        const TopologyEdge* inRegion = topology.edge(QStringLiteral("member:pg-us-east-1"));
        QVERIFY(inRegion);
        QCOMPARE(inRegion->from, QStringLiteral("pg:pg-us-east-2"));
        QCOMPARE(inRegion->label, QStringLiteral("0 B"));
        QCOMPARE(topology.node(QStringLiteral("pg:pg-us-east-1"))->concern,
                 TopologyConcern::Regions);
    }

    void instancesOfOtherRegionsGetTheirOwnColumn() {
        Models models;
        models.feed(QStringLiteral("a"),
                    snapshot(QStringLiteral("demo-1"), QStringLiteral("us-east")));
        models.feed(QStringLiteral("b"),
                    snapshot(QStringLiteral("demo-9"), QStringLiteral("ap-south")));
        models.feed(QStringLiteral("c"), snapshot(QStringLiteral("old"), QString()));
        const Topology topology = buildTopology(models.sources());
        QCOMPARE(topology.regions.size(), 3);
        QCOMPARE(topology.regions.at(1).name, QStringLiteral("ap-south"));
        QCOMPARE(topology.node(QStringLiteral("agent:b"))->region, QStringLiteral("ap-south"));
        QCOMPARE(topology.regions.at(2).name, QString());
        QVERIFY(topology.edges.isEmpty());
    }

    void modelRebuildsOncePerBurst() {
        Models models;
        TopologyModel model(models.sources());
        QVERIFY(model.topology().isEmpty());
        QSignalSpy changed(&model, &TopologyModel::topologyChanged);
        for (int i = 0; i < 20; ++i) {
            AgentSnapshot s = snapshot(QStringLiteral("demo-%1").arg(i), QStringLiteral("us-east"));
            s.cache = cache();
            models.feed(QStringLiteral("agent-%1").arg(i), s);
        }
        QCOMPARE(changed.count(), 0); // not yet: coalesced
        QVERIFY(changed.wait(2000));
        QTest::qWait(int(TopologyModel::kRebuildDelay.count()) * 2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(countNodes(model.topology(), TopologyTier::Instance), 20);
        QCOMPARE(countNodes(model.topology(), TopologyTier::Cache), 1);
        // The same state again changes nothing.
        models.setState(QStringLiteral("agent-0"), ConnectionState::Live);
        model.rebuildNow();
        QCOMPARE(changed.count(), 1);
        models.setState(QStringLiteral("agent-0"), ConnectionState::Stale);
        model.rebuildNow();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(model.topology().node(QStringLiteral("agent:agent-0"))->health, Health::Unknown);
    }
};

QTEST_GUILESS_MAIN(TestTopologyBuilder)
#include "tst_topology_builder.moc"
