// Percentiles of one interval's request durations, from LatencyHistogram counts: what the
// `latency_ms` object of the `requests` event says, overall and per route.
#pragma once

#include "switchboard/latency_histogram.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

namespace switchboard {

struct LatencySummary {
    std::uint64_t count = 0; // requests in the interval
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
};

// Adds `from`'s counts to `into` (the overall figures are the routes' intervals summed).
void mergeInto(LatencyHistogram::Interval& into, const LatencyHistogram::Interval& from) noexcept;

// Nearest-rank percentiles, each the middle of its bucket (within 3.2 % of a recorded value, 0.5
// µs below 16 µs) and never above the interval's max. Nothing when the interval had no request.
std::optional<LatencySummary> summarize(const LatencyHistogram::Interval& interval) noexcept;

// {"count", "p50", "p95", "p99", "max"} in milliseconds, or null without a summary.
nlohmann::json latencyDocument(const std::optional<LatencySummary>& summary);

} // namespace switchboard
