#include "redis_info.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace switchboard {

namespace {

std::int64_t integerField(const std::map<std::string, std::string>& fields, const char* name) {
    auto found = fields.find(name);
    if (found == fields.end())
        return -1;
    const std::string& text = found->second;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // The whole value must be the number: "0.5" or "12K" is not an integer field.
    if (error != std::errc() || end != text.data() + text.size())
        return -1;
    return value;
}

// The interval's increase of one counter; `reset` says the counters restarted from zero.
double increase(std::int64_t before, std::int64_t after, bool reset) {
    if (after < 0 || (before < 0 && !reset))
        return 0;
    return static_cast<double>(reset ? after : after - before);
}

} // namespace

std::string RedisInfo::runId() const {
    auto found = fields.find("run_id");
    return found == fields.end() ? std::string() : found->second;
}

RedisInfo parseRedisInfo(std::string_view infoText) {
    RedisInfo info;
    while (!infoText.empty()) {
        const std::size_t end = infoText.find('\n');
        std::string_view line = infoText.substr(0, end);
        infoText = end == std::string_view::npos ? std::string_view() : infoText.substr(end + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            continue;
        info.fields.insert_or_assign(std::string(line.substr(0, colon)),
                                     std::string(line.substr(colon + 1)));
    }
    info.usedMemory = integerField(info.fields, "used_memory");
    info.maxmemory = integerField(info.fields, "maxmemory");
    info.evictedKeys = integerField(info.fields, "evicted_keys");
    info.keyspaceHits = integerField(info.fields, "keyspace_hits");
    info.keyspaceMisses = integerField(info.fields, "keyspace_misses");
    info.connectedClients = integerField(info.fields, "connected_clients");
    info.totalCommands = integerField(info.fields, "total_commands_processed");
    return info;
}

RedisRates ratesBetween(const RedisInfo& before, const RedisInfo& after, double seconds) {
    RedisRates rates;
    if (!(seconds > 0) || !std::isfinite(seconds))
        return rates;
    const std::string runBefore = before.runId();
    const std::string runAfter = after.runId();
    bool reset = !runBefore.empty() && !runAfter.empty() && runBefore != runAfter;
    // Without run_id (a section not asked for, a Redis-compatible server), a counter that went
    // down is the only sign; one is enough, since a restart or RESETSTAT zeroes them all.
    for (auto counter : {&RedisInfo::evictedKeys, &RedisInfo::keyspaceHits,
                         &RedisInfo::keyspaceMisses, &RedisInfo::totalCommands})
        if (before.*counter >= 0 && after.*counter >= 0 && after.*counter < before.*counter)
            reset = true;
    const double evictions = increase(before.evictedKeys, after.evictedKeys, reset);
    const double hits = increase(before.keyspaceHits, after.keyspaceHits, reset);
    const double misses = increase(before.keyspaceMisses, after.keyspaceMisses, reset);
    rates.evictionsPerS = evictions / seconds;
    rates.keyspaceHitsPerS = hits / seconds;
    rates.keyspaceMissesPerS = misses / seconds;
    if (hits + misses > 0)
        rates.hitRate = 100.0 * hits / (hits + misses);
    return rates;
}

std::map<std::string, PrefixEstimate>
estimatePrefixes(const PrefixSamples& current, const PrefixSamples& previous, std::int64_t dbsize) {
    std::map<std::string, PrefixEstimate> estimates;
    auto totalKeys = [](const PrefixSamples& samples) {
        std::int64_t total = 0;
        for (const auto& [prefix, sample] : samples)
            total += sample.keys;
        return total;
    };
    const std::int64_t currentKeys = totalKeys(current);
    const std::int64_t previousKeys = totalKeys(previous);
    double previousWeight = 0;
    if (previousKeys > 0)
        previousWeight = std::max(0.0, 1.0 - static_cast<double>(currentKeys) / previousKeys);
    const double sampled = static_cast<double>(currentKeys) + previousWeight * previousKeys;
    if (dbsize <= 0 || sampled <= 0)
        return estimates;
    const double scale = static_cast<double>(dbsize) / sampled;
    std::map<std::string, std::pair<double, double>> blended; // keys, bytes
    for (const auto& [prefix, sample] : current) {
        auto& [keys, bytes] = blended[prefix];
        keys += sample.keys;
        bytes += sample.bytes;
    }
    if (previousWeight > 0) {
        for (const auto& [prefix, sample] : previous) {
            auto& [keys, bytes] = blended[prefix];
            keys += previousWeight * sample.keys;
            bytes += previousWeight * sample.bytes;
        }
    }
    for (const auto& [prefix, figures] : blended)
        estimates[prefix] = PrefixEstimate{std::llround(figures.first * scale),
                                           std::llround(figures.second * scale)};
    return estimates;
}

} // namespace switchboard
