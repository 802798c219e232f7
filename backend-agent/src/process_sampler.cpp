#include "process_sampler.h"

#include "switchboard/protocol.h"

#include <algorithm>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

namespace field = protocol::field;

ProcessSampler::ProcessSampler(StreamHub& hub, prometheus::Registry& registry, int intervalMs,
                               Reader read, int cpuCount)
    : hub_(hub)
    , intervalMs_(intervalMs)
    , read_(std::move(read))
    , cpuCount_(cpuCount)
    , cpuPercent_(prometheus::BuildGauge()
                      .Name("switchboard_process_cpu_percent")
                      .Help("CPU the host process used over the last statistics interval, in "
                            "percent of one core")
                      .Register(registry)
                      .Add({}))
    , rssBytes_(prometheus::BuildGauge()
                    .Name("switchboard_process_resident_memory_bytes")
                    .Help("Resident memory of the host process")
                    .Register(registry)
                    .Add({})) {}

void ProcessSampler::prime(std::int64_t nowMs) {
    previousCpuSeconds_ = read_().cpuSeconds;
    previousMs_ = nowMs;
}

void ProcessSampler::sample(std::int64_t nowMs) {
    const ProcessTimes now = read_();
    double cpuPercent = -1;
    const double seconds = (nowMs - previousMs_) / 1000.0;
    if (previousMs_ > 0 && seconds > 0 && previousCpuSeconds_ >= 0 && now.cpuSeconds >= 0)
        // CPU time never goes back; a clock tick's rounding can only make an idle interval 0.
        cpuPercent = std::max(0.0, (now.cpuSeconds - previousCpuSeconds_) / seconds * 100.0);
    previousCpuSeconds_ = now.cpuSeconds;
    previousMs_ = nowMs;
    if (cpuPercent >= 0)
        cpuPercent_.Set(cpuPercent);
    if (now.rssBytes >= 0)
        rssBytes_.Set(static_cast<double>(now.rssBytes));
    hub_.publish(protocol::event::kProcess, {{field::kIntervalMs, intervalMs_},
                                             {field::kCpuPercent, cpuPercent},
                                             {field::kCpuCount, cpuCount_},
                                             {field::kRssBytes, now.rssBytes},
                                             {field::kError, now.error}});
}

} // namespace switchboard
