// Pure functions on Redis's own figures, for the cache probe (RedisCacheProbe): the INFO reply
// parsed, rates between two INFOs, a key's prefix, and per-prefix estimates from a SCAN sample.
// No I/O, no clock: the tests feed them text captured from a real redis-server. All thread-safe
// (they touch nothing but their arguments).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace switchboard {

// The figures of one INFO reply the cache publishes; -1 where the reply lacks the field (an
// older server, a section not asked for) or its value is not an integer. `fields` holds every
// `key:value` line as text, for what has no member (run_id, maxmemory_policy, db0, ...).
struct RedisInfo {
    std::int64_t usedMemory = -1;       // used_memory, bytes
    std::int64_t maxmemory = -1;        // maxmemory, bytes; 0 means no limit
    std::int64_t evictedKeys = -1;      // evicted_keys, since start or CONFIG RESETSTAT
    std::int64_t keyspaceHits = -1;     // keyspace_hits, likewise
    std::int64_t keyspaceMisses = -1;   // keyspace_misses, likewise
    std::int64_t connectedClients = -1; // connected_clients
    std::int64_t totalCommands = -1;    // total_commands_processed, likewise
    std::map<std::string, std::string> fields;

    // The server process's id (run_id), "" when absent: a new one means a restart.
    std::string runId() const;
};

// Parses an INFO reply: `# Section` header lines, `key:value` lines, blank lines between
// sections, CRLF line ends (a bare LF is accepted too). Lines without ':' are ignored; a value
// keeps everything after the first ':' (db0:keys=1,expires=0,avg_ttl=0 has one ':' only, but
// some values hold more). Never throws on malformed text.
RedisInfo parseRedisInfo(std::string_view infoText);

// Rates over `seconds` between two INFOs of the same server; hitRate is the percent of lookups
// that hit, -1 when there were none. When the counters were reset in between (a restart, which
// a changed run_id shows, or any counter smaller than before, as after CONFIG RESETSTAT) the
// counters of `after` count from zero: they are taken whole as the interval's deltas. A counter
// missing from either side contributes 0. seconds <= 0 gives no rates (0, hitRate -1).
struct RedisRates {
    double evictionsPerS = 0;
    double keyspaceHitsPerS = 0;
    double keyspaceMissesPerS = 0;
    double hitRate = -1; // percent; -1 without lookups
};
RedisRates ratesBetween(const RedisInfo& before, const RedisInfo& after, double seconds);

// A key's prefix is cachePrefixOf() (cache_stats.h), the tiered cache's own, so the probe's rows
// join the cache's by name.

// What a SCAN sample saw of one prefix: keys sampled and their MEMORY USAGE summed.
struct PrefixSample {
    std::int64_t keys = 0;
    std::int64_t bytes = 0;
};
using PrefixSamples = std::map<std::string, PrefixSample>;

struct PrefixEstimate {
    std::int64_t keys = -1;
    std::int64_t memoryBytes = -1;
};

// Per-prefix estimates scaled to `dbsize` keys, from the SCAN pass under way (`current`) and
// the last complete one (`previous`), blended as a sliding window one pass long: the previous
// pass counts with the share of it the current pass has not covered yet (1 - current keys /
// previous keys, at least 0). Unlike the last complete pass alone, it moves with every run
// (a pass of a million keys at 1000 per run takes 17 minutes); unlike an exponential decay, it
// is the exact census of an unchanging key space when a pass completes, and SCAN's hash order
// keeps a part of a pass an unbiased sample between. Each prefix gets its share of the sampled keys
// times dbsize, and its sampled bytes times dbsize / sampled keys. Nothing sampled, or an empty
// database: no prefixes.
std::map<std::string, PrefixEstimate>
estimatePrefixes(const PrefixSamples& current, const PrefixSamples& previous, std::int64_t dbsize);

} // namespace switchboard
