#include "switchboard/agent_config.h"

#include "config_keys.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

extern char** environ;

namespace switchboard {

ConfigError::ConfigError(std::string key, const std::string& message)
    : std::runtime_error(key + ": " + message)
    , key_(std::move(key)) {}

namespace {

using nlohmann::json;

std::string requireString(const json& value, const std::string& key) {
    if (!value.is_string())
        throw ConfigError(key, "expected a string, got " + std::string(value.type_name()));
    return value.get<std::string>();
}

long long requireInteger(const json& value, const std::string& key) {
    if (!value.is_number_integer())
        throw ConfigError(key, "expected an integer, got " + std::string(value.type_name()));
    return value.get<long long>();
}

long long parseInteger(const std::string& text, const std::string& key) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        throw ConfigError(key, "expected an integer, got \"" + text + "\"");
    return value;
}

void checkRange(long long value, long long low, long long high, const std::string& key) {
    if (value < low || value > high)
        throw ConfigError(key, "must be between " + std::to_string(low) + " and " +
                                   std::to_string(high) + ", got " + std::to_string(value));
}

// Splits "host:port"; the port must be a number from 0 to 65535.
std::pair<std::string, int> splitHostPort(const std::string& text, const std::string& key) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw ConfigError(key, "expected host:port, got \"" + text + "\"");
    long long port = parseInteger(text.substr(colon + 1), key);
    checkRange(port, 0, 65535, key);
    return {text.substr(0, colon), static_cast<int>(port)};
}

void readTls(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("tls", "expected an object");
    for (auto& [key, value] : section.items()) {
        if (key == "certificate")
            config.tls.certificate = requireString(value, "tls.certificate");
    }
}

bool isLoopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

void readPostgres(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("postgres", "expected an object");
    for (auto& [key, value] : section.items()) {
        if (key == "primary") {
            config.postgresPrimary = requireString(value, "postgres.primary");
        } else if (key == "replicas") {
            if (!value.is_array())
                throw ConfigError("postgres.replicas", "expected an array");
            for (std::size_t i = 0; i < value.size(); ++i) {
                std::string where = "postgres.replicas[" + std::to_string(i) + "]";
                const json& entry = value[i];
                if (!entry.is_object() || !entry.contains("name") || !entry.contains("conninfo"))
                    throw ConfigError(where, "expected {\"name\": ..., \"conninfo\": ...}");
                config.postgresReplicas.push_back(
                    {requireString(entry["name"], where + ".name"),
                     requireString(entry["conninfo"], where + ".conninfo")});
            }
        }
    }
}

void readRedis(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("redis", "expected an object");
    for (auto& [key, value] : section.items()) {
        if (key == "host")
            config.redisHost = requireString(value, "redis.host");
        else if (key == "port")
            config.redisPort = static_cast<int>(requireInteger(value, "redis.port"));
    }
}

void readReadRouter(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("read_router", "expected an object");
    for (auto& [key, value] : section.items()) {
        if (key == "max_lag_ms") {
            long long ms = requireInteger(value, "read_router.max_lag_ms");
            checkRange(ms, 0, ReadRouterConfig::kMaxLagMsLimit, "read_router.max_lag_ms");
            config.readRouter.maxLagMs = static_cast<int>(ms);
        } else if (key == "max_lag_bytes")
            config.readRouter.maxLagBytes = requireInteger(value, "read_router.max_lag_bytes");
    }
}

// [{"name": ..., <field>: ...}] → entries; `read` fills one from its object.
template <typename Entry, typename Read>
std::vector<Entry> readObjects(const json& value, const std::string& key, Read read) {
    if (!value.is_array())
        throw ConfigError(key, "expected an array");
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < value.size(); ++i) {
        std::string where = key + "[" + std::to_string(i) + "]";
        if (!value[i].is_object())
            throw ConfigError(where, "expected an object");
        entries.push_back(read(value[i], where));
    }
    return entries;
}

void readCache(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("cache", "expected an object");
    CacheConfig& cache = config.cache;
    cache.enabled = true;
    auto integer = [](const json& value, const std::string& key, long long low, long long high) {
        long long number = requireInteger(value, key);
        checkRange(number, low, high, key);
        return number;
    };
    for (auto& [key, value] : section.items()) {
        const std::string where = "cache." + key;
        if (key == "l1_max_entries")
            cache.l1MaxEntries = static_cast<std::size_t>(integer(value, where, 16, 100000000));
        else if (key == "l1_max_bytes")
            cache.l1MaxBytes = static_cast<std::size_t>(integer(value, where, 4096, 1LL << 40));
        else if (key == "ttl_ms")
            cache.ttlMs = integer(value, where, 1, 30LL * 86400 * 1000);
        else if (key == "ttl_jitter_pct")
            cache.ttlJitterPct = static_cast<int>(integer(value, where, 0, 50));
        else if (key == "redis_timeout_ms")
            cache.redisTimeoutMs = static_cast<int>(integer(value, where, 1, 10000));
        else if (key == "pool_size")
            cache.poolSize = static_cast<int>(integer(value, where, 1, 256));
        else if (key == "stats_interval_ms")
            cache.statsIntervalMs = static_cast<int>(integer(value, where, 100, 600000));
        else if (key == "ack_timeout_ms")
            cache.ackTimeoutMs = static_cast<int>(integer(value, where, 10, 60000));
        else if (key == "channel")
            cache.channel = requireString(value, where);
        else if (key == "target_hit_rate") {
            if (!value.is_number())
                throw ConfigError(where,
                                  "expected a number, got " + std::string(value.type_name()));
            cache.targetHitRate = value.get<double>();
        }
    }
}

std::vector<std::string> readStrings(const json& value, const std::string& key) {
    if (!value.is_array())
        throw ConfigError(key, "expected an array of strings");
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < value.size(); ++i)
        strings.push_back(requireString(value[i], key + "[" + std::to_string(i) + "]"));
    return strings;
}

HaRegionConfig readHaRegion(const json& entry, const std::string& where) {
    HaRegionConfig region;
    for (auto& [key, value] : entry.items()) {
        if (key == "name")
            region.name = requireString(value, where + ".name");
        else if (key == "role")
            region.role = requireString(value, where + ".role");
        else if (key == "cluster")
            region.cluster = requireString(value, where + ".cluster");
        else if (key == "patroni")
            region.patroni = readStrings(value, where + ".patroni");
        else if (key == "fault_command")
            region.faultCommand = readStrings(value, where + ".fault_command");
        else if (key == "provider")
            region.provider = requireString(value, where + ".provider");
        else if (key == "primary_name")
            region.primaryName = requireString(value, where + ".primary_name");
        else if (key == "shards") {
            if (!value.is_object())
                throw ConfigError(where + ".shards",
                                  "expected an object: shard node name → conninfo");
            for (auto& [node, conninfo] : value.items())
                region.shards[node] = requireString(conninfo, where + ".shards." + node);
        } else if (key == "standby_cluster") {
            const std::string at = where + ".standby_cluster";
            if (!value.is_object())
                throw ConfigError(at, "expected an object");
            for (auto& [sub, subValue] : value.items()) {
                if (sub == "host")
                    region.standbyCluster.host = requireString(subValue, at + ".host");
                else if (sub == "port") {
                    const long long port = requireInteger(subValue, at + ".port");
                    checkRange(port, 1, 65535, at + ".port");
                    region.standbyCluster.port = static_cast<int>(port);
                } else if (sub == "primary_slot_name")
                    region.standbyCluster.slot = requireString(subValue, at + ".primary_slot_name");
            }
        }
    }
    if (region.cluster.empty())
        region.cluster = region.name; // the Patroni scope is usually named after the region
    return region;
}

void readHa(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("ha", "expected an object");
    HaConfig& ha = config.ha;
    ha.enabled = true;
    auto integer = [](const json& value, const std::string& key, long long low, long long high) {
        long long number = requireInteger(value, key);
        checkRange(number, low, high, key);
        return number;
    };
    // Up to a week for the time targets, a terabyte for lag: beyond that a value is a typo.
    constexpr long long kWeekMs = 7LL * 86400 * 1000;
    constexpr long long kTerabyte = 1LL << 40;
    for (auto& [key, value] : section.items()) {
        const std::string where = "ha." + key;
        if (key == "tier")
            ha.tier = requireString(value, where);
        else if (key == "rto_target_ms")
            ha.rtoTargetMs = integer(value, where, 0, kWeekMs);
        else if (key == "rpo_target_ms")
            ha.rpoTargetMs = integer(value, where, 0, kWeekMs);
        else if (key == "max_lag_bytes")
            ha.maxLagBytes = integer(value, where, 1, kTerabyte);
        else if (key == "interval_ms")
            ha.intervalMs = static_cast<int>(integer(value, where, 100, 600000));
        else if (key == "member_conninfo")
            ha.memberConninfo = requireString(value, where);
        else if (key == "shard_rejoin_command")
            ha.shardRejoinCommand = readStrings(value, where);
        else if (key == "regions")
            ha.regions = readObjects<HaRegionConfig>(
                value, where,
                [](const json& entry, const std::string& at) { return readHaRegion(entry, at); });
        else if (key == "writes") {
            if (!value.is_object())
                throw ConfigError(where, "expected an object");
            for (auto& [sub, subValue] : value.items()) {
                const std::string at = where + "." + sub;
                if (sub == "table")
                    ha.writesTable = requireString(subValue, at);
                else if (sub == "run_column")
                    ha.writesRunColumn = requireString(subValue, at);
                else if (sub == "seq_column")
                    ha.writesSeqColumn = requireString(subValue, at);
            }
        } else if (key == "stop_conditions") {
            if (!value.is_object())
                throw ConfigError(where, "expected an object");
            for (auto& [sub, subValue] : value.items()) {
                const std::string at = where + "." + sub;
                if (sub == "max_error_rate_pct") {
                    if (!subValue.is_number())
                        throw ConfigError(at, "expected a number, got " +
                                                  std::string(subValue.type_name()));
                    ha.maxErrorRatePct = subValue.get<double>();
                } else if (sub == "error_window_ms")
                    ha.errorWindowMs = static_cast<int>(integer(subValue, at, 100, 600000));
                else if (sub == "max_lag_bytes")
                    ha.stopMaxLagBytes = integer(subValue, at, 1, kTerabyte);
            }
        }
    }
}

void readShards(const json& section, AgentConfig& config) {
    if (!section.is_object())
        throw ConfigError("shards", "expected an object");
    ShardsConfig& shards = config.shards;
    for (auto& [key, value] : section.items()) {
        if (key == "catalog") {
            shards.catalog = requireString(value, "shards.catalog");
        } else if (key == "buckets") {
            long long buckets = requireInteger(value, "shards.buckets");
            checkRange(buckets, 1, ShardsConfig::kMaxBuckets, "shards.buckets");
            shards.buckets = static_cast<std::uint32_t>(buckets);
        } else if (key == "stats_interval_ms") {
            long long ms = requireInteger(value, "shards.stats_interval_ms");
            checkRange(ms, 100, 600000, "shards.stats_interval_ms");
            shards.statsIntervalMs = static_cast<int>(ms);
        } else if (key == "nodes") {
            shards.nodes = readObjects<ShardNodeEndpoint>(
                value, "shards.nodes", [](const json& entry, const std::string& where) {
                    if (!entry.contains("name") || !entry.contains("conninfo"))
                        throw ConfigError(where, "expected {\"name\": ..., \"conninfo\": ...}");
                    ShardNodeEndpoint node{requireString(entry["name"], where + ".name"),
                                           requireString(entry["conninfo"], where + ".conninfo")};
                    if (entry.contains("spare")) {
                        if (!entry["spare"].is_boolean())
                            throw ConfigError(where + ".spare", "expected true or false");
                        node.spare = entry["spare"].get<bool>();
                    }
                    return node;
                });
        } else if (key == "tables") {
            shards.tables = readObjects<ShardTable>(
                value, "shards.tables", [](const json& entry, const std::string& where) {
                    if (!entry.contains("name"))
                        throw ConfigError(where, "expected {\"name\": ...}");
                    ShardTable table;
                    table.name = requireString(entry["name"], where + ".name");
                    if (entry.contains("key"))
                        table.keyColumn = requireString(entry["key"], where + ".key");
                    if (entry.contains("bucket"))
                        table.bucketColumn = requireString(entry["bucket"], where + ".bucket");
                    return table;
                });
        }
    }
}

// A table or column name the agent puts into SQL: a plain identifier, nothing to quote.
bool isPlainIdentifier(const std::string& name) {
    if (name.empty() || name.size() > 63 || std::isdigit(static_cast<unsigned char>(name[0])))
        return false;
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) ||
              std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
            return false;
    return true;
}

// A table or column name for the drill's ledger queries: an identifier, optionally
// schema-qualified, that needs no quoting beyond what the drill adds.
bool isSafeIdentifier(const std::string& name) {
    if (name.empty() || name.size() > 127 || std::isdigit(static_cast<unsigned char>(name[0])) ||
        name[0] == '.')
        return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'))
            return false;
    return true;
}

} // namespace

void ShardsConfig::validate() const {
    checkRange(buckets, 1, kMaxBuckets, "shards.buckets");
    checkRange(statsIntervalMs, 100, 600000, "shards.stats_interval_ms");
    std::set<std::string> names;
    for (const auto& node : nodes) {
        if (node.name.empty())
            throw ConfigError("shards.nodes", "a node needs a name");
        if (!names.insert(node.name).second)
            throw ConfigError("shards.nodes", "duplicate name \"" + node.name + "\"");
    }
    if (!nodes.empty() &&
        std::all_of(nodes.begin(), nodes.end(), [](const auto& node) { return node.spare; }))
        throw ConfigError("shards.nodes", "every node is spare: the buckets need a first home");
    if (!nodes.empty() && tables.empty())
        throw ConfigError("shards.tables", "name the sharded tables (at least one)");
    for (const auto& table : tables)
        for (const std::string* name : {&table.name, &table.keyColumn, &table.bucketColumn})
            if (!isPlainIdentifier(*name))
                throw ConfigError("shards.tables",
                                  "\"" + *name + "\" is not a plain lower-case identifier");
}

void CacheConfig::validate() const {
    if (!enabled)
        return;
    if (!(targetHitRate >= 0.0 && targetHitRate <= 100.0))
        throw ConfigError("cache.target_hit_rate", "must be a percentage from 0 to 100");
    checkRange(ttlJitterPct, 0, 50, "cache.ttl_jitter_pct");
    checkRange(poolSize, 1, 256, "cache.pool_size");
    checkRange(redisTimeoutMs, 1, 10000, "cache.redis_timeout_ms");
    checkRange(statsIntervalMs, 100, 600000, "cache.stats_interval_ms");
    if (channel.size() > 200)
        throw ConfigError("cache.channel", "at most 200 bytes");
}

std::int64_t HaConfig::rtoTarget() const {
    if (rtoTargetMs > 0)
        return rtoTargetMs;
    if (tier == "high")
        return 4LL * 3600 * 1000;
    if (tier == "medium")
        return 24LL * 3600 * 1000;
    return 3600LL * 1000; // critical
}

std::int64_t HaConfig::rpoTarget() const {
    if (rpoTargetMs > 0)
        return rpoTargetMs;
    if (tier == "high")
        return 3600LL * 1000;
    if (tier == "medium")
        return 24LL * 3600 * 1000;
    return 5LL * 60 * 1000; // critical
}

void HaConfig::validate() const {
    if (!enabled)
        return;
    if (tier != "critical" && tier != "high" && tier != "medium")
        throw ConfigError("ha.tier", "expected critical, high or medium, got \"" + tier + "\"");
    if (rtoTargetMs < 0)
        throw ConfigError("ha.rto_target_ms", "must not be negative");
    if (rpoTargetMs < 0)
        throw ConfigError("ha.rpo_target_ms", "must not be negative");
    if (maxLagBytes <= 0)
        throw ConfigError("ha.max_lag_bytes", "must be positive");
    checkRange(intervalMs, 100, 600000, "ha.interval_ms");
    if (regions.empty())
        throw ConfigError("ha.regions", "at least one region is required");
    std::set<std::string> names;
    int active = 0;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const HaRegionConfig& region = regions[i];
        const std::string where = "ha.regions[" + std::to_string(i) + "]";
        if (region.name.empty())
            throw ConfigError(where + ".name", "a region needs a name");
        if (!names.insert(region.name).second)
            throw ConfigError(where + ".name", "duplicate name \"" + region.name + "\"");
        if (region.role == "active")
            ++active;
        else if (region.role != "standby")
            throw ConfigError(where + ".role",
                              "expected active or standby, got \"" + region.role + "\"");
        if (region.provider != "patroni" && region.provider != "direct")
            throw ConfigError(where + ".provider",
                              "expected patroni or direct, got \"" + region.provider + "\"");
        if (region.direct()) {
            // One set of servers (postgres.primary and .replicas) is all a direct region has;
            // a region drill needs a standby cluster in another region to promote.
            if (regions.size() != 1)
                throw ConfigError(where + ".provider",
                                  "a direct region must be the only region (region drills need "
                                  "Patroni standby clusters)");
            if (!region.patroni.empty())
                throw ConfigError(where + ".patroni", "a direct region has no Patroni");
            if (region.primaryName.empty())
                throw ConfigError(where + ".primary_name", "must not be empty");
        } else if (region.patroni.empty())
            throw ConfigError(where + ".patroni", "at least one Patroni REST URL is required");
        for (const auto& url : region.patroni)
            if (!url.starts_with("http://") || url.size() <= 7)
                throw ConfigError(where + ".patroni",
                                  "expected an http:// URL, got \"" + url + "\"");
        if (!region.faultCommand.empty() && region.faultCommand.front().empty())
            throw ConfigError(where + ".fault_command", "the program must not be empty");
        for (const auto& [node, conninfo] : region.shards)
            if (node.empty() || conninfo.empty())
                throw ConfigError(where + ".shards", "each shard node needs a name and a conninfo");
        // A region drill swaps every shard node at once: a node one region lists and another
        // does not could not be taken over.
        if (i > 0 && !region.shards.empty() && !regions[0].shards.empty()) {
            std::set<std::string> mine, first;
            for (const auto& entry : region.shards)
                mine.insert(entry.first);
            for (const auto& entry : regions[0].shards)
                first.insert(entry.first);
            if (mine != first)
                throw ConfigError(where + ".shards",
                                  "must name the same shard nodes as " + regions[0].name + "'s");
        }
        const auto& standby = region.standbyCluster;
        if ((standby.host.empty()) != (standby.port == 0))
            throw ConfigError(where + ".standby_cluster", "needs both host and port");
        if (!standby.slot.empty() && !isPlainIdentifier(standby.slot))
            throw ConfigError(where + ".standby_cluster.primary_slot_name",
                              "\"" + standby.slot + "\" is not a plain identifier");
    }
    if (!shardRejoinCommand.empty() && shardRejoinCommand.front().empty())
        throw ConfigError("ha.shard_rejoin_command", "the program must not be empty");
    if (active != 1)
        throw ConfigError("ha.regions",
                          "exactly one region must be active, got " + std::to_string(active));
    if (!writesTable.empty() && !isSafeIdentifier(writesTable))
        throw ConfigError("ha.writes.table", "\"" + writesTable + "\" is not a plain identifier");
    if (!isSafeIdentifier(writesRunColumn))
        throw ConfigError("ha.writes.run_column",
                          "\"" + writesRunColumn + "\" is not a plain identifier");
    if (!isSafeIdentifier(writesSeqColumn))
        throw ConfigError("ha.writes.seq_column",
                          "\"" + writesSeqColumn + "\" is not a plain identifier");
    if (!(maxErrorRatePct > 0.0 && maxErrorRatePct <= 100.0))
        throw ConfigError("ha.stop_conditions.max_error_rate_pct",
                          "must be a percentage above 0, at most 100");
    checkRange(errorWindowMs, 100, 600000, "ha.stop_conditions.error_window_ms");
    if (stopMaxLagBytes <= 0)
        throw ConfigError("ha.stop_conditions.max_lag_bytes", "must be positive");
}

void ReadRouterConfig::validate() const {
    checkRange(maxLagMs, 0, kMaxLagMsLimit, "read_router.max_lag_ms");
    checkRange(maxLagBytes, 0, kMaxLagBytesLimit, "read_router.max_lag_bytes");
}

AgentConfig AgentConfig::fromJson(const std::string& jsonText,
                                  const std::map<std::string, std::string>& env) {
    json root;
    try {
        root = json::parse(jsonText);
    } catch (const json::exception& error) {
        // parse_error, and out_of_range for a number past a double (1e400): both the file's.
        throw ConfigError("(file)", std::string("not valid JSON: ") + error.what());
    }
    if (!root.is_object())
        throw ConfigError("(file)", "expected a JSON object at the top level");

    AgentConfig config;
    // One walk over the file warns of every key the readers below do not know; they skip them.
    config.warnings = config_keys::unknownKeys(root);
    for (auto& [key, value] : root.items()) {
        if (key == "service")
            config.service = requireString(value, key);
        else if (key == "instance")
            config.instance = requireString(value, key);
        else if (key == "region")
            config.region = requireString(value, key);
        else if (key == "listen")
            config.listen = requireString(value, key);
        else if (key == "audit_log")
            config.auditLog = requireString(value, key);
        else if (key == "token_files") {
            if (!value.is_array())
                throw ConfigError(key, "expected an array of paths");
            config.tokenFiles.clear();
            for (std::size_t i = 0; i < value.size(); ++i)
                config.tokenFiles.push_back(
                    requireString(value[i], key + "[" + std::to_string(i) + "]"));
        } else if (key == "max_request_bytes") {
            long long bytes = requireInteger(value, key);
            checkRange(bytes, 1024, 16 * 1024 * 1024, key);
            config.maxRequestBytes = static_cast<std::size_t>(bytes);
        } else if (key == "probe_interval_ms") {
            config.probeIntervalMs = static_cast<int>(requireInteger(value, key));
            checkRange(config.probeIntervalMs, 100, 60000, key);
        } else if (key == "probe_timeout_ms") {
            config.probeTimeoutMs = static_cast<int>(requireInteger(value, key));
            checkRange(config.probeTimeoutMs, 100, 30000, key);
        } else if (key == "stats_interval_ms") {
            config.statsIntervalMs = static_cast<int>(requireInteger(value, key));
            checkRange(config.statsIntervalMs, 100, 60000, key);
        } else if (key == "stream_history") {
            long long events = requireInteger(value, key);
            checkRange(events, 16, 1000000, key);
            config.streamHistory = static_cast<std::size_t>(events);
        } else if (key == "postgres")
            readPostgres(value, config);
        else if (key == "redis")
            readRedis(value, config);
        else if (key == "tls")
            readTls(value, config);
        else if (key == "read_router")
            readReadRouter(value, config);
        else if (key == "shards")
            readShards(value, config);
        else if (key == "cache")
            readCache(value, config);
        else if (key == "ha")
            readHa(value, config);
    }
    config.applyEnvironment(env);
    config.validate();
    return config;
}

AgentConfig AgentConfig::fromFile(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw ConfigError("(file)", "cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return fromJson(text.str(), processEnvironment());
}

std::map<std::string, std::string> AgentConfig::processEnvironment() {
    std::map<std::string, std::string> env;
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string_view text(*entry);
        auto equals = text.find('=');
        if (equals != std::string_view::npos && text.starts_with("SWITCHBOARD_"))
            env.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return env;
}

void AgentConfig::applyEnvironment(const std::map<std::string, std::string>& env) {
    const auto known = config_keys::environmentVariables();
    for (auto& [name, value] : env) {
        if (!name.starts_with("SWITCHBOARD_"))
            continue;
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            // Other tools of the project share the prefix (e.g. SWITCHBOARD_STACK_FILE).
            continue;
        }
        if (name == "SWITCHBOARD_SERVICE")
            service = value;
        else if (name == "SWITCHBOARD_INSTANCE")
            instance = value;
        else if (name == "SWITCHBOARD_REGION")
            region = value;
        else if (name == "SWITCHBOARD_LISTEN")
            listen = value;
        else if (name == "SWITCHBOARD_AUDIT_LOG")
            auditLog = value;
        else if (name == "SWITCHBOARD_TLS_CERTIFICATE")
            tls.certificate = value;
        else if (name == "SWITCHBOARD_TOKEN_FILES") {
            tokenFiles.clear();
            std::stringstream paths(value);
            for (std::string path; std::getline(paths, path, ':');)
                if (!path.empty())
                    tokenFiles.push_back(path);
        } else if (name == "SWITCHBOARD_MAX_REQUEST_BYTES") {
            long long bytes = parseInteger(value, name);
            checkRange(bytes, 1024, 16 * 1024 * 1024, name);
            maxRequestBytes = static_cast<std::size_t>(bytes);
        } else if (name == "SWITCHBOARD_PROBE_INTERVAL_MS") {
            probeIntervalMs = static_cast<int>(parseInteger(value, name));
            checkRange(probeIntervalMs, 100, 60000, name);
        } else if (name == "SWITCHBOARD_PROBE_TIMEOUT_MS") {
            probeTimeoutMs = static_cast<int>(parseInteger(value, name));
            checkRange(probeTimeoutMs, 100, 30000, name);
        } else if (name == "SWITCHBOARD_STATS_INTERVAL_MS") {
            statsIntervalMs = static_cast<int>(parseInteger(value, name));
            checkRange(statsIntervalMs, 100, 60000, name);
        } else if (name == "SWITCHBOARD_STREAM_HISTORY") {
            long long events = parseInteger(value, name);
            checkRange(events, 16, 1000000, name);
            streamHistory = static_cast<std::size_t>(events);
        } else if (name == "SWITCHBOARD_POSTGRES_PRIMARY")
            postgresPrimary = value;
        else if (name == "SWITCHBOARD_READ_ROUTER_MAX_LAG_MS") {
            long long ms = parseInteger(value, name);
            checkRange(ms, 0, ReadRouterConfig::kMaxLagMsLimit, name);
            readRouter.maxLagMs = static_cast<int>(ms);
        } else if (name == "SWITCHBOARD_REDIS") {
            auto [host, port] = splitHostPort(value, name);
            redisHost = host;
            redisPort = port;
        }
    }
}

void AgentConfig::validate() const {
    if (service.empty())
        throw ConfigError("service", "must not be empty");
    if (instance.empty())
        throw ConfigError("instance", "must not be empty");
    if (region.empty())
        throw ConfigError("region", "must not be empty");
    auto [host, port] = splitHostPort(listen, "listen");
    (void)port;
    // Beyond loopback the tokens cross a network: only inside TLS, and never without them.
    if (!isLoopback(host) && (!tls.enabled() || tokenFiles.empty()))
        throw ConfigError("listen", "binding beyond loopback (" + host +
                                        ") needs TLS (tls.certificate) and at least one token "
                                        "file (token_files); without them use 127.0.0.1");
    if (tokenFiles.empty())
        throw ConfigError("token_files", "at least one token file is required");
    if (tls.enabled())
        tls.validate();
    if (!redisHost.empty())
        checkRange(redisPort, 1, 65535, "redis.port");
    if (probeTimeoutMs > 30000)
        throw ConfigError("probe_timeout_ms", "must be at most 30000");
    readRouter.validate();
    shards.validate();
    cache.validate();
    ha.validate();
    if (cache.enabled && redisHost.empty())
        throw ConfigError("cache", "needs redis.host (L2 is Redis)");
    for (const auto& region : ha.regions) {
        if (!region.direct())
            continue;
        if (postgresPrimary.empty())
            throw ConfigError("ha.regions", "a direct region's members are postgres.primary and "
                                            "postgres.replicas: postgres.primary is not set");
        for (const auto& replica : postgresReplicas)
            if (replica.name == region.primaryName)
                throw ConfigError("ha.regions", "primary_name \"" + region.primaryName +
                                                    "\" is also a replica's name");
    }
    if (!shards.nodes.empty() && shards.catalog.empty() && postgresPrimary.empty())
        throw ConfigError("shards.catalog", "needed without postgres.primary");
    std::set<std::string> names;
    for (auto& replica : postgresReplicas)
        if (!names.insert(replica.name).second)
            throw ConfigError("postgres.replicas", "duplicate name \"" + replica.name + "\"");
}

} // namespace switchboard
