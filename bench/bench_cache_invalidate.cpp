// cache.invalidate's Redis side against the baseline, in the same run, on the stack's
// real Redis (tests/support/LocalStack): 2 M keys, half under the prefix inv:hot:, then
//   - unlinkKeys, unthrottled (SCAN MATCH COUNT 1000, UNLINK batches of 1000 pipelined with the
//     next SCAN), and
//   - `redis-cli --scan --pattern 'inv:hot:*' | xargs redis-cli unlink`,
// each on a fresh load of the hot half, each checked to leave exactly the other half.
// Goal: ≥ 10× the baseline and ≥ 400 000 keys/s.
//
//   bench_cache_invalidate [keys per half] [runs]      (default 1000000 keys, 2 runs)
#include "LocalStack.h"
#include "key_unlinker.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace switchboard;
using Clock = std::chrono::steady_clock;

namespace {

const KeySelection kHot{KeySelection::Match::Prefix, "inv:hot:"};

double seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

// `count` keys named prefix + number, with 32-byte values: MSETs of 1000 keys, 20 per round trip.
bool load(RedisConnection& redis, const std::string& prefix, long count) {
    constexpr long kPerCommand = 1000, kCommandsPerTrip = 20;
    const std::string value(32, 'v');
    for (long first = 0; first < count; first += kPerCommand * kCommandsPerTrip) {
        std::vector<std::string> names;
        const long last = std::min(count, first + kPerCommand * kCommandsPerTrip);
        names.reserve(last - first);
        for (long i = first; i < last; ++i)
            names.push_back(prefix + std::to_string(i));
        std::vector<std::vector<std::string_view>> commands;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i % kPerCommand == 0)
                commands.push_back({"MSET"});
            commands.back().push_back(names[i]);
            commands.back().push_back(value);
        }
        for (const auto& reply : redis.pipeline(commands))
            if (!reply.ok()) {
                std::fprintf(stderr, "MSET failed: %s\n", reply.error().c_str());
                return false;
            }
    }
    return true;
}

// Exactly the `others` keys outside inv:hot: are left: DBSIZE says how many keys, SCAN that
// none of them is hot (and nothing else wrote to this Redis).
bool onlyOthersLeft(RedisConnection& redis, long others, const char* after) {
    const long long size = redis.command({"DBSIZE"}).integer(-1);
    const KeyCount hot = countKeys(redis, kHot, 0, {});
    if (size == others && hot.matching == 0 && hot.error.empty())
        return true;
    std::fprintf(stderr, "after %s: %lld keys, %llu hot (%s); expected %ld and 0\n", after, size,
                 static_cast<unsigned long long>(hot.matching), hot.error.c_str(), others);
    return false;
}

// Seconds Redis spent executing SCAN and UNLINK since the last CONFIG RESETSTAT, from INFO
// commandstats: how much of a run's time is Redis's own work, which no client can shorten.
double redisCommandSeconds(RedisConnection& redis) {
    const std::string stats = redis.command({"INFO", "commandstats"}).string();
    double total = 0;
    for (const char* command : {"cmdstat_scan:", "cmdstat_unlink:"}) {
        const auto at = stats.find(command);
        const auto usec = at == std::string::npos ? at : stats.find("usec=", at);
        if (usec != std::string::npos)
            total += std::atof(stats.c_str() + usec + 5) / 1e6;
    }
    return total;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const long keys = argc > 1 ? std::max(1000L, std::atol(argv[1])) : 1000000;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
    LocalStack stack;
    if (!stack.ok()) {
        std::fprintf(stderr, "the local stack did not start: %s\n", qPrintable(stack.error()));
        return 1;
    }
    RedisEndpoint endpoint;
    endpoint.port = stack.server(QStringLiteral("redis")).value(QStringLiteral("port")).toInt();
    endpoint.commandTimeout = std::chrono::seconds(10);
    RedisConnection redis(endpoint);
    if (!redis.ok()) {
        std::fprintf(stderr, "Redis: %s\n", redis.error().c_str());
        return 1;
    }
    const std::string baseline = "redis-cli -p " + std::to_string(endpoint.port) +
                                 " --scan --pattern 'inv:hot:*' | xargs redis-cli -p " +
                                 std::to_string(endpoint.port) + " unlink > /dev/null";
    std::printf("cache invalidation: %ld of %ld keys (prefix inv:hot:), Redis on 127.0.0.1:%d\n",
                keys, 2 * keys, endpoint.port);
    std::printf("  %-4s %-46s %9s %12s %9s\n", "run", "method", "seconds", "keys/s", "speedup");
    bool met = true;
    for (int run = 1; run <= runs; ++run) {
        redis.command({"FLUSHALL"});
        auto started = Clock::now();
        if (!load(redis, "inv:hot:", keys) || !load(redis, "inv:cold:", keys))
            return 1;
        const double loaded = seconds(started);

        started = Clock::now();
        const KeyCount counted = countKeys(redis, kHot, 20, {});
        const double countTime = seconds(started);

        redis.command({"CONFIG", "RESETSTAT"});
        const UnlinkResult ours = unlinkKeys(redis, kHot, 0, 1000, {}, {});
        const double oursInRedis = redisCommandSeconds(redis);
        if (!ours.error.empty() || static_cast<long>(ours.unlinked) != keys ||
            !onlyOthersLeft(redis, keys, "unlinkKeys")) {
            std::fprintf(stderr, "unlinkKeys: %llu unlinked, error '%s'\n",
                         static_cast<unsigned long long>(ours.unlinked), ours.error.c_str());
            return 1;
        }
        const double oursTime = ours.elapsedMs / 1000.0;

        if (!load(redis, "inv:hot:", keys))
            return 1;
        started = Clock::now();
        if (std::system(baseline.c_str()) != 0) {
            std::fprintf(stderr, "the baseline failed: %s\n", baseline.c_str());
            return 1;
        }
        const double baselineTime = seconds(started);
        if (!onlyOthersLeft(redis, keys, "the baseline"))
            return 1;

        const double speedup = baselineTime / oursTime, rate = keys / oursTime;
        met = met && speedup >= 10 && rate >= 400000;
        std::printf("  %-4d %-46s %9.2f %12.0f %9s\n", run, "load (MSET x1000, 20 per round trip)",
                    loaded, 2 * keys / loaded, "");
        std::printf("  %-4d %-46s %9.2f %12.0f %9s\n", run,
                    "countKeys (plan: SCAN MATCH COUNT 1000)", countTime, 2 * keys / countTime, "");
        std::printf("  %-4d %-46s %9.2f %12.0f %8.1fx\n", run,
                    "unlinkKeys (unthrottled, batch 1000)", oursTime, rate, speedup);
        std::printf("  %-4d %-46s %9.2f %12s %9s\n", run,
                    "  of which Redis executing SCAN + UNLINK", oursInRedis, "", "");
        std::printf("  %-4d %-46s %9.2f %12.0f %8.1fx\n", run, "redis-cli --scan | xargs unlink",
                    baselineTime, keys / baselineTime, 1.0);
        if (static_cast<long>(counted.matching) != keys)
            std::printf("  (the count found %llu)\n",
                        static_cast<unsigned long long>(counted.matching));
    }
    std::printf("goal (every run): unlinkKeys >= 10x the baseline and >= 400000 keys/s: %s\n",
                met ? "met" : "NOT met");
    return 0;
}
