// What a circuit breaker costs the host backend per call in the closed state: tryAcquire() plus
// onSuccess(), from one and from two threads, next to a prometheus-cpp Counter::Increment in the
// same run as the yardstick (issue 4: at most 25 ns single-threaded and 2x the counter).
#include "switchboard/circuit_breaker.h"

#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

namespace {

using namespace std::chrono_literals;
using switchboard::BreakerConfig;
using switchboard::CircuitBreaker;

// Shared by the benchmark's threads, as one breaker is shared by a backend's request threads.
CircuitBreaker& sharedBreaker(BreakerConfig::WindowType type) {
    auto make = [](BreakerConfig::WindowType windowType) {
        BreakerConfig config; // the defaults: 100 calls (or 100 s), minimum 100, 50%
        config.windowType = windowType;
        return std::make_unique<CircuitBreaker>("bench", config);
    };
    static auto count = make(BreakerConfig::WindowType::Count);
    static auto time = make(BreakerConfig::WindowType::Time);
    return type == BreakerConfig::WindowType::Count ? *count : *time;
}

prometheus::Counter& sharedCounter() {
    static prometheus::Registry registry;
    static prometheus::Counter& counter =
        prometheus::BuildCounter().Name("bench_total").Register(registry).Add({});
    return counter;
}

void BM_BreakerClosedCountWindow(benchmark::State& state) {
    CircuitBreaker& breaker = sharedBreaker(BreakerConfig::WindowType::Count);
    for (auto _ : state) {
        if (breaker.tryAcquire())
            breaker.onSuccess(2ms);
    }
    if (breaker.state() != CircuitBreaker::State::Closed)
        state.SkipWithError("the breaker left the closed state");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BreakerClosedCountWindow)->Threads(1)->Threads(2);

// The time window reads the coarse clock on every record to find the call's second.
void BM_BreakerClosedTimeWindow(benchmark::State& state) {
    CircuitBreaker& breaker = sharedBreaker(BreakerConfig::WindowType::Time);
    for (auto _ : state) {
        if (breaker.tryAcquire())
            breaker.onSuccess(2ms);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BreakerClosedTimeWindow)->Threads(1)->Threads(2);

// What the open state pays to check its wait, and what a time window would pay per call on a
// precise clock.
void BM_SteadyBreakerClock(benchmark::State& state) {
    const switchboard::BreakerClock& clock = switchboard::SteadyBreakerClock::instance();
    for (auto _ : state)
        benchmark::DoNotOptimize(clock.nowNs());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SteadyBreakerClock);

// What a time window pays per call to find its second.
void BM_SteadyBreakerClockCoarse(benchmark::State& state) {
    const switchboard::BreakerClock& clock = switchboard::SteadyBreakerClock::instance();
    for (auto _ : state)
        benchmark::DoNotOptimize(clock.coarseNowNs());
}
BENCHMARK(BM_SteadyBreakerClockCoarse);

void BM_PrometheusCounterIncrement(benchmark::State& state) {
    prometheus::Counter& counter = sharedCounter();
    for (auto _ : state)
        counter.Increment();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrometheusCounterIncrement)->Threads(1)->Threads(2);

} // namespace

BENCHMARK_MAIN();
