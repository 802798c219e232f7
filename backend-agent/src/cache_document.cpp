#include "cache_document.h"

namespace switchboard {

using nlohmann::json;

double percentOf(double part, double whole) {
    return whole > 0 ? part * 100.0 / whole : -1.0;
}

namespace {

double perSecond(std::uint64_t before, std::uint64_t after, double seconds) {
    return seconds > 0 && after >= before ? static_cast<double>(after - before) / seconds : 0.0;
}

std::uint64_t delta(std::uint64_t before, std::uint64_t after) {
    return after >= before ? after - before : 0;
}

} // namespace

json cacheDocument(
    const CacheReading& previous, const CacheReading& now, const CacheLayerFacts& facts,
    const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& prefixEstimates) {
    const auto& a = previous.counts;
    const auto& b = now.counts;
    const double seconds = static_cast<double>(now.atMs - previous.atMs) / 1000.0;
    const auto l1Hits = delta(a.l1Hits, b.l1Hits), l1Misses = delta(a.l1Misses, b.l1Misses);
    const auto l2Hits = delta(a.l2Hits, b.l2Hits), l2Misses = delta(a.l2Misses, b.l2Misses);
    const auto l2Asked = l2Hits + l2Misses + delta(a.l2Errors, b.l2Errors);
    const auto gets = l1Hits + l1Misses;

    json layers = {{"l1",
                    {{"hits", b.l1Hits},
                     {"misses", b.l1Misses},
                     {"hits_per_s", perSecond(a.l1Hits, b.l1Hits, seconds)},
                     {"misses_per_s", perSecond(a.l1Misses, b.l1Misses, seconds)},
                     {"hit_rate", percentOf(double(l1Hits), double(gets))},
                     {"entries", facts.l1Entries},
                     {"bytes", facts.l1Bytes},
                     {"evictions", facts.l1Evictions}}},
                   {"l2",
                    {{"hits", b.l2Hits},
                     {"misses", b.l2Misses},
                     {"errors", b.l2Errors},
                     {"skipped", b.l2Skipped},
                     {"hits_per_s", perSecond(a.l2Hits, b.l2Hits, seconds)},
                     {"misses_per_s", perSecond(a.l2Misses, b.l2Misses, seconds)},
                     {"hit_rate", percentOf(double(l2Hits), double(l2Asked))},
                     {"breaker", facts.breakerState}}},
                   {"loader",
                    {{"loads", b.loads},
                     {"errors", b.loadErrors},
                     {"coalesced", b.coalesced},
                     {"loads_per_s", perSecond(a.loads, b.loads, seconds)}}}};

    std::map<std::string, CacheStats::PrefixRow> before;
    for (const auto& row : previous.prefixes)
        before.emplace(row.prefix, row);
    json prefixes = json::array();
    for (const auto& row : now.prefixes) {
        const auto old = before.find(row.prefix);
        const CacheStats::PrefixRow zero{row.prefix, 0, 0, 0};
        const auto& o = old == before.end() ? zero : old->second;
        const auto hits = delta(o.l1Hits, row.l1Hits) + delta(o.l2Hits, row.l2Hits);
        const auto all = hits + delta(o.misses, row.misses);
        const auto estimate = prefixEstimates.find(row.prefix);
        prefixes.push_back(
            {{"prefix", row.prefix},
             {"l1_hits", row.l1Hits},
             {"l2_hits", row.l2Hits},
             {"misses", row.misses},
             {"hit_rate", percentOf(double(hits), double(all))},
             {"keys", estimate == prefixEstimates.end() ? -1 : estimate->second.first},
             {"memory_bytes", estimate == prefixEstimates.end() ? -1 : estimate->second.second}});
    }

    return {{"checked_ms", now.atMs},
            {"interval_ms", now.atMs - previous.atMs},
            {"target_hit_rate", facts.targetHitRate},
            {"hit_rate", percentOf(double(l1Hits + l2Hits), double(gets))},
            {"layers", std::move(layers)},
            {"prefixes", std::move(prefixes)}};
}

} // namespace switchboard
