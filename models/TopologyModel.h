#pragma once

#include "TopologyBuilder.h"

#include <QObject>
#include <QTimer>
#include <chrono>

namespace switchboard {

// The Overview's map of the fleet (Topology), kept up to date from the fleet's models. A burst
// of model changes (every agent's report in one second) is one rebuild after kRebuildDelay, not
// one per change, and topologyChanged() follows only when the map differs.
class TopologyModel : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kRebuildDelay{250};

    explicit TopologyModel(const TopologySources& sources, QObject* parent = nullptr);

    const Topology& topology() const { return m_topology; }
    // Rebuilds at once (tests, a screenshot), cancelling a pending rebuild.
    void rebuildNow();

signals:
    void topologyChanged();

private:
    void watch(const QObject* model);
    void schedule();

    TopologySources m_sources;
    Topology m_topology;
    QTimer m_later;
};

} // namespace switchboard
