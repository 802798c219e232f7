// The tiered cache's counters: per layer, and per key prefix (the key up to its last ':').
//
// Request threads only increment relaxed atomics; a prefix's counters are found in a small
// fixed open-addressing table without a lock (a new prefix takes a short lock once). At most
// kMaxPrefixes prefixes are kept, so a key space with ids in its prefixes cannot grow the table;
// the rest count under "(other)". Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

// "catalog:item:42" -> "catalog:item"; a key without ':' is its own prefix.
std::string_view cachePrefixOf(std::string_view key);

struct PrefixCounters {
    std::atomic<std::uint64_t> l1Hits{0}, l2Hits{0}, misses{0};
};

class CacheStats {
public:
    static constexpr std::size_t kMaxPrefixes = 64;
    static constexpr const char* kOtherPrefix = "(other)";

    struct Layers {
        std::atomic<std::uint64_t> l1Hits{0}, l1Misses{0};
        std::atomic<std::uint64_t> l2Hits{0}, l2Misses{0}, l2Errors{0}, l2Skipped{0};
        std::atomic<std::uint64_t> loads{0}, loadErrors{0}, coalesced{0};
    };
    Layers layers;

    // The counters of the key's prefix.
    PrefixCounters& forKey(std::string_view key);

    struct PrefixRow {
        std::string prefix;
        std::uint64_t l1Hits, l2Hits, misses;
    };
    // Every prefix seen so far (and "(other)" once used), in order of first use.
    std::vector<PrefixRow> prefixes() const;

private:
    static constexpr std::size_t kSlots = kMaxPrefixes * 2; // open addressing, at most half full
    struct Slot {
        std::atomic<std::size_t> hash{0}; // 0: empty; published after `name`
        std::string name;
        PrefixCounters counters;
    };
    PrefixCounters& insert(std::string_view prefix, std::size_t hash);

    std::array<Slot, kSlots> slots_;
    mutable std::mutex insertMutex_;
    std::vector<std::size_t> order_; // slot indexes in order of first use; under insertMutex_
    PrefixCounters other_;
    std::atomic<bool> otherUsed_{false};
};

} // namespace switchboard
