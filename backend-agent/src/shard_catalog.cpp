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
    tx.exec0("CREATE TABLE IF NOT EXISTS switchboard_shard_moves ("
             "job_id text NOT NULL, bucket int NOT NULL, from_node text NOT NULL, "
             "to_node text NOT NULL, phase text NOT NULL, rows_copied bigint NOT NULL DEFAULT 0, "
             "rows_total bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now(), "
             "PRIMARY KEY (job_id, bucket))");
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
        // Round robin over the configured nodes that are not spare, in their order.
        std::string names = "{";
        for (const auto& node : nodes)
            if (!node.spare)
                names += (names.size() > 1 ? ",\"" : "\"") + tx.esc(node.name) + "\"";
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

void recordMove(pqxx::connection& db, const ShardMoveRecord& move) {
    pqxx::work tx(db);
    tx.exec_params0("INSERT INTO switchboard_shard_moves (job_id, bucket, from_node, to_node, "
                    "phase, rows_copied, rows_total) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                    "ON CONFLICT (job_id, bucket) DO UPDATE SET phase = $5, rows_copied = $6, "
                    "rows_total = $7, updated_at = now()",
                    move.jobId, move.bucket, move.from, move.to, move.phase, move.rowsCopied,
                    move.rowsTotal);
    tx.commit();
}

std::vector<ShardMoveRecord> unfinishedMoves(pqxx::connection& db) {
    pqxx::read_transaction tx(db);
    std::vector<ShardMoveRecord> moves;
    for (const auto& row : tx.exec_params(
             "SELECT job_id, bucket, from_node, to_node, phase, rows_copied, rows_total "
             "FROM switchboard_shard_moves WHERE phase NOT IN ($1, $2, $3, $4) "
             "ORDER BY updated_at",
             move_phase::kDone, move_phase::kRolledBack, move_phase::kFailed, move_phase::kPending))
        moves.push_back({row[0].as<std::string>(), row[1].as<std::uint32_t>(),
                         row[2].as<std::string>(), row[3].as<std::string>(),
                         row[4].as<std::string>(), row[5].as<std::int64_t>(),
                         row[6].as<std::int64_t>()});
    return moves;
}

std::int64_t flipBucket(pqxx::connection& db, const ShardMoveRecord& move) {
    pqxx::work tx(db);
    auto updated = tx.exec_params("UPDATE switchboard_shard_buckets SET node = $3 "
                                  "WHERE bucket = $1 AND node = $2",
                                  move.bucket, move.from, move.to);
    if (updated.affected_rows() != 1)
        throw std::runtime_error("bucket " + std::to_string(move.bucket) + " is not on " +
                                 move.from + " in the catalog");
    auto version =
        tx.exec1("UPDATE switchboard_shard_meta SET version = version + 1 RETURNING version")[0]
            .as<std::int64_t>();
    tx.exec_params0("UPDATE switchboard_shard_moves SET phase = $3, updated_at = now() "
                    "WHERE job_id = $1 AND bucket = $2",
                    move.jobId, move.bucket, move_phase::kDeleting);
    tx.exec_params("SELECT pg_notify($1, $2)", kShardMapChannel, std::to_string(version));
    tx.commit();
    return version;
}

} // namespace switchboard
