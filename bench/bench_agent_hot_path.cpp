// What the agent costs the host backend: RouteStats::record() on the request path (from one
// and from several threads), and StreamHub::publish() with consoles subscribed.
#include "stream_hub.h"
#include "switchboard/protocol.h"
#include "switchboard/route_stats.h"

#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace {

struct Route {
    prometheus::Registry registry;
    prometheus::Family<prometheus::Counter>& counters =
        prometheus::BuildCounter().Name("requests_total").Register(registry);
    prometheus::Family<prometheus::Histogram>& durations =
        prometheus::BuildHistogram().Name("request_duration_seconds").Register(registry);
    switchboard::RouteStats stats{
        "bench", counters.Add({{"outcome", "ok"}}), counters.Add({{"outcome", "error"}}),
        durations.Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.01, 0.1, 1})};
};

Route& sharedRoute() {
    static Route route;
    return route;
}

void BM_RouteStatsRecord(benchmark::State& state) {
    Route& route = sharedRoute();
    double seconds = 0.004;
    for (auto _ : state)
        route.stats.record(true, seconds);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteStatsRecord)->Threads(1)->Threads(2)->Threads(4);

void BM_StreamHubPublish(benchmark::State& state) {
    switchboard::StreamHub hub({{"instance", "bench"}}, 4096, "bench", [] { return 0; });
    std::size_t bytes = 0;
    std::vector<int> keys(static_cast<std::size_t>(state.range(0)));
    for (auto& key : keys)
        hub.subscribe(
            &key,
            [&](const std::string& text) {
                bytes += text.size();
                return true;
            },
            std::nullopt, "");
    nlohmann::json probe = {{"name", "postgres.primary"},
                            {"kind", "postgres"},
                            {"status", 1},
                            {"latency_ms", 0.8},
                            {"error", ""}};
    for (auto _ : state)
        hub.publish(switchboard::protocol::event::kProbe, probe);
    state.SetItemsProcessed(state.iterations());
    state.counters["bytes_per_event"] = benchmark::Counter(
        double(bytes) / double(state.iterations() * std::max<std::size_t>(1, keys.size())));
}
BENCHMARK(BM_StreamHubPublish)->Arg(0)->Arg(1)->Arg(8);

} // namespace

BENCHMARK_MAIN();
