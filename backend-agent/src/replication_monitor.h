// Runs the replication probe every probe interval on its own thread, publishes each report as a
// "replication" event (docs/protocol.md) and as Prometheus gauges, and hands it to a listener
// (the read router). A watchdog aborts a query whose server stopped answering.
#pragma once

#include "periodic_thread.h"
#include "replication_probe.h"
#include "stream_hub.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace prometheus {
class Registry;
template <typename T> class Family;
class Gauge;
} // namespace prometheus

namespace switchboard {

// The "replication" document of docs/protocol.md.
nlohmann::json replicationJson(const ReplicationReport& report);

class ReplicationMonitor {
public:
    ReplicationMonitor(const AgentConfig& config, StreamHub& hub, prometheus::Registry& registry);
    ~ReplicationMonitor();

    // Called on the monitor's thread after each cycle; may be set before or after start().
    void setListener(std::function<void(const ReplicationReport&)> listener);
    void start();
    void stop() noexcept;
    // One cycle now, on the caller's thread (tests); returns what it published.
    ReplicationReport runOnce();

private:
    void record(const ReplicationReport& report, double cycleSeconds);
    // An enum as a gauge: {replica, <label>=value} is 1; the replica's previous value is removed.
    struct CurrentValue {
        std::string value;
        prometheus::Gauge* gauge = nullptr;
    };
    void setCurrent(prometheus::Family<prometheus::Gauge>& family,
                    std::map<std::string, CurrentValue>& current, const std::string& replica,
                    const char* label, const std::string& value);

    ReplicationProbe probe_;
    StreamHub& hub_;
    int intervalMs_;
    int timeoutMs_;
    prometheus::Family<prometheus::Gauge>& lagBytes_;
    prometheus::Family<prometheus::Gauge>& lagSeconds_;
    prometheus::Family<prometheus::Gauge>& up_;
    prometheus::Family<prometheus::Gauge>& retained_;
    prometheus::Family<prometheus::Gauge>& paused_;
    prometheus::Family<prometheus::Gauge>& timeline_;
    prometheus::Family<prometheus::Gauge>& inRecovery_;
    prometheus::Family<prometheus::Gauge>& slotActive_;
    prometheus::Family<prometheus::Gauge>& state_;
    prometheus::Family<prometheus::Gauge>& syncState_;
    prometheus::Family<prometheus::Gauge>& primaryUp_;
    prometheus::Family<prometheus::Gauge>& cycleSeconds_;
    std::map<std::string, CurrentValue> currentState_, currentSyncState_; // record()'s thread only
    std::mutex listenerMutex_;
    std::function<void(const ReplicationReport&)> listener_;
    std::unique_ptr<PeriodicThread> thread_;
    std::unique_ptr<PeriodicThread> watchdog_;
};

} // namespace switchboard
