#include "l1_cache.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <ctime>
#include <mutex>
#include <vector>

namespace switchboard {

namespace {

constexpr std::size_t kInlineKey = 24;
constexpr std::size_t kMinIndex = 8;
// Longer times to live are cut to this, so the expiry in clock ticks cannot overflow.
constexpr std::chrono::hours kLongestTtl(24 * 365 * 100);

// One entry in one cache line: a hit compares the key and reads the value and the expiry here
// without following a pointer (unless the key is longer than kInlineKey).
struct alignas(64) Slot {
    std::uint64_t hash = 0;
    L1Cache::Value value;     // null: the slot is free
    std::int64_t expires = 0; // Clock ticks
    std::uint32_t keySize = 0;
    bool referenced = false; // hit since the hand last passed it
    union {
        char inlineKey[kInlineKey] = {};
        char* heapKey; // keySize > kInlineKey: an owned copy
    };

    Slot() = default;
    // Only for the slot array's growth; the moved-from slot no longer owns a heap key.
    Slot(Slot&& other) noexcept
        : hash(other.hash)
        , value(std::move(other.value))
        , expires(other.expires)
        , keySize(other.keySize)
        , referenced(other.referenced) {
        std::memcpy(inlineKey, other.inlineKey, kInlineKey); // the whole union, bytewise
        other.keySize = 0;
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() { release(); }

    bool onHeap() const { return keySize > kInlineKey; }
    std::string_view key() const { return {onHeap() ? heapKey : inlineKey, keySize}; }

    void fill(std::string_view text, std::uint64_t keyHash, L1Cache::Value shared,
              std::int64_t expiry) {
        hash = keyHash;
        value = std::move(shared);
        expires = expiry;
        keySize = static_cast<std::uint32_t>(text.size());
        referenced = false;
        char* target = inlineKey;
        if (onHeap())
            target = heapKey = new char[text.size()];
        std::memcpy(target, text.data(), text.size());
    }
    void release() {
        if (onHeap())
            delete[] heapKey;
        keySize = 0;
        value.reset();
        referenced = false;
    }
};
static_assert(sizeof(Slot) == 64, "a slot is one cache line");

// An open-addressing index entry: eight to a cache line, so a probe rarely reads a second.
struct IndexEntry {
    std::uint32_t tag = 0;  // the hash's low 32 bits: the home position and a quick filter
    std::uint32_t slot = 0; // slot number + 1; 0: empty
};

std::size_t entryBytes(std::size_t key, std::size_t value) {
    return key + value + sizeof(Slot);
}

std::uint64_t hashOf(std::string_view key) {
    return std::hash<std::string_view>{}(key);
}

} // namespace

// A shard: entries in a slot array the CLOCK hand walks, found through a linear-probing index
// at most half full (a miss ends at an empty entry within a probe or two). Free slots are
// reused last-freed first, so an entry that replaces an evicted one lands just behind the hand.
// Every member is guarded by the mutex.
struct alignas(64) L1Cache::Shard {
    static constexpr std::size_t npos = ~std::size_t(0);

    std::mutex mutex;
    std::vector<IndexEntry> index = std::vector<IndexEntry>(kMinIndex);
    std::vector<Slot> slots;
    std::vector<std::uint32_t> freeSlots; // capacity kept at the slots', so a drop never allocates
    std::size_t hand = 0;
    std::size_t live = 0;
    std::size_t bytes = 0;
    std::uint64_t evictions = 0;

    std::size_t mask() const { return index.size() - 1; }
    Slot& slotAt(std::size_t at) { return slots[index[at].slot - 1]; }

    // The index position of the key's entry, or npos.
    std::size_t find(std::string_view key, std::uint64_t hash) const {
        const auto tag = static_cast<std::uint32_t>(hash);
        for (std::size_t at = tag & mask();; at = (at + 1) & mask()) {
            const IndexEntry entry = index[at];
            if (entry.slot == 0)
                return npos;
            if (entry.tag == tag && slots[entry.slot - 1].key() == key)
                return at;
        }
    }

    // The index position of a live slot.
    std::size_t positionOf(std::uint32_t number) const {
        const auto tag = static_cast<std::uint32_t>(slots[number].hash);
        std::size_t at = tag & mask();
        while (index[at].slot != number + 1)
            at = (at + 1) & mask();
        return at;
    }

    void place(IndexEntry entry) {
        std::size_t at = entry.tag & mask();
        while (index[at].slot != 0)
            at = (at + 1) & mask();
        index[at] = entry;
    }

    // Backward-shift deletion: later entries of the probe run move up into the hole unless that
    // would put them before their home, so no tombstones build up.
    void removeFromIndex(std::size_t hole) {
        for (std::size_t next = (hole + 1) & mask(); index[next].slot != 0;
             next = (next + 1) & mask()) {
            const std::size_t home = index[next].tag & mask();
            if (((next - home) & mask()) >= ((next - hole) & mask())) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = {};
    }

    void drop(std::size_t at) {
        const std::uint32_t number = index[at].slot - 1;
        Slot& slot = slots[number];
        bytes -= entryBytes(slot.keySize, slot.value->size());
        removeFromIndex(at);
        slot.release();
        freeSlots.push_back(number);
        --live;
    }

    // A free slot's number, growing the slots (and the index with them) when none is free.
    std::uint32_t takeSlot() {
        if (!freeSlots.empty()) {
            const std::uint32_t number = freeSlots.back();
            freeSlots.pop_back();
            return number;
        }
        slots.emplace_back();
        freeSlots.reserve(slots.capacity());
        if (slots.size() * 2 > index.size()) {
            index.assign(index.size() * 2, IndexEntry{});
            for (std::uint32_t number = 0; number < slots.size(); ++number)
                if (slots[number].value)
                    place({static_cast<std::uint32_t>(slots[number].hash), number + 1});
        }
        return static_cast<std::uint32_t>(slots.size() - 1);
    }

    void insert(std::string_view key, std::uint64_t hash, Value value, std::int64_t expires,
                std::size_t entry) {
        const std::uint32_t number = takeSlot();
        slots[number].fill(key, hash, std::move(value), expires);
        place({static_cast<std::uint32_t>(hash), number + 1});
        bytes += entry;
        ++live;
    }

    // Second chance: the hand unmarks marked entries and drops the first expired or unmarked
    // one. Bounded: after one turn every live entry is unmarked. The shard must not be empty.
    void evictOne(std::int64_t now) {
        for (;;) {
            if (hand >= slots.size())
                hand = 0;
            const auto number = static_cast<std::uint32_t>(hand++);
            Slot& slot = slots[number];
            if (!slot.value)
                continue;
            const bool expired = slot.expires <= now;
            if (!expired && slot.referenced) {
                slot.referenced = false;
                continue;
            }
            drop(positionOf(number));
            if (!expired) // an expired entry would have gone anyway: not an eviction
                ++evictions;
            return;
        }
    }

    void clear() {
        index.assign(kMinIndex, IndexEntry{});
        std::vector<Slot>().swap(slots);
        std::vector<std::uint32_t>().swap(freeSlots);
        hand = live = bytes = 0;
    }
};

L1Cache::L1Cache(Limits limits, std::function<Clock::time_point()> now)
    : now_(std::move(now)) {
    std::size_t shards = std::bit_ceil(std::max<std::size_t>(1, limits.shards));
    shardMask_ = shards - 1;
    // Slot numbers and index tags are 32-bit: a shard holds at most 2^30 entries.
    maxEntriesPerShard_ = std::clamp<std::size_t>(limits.maxEntries / shards, 1, 1u << 30);
    maxBytesPerShard_ = std::max<std::size_t>(1, limits.maxBytes / shards);
    shards_ = std::make_unique<Shard[]>(shards);
}

L1Cache::~L1Cache() = default;
L1Cache::L1Cache(L1Cache&&) noexcept = default;
L1Cache& L1Cache::operator=(L1Cache&&) noexcept = default;

L1Cache::Shard& L1Cache::shardOf(std::uint64_t hash) const {
    // The hash's high bits pick the shard; the index in it uses the low bits.
    return shards_[(hash >> 48) & shardMask_];
}

std::int64_t L1Cache::nowTicks() const {
    if (now_)
        return now_().time_since_epoch().count();
    timespec tick{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &tick);
    return std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(tick.tv_sec) +
                                                       std::chrono::nanoseconds(tick.tv_nsec))
        .count();
}

L1Cache::Value L1Cache::get(std::string_view key) {
    const std::uint64_t hash = hashOf(key);
    Shard& shard = shardOf(hash);
    std::lock_guard lock(shard.mutex);
    const std::size_t at = shard.find(key, hash);
    if (at == Shard::npos)
        return nullptr;
    Slot& slot = shard.slotAt(at);
    if (slot.expires <= nowTicks()) {
        shard.drop(at);
        return nullptr;
    }
    if (!slot.referenced) // a hot entry's line stays clean: no write-back when it leaves
        slot.referenced = true;
    return slot.value;
}

void L1Cache::put(std::string_view key, Value value, std::chrono::milliseconds ttl) {
    if (!value)
        return;
    const std::uint64_t hash = hashOf(key);
    const std::size_t bytes = entryBytes(key.size(), value->size());
    const std::int64_t now = nowTicks();
    const auto keep =
        std::clamp<std::chrono::milliseconds>(ttl, std::chrono::milliseconds(1), kLongestTtl);
    const std::int64_t expires = now + std::chrono::duration_cast<Clock::duration>(keep).count();
    Shard& shard = shardOf(hash);
    std::lock_guard lock(shard.mutex);
    if (const std::size_t at = shard.find(key, hash); at != Shard::npos)
        shard.drop(at);
    if (bytes > maxBytesPerShard_)
        return; // would evict the whole shard and still not fit
    while (shard.live > 0 &&
           (shard.live + 1 > maxEntriesPerShard_ || shard.bytes + bytes > maxBytesPerShard_))
        shard.evictOne(now);
    shard.insert(key, hash, std::move(value), expires, bytes);
}

bool L1Cache::erase(std::string_view key) {
    const std::uint64_t hash = hashOf(key);
    Shard& shard = shardOf(hash);
    std::lock_guard lock(shard.mutex);
    const std::size_t at = shard.find(key, hash);
    if (at == Shard::npos)
        return false;
    shard.drop(at);
    return true;
}

std::size_t L1Cache::eraseIf(const std::function<bool(std::string_view)>& matches) {
    std::size_t erased = 0;
    for (std::size_t i = 0; i <= shardMask_; ++i) {
        Shard& shard = shards_[i];
        std::lock_guard lock(shard.mutex);
        for (std::uint32_t number = 0; number < shard.slots.size(); ++number) {
            const Slot& slot = shard.slots[number];
            if (slot.value && matches(slot.key())) {
                shard.drop(shard.positionOf(number));
                ++erased;
            }
        }
    }
    return erased;
}

void L1Cache::clear() {
    for (std::size_t i = 0; i <= shardMask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        shards_[i].clear();
    }
}

std::size_t L1Cache::entries() const {
    std::size_t total = 0;
    for (std::size_t i = 0; i <= shardMask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        total += shards_[i].live;
    }
    return total;
}

std::size_t L1Cache::bytes() const {
    std::size_t total = 0;
    for (std::size_t i = 0; i <= shardMask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        total += shards_[i].bytes;
    }
    return total;
}

std::uint64_t L1Cache::evictions() const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= shardMask_; ++i) {
        std::lock_guard lock(shards_[i].mutex);
        total += shards_[i].evictions;
    }
    return total;
}

} // namespace switchboard
