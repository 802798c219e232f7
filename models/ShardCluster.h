#pragma once

#include "Health.h"
#include "ShardsStatus.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace switchboard {

// How a shard node should worry an operator. Ordered from best to worst.
enum class ShardHealth {
    Healthy = 0, // answers
    Stale = 1,   // what is shown is old: every reporting agent is stale, or the catalog is down
    Down = 2,    // the node does not answer (its figures are unknown)
};

// "healthy", "stale", "down".
QString shardHealthText(ShardHealth health);
// Green, amber, red.
Health shardHealthColour(ShardHealth health);

// One node of a shard cluster, merged over the instances that report it.
struct ShardNodeSummary {
    QString name;
    QString target;
    ShardHealth health = ShardHealth::Stale;
    QString error;
    qint64 buckets = -1; // -1: unknown
    qint64 rows = -1;
    qint64 bytes = -1;
    double opsPerSecond = -1.0; // writes + reads, summed over the instances; -1: unknown
    double rowsShare = -1.0;    // percent of the cluster's rows; -1: unknown

    friend bool operator==(const ShardNodeSummary&, const ShardNodeSummary&) = default;
};

// One bucket as the heatmap shows it.
struct ShardBucketCell {
    int bucket = 0;
    int node = -1; // index into ShardCluster::nodes; -1: not mapped in the report
    qint64 rows = -1;
    qint64 bytes = -1;
    double opsPerSecond = -1.0;    // summed over the instances
    std::optional<ShardMove> move; // while a rebalance moves it (or moved it, in this rebalance)

    bool isMoving() const { return move && !move->isFinished(); }
    friend bool operator==(const ShardBucketCell&, const ShardBucketCell&) = default;
};

// Everything the Shards view draws about one cluster (the agents sharing one catalog), as a
// value: rows, bytes and the map from the freshest report, rates summed over the instances.
struct ShardCluster {
    QString key;     // the catalog, or "agent:<id>" for an agent that names none
    QString catalog; // as reported
    qint64 version = 0;
    int bucketCount = 0;
    qint64 checkedMs = 0;
    protocol::ProbeStatus catalogStatus = protocol::ProbeStatus::Unknown;
    QString catalogError;
    QList<ShardNodeSummary> nodes; // in the freshest report's order: a bucket's node indexes it
    QList<ShardBucketCell> buckets;
    ShardSkew skew; // rows and bytes as reported; load over the summed rates
    QList<ShardMove> moves;
    QString sourceAgentId; // whose report the figures come from
    QStringList reporters; // instance names, the source first
    bool stale = false;
    QDateTime staleSince; // invalid when not stale or not known

    bool isEmpty() const { return key.isEmpty(); }
    int nodeIndex(const QString& name) const;
    // Moves still running (not done, rolled back or failed).
    int activeMoveCount() const;

    friend bool operator==(const ShardCluster&, const ShardCluster&) = default;
};

} // namespace switchboard
