#include "action_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {

std::int64_t steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

ActionRateLimiter::ActionRateLimiter(Options options, Clock clock)
    : options_(options)
    , clock_(clock ? std::move(clock) : Clock(steadyMs)) {
    options_.burst = std::max(1, options_.burst);
    options_.refillEvery = std::max(options_.refillEvery, std::chrono::milliseconds(1));
}

std::int64_t ActionRateLimiter::take(const std::string& caller) {
    const std::int64_t now = clock_();
    const double perMs = 1.0 / double(options_.refillEvery.count());
    std::lock_guard lock(mutex_);
    auto [it, fresh] = buckets_.try_emplace(caller, Bucket{double(options_.burst), now});
    Bucket& bucket = it->second;
    if (!fresh) {
        bucket.tokens = std::min(double(options_.burst),
                                 bucket.tokens + double(now - bucket.updatedMs) * perMs);
        bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    return std::max<std::int64_t>(1, std::llround(std::ceil((1.0 - bucket.tokens) / perMs)));
}

} // namespace switchboard
