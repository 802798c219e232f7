// The connection pools the agent reports: the backend's (Agent::reportPool) and the agent's own
// (the tiered cache's Redis pool). Every statistics tick sample() reads each pool once, sets its
// gauges and publishes one "pools" event with all of them, in name order. Thread-safe: readers
// run under the registry's lock, so forget() returning means its reader is done for good.
#pragma once

#include "stream_hub.h"
#include "switchboard/pool_usage.h"

#include <map>
#include <mutex>
#include <string>

namespace prometheus {
class Registry;
class Gauge;
template <typename T> class Family;
} // namespace prometheus

namespace switchboard {

class PoolRegistry {
public:
    PoolRegistry(StreamHub& hub, prometheus::Registry& registry);

    void add(const std::string& name, PoolUsageReader usage); // throws std::invalid_argument
    void forget(const std::string& name) noexcept;
    // Reads every pool and publishes the "pools" event (also with no pool: an empty list says
    // this agent reports pools and has none).
    void sample();

private:
    struct Pool {
        PoolUsageReader usage;
        prometheus::Gauge* open = nullptr;
        prometheus::Gauge* inUse = nullptr;
        prometheus::Gauge* max = nullptr;
    };
    void removeGauges(Pool& pool);

    StreamHub& hub_;
    prometheus::Family<prometheus::Gauge>& open_;
    prometheus::Family<prometheus::Gauge>& inUse_;
    prometheus::Family<prometheus::Gauge>& max_;
    std::mutex mutex_;
    std::map<std::string, Pool> pools_;
};

} // namespace switchboard
