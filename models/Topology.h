#pragma once

#include "Health.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace switchboard {

// The view a click on a topology element opens, filtered to the element's focus key.
enum class TopologyConcern {
    Overview = 0,    // the agents' table, the instance's row (key: agent id)
    Breakers = 1,    // the breakers of one instance (key: agent id)
    Replication = 2, // a database node's row (key: ReplicationModel's node key)
    Shards = 3,      // a shard node (key: cluster key + '/' + node name)
    Cache = 4,       // a Redis target (key: CacheModel's target key)
    Regions = 5,     // a region's card (key: region name)
};

// The rows of the map, top to bottom: who calls, then what they call.
enum class TopologyTier {
    Instance = 0, // a backend instance (an agent)
    Cache = 1,    // a Redis
    Database = 2, // a core PostgreSQL member (primary, replica, standby leader)
    Shard = 3,    // a shard node
};

// One box of the map. `id` is stable over rebuilds ("agent:<id>", "pg:<name>",
// "redis:<target>", "shard:<cluster>/<node>"), so a view keeps hover and tests find it.
struct TopologyNode {
    QString id;
    TopologyTier tier = TopologyTier::Instance;
    QString region; // a TopologyRegion's name; empty: no region known
    QString label;  // the name in the box
    QString detail; // one short line under it: role and state, rate, hit rate
    QString toolTip;
    Health health = Health::Unknown;
    TopologyConcern concern = TopologyConcern::Overview;
    QString focusKey;

    friend bool operator==(const TopologyNode&, const TopologyNode&) = default;
};

enum class TopologyEdgeKind {
    Dependency = 0,  // an instance calls a database, Redis or shard node
    Replication = 1, // a primary streams to a replica (labelled by its lag)
    CrossRegion = 2, // the active region's leader feeds a standby region's leader
};

// One arrow, from `from` to `to` (node ids): the way data flows for replication, the way calls
// go for a dependency.
struct TopologyEdge {
    QString id;
    QString from;
    QString to;
    TopologyEdgeKind kind = TopologyEdgeKind::Dependency;
    QString label; // the lag for replication ("8.0 KiB · 12 ms"); empty for a dependency
    QString toolTip;
    Health health = Health::Unknown;
    TopologyConcern concern = TopologyConcern::Breakers;
    QString focusKey;

    friend bool operator==(const TopologyEdge&, const TopologyEdge&) = default;
};

// A column of the map. Regions the agents' HA configuration reports come first, in its order
// ("active" or "standby" in `detail`), then regions only instances name.
struct TopologyRegion {
    QString name; // empty: the nodes of no known region
    QString detail;
    Health health = Health::Unknown;

    friend bool operator==(const TopologyRegion&, const TopologyRegion&) = default;
};

// The whole map as a value: what TopologyView paints and hit-tests.
struct Topology {
    QList<TopologyRegion> regions;
    QList<TopologyNode> nodes; // grouped by nothing in particular; the layout sorts
    QList<TopologyEdge> edges;

    bool isEmpty() const { return nodes.isEmpty(); }
    const TopologyNode* node(const QString& id) const;
    const TopologyEdge* edge(const QString& id) const;

    friend bool operator==(const Topology&, const Topology&) = default;
};

// "Replication", "Shards", …: the tab a concern names.
QString topologyConcernName(TopologyConcern concern);

} // namespace switchboard

Q_DECLARE_METATYPE(switchboard::TopologyConcern)
