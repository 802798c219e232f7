#include "cache_stats.h"

#include <functional>

namespace switchboard {

std::string_view cachePrefixOf(std::string_view key) {
    const auto colon = key.rfind(':');
    return colon == std::string_view::npos ? key : key.substr(0, colon);
}

namespace {

// Never 0, which marks an empty slot.
std::size_t slotHash(std::string_view prefix) {
    return std::hash<std::string_view>{}(prefix) | 1;
}

} // namespace

PrefixCounters& CacheStats::forKey(std::string_view key) {
    const std::string_view prefix = cachePrefixOf(key);
    const std::size_t hash = slotHash(prefix);
    for (std::size_t i = 0; i < kSlots; ++i) {
        Slot& slot = slots_[(hash + i) % kSlots];
        const std::size_t stored = slot.hash.load(std::memory_order_acquire);
        if (stored == 0)
            return insert(prefix, hash);
        if (stored == hash && slot.name == prefix)
            return slot.counters;
    }
    return insert(prefix, hash);
}

PrefixCounters& CacheStats::insert(std::string_view prefix, std::size_t hash) {
    std::lock_guard lock(insertMutex_);
    for (std::size_t i = 0; i < kSlots; ++i) {
        Slot& slot = slots_[(hash + i) % kSlots];
        const std::size_t stored = slot.hash.load(std::memory_order_relaxed);
        if (stored == hash && slot.name == prefix)
            return slot.counters; // another thread inserted it meanwhile
        if (stored != 0)
            continue;
        if (order_.size() >= kMaxPrefixes)
            break;
        slot.name = std::string(prefix);
        slot.hash.store(hash, std::memory_order_release); // readers see the name complete
        order_.push_back((hash + i) % kSlots);
        return slot.counters;
    }
    otherUsed_.store(true, std::memory_order_relaxed);
    return other_;
}

std::vector<CacheStats::PrefixRow> CacheStats::prefixes() const {
    std::vector<PrefixRow> rows;
    auto row = [](const std::string& name, const PrefixCounters& c) {
        return PrefixRow{name, c.l1Hits.load(std::memory_order_relaxed),
                         c.l2Hits.load(std::memory_order_relaxed),
                         c.misses.load(std::memory_order_relaxed)};
    };
    {
        std::lock_guard lock(insertMutex_);
        for (std::size_t index : order_)
            rows.push_back(row(slots_[index].name, slots_[index].counters));
    }
    if (otherUsed_.load(std::memory_order_relaxed))
        rows.push_back(row(kOtherPrefix, other_));
    return rows;
}

} // namespace switchboard
