// Counting and unlinking the Redis keys a KeySelection takes, for the cache.invalidate action.
// SCAN … MATCH … COUNT walks the keyspace in small steps that never block Redis for long (KEYS
// would), and UNLINK frees the values in Redis's background thread rather than in the command.
//
// Neither function throws: every Redis failure (refused, timeout, connection lost, an error
// reply such as READONLY from a replica) ends the walk and is in `error`. Not thread-safe per
// connection (a RedisConnection serves one thread); the callbacks run on the calling thread.
#pragma once

#include "key_selection.h"
#include "redis_connection.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace switchboard {

struct KeyCount {
    std::uint64_t matching = 0;      // keys SCAN returned (may count a key twice if Redis resized
                                     // its table meanwhile, as SCAN allows)
    std::uint64_t scanned = 0;       // keys looked at: DBSIZE when the walk began, in the share of
                                     // the cursor space walked (all of it once the walk ends)
    std::vector<std::string> sample; // the first matching keys, at most sampleSize
    std::string error;               // empty on success; "cancelled" when cancelled() stopped it
};

// Counts the keys the selection takes and changes nothing: SCAN cursor MATCH pattern COUNT 1000
// to the end, or EXISTS for a single key. cancelled() is asked before each SCAN (may be empty).
KeyCount countKeys(RedisConnection& redis, const KeySelection& selection, std::size_t sampleSize,
                   const std::function<bool()>& cancelled);

struct UnlinkProgress {
    std::uint64_t unlinked = 0; // keys UNLINK removed so far (not those already gone)
    std::uint64_t scanned = 0;  // as KeyCount::scanned, so far
};

struct UnlinkResult {
    std::uint64_t unlinked = 0;
    std::uint64_t scanned = 0;
    double elapsedMs = 0;
    bool cancelled = false; // cancelled() stopped the walk before its end
    std::string error;      // empty on success
};

// Unlinks the keys the selection takes: SCAN with MATCH, UNLINK of what it returns in batches
// of at most batchSize keys (clamped to 1..1000), several UNLINKs and the next SCAN sent in one
// round trip. No faster than keysPerSecond over the run (<= 0: unthrottled): it sleeps between
// batches against a steady clock, and at a slow rate sends smaller batches (about 100 ms' worth)
// so the rate holds within a second too. progress() is called after every batch; cancelled() is
// asked before every round trip and while sleeping, and stops the walk after the batches in
// flight. Either callback may be empty. A single key: one UNLINK.
UnlinkResult unlinkKeys(RedisConnection& redis, const KeySelection& selection, double keysPerSecond,
                        std::size_t batchSize,
                        const std::function<void(const UnlinkProgress&)>& progress,
                        const std::function<bool()>& cancelled);

} // namespace switchboard
