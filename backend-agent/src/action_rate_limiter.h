// How often one token may make the agent act: a token bucket per caller over confirms (the
// requests that change something), so a script gone wrong (or a stolen operator token) cannot
// fire actions faster than a person would, while a burst of a few always goes through.
//
// Each caller starts with `burst` confirms and earns one back every `refillEvery`. Plans are dry
// runs and are never limited; neither are Idempotency-Key replays nor cancels: stopping work must
// always be possible. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace switchboard {

// Outside the class: a nested struct with member initialisers cannot be a default argument of
// its own class's constructor (GCC).
struct ActionRateLimits {
    int burst = 10;
    std::chrono::milliseconds refillEvery{2000}; // 30 a minute, steadily
};

class ActionRateLimiter {
public:
    using Clock = std::function<std::int64_t()>; // milliseconds, monotonic
    using Options = ActionRateLimits;

    explicit ActionRateLimiter(Options options = {}, Clock clock = {});

    // Takes one request from the caller's bucket: 0 when it may go on, else the milliseconds
    // until it may (the bucket is left as it was).
    std::int64_t take(const std::string& caller);

    const Options& options() const noexcept { return options_; }

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updatedMs = 0;
    };

    Options options_;
    Clock clock_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_; // one per token name: a handful
};

} // namespace switchboard
