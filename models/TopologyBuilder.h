#pragma once

#include "Topology.h"

namespace switchboard {

class CacheModel;
class FleetModel;
class RegionsModel;
class ReplicationModel;
class ShardsModel;

// The models a topology is read from; any may be null (that concern is then left out).
struct TopologySources {
    const FleetModel* fleet = nullptr;
    const ReplicationModel* replication = nullptr;
    const ShardsModel* shards = nullptr;
    const CacheModel* cache = nullptr;
    const RegionsModel* regions = nullptr;
};

// The map of everything the fleet's models know, as one value:
// - regions: the regions document's (active, then standby, as reported), then the regions the
//   instances name; nodes of no known region fall in a region with an empty name;
// - instances: one node per agent, coloured like its Overview row;
// - PostgreSQL: with a regions document, one node per member (named as Patroni names them),
//   the replication rows whose names match folded in; without one, one node per replication
//   row (instances sharing a primary share its nodes: ReplicationModel already deduplicates);
// - Redis: one node per target (instances sharing one share the node), shard nodes: one per
//   node of each cluster;
// - edges: each instance to its primary, its Redis and its cluster's shard nodes; each primary
//   to its replicas, labelled by replay lag; the active leader to each standby region's leader,
//   labelled by how far behind it is; a region's leader to members no other edge reaches.
// Reads the models' public API only; cheap for a fleet of dozens (linear in rows and edges).
Topology buildTopology(const TopologySources& sources);

// "8.0 KiB · 12 ms", "8.0 KiB", "12 ms"; negative figures are unknown and left out.
QString topologyLagLabel(qint64 bytes, double seconds);

} // namespace switchboard
