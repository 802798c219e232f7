#include "l1_cache.h"

#include <algorithm>
#include <bit>
#include <ctime>

namespace switchboard {

L1Cache::L1Cache(Limits limits, std::function<Clock::time_point()> now)
    : now_(std::move(now)) {
    std::size_t shards = std::bit_ceil(std::max<std::size_t>(1, limits.shards));
    shardMask_ = shards - 1;
    maxEntriesPerShard_ = std::max<std::size_t>(1, limits.maxEntries / shards);
    maxBytesPerShard_ = std::max<std::size_t>(1, limits.maxBytes / shards);
    for (std::size_t i = 0; i < shards; ++i)
        shards_.push_back(std::make_unique<Shard>());
}

L1Cache::Clock::time_point L1Cache::now() const {
    if (now_)
        return now_();
    timespec tick{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &tick);
    return Clock::time_point(std::chrono::seconds(tick.tv_sec) +
                             std::chrono::nanoseconds(tick.tv_nsec));
}

void L1Cache::evictOneLocked(Shard& shard) {
    // Second chance: a referenced entry at the old end goes back to the front, unmarked; the
    // first unreferenced one goes. Bounded: after one pass every entry is unmarked.
    while (shard.lru.back().referenced) {
        shard.lru.back().referenced = false;
        shard.lru.splice(shard.lru.begin(), shard.lru, std::prev(shard.lru.end()));
    }
    dropLocked(shard, std::prev(shard.lru.end()));
    ++shard.evictions;
}

void L1Cache::dropLocked(Shard& shard, std::list<Entry>::iterator it) {
    shard.bytes -= it->bytes;
    shard.index.erase(HashedKey{it->key, it->hash});
    shard.lru.erase(it);
}

L1Cache::Value L1Cache::get(std::string_view text) {
    const HashedKey key = hashed(text);
    Shard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    auto found = shard.index.find(key);
    if (found == shard.index.end())
        return nullptr;
    auto it = found->second;
    if (it->expires <= now()) {
        dropLocked(shard, it);
        return nullptr;
    }
    it->referenced = true;
    return it->value;
}

void L1Cache::put(std::string_view text, Value value, std::chrono::milliseconds ttl) {
    if (!value)
        return;
    const HashedKey key = hashed(text);
    const std::size_t bytes = text.size() + value->size() + sizeof(Entry);
    Shard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    if (auto found = shard.index.find(key); found != shard.index.end())
        dropLocked(shard, found->second);
    if (bytes > maxBytesPerShard_)
        return; // would evict the whole shard and still not fit
    while (!shard.lru.empty() &&
           (shard.lru.size() + 1 > maxEntriesPerShard_ || shard.bytes + bytes > maxBytesPerShard_))
        evictOneLocked(shard);
    shard.lru.push_front(Entry{std::string(text), std::move(value),
                               now() + std::max(ttl, std::chrono::milliseconds(1)), bytes,
                               key.hash});
    shard.index.emplace(HashedKey{shard.lru.front().key, key.hash}, shard.lru.begin());
    shard.bytes += bytes;
}

bool L1Cache::erase(std::string_view text) {
    const HashedKey key = hashed(text);
    Shard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    auto found = shard.index.find(key);
    if (found == shard.index.end())
        return false;
    dropLocked(shard, found->second);
    return true;
}

std::size_t L1Cache::eraseIf(const std::function<bool(std::string_view)>& matches) {
    std::size_t erased = 0;
    for (auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        for (auto it = shard->lru.begin(); it != shard->lru.end();) {
            auto next = std::next(it);
            if (matches(it->key)) {
                dropLocked(*shard, it);
                ++erased;
            }
            it = next;
        }
    }
    return erased;
}

void L1Cache::clear() {
    for (auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        shard->index.clear();
        shard->lru.clear();
        shard->bytes = 0;
    }
}

std::size_t L1Cache::entries() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        total += shard->lru.size();
    }
    return total;
}

std::size_t L1Cache::bytes() const {
    std::size_t total = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        total += shard->bytes;
    }
    return total;
}

std::uint64_t L1Cache::evictions() const {
    std::uint64_t total = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard->mutex);
        total += shard->evictions;
    }
    return total;
}

} // namespace switchboard
