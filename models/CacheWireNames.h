// The names of the cache document and the cache.invalidate action (docs/protocol.md, "Cache").
// protocol.h names none of them yet; until it does they live here, on the console's side only,
// in a namespace of their own so the header's constants can replace them one for one.
#pragma once

#include <string_view>

namespace switchboard::cache_wire {

// The snapshot's member and the event's kind.
inline constexpr std::string_view kCache = "cache";
inline constexpr std::string_view kInvalidateAction = "cache.invalidate";

// The cache document.
inline constexpr std::string_view kTargetHitRate = "target_hit_rate";
inline constexpr std::string_view kHitRate = "hit_rate";
inline constexpr std::string_view kLayers = "layers";
inline constexpr std::string_view kL1 = "l1";
inline constexpr std::string_view kL2 = "l2";
inline constexpr std::string_view kLoader = "loader";
inline constexpr std::string_view kHits = "hits";
inline constexpr std::string_view kMisses = "misses";
inline constexpr std::string_view kHitsPerSecond = "hits_per_s";
inline constexpr std::string_view kMissesPerSecond = "misses_per_s";
inline constexpr std::string_view kEntries = "entries";
inline constexpr std::string_view kEvictions = "evictions";
inline constexpr std::string_view kSkipped = "skipped";
inline constexpr std::string_view kBreaker = "breaker";
inline constexpr std::string_view kLoads = "loads";
inline constexpr std::string_view kCoalesced = "coalesced";
inline constexpr std::string_view kLoadsPerSecond = "loads_per_s";
inline constexpr std::string_view kPrefixes = "prefixes";
inline constexpr std::string_view kPrefix = "prefix";
inline constexpr std::string_view kL1Hits = "l1_hits";
inline constexpr std::string_view kL2Hits = "l2_hits";
inline constexpr std::string_view kKeys = "keys";
inline constexpr std::string_view kMemoryBytes = "memory_bytes";
inline constexpr std::string_view kRedis = "redis";
inline constexpr std::string_view kUsedMemory = "used_memory";
inline constexpr std::string_view kMaxMemory = "maxmemory";
inline constexpr std::string_view kEvictedKeys = "evicted_keys";
inline constexpr std::string_view kEvictionsPerSecond = "evictions_per_s";
inline constexpr std::string_view kKeyspaceHitsPerSecond = "keyspace_hits_per_s";
inline constexpr std::string_view kKeyspaceMissesPerSecond = "keyspace_misses_per_s";
inline constexpr std::string_view kConnectedClients = "connected_clients";
inline constexpr std::string_view kInvalidation = "invalidation";
inline constexpr std::string_view kChannel = "channel";
inline constexpr std::string_view kSubscribed = "subscribed";
inline constexpr std::string_view kReceived = "received";
inline constexpr std::string_view kLast = "last";
inline constexpr std::string_view kId = "id";
inline constexpr std::string_view kMatch = "match";
inline constexpr std::string_view kValue = "value";
inline constexpr std::string_view kRemoved = "removed";
inline constexpr std::string_view kFrom = "from";

// cache.invalidate: params, the plan's details, the job's progress and result.
inline constexpr std::string_view kRate = "rate";
inline constexpr std::string_view kAllowMatchAll = "allow_match_all";
inline constexpr std::string_view kDetails = "details";
inline constexpr std::string_view kMatching = "matching";
inline constexpr std::string_view kScanned = "scanned";
inline constexpr std::string_view kSample = "sample";
inline constexpr std::string_view kMatchAll = "match_all";
inline constexpr std::string_view kEstimateSeconds = "estimate_s";
inline constexpr std::string_view kUnlinked = "unlinked";
inline constexpr std::string_view kElapsedMs = "elapsed_ms";
inline constexpr std::string_view kKeysPerSecond = "keys_per_s";
inline constexpr std::string_view kReceivers = "receivers";
inline constexpr std::string_view kAcked = "acked";
inline constexpr std::string_view kMissing = "missing";
inline constexpr std::string_view kAckMs = "ack_ms";

// The match kinds, and the refusal of a selection of every key without allow_match_all.
inline constexpr std::string_view kMatchKey = "key";
inline constexpr std::string_view kMatchPrefix = "prefix";
inline constexpr std::string_view kMatchPattern = "pattern";
inline constexpr std::string_view kMatchAllNeedsConfirmation = "match_all_needs_confirmation";

} // namespace switchboard::cache_wire
