// Request statistics for one route of the host backend (e.g. "orders.write").
//
// The backend gets a RouteStats from Agent::route() once, at start-up, and calls record() on its
// hot path. record() is thread-safe and never throws; it updates prometheus-cpp counters and a
// histogram in the agent's registry, and atomics the agent samples for the live request rate and
// the latency percentiles of each interval (latency_histogram.h).
#pragma once

#include "switchboard/export.h"
#include "switchboard/latency_histogram.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace prometheus {
class Counter;
class Histogram;
} // namespace prometheus

namespace switchboard {

class SWITCHBOARD_AGENT_API RouteStats {
public:
    RouteStats(std::string route, prometheus::Counter& ok, prometheus::Counter& failed,
               prometheus::Histogram& duration);
    RouteStats(const RouteStats&) = delete;
    RouteStats& operator=(const RouteStats&) = delete;

    // Records one request: whether it succeeded and how long it took. Thread-safe, noexcept.
    void record(bool ok, double seconds) noexcept;

    const std::string& route() const noexcept { return route_; }
    std::uint64_t total() const noexcept { return total_.load(std::memory_order_relaxed); }
    std::uint64_t errors() const noexcept { return errors_.load(std::memory_order_relaxed); }
    // This interval's durations; the agent drains it every statistics tick.
    LatencyHistogram& latency() noexcept { return latency_; }

private:
    std::string route_;
    prometheus::Counter& ok_;
    prometheus::Counter& failed_;
    prometheus::Histogram& duration_;
    std::atomic<std::uint64_t> total_{0};
    std::atomic<std::uint64_t> errors_{0};
    LatencyHistogram latency_;
};

} // namespace switchboard
