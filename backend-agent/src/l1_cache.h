// The in-process layer (L1) of the tiered cache (issue 7): bounded by entries and by bytes,
// entries expire after their time to live. Eviction is second chance (CLOCK): a hit only marks
// its entry, and a hand sweeping the shard's slots in turn unmarks marked entries once and drops
// the first unmarked (or expired) one; the new entry takes the freed slot behind the hand, so
// the sweep meets entries roughly in the order they came: close to LRU, without relinking
// anything on a hit. Keys spread over shards, each with its own short lock, so threads on
// different keys rarely meet. Values are shared, immutable strings: a hit copies a pointer, not
// the value. Expiry reads a coarse clock (the kernel's last tick, 1-4 ms), precise enough for a
// cache's time to live.
//
// Layout, for a hit of three cache lines after the lock (index entry, slot, the value's shared
// count): each shard keeps its entries in one array of 64-byte slots holding the hash, the value,
// the expiry and a key of up to 24 bytes inline (longer keys on the heap), and finds them through
// an open-addressing index of (hash bits, slot number) pairs, at most half full.
// Thread-safe; the eraseIf predicate runs under a shard's lock and must not call the cache.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace switchboard {

class L1Cache {
public:
    using Clock = std::chrono::steady_clock;
    using Value = std::shared_ptr<const std::string>;

    struct Limits {
        std::size_t maxEntries = 100000;
        std::size_t maxBytes = 64 * 1024 * 1024; // keys, values and 64 bytes of slot each
        std::size_t shards = 16;                 // rounded up to a power of two
    };

    // `now` is injectable so tests can move time; without it the coarse monotonic clock.
    explicit L1Cache(Limits limits, std::function<Clock::time_point()> now = {});
    ~L1Cache();
    L1Cache(const L1Cache&) = delete;
    L1Cache& operator=(const L1Cache&) = delete;
    L1Cache(L1Cache&&) noexcept; // a moved-from cache may only be destroyed or assigned to
    L1Cache& operator=(L1Cache&&) noexcept;

    // The value, or null when absent or expired (an expired entry is dropped on the way).
    // No allocation.
    Value get(std::string_view key);
    // Stores a value for `ttl` (at least 1 ms); an entry larger than a shard's byte budget is
    // not kept. Evicts the shard's expired or least recently used entries to stay within the
    // limits. Allocates only for a key longer than 24 bytes or when the shard's arrays grow.
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
    struct Shard; // defined in l1_cache.cpp: slots, index and CLOCK hand

    Shard& shardOf(std::uint64_t hash) const;
    std::int64_t nowTicks() const;

    std::size_t shardMask_;
    std::size_t maxEntriesPerShard_;
    std::size_t maxBytesPerShard_;
    std::function<Clock::time_point()> now_;
    std::unique_ptr<Shard[]> shards_;
};

} // namespace switchboard
