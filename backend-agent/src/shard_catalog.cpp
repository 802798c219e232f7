#include "shard_catalog.h"

#include "pg_advisory_lock.h"

#include <map>

namespace switchboard {

namespace {

// Creating the catalog and adding nodes serialise on this advisory lock (in the agent's "SW"
// space).
constexpr int kCatalogLockKey = 0x5348; // "SH"

void createTables(pqxx::work& tx) {
    tx.exec0(
        "CREATE TABLE IF NOT EXISTS switchboard_shard_meta ("
        "id int PRIMARY KEY CHECK (id = 1), bucket_count int NOT NULL CHECK (bucket_count > 0), "
        "version bigint NOT NULL)");
    tx.exec0("CREATE TABLE IF NOT EXISTS switchboard_shard_nodes ("
             "name text PRIMARY KEY, conninfo text NOT NULL, position int NOT NULL UNIQUE)");
    tx.exec0(
        "CREATE TABLE IF NOT EXISTS switchboard_shard_buckets ("
        "bucket int PRIMARY KEY, node text NOT NULL REFERENCES switchboard_shard_nodes(name))");
}

} // namespace

void ensureShardCatalog(pqxx::connection& db, std::uint32_t bucketCount,
                        const std::vector<ShardNodeEndpoint>& nodes) {
    if (nodes.empty())
        throw ConfigError("shards.nodes", "at least one shard node is needed");
    pqxx::work tx(db);
    tx.exec_params("SELECT pg_advisory_xact_lock($1, $2)", PgAdvisoryLock::kNamespace,
                   kCatalogLockKey);
    createTables(tx);
    pqxx::result meta = tx.exec("SELECT bucket_count FROM switchboard_shard_meta");
    std::map<std::string, std::string> listed;
    for (const auto& row : tx.exec("SELECT name, conninfo FROM switchboard_shard_nodes"))
        listed[row[0].as<std::string>()] = row[1].as<std::string>();
    if (!meta.empty() && meta[0][0].as<std::uint32_t>() != bucketCount)
        throw ConfigError("shards.buckets", "the catalog has " + meta[0][0].as<std::string>() +
                                                " buckets; configured " +
                                                std::to_string(bucketCount) +
                                                " (the count is fixed once the catalog exists)");
    for (const auto& node : nodes) {
        auto found = listed.find(node.name);
        if (found != listed.end() && found->second != node.conninfo)
            throw ConfigError("shards.nodes", "node \"" + node.name +
                                                  "\" is in the catalog with another connection "
                                                  "string");
        if (found == listed.end()) {
            tx.exec_params0("INSERT INTO switchboard_shard_nodes (name, conninfo, position) "
                            "SELECT $1, $2, COALESCE(max(position) + 1, 0) "
                            "FROM switchboard_shard_nodes",
                            node.name, node.conninfo);
            listed[node.name] = node.conninfo;
        }
    }
    if (meta.empty()) {
        tx.exec_params0("INSERT INTO switchboard_shard_meta VALUES (1, $1, 1)", bucketCount);
        // Round robin over the configured nodes, in their order.
        std::string names = "{";
        for (std::size_t i = 0; i < nodes.size(); ++i)
            names += (i ? ",\"" : "\"") + tx.esc(nodes[i].name) + "\"";
        names += "}";
        tx.exec_params0("INSERT INTO switchboard_shard_buckets (bucket, node) "
                        "SELECT b, ($2::text[])[b % array_length($2::text[], 1) + 1] "
                        "FROM generate_series(0, $1 - 1) b",
                        bucketCount, names);
    }
    tx.commit();
}

ShardMap loadShardMap(pqxx::connection& db) {
    pqxx::read_transaction tx(db);
    ShardMap map;
    pqxx::row meta = tx.exec1("SELECT version, bucket_count FROM switchboard_shard_meta");
    map.version = meta[0].as<std::int64_t>();
    std::map<std::string, std::uint16_t> position;
    for (const auto& row : tx.exec(
             "SELECT name, conninfo, position FROM switchboard_shard_nodes ORDER BY position")) {
        if (row[2].as<std::size_t>() != map.nodes.size())
            throw ConfigError("shards", "the catalog's node positions have a gap");
        position[row[0].as<std::string>()] = static_cast<std::uint16_t>(map.nodes.size());
        map.nodes.push_back(row[0].as<std::string>());
        map.nodeConninfos.push_back(row[1].as<std::string>());
    }
    map.bucketNodes.assign(meta[1].as<std::size_t>(), 0);
    std::size_t seen = 0;
    for (const auto& row : tx.exec("SELECT bucket, node FROM switchboard_shard_buckets")) {
        auto bucket = row[0].as<std::size_t>();
        if (bucket >= map.bucketNodes.size())
            throw ConfigError("shards", "the catalog maps bucket " + std::to_string(bucket) +
                                            " beyond its bucket count");
        map.bucketNodes[bucket] = position.at(row[1].as<std::string>());
        ++seen;
    }
    if (seen != map.bucketNodes.size())
        throw ConfigError("shards", "the catalog maps " + std::to_string(seen) + " of its " +
                                        std::to_string(map.bucketNodes.size()) + " buckets");
    return map;
}

} // namespace switchboard
