#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <switchboard/protocol.h>

namespace switchboard {

// One shard node as an agent sees it. A node that does not answer keeps its row with status
// Down and the cause; its figures are then -1 (unknown), never 0.
struct ShardNode {
    QString name;
    QString target;
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown;
    QString error;
    qint64 buckets = -1;
    qint64 rows = -1;
    qint64 bytes = -1;
    double writesPerSecond = -1.0; // what this instance's shard router sent it
    double readsPerSecond = -1.0;

    friend bool operator==(const ShardNode&, const ShardNode&) = default;
};

// The buckets by column: element i of each list is bucket i. `node` indexes the report's nodes.
struct ShardBuckets {
    QList<int> node;
    QList<qint64> rows;
    QList<qint64> bytes;
    QList<double> writesPerSecond;
    QList<double> readsPerSecond;

    friend bool operator==(const ShardBuckets&, const ShardBuckets&) = default;
};

// How uneven one figure is over the nodes: largest / mean, and standard deviation / mean.
struct SkewFigures {
    double maxOverMean = 0.0;
    double cv = 0.0;

    friend bool operator==(const SkewFigures&, const SkewFigures&) = default;
};

struct ShardSkew {
    SkewFigures rows;
    SkewFigures bytes;
    SkewFigures load; // writes + reads per second

    friend bool operator==(const ShardSkew&, const ShardSkew&) = default;
};

// One planned move of a rebalance and how far it got.
struct ShardMove {
    int bucket = -1;
    int from = -1; // index into the report's nodes
    int to = -1;
    QString phase; // "pending", "copying", "catching_up", …, "done", "rolled_back", "failed"
    qint64 rowsCopied = 0;
    qint64 rowsTotal = 0;
    double progress = 0.0; // 0..1

    // done, rolled_back or failed: this move will not change again.
    bool isFinished() const;
    friend bool operator==(const ShardMove&, const ShardMove&) = default;
};

// An agent's view of the shard map and its nodes ("shards" in a snapshot or event).
struct ShardsStatus {
    qint64 checkedMs = 0;
    protocol::ProbeStatus status = protocol::ProbeStatus::Unknown; // the catalog's
    QString error;
    QString catalog; // the core primary holding the map: agents sharing it are one cluster
    qint64 version = 0;
    int bucketCount = 0;
    QList<ShardNode> nodes;
    ShardBuckets buckets;
    ShardSkew skew;
    QList<ShardMove> moves; // empty when no rebalance runs

    // The name of nodes[index], or empty when the index is out of range.
    QString nodeName(int index) const;

    friend bool operator==(const ShardsStatus&, const ShardsStatus&) = default;
};

// Reading the documents. Tolerant by design: a missing field keeps its default and a field of
// the wrong type is ignored (as if missing), so one odd value never costs the whole snapshot.
// Column arrays keep their positions: a wrong element becomes -1 (0 for a node index's absence
// is never guessed).
ShardsStatus parseShardsStatus(const QJsonObject& object);
ShardSkew parseShardSkew(const QJsonObject& object);
QList<ShardMove> parseShardMoves(const QJsonValue& value);

// max/mean and population CV of some figures; values below 0 (unknown) are left out; 0 when
// the mean is 0, as the agent computes them.
SkewFigures skewOf(const QList<double>& values);

// "rows: max/mean 1.07, CV 0.04"
QString shardSkewText(const QString& what, const SkewFigures& skew);
// "20,480"; "–" when unknown (negative).
QString shardCountText(qint64 count);
// "12.5 /s"; "–" when unknown.
QString shardRateText(double perSecond);
// A move's phase in words: "copying", "catching up", "rolled back", …
QString shardMovePhaseLabel(const QString& phase);

} // namespace switchboard
