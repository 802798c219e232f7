#include "switchboard/breaker_registry.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

namespace {

using State = CircuitBreaker::State;

constexpr const char* kOutcomes[] = {"success", "failure", "ignored", "not_permitted"};
constexpr std::size_t kOutcomeCount = std::size(kOutcomes);

} // namespace

struct BreakerRegistry::Entry {
    std::unique_ptr<CircuitBreaker> breaker;
    prometheus::Gauge* state = nullptr;
    prometheus::Gauge* failureRate = nullptr;
    prometheus::Gauge* slowCallRate = nullptr;
    prometheus::Counter* rejected = nullptr;
    prometheus::Counter* calls[kOutcomeCount] = {};
    // Created at registration for every legal pair (and the reset's closed->closed), so that a
    // transition on a request thread never allocates a series.
    prometheus::Counter* transitions[CircuitBreaker::kStateCount][CircuitBreaker::kStateCount] = {};
    // What the Prometheus counters already hold, so that each publish adds only the difference.
    std::atomic<std::uint64_t> published[kOutcomeCount] = {};
};

BreakerRegistry::BreakerRegistry(prometheus::Registry& metrics, const BreakerClock& clock)
    : clock_(clock)
    , state_(prometheus::BuildGauge()
                 .Name("switchboard_breaker_state")
                 .Help("Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 forced open, "
                       "4 disabled, 5 metrics only")
                 .Register(metrics))
    , calls_(prometheus::BuildCounter()
                 .Name("switchboard_breaker_calls_total")
                 .Help("Calls through a circuit breaker, by outcome")
                 .Register(metrics))
    , transitions_(prometheus::BuildCounter()
                       .Name("switchboard_breaker_transitions_total")
                       .Help("Circuit breaker state transitions")
                       .Register(metrics))
    , rejected_(prometheus::BuildCounter()
                    .Name("switchboard_breaker_rejected_transitions_total")
                    .Help("Illegal circuit breaker transitions that were attempted and refused")
                    .Register(metrics))
    , failureRate_(prometheus::BuildGauge()
                       .Name("switchboard_breaker_failure_rate")
                       .Help("Failure rate of the breaker's window in percent, -1 below the "
                             "minimum number of calls")
                       .Register(metrics))
    , slowCallRate_(prometheus::BuildGauge()
                        .Name("switchboard_breaker_slow_call_rate")
                        .Help("Slow-call rate of the breaker's window in percent, -1 below the "
                              "minimum number of calls")
                        .Register(metrics)) {}

BreakerRegistry::~BreakerRegistry() = default;

CircuitBreaker& BreakerRegistry::breaker(const std::string& name, const BreakerConfig& config) {
    config.validate(name);
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(name); it != entries_.end()) {
        const CircuitBreaker& existing = *it->second->breaker;
        const std::string field = existing.config().firstDifference(config);
        if (!field.empty())
            throw ConfigError("breaker." + name + "." + field,
                              "breaker \"" + name + "\" is already registered with a different " +
                                  field);
        return *it->second->breaker;
    }
    auto entry = std::make_unique<Entry>();
    Entry& e = *entry;
    e.state = &state_.Add({{"breaker", name}});
    e.failureRate = &failureRate_.Add({{"breaker", name}});
    e.slowCallRate = &slowCallRate_.Add({{"breaker", name}});
    e.rejected = &rejected_.Add({{"breaker", name}});
    for (std::size_t i = 0; i < kOutcomeCount; ++i)
        e.calls[i] = &calls_.Add({{"breaker", name}, {"outcome", kOutcomes[i]}});
    for (int from = 0; from < CircuitBreaker::kStateCount; ++from) {
        for (int to = 0; to < CircuitBreaker::kStateCount; ++to) {
            const auto f = static_cast<State>(from), t = static_cast<State>(to);
            if (CircuitBreaker::isLegal(f, t) || (f == State::Closed && t == State::Closed))
                e.transitions[from][to] = &transitions_.Add({{"breaker", name},
                                                             {"from", CircuitBreaker::stateName(f)},
                                                             {"to", CircuitBreaker::stateName(t)}});
        }
    }
    e.breaker = std::make_unique<CircuitBreaker>(
        name, config,
        [this, &e](const CircuitBreaker::Transition& transition) { onTransition(e, transition); },
        clock_);
    publish(e);
    return *entries_.emplace(name, std::move(entry)).first->second->breaker;
}

CircuitBreaker* BreakerRegistry::find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : it->second->breaker.get();
}

void BreakerRegistry::setListener(Listener listener) {
    listener_.store(listener ? std::make_shared<const Listener>(std::move(listener)) : nullptr);
}

void BreakerRegistry::onTransition(Entry& entry, const CircuitBreaker::Transition& transition) {
    if (transition.accepted) {
        if (auto* counter = entry.transitions[static_cast<int>(transition.from)]
                                             [static_cast<int>(transition.to)])
            counter->Increment();
    } else {
        entry.rejected->Increment();
    }
    publish(entry);
    // A copy of the pointer, not of the function: the listener may be replaced meanwhile.
    if (std::shared_ptr<const Listener> listener = listener_.load())
        (*listener)(transition);
}

void BreakerRegistry::publish(Entry& entry) {
    const CircuitBreaker::Snapshot s = entry.breaker->snapshot();
    entry.state->Set(static_cast<double>(s.state));
    entry.failureRate->Set(s.failureRate);
    entry.slowCallRate->Set(s.slowCallRate);
    const std::uint64_t now[kOutcomeCount] = {s.successfulCalls, s.failedCalls, s.ignoredCalls,
                                              s.notPermittedCalls};
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
        // Lock-free and monotonic: of two concurrent publishers only the one that advances the
        // mark adds, and only what it advanced by.
        std::uint64_t before = entry.published[i].load(std::memory_order_relaxed);
        while (now[i] > before) {
            if (entry.published[i].compare_exchange_weak(before, now[i],
                                                         std::memory_order_relaxed)) {
                entry.calls[i]->Increment(static_cast<double>(now[i] - before));
                break;
            }
        }
    }
}

void BreakerRegistry::refreshMetrics() {
    std::lock_guard lock(mutex_);
    for (auto& [name, entry] : entries_)
        publish(*entry);
}

std::vector<CircuitBreaker::Snapshot> BreakerRegistry::snapshots() const {
    std::lock_guard lock(mutex_);
    std::vector<CircuitBreaker::Snapshot> result;
    result.reserve(entries_.size());
    for (const auto& [name, entry] : entries_)
        result.push_back(entry->breaker->snapshot());
    return result;
}

} // namespace switchboard
