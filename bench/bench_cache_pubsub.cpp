// Pub/sub invalidation to every acknowledgement (issue 7): N instances of the tiered cache, each
// with its own listener connection, on the stack's real Redis (tests/support/LocalStack); one of
// them broadcasts an invalidation and waits until every instance has dropped the key from its
// L1 and said so. Timed from the PUBLISH to the last acknowledgement, `rounds` times.
// Goal: p99 ≤ 5 ms.
//
//   bench_cache_pubsub [instances] [rounds]      (default 3 instances, 500 rounds)
#include "LocalStack.h"
#include "tiered_cache_core.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

using namespace switchboard;

namespace {

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p / 100.0 * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int instances = argc > 1 ? std::atoi(argv[1]) : 3;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 500;
    if (instances < 1 || rounds < 1) {
        std::fprintf(stderr, "usage: bench_cache_pubsub [instances >= 1] [rounds >= 1]\n");
        return 2;
    }
    LocalStack stack;
    if (!stack.ok()) {
        std::fprintf(stderr, "stack: %s\n", qPrintable(stack.error()));
        return 1;
    }
    const int port = stack.server(QStringLiteral("redis")).value("port").toInt();

    BreakerConfig breakerConfig;
    CircuitBreaker breaker("cache.redis", breakerConfig);
    std::vector<std::unique_ptr<TieredCache>> caches;
    for (int i = 0; i < instances; ++i) {
        TieredCache::Options options;
        options.config.enabled = true;
        options.redisPort = port;
        options.instance = "bench-" + std::to_string(i + 1);
        options.channel = "bench:cache";
        caches.push_back(std::make_unique<TieredCache>(options, breaker));
        caches.back()->start();
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!std::all_of(caches.begin(), caches.end(),
                        [](const auto& cache) { return cache->core().bus.subscribed(); })) {
        if (std::chrono::steady_clock::now() > deadline) {
            std::fprintf(stderr, "the listeners did not subscribe within 10 s\n");
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }

    auto loader = [](const std::string& key) -> std::optional<std::string> {
        return key;
    };
    std::vector<double> ackMs;
    int incomplete = 0;
    for (int round = 0; round < rounds; ++round) {
        const std::string key = "bench:item:" + std::to_string(round);
        for (auto& cache : caches)
            cache->get(key, loader); // every instance holds it in L1
        const auto broadcast = caches.front()->core().bus.broadcast(
            KeySelection{KeySelection::Match::Key, key}, std::chrono::milliseconds(1000));
        std::size_t dropped = 0;
        for (const auto& ack : broadcast.acked)
            dropped += ack.removed;
        if (broadcast.receivers != instances || int(broadcast.acked.size()) != instances ||
            dropped != std::size_t(instances)) {
            ++incomplete;
            continue;
        }
        ackMs.push_back(broadcast.ackMs);
    }
    for (auto& cache : caches)
        cache->stop();
    if (ackMs.empty()) {
        std::fprintf(stderr, "no round got every acknowledgement\n");
        return 1;
    }
    std::printf("instances %d, rounds %d, incomplete %d\n", instances, rounds, incomplete);
    std::printf("publish -> every acknowledgement: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  "
                "max %.3f ms\n",
                percentile(ackMs, 50), percentile(ackMs, 90), percentile(ackMs, 99),
                *std::max_element(ackMs.begin(), ackMs.end()));
    const bool met = incomplete == 0 && percentile(ackMs, 99) <= 5.0;
    std::printf("goal p99 <= 5 ms with every instance acknowledging: %s\n",
                met ? "met" : "NOT met");
    return 0;
}
