#include "switchboard/latency_histogram.h"

#include <bit>
#include <cmath>

namespace switchboard {

namespace {
constexpr std::uint64_t kLargest = (std::uint64_t{1} << LatencyHistogram::kMaxBits) - 1;
} // namespace

std::size_t LatencyHistogram::bucketOf(std::uint64_t micros) noexcept {
    if (micros > kLargest)
        micros = kLargest;
    if (micros < kSubBuckets) // below 16 µs every microsecond has its own bucket
        return static_cast<std::size_t>(micros);
    // The top bit picks the power of two, the next kSubBucketBits bits the slice of it.
    const int top = std::bit_width(micros) - 1; // >= kSubBucketBits
    const int shift = top - kSubBucketBits;
    const auto slice = static_cast<std::size_t>((micros >> shift) & (kSubBuckets - 1));
    return static_cast<std::size_t>(shift + 1) * kSubBuckets + slice;
}

std::uint64_t LatencyHistogram::lowerBound(std::size_t bucket) noexcept {
    if (bucket < kSubBuckets)
        return bucket;
    const std::size_t shift = bucket / kSubBuckets - 1;
    const std::uint64_t slice = bucket % kSubBuckets;
    return (kSubBuckets + slice) << shift;
}

std::uint64_t LatencyHistogram::upperBound(std::size_t bucket) noexcept {
    if (bucket < kSubBuckets)
        return bucket + 1;
    return lowerBound(bucket) + (std::uint64_t{1} << (bucket / kSubBuckets - 1));
}

void LatencyHistogram::record(double seconds) noexcept {
    const double micros = seconds * 1e6;
    std::uint64_t value = 0;
    if (micros >= static_cast<double>(kLargest)) // also +inf
        value = kLargest;
    else if (micros > 0) // false for NaN and negatives
        value = static_cast<std::uint64_t>(micros);
    counts_[bucketOf(value)].fetch_add(1, std::memory_order_relaxed);
    // A load almost always: the max changes a few times an interval, not per request.
    std::uint64_t seen = maxMicros_.load(std::memory_order_relaxed);
    while (value > seen &&
           !maxMicros_.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
    }
}

LatencyHistogram::Interval LatencyHistogram::drain() noexcept {
    Interval interval;
    for (std::size_t i = 0; i < kBuckets; ++i)
        interval.counts[i] = counts_[i].exchange(0, std::memory_order_relaxed);
    interval.maxMicros = maxMicros_.exchange(0, std::memory_order_relaxed);
    return interval;
}

} // namespace switchboard
