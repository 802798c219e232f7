// What the read router costs the host backend per read (issue 5: at most 50 ns): route() with
// one and two replicas eligible and with none (the primary fallback), from one and two threads.
// The threads share one router, as a backend's request threads do, so the round-robin cursor
// and the counters are contended as they would be.
#include "replication_report.h"
#include "switchboard/read_router.h"

#include <benchmark/benchmark.h>

namespace {

using switchboard::ReadRouter;

switchboard::ReplicaReport row(const std::string& name, double lagSeconds) {
    switchboard::ReplicaReport replica;
    replica.name = name;
    replica.state = "streaming";
    replica.status = switchboard::protocol::ProbeStatus::Up;
    replica.self.status = switchboard::protocol::ProbeStatus::Up;
    replica.replayLagSeconds = lagSeconds;
    return replica;
}

// Two replicas; `eligible` of them within the lag limit (the others 5 s behind).
ReadRouter& sharedRouter(int eligible) {
    auto make = [](int count) {
        auto router = std::make_unique<ReadRouter>(std::vector<std::string>{"r1", "r2"});
        switchboard::ReplicationReport report;
        report.replicas = {row("r1", count >= 1 ? 0.0 : 5.0), row("r2", count >= 2 ? 0.0 : 5.0)};
        router->update(report);
        return router;
    };
    static auto none = make(0), one = make(1), two = make(2);
    return eligible == 0 ? *none : eligible == 1 ? *one : *two;
}

void BM_RouteEligible(benchmark::State& state) {
    ReadRouter& router = sharedRouter(static_cast<int>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(router.route());
    if (state.range(0) > 0 && router.reads(0) != 0)
        state.SkipWithError("a read went to the primary while a replica was eligible");
    state.SetItemsProcessed(state.iterations());
}
// Arg: how many of the two replicas are eligible (0: every read falls back to the primary).
BENCHMARK(BM_RouteEligible)->ArgName("eligible")->Arg(0)->Arg(1)->Arg(2)->Threads(1)->Threads(2);

} // namespace

BENCHMARK_MAIN();
