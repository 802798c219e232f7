#include "ShardCluster.h"

#include <QCoreApplication>
#include <algorithm>

namespace switchboard {

QString shardHealthText(ShardHealth health) {
    switch (health) {
    case ShardHealth::Healthy:
        return QCoreApplication::translate("Shards", "healthy");
    case ShardHealth::Stale:
        return QCoreApplication::translate("Shards", "stale");
    case ShardHealth::Down:
        return QCoreApplication::translate("Shards", "down");
    }
    return {};
}

Health shardHealthColour(ShardHealth health) {
    switch (health) {
    case ShardHealth::Healthy:
        return Health::Up;
    case ShardHealth::Stale:
        return Health::Unknown;
    case ShardHealth::Down:
        return Health::Down;
    }
    return Health::Unknown;
}

int ShardCluster::nodeIndex(const QString& name) const {
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).name == name)
            return static_cast<int>(i);
    }
    return -1;
}

int ShardCluster::activeMoveCount() const {
    return static_cast<int>(std::count_if(
        moves.begin(), moves.end(), [](const ShardMove& move) { return !move.isFinished(); }));
}

} // namespace switchboard
