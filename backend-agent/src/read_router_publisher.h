// Puts the read router on the stream and in /metrics: the "read_router" document of
// docs/protocol.md every statistics tick and at once when a target's eligibility changes, and
// the Prometheus families switchboard_read_router_{reads_total,eligible,changes_total}.
//
// The router counts reads in its own atomics (the hot path touches nothing else); this class
// copies them into Prometheus at scrape time and on each tick, and turns them into rates.
// Thread-safe: ticks, scrapes and probe-thread changes may come at once.
#pragma once

#include "stream_hub.h"
#include "switchboard/read_router.h"

#include <cstdint>
#include <mutex>
#include <vector>

namespace prometheus {
class Registry;
class Counter;
class Gauge;
template <typename T> class Family;
} // namespace prometheus

namespace switchboard {

// The "read_router" document: the router's state with each target's rate over the last
// interval (rates[i] for target i; missing entries count as 0).
nlohmann::json readRouterDocument(const ReadRouterConfig& config,
                                  const std::vector<ReadRouter::TargetSnapshot>& targets,
                                  const std::vector<double>& rates);

class ReadRouterPublisher {
public:
    // Registers the metric families and the router's change listener.
    ReadRouterPublisher(ReadRouter& router, StreamHub& hub, prometheus::Registry& registry);
    ~ReadRouterPublisher();

    // Sets the baseline the first tick's rates are measured from (the agent's start).
    void prime(std::int64_t nowMs);
    // Measures rates since the previous tick and publishes the document (each stats tick).
    void tick(std::int64_t nowMs);
    // Copies the read counts and eligibility into Prometheus (at scrape and on each tick).
    void refreshMetrics();
    // The last document published (or what would be, before the first tick).
    nlohmann::json document() const;

private:
    void onChanges(const std::vector<ReadRouter::Change>& changes);
    void publishLocked();

    ReadRouter& router_;
    StreamHub& hub_;
    prometheus::Family<prometheus::Counter>& changes_;
    std::vector<prometheus::Counter*> reads_;
    std::vector<prometheus::Gauge*> eligible_;
    mutable std::mutex mutex_;
    std::vector<std::uint64_t> publishedReads_; // what Prometheus has been given
    std::vector<std::uint64_t> previousReads_;  // at the previous tick, for the rates
    std::vector<double> rates_;
    std::int64_t previousMs_ = 0;
};

} // namespace switchboard
