#include "TopologyModel.h"

#include "CacheModel.h"
#include "FleetModel.h"
#include "RegionsModel.h"
#include "ReplicationModel.h"
#include "ShardsModel.h"

#include <QAbstractItemModel>

namespace switchboard {

TopologyModel::TopologyModel(const TopologySources& sources, QObject* parent)
    : QObject(parent)
    , m_sources(sources) {
    m_later.setSingleShot(true);
    m_later.setInterval(kRebuildDelay);
    connect(&m_later, &QTimer::timeout, this, &TopologyModel::rebuildNow);
    watch(sources.fleet);
    watch(sources.replication);
    if (sources.shards)
        connect(sources.shards, &ShardsModel::clusterChanged, this, &TopologyModel::schedule);
    if (sources.cache)
        connect(sources.cache, &CacheModel::cacheChanged, this, &TopologyModel::schedule);
    if (sources.regions)
        connect(sources.regions, &RegionsModel::regionsChanged, this, &TopologyModel::schedule);
    rebuildNow();
}

void TopologyModel::watch(const QObject* object) {
    const auto* model = qobject_cast<const QAbstractItemModel*>(object);
    if (!model)
        return;
    // Any change of rows or cells: the map reads both.
    connect(model, &QAbstractItemModel::dataChanged, this, &TopologyModel::schedule);
    connect(model, &QAbstractItemModel::rowsInserted, this, &TopologyModel::schedule);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &TopologyModel::schedule);
    connect(model, &QAbstractItemModel::modelReset, this, &TopologyModel::schedule);
    connect(model, &QAbstractItemModel::layoutChanged, this, &TopologyModel::schedule);
}

void TopologyModel::schedule() {
    // Not restarted while pending: fifty agents reporting every second would otherwise push a
    // restarted timer forever ahead and the map would never be rebuilt.
    if (!m_later.isActive())
        m_later.start();
}

void TopologyModel::rebuildNow() {
    m_later.stop();
    Topology topology = buildTopology(m_sources);
    if (topology == m_topology)
        return;
    m_topology = std::move(topology);
    emit topologyChanged();
}

} // namespace switchboard
