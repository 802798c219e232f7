// The in-process layer (L1) of the tiered cache (issue 7): bounded by entries and by bytes,
// entries expire after their time to live. Eviction is second chance (CLOCK): a hit only marks
// its entry, and the eviction sweep from the oldest end moves marked entries back to the front
// once; close to LRU, without relinking a list node on every hit. Keys spread over shards,
// each with its own short lock, so threads on different keys rarely meet. Values are shared,
// immutable strings: a hit copies a pointer, not the value. Expiry reads a coarse clock (the
// kernel's last tick, 1-4 ms), precise enough for a cache's time to live. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchboard {

class L1Cache {
public:
    using Clock = std::chrono::steady_clock;
    using Value = std::shared_ptr<const std::string>;

    struct Limits {
        std::size_t maxEntries = 100000;
        std::size_t maxBytes = 64 * 1024 * 1024; // keys and values
        std::size_t shards = 16;                 // rounded up to a power of two
    };

    // `now` is injectable so tests can move time; without it the coarse monotonic clock.
    explicit L1Cache(Limits limits, std::function<Clock::time_point()> now = {});

    // The value, or null when absent or expired (an expired entry is dropped on the way).
    Value get(std::string_view key);
    // Stores a value for `ttl` (at least 1 ms); an entry larger than a shard's byte budget is
    // not kept. Evicts least recently used entries of the shard to stay within the limits.
    void put(std::string_view key, Value value, std::chrono::milliseconds ttl);
    bool erase(std::string_view key);
    // Drops every entry whose key the predicate accepts; returns how many (invalidation by
    // prefix or pattern).
    std::size_t eraseIf(const std::function<bool(std::string_view)>& matches);
    void clear();

    std::size_t entries() const;
    std::size_t bytes() const;
    std::uint64_t evictions() const; // entries dropped for room (not expiry, not erase)

private:
    struct Entry {
        std::string key;
        Value value;
        Clock::time_point expires;
        std::size_t bytes;
        std::size_t hash;
        bool referenced = false; // hit since the sweep last passed it
    };
    // A key with its hash, computed once per call: it picks the shard and the map's bucket.
    struct HashedKey {
        std::string_view text;
        std::size_t hash;
        bool operator==(const HashedKey& other) const { return text == other.text; }
    };
    struct StoredHash {
        std::size_t operator()(const HashedKey& key) const noexcept { return key.hash; }
    };
    struct Shard {
        mutable std::mutex mutex;
        std::list<Entry> lru; // newest (or given a second chance) first
        std::unordered_map<HashedKey, std::list<Entry>::iterator, StoredHash>
            index; // views into lru
        std::size_t bytes = 0;
        std::uint64_t evictions = 0;
    };

    static HashedKey hashed(std::string_view key) {
        return {key, std::hash<std::string_view>{}(key)};
    }
    // The hash's high bits pick the shard; the map in it uses the whole hash.
    Shard& shardOf(const HashedKey& key) { return *shards_[(key.hash >> 48) & shardMask_]; }
    Clock::time_point now() const;
    // Drops the entry the second-chance sweep picks; the shard must not be empty.
    void evictOneLocked(Shard& shard);
    static void dropLocked(Shard& shard, std::list<Entry>::iterator it);

    std::size_t shardMask_;
    std::size_t maxEntriesPerShard_;
    std::size_t maxBytesPerShard_;
    std::function<Clock::time_point()> now_;
    std::vector<std::unique_ptr<Shard>> shards_;
};

} // namespace switchboard
