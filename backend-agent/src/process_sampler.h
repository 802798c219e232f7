// The host process's CPU use and resident memory, every statistics interval: one "process"
// event (the snapshot keeps the last) and the gauges switchboard_process_cpu_percent and
// switchboard_process_resident_memory_bytes. CPU is user + system time over the interval's wall
// time, in percent of one core (like top: 150 is one and a half cores busy); cpu_count says how
// many cores the process may use. Not thread-safe: the agent's sampling thread calls it.
#pragma once

#include "process_stats.h"
#include "stream_hub.h"

#include <cstdint>
#include <functional>

namespace prometheus {
class Registry;
class Gauge;
} // namespace prometheus

namespace switchboard {

class ProcessSampler {
public:
    using Reader = std::function<ProcessTimes()>;

    ProcessSampler(StreamHub& hub, prometheus::Registry& registry, int intervalMs,
                   Reader read = readProcessTimes, int cpuCount = usableCpuCount());

    // The baseline the first interval's CPU use is measured from (the agent's start).
    void prime(std::int64_t nowMs);
    // Measures since the previous call and publishes. cpu_percent is -1 without a baseline or
    // when CPU time cannot be read; rss_bytes is -1 when it cannot be read.
    void sample(std::int64_t nowMs);

private:
    StreamHub& hub_;
    int intervalMs_;
    Reader read_;
    int cpuCount_;
    prometheus::Gauge& cpuPercent_;
    prometheus::Gauge& rssBytes_;
    double previousCpuSeconds_ = -1;
    std::int64_t previousMs_ = 0;
};

} // namespace switchboard
