// The circuit breakers of one backend, by name, and their Prometheus metrics.
//
// Registration takes a mutex and validates the config (throwing ConfigError naming the field);
// the breakers it returns live as long as the registry and are used lock-free. Metrics:
//   switchboard_breaker_state{breaker}                           gauge, the State's number
//   switchboard_breaker_calls_total{breaker,outcome} success|failure|ignored|not_permitted
//   switchboard_breaker_transitions_total{breaker,from,to}       accepted transitions
//   switchboard_breaker_rejected_transitions_total{breaker}      illegal transitions attempted
//   switchboard_breaker_failure_rate{breaker}, _slow_call_rate   percent; -1 below minimum calls
// The call counters and rate gauges are brought up to date on every transition and by
// refreshMetrics() (call it before a scrape), so that the hot path never touches Prometheus.
#pragma once

#include "switchboard/breaker_clock.h"
#include "switchboard/breaker_config.h"
#include "switchboard/circuit_breaker.h"
#include "switchboard/export.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace prometheus {
class Counter;
class Gauge;
template <typename T> class Family;
class Registry;
} // namespace prometheus

namespace switchboard {

class SWITCHBOARD_AGENT_API BreakerRegistry {
public:
    // Receives every transition of every breaker, accepted or rejected, after the breaker's own
    // metrics are updated; on the thread that caused it, with no lock held. Must not throw.
    using Listener = std::function<void(const CircuitBreaker::Transition&)>;

    // Registers the metric families in `metrics`, which must outlive this registry. The clock
    // is given to every breaker and must outlive them. Not thread-safe (construction).
    explicit BreakerRegistry(prometheus::Registry& metrics,
                             const BreakerClock& clock = SteadyBreakerClock::instance());
    ~BreakerRegistry();
    BreakerRegistry(const BreakerRegistry&) = delete;
    BreakerRegistry& operator=(const BreakerRegistry&) = delete;

    // The breaker called `name`, created on first use. Throws ConfigError naming
    // "breaker.<name>.<field>" if the config is invalid, or if `name` is already registered with
    // a config that differs (in that field). Thread-safe; takes the registration mutex.
    CircuitBreaker& breaker(const std::string& name, const BreakerConfig& config);
    // The breaker called `name`, or nullptr. Thread-safe; takes the registration mutex.
    CircuitBreaker* find(const std::string& name) const;

    // Replaces the registry-level listener (empty: none). Thread-safe; a transition already
    // being reported may still go to the previous listener.
    void setListener(Listener listener);

    // Brings the call counters and the rate and state gauges of every breaker up to date.
    // Thread-safe; takes the registration mutex.
    void refreshMetrics();
    // One snapshot per breaker, in name order. Thread-safe; takes the registration mutex.
    std::vector<CircuitBreaker::Snapshot> snapshots() const;

private:
    struct Entry;
    void onTransition(Entry& entry, const CircuitBreaker::Transition& transition);
    static void publish(Entry& entry);

    const BreakerClock& clock_;
    prometheus::Family<prometheus::Gauge>& state_;
    prometheus::Family<prometheus::Counter>& calls_;
    prometheus::Family<prometheus::Counter>& transitions_;
    prometheus::Family<prometheus::Counter>& rejected_;
    prometheus::Family<prometheus::Gauge>& failureRate_;
    prometheus::Family<prometheus::Gauge>& slowCallRate_;
    std::atomic<std::shared_ptr<const Listener>> listener_;
    mutable std::mutex mutex_; // registration and whole-registry walks, never the hot path
    std::map<std::string, std::unique_ptr<Entry>> entries_;
};

} // namespace switchboard
