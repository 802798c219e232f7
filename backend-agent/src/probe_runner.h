// Runs every probe on its own thread at the configured interval, publishes each result as a
// stream event and into the registry, and aborts a check that overruns its timeout.
#pragma once

#include "periodic_thread.h"
#include "probe.h"
#include "stream_hub.h"

#include <atomic>
#include <memory>
#include <vector>

namespace prometheus {
class Registry;
template <typename T> class Family;
class Gauge;
class Counter;
} // namespace prometheus

namespace switchboard {

class ProbeRunner {
public:
    ProbeRunner(StreamHub& hub, prometheus::Registry& registry, int intervalMs, int timeoutMs);
    ~ProbeRunner();

    void add(std::unique_ptr<Probe> probe);
    void start();
    void stop() noexcept;

private:
    struct Slot;
    void runOnce(Slot& slot);
    void watch();

    StreamHub& hub_;
    int intervalMs_;
    int timeoutMs_;
    prometheus::Family<prometheus::Gauge>& up_;
    prometheus::Family<prometheus::Gauge>& latency_;
    prometheus::Family<prometheus::Counter>& checks_;
    std::vector<std::unique_ptr<Slot>> slots_;
    std::unique_ptr<PeriodicThread> watchdog_;
};

} // namespace switchboard
