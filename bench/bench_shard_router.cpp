// What the shard router costs the host backend per query (issue 6: at most 15 ns): route() of an
// integer key and of a string key, 256 buckets on 3 nodes, from one and two threads. The threads
// share one router, as a backend's request threads do, so the per-bucket access counters are
// contended as they would be. Keys change every call, so the hash is never a repeat.
#include "switchboard/shard_router.h"

#include <array>
#include <benchmark/benchmark.h>
#include <memory>
#include <string>

namespace {

using switchboard::ShardRouter;

constexpr std::uint32_t kBuckets = 256;
constexpr std::size_t kStringKeys = 4096; // a power of two: the index wraps with a mask

ShardRouter& sharedRouter() {
    static const auto router = [] {
        auto made = std::make_unique<ShardRouter>(kBuckets);
        switchboard::ShardMap map;
        map.version = 1;
        map.nodes = {"shard-1", "shard-2", "shard-3"};
        map.nodeConninfos = {"host=a", "host=b", "host=c"};
        for (std::uint32_t bucket = 0; bucket < kBuckets; ++bucket)
            map.bucketNodes.push_back(static_cast<std::uint16_t>(bucket % 3));
        made->apply(map);
        return made;
    }();
    return *router;
}

// Keys as a backend has them: "customer-<n>", 12 to 15 bytes.
const std::array<std::string, kStringKeys>& stringKeys() {
    static const auto keys = [] {
        std::array<std::string, kStringKeys> made;
        for (std::size_t i = 0; i < kStringKeys; ++i)
            made[i] = "customer-" + std::to_string(i * 7919 + 17);
        return made;
    }();
    return keys;
}

void BM_RouteInt(benchmark::State& state) {
    ShardRouter& router = sharedRouter();
    // Each thread its own key range: the same work, no two threads on the same key sequence.
    std::int64_t key = static_cast<std::int64_t>(state.thread_index()) << 40;
    for (auto _ : state)
        benchmark::DoNotOptimize(router.route(key++));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteInt)->Threads(1)->Threads(2);

void BM_RouteString(benchmark::State& state) {
    ShardRouter& router = sharedRouter();
    const auto& keys = stringKeys();
    std::size_t next = static_cast<std::size_t>(state.thread_index()) * (kStringKeys / 2);
    for (auto _ : state)
        benchmark::DoNotOptimize(router.route(std::string_view(keys[next++ & (kStringKeys - 1)])));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteString)->Threads(1)->Threads(2);

} // namespace

BENCHMARK_MAIN();
