// Request durations of one route over the current statistics interval, in bounded memory.
//
// A log-linear histogram of microseconds (as HdrHistogram lays it out): every power of two is
// split into 16 equal buckets, so a bucket is at most 1/16 of its lower bound wide and a value
// read back from it is within 3.2 % of what was recorded (1 µs below 16 µs). Durations from
// 0 to 2^32 µs (about 71 minutes) fit; longer ones count in the last bucket. 464 counters, 3.7 KiB.
//
// record() is the request hot path: one relaxed fetch_add on a bucket and a relaxed max, no
// lock, no allocation. drain() is the agent's statistics tick: it takes every count (exchange
// with 0), so each request counts in exactly one interval. Both are thread-safe and noexcept.
#pragma once

#include "switchboard/export.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace switchboard {

class SWITCHBOARD_AGENT_API LatencyHistogram {
public:
    static constexpr int kSubBucketBits = 4; // 16 buckets per power of two
    static constexpr int kSubBuckets = 1 << kSubBucketBits;
    static constexpr int kMaxBits = 32; // values up to 2^32 - 1 µs
    static constexpr std::size_t kBuckets = (kMaxBits - kSubBucketBits + 1) * kSubBuckets;

    using Counts = std::array<std::uint64_t, kBuckets>;

    // What drain() took: counts per bucket and the largest duration recorded, in µs.
    struct Interval {
        Counts counts{};
        std::uint64_t maxMicros = 0;
    };

    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram&) = delete;
    LatencyHistogram& operator=(const LatencyHistogram&) = delete;

    // Records one duration; negative or NaN counts as 0. Thread-safe, noexcept, lock-free.
    void record(double seconds) noexcept;
    // Takes the counts recorded since the previous drain() and leaves them at zero. Thread-safe.
    Interval drain() noexcept;

    // The bucket a duration of `micros` falls in, and the bounds [lower, upper) of a bucket.
    static std::size_t bucketOf(std::uint64_t micros) noexcept;
    static std::uint64_t lowerBound(std::size_t bucket) noexcept;
    static std::uint64_t upperBound(std::size_t bucket) noexcept;

private:
    std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
    std::atomic<std::uint64_t> maxMicros_{0};
};

} // namespace switchboard
