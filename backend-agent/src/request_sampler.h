// Owns the backend's routes and turns their counters into the live request rate: every interval
// it publishes a `requests` event (totals, errors, rate and latency percentiles per route and
// overall, each route's durations drained from its LatencyHistogram). That event is
// also the stream's heartbeat, so it is sent even when nothing happened.
#pragma once

#include "stream_hub.h"
#include "switchboard/route_stats.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace prometheus {
class Registry;
template <typename T> class Family;
class Counter;
class Histogram;
} // namespace prometheus

namespace switchboard {

class RequestSampler {
public:
    RequestSampler(StreamHub& hub, prometheus::Registry& registry, int intervalMs);

    // The route's statistics, created on first use. Thread-safe.
    RouteStats& route(const std::string& name);

    // Sets the baseline the first sample's rates are measured from (the agent's start), so
    // that the first figure a console sees is a real rate, not a zero.
    void prime(std::int64_t nowMs);
    // Computes rates since the previous call and publishes them. Called every interval.
    void sample(std::int64_t nowMs);

private:
    struct Previous {
        std::uint64_t total = 0;
        std::uint64_t errors = 0;
    };

    StreamHub& hub_;
    int intervalMs_;
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Histogram>& durations_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<RouteStats>> routes_;
    std::map<std::string, Previous> previous_;
    std::int64_t previousMs_ = 0;
};

} // namespace switchboard
