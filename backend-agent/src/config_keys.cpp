#include "config_keys.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace switchboard::config_keys {

namespace {

using nlohmann::json;

constexpr auto kFileKeys = std::to_array<std::string_view>({
    "service",
    "instance",
    "region",
    "listen",
    "token_files",
    "tls.certificate",
    "audit_log",
    "max_request_bytes",
    "probe_interval_ms",
    "probe_timeout_ms",
    "stats_interval_ms",
    "stream_history",
    "postgres.primary",
    "postgres.replicas[].name",
    "postgres.replicas[].conninfo",
    "redis.host",
    "redis.port",
    "read_router.max_lag_ms",
    "read_router.max_lag_bytes",
    "shards.catalog",
    "shards.buckets",
    "shards.stats_interval_ms",
    "shards.nodes[].name",
    "shards.nodes[].conninfo",
    "shards.nodes[].spare",
    "shards.tables[].name",
    "shards.tables[].key",
    "shards.tables[].bucket",
    "cache.l1_max_entries",
    "cache.l1_max_bytes",
    "cache.ttl_ms",
    "cache.ttl_jitter_pct",
    "cache.redis_timeout_ms",
    "cache.pool_size",
    "cache.stats_interval_ms",
    "cache.ack_timeout_ms",
    "cache.channel",
    "cache.target_hit_rate",
    "ha.tier",
    "ha.rto_target_ms",
    "ha.rpo_target_ms",
    "ha.max_lag_bytes",
    "ha.interval_ms",
    "ha.member_conninfo",
    "ha.shard_rejoin_command",
    "ha.regions[].name",
    "ha.regions[].role",
    "ha.regions[].cluster",
    "ha.regions[].provider",
    "ha.regions[].patroni",
    "ha.regions[].primary_name",
    "ha.regions[].fault_command",
    "ha.regions[].shards.*",
    "ha.regions[].standby_cluster.host",
    "ha.regions[].standby_cluster.port",
    "ha.regions[].standby_cluster.primary_slot_name",
    "ha.writes.table",
    "ha.writes.run_column",
    "ha.writes.seq_column",
    "ha.stop_conditions.max_error_rate_pct",
    "ha.stop_conditions.error_window_ms",
    "ha.stop_conditions.max_lag_bytes",
});

constexpr auto kEnvironmentVariables = std::to_array<std::string_view>({
    "SWITCHBOARD_SERVICE",
    "SWITCHBOARD_INSTANCE",
    "SWITCHBOARD_REGION",
    "SWITCHBOARD_LISTEN",
    "SWITCHBOARD_TOKEN_FILES",
    "SWITCHBOARD_TLS_CERTIFICATE",
    "SWITCHBOARD_MAX_REQUEST_BYTES",
    "SWITCHBOARD_PROBE_INTERVAL_MS",
    "SWITCHBOARD_PROBE_TIMEOUT_MS",
    "SWITCHBOARD_STATS_INTERVAL_MS",
    "SWITCHBOARD_STREAM_HISTORY",
    "SWITCHBOARD_POSTGRES_PRIMARY",
    "SWITCHBOARD_REDIS",
    "SWITCHBOARD_AUDIT_LOG",
    "SWITCHBOARD_READ_ROUTER_MAX_LAG_MS",
});

bool isKnown(const std::string& pattern) {
    return std::find(kFileKeys.begin(), kFileKeys.end(), pattern) != kFileKeys.end();
}

// True when some known key lies below `pattern` followed by `separator` ("." or "[]").
bool hasChildren(const std::string& pattern, std::string_view separator) {
    const std::string prefix = pattern + std::string(separator);
    return std::any_of(kFileKeys.begin(), kFileKeys.end(),
                       [&](std::string_view key) { return key.starts_with(prefix); });
}

// `pattern` names the object in the list's terms ("ha.regions[]"), `shown` in the file's
// ("ha.regions[1]"); both empty at the top level.
void walk(const json& object, const std::string& pattern, const std::string& shown,
          std::vector<std::string>& warnings) {
    const std::string dot = pattern.empty() ? "" : ".";
    for (const auto& [key, value] : object.items()) {
        std::string child = pattern + dot + key;
        const std::string childShown = shown + dot + key;
        if (!isKnown(child) && !hasChildren(child, ".") && !hasChildren(child, "[]")) {
            if (!pattern.empty() && isKnown(pattern + ".*")) {
                continue; // a name the user chose, e.g. a shard node's
            }
            warnings.push_back(childShown + ": unknown key, ignored");
            continue;
        }
        if (value.is_object() && hasChildren(child, "."))
            walk(value, child, childShown, warnings);
        else if (value.is_array() && hasChildren(child, "[]"))
            for (std::size_t i = 0; i < value.size(); ++i)
                if (value[i].is_object())
                    walk(value[i], child + "[]", childShown + "[" + std::to_string(i) + "]",
                         warnings);
    }
}

} // namespace

std::span<const std::string_view> fileKeys() {
    return kFileKeys;
}

std::span<const std::string_view> environmentVariables() {
    return kEnvironmentVariables;
}

std::vector<std::string> unknownKeys(const json& root) {
    std::vector<std::string> warnings;
    if (root.is_object())
        walk(root, "", "", warnings);
    return warnings;
}

} // namespace switchboard::config_keys
