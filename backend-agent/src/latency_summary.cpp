#include "latency_summary.h"

#include "switchboard/protocol.h"

#include <algorithm>
#include <cmath>

namespace switchboard {

namespace field = protocol::field;

void mergeInto(LatencyHistogram::Interval& into, const LatencyHistogram::Interval& from) noexcept {
    for (std::size_t i = 0; i < LatencyHistogram::kBuckets; ++i)
        into.counts[i] += from.counts[i];
    into.maxMicros = std::max(into.maxMicros, from.maxMicros);
}

namespace {

// The value of the request at 1-based `rank` in duration order, in µs: its bucket's middle.
double valueAtRank(const LatencyHistogram::Counts& counts, std::uint64_t rank) noexcept {
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        seen += counts[i];
        if (seen >= rank)
            return (static_cast<double>(LatencyHistogram::lowerBound(i)) +
                    static_cast<double>(LatencyHistogram::upperBound(i))) /
                   2.0;
    }
    return 0; // unreachable while rank <= the total
}

} // namespace

std::optional<LatencySummary> summarize(const LatencyHistogram::Interval& interval) noexcept {
    LatencySummary summary;
    std::size_t highest = 0;
    for (std::size_t i = 0; i < interval.counts.size(); ++i) {
        summary.count += interval.counts[i];
        if (interval.counts[i])
            highest = i;
    }
    if (summary.count == 0)
        return std::nullopt;
    // A request recorded while the tick drained may leave its count in this interval and its
    // max in the next: the highest bucket's lower bound is a max no recorded value is below.
    const double maxMicros =
        static_cast<double>(std::max(interval.maxMicros, LatencyHistogram::lowerBound(highest)));
    auto percentile = [&](double q) {
        const auto rank =
            static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(summary.count)));
        return std::min(valueAtRank(interval.counts, std::max<std::uint64_t>(rank, 1)), maxMicros) /
               1000.0;
    };
    summary.p50Ms = percentile(0.50);
    summary.p95Ms = percentile(0.95);
    summary.p99Ms = percentile(0.99);
    summary.maxMs = maxMicros / 1000.0;
    return summary;
}

nlohmann::json latencyDocument(const std::optional<LatencySummary>& summary) {
    if (!summary)
        return nullptr;
    return {{field::kCount, summary->count},
            {field::kP50, summary->p50Ms},
            {field::kP95, summary->p95Ms},
            {field::kP99, summary->p99Ms},
            {field::kMax, summary->maxMs}};
}

} // namespace switchboard
