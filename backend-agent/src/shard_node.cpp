#include "shard_node.h"

#include "pg_advisory_lock.h"

#include <vector>

namespace switchboard {

namespace {
// Two instances preparing one node at once would race on CREATE OR REPLACE FUNCTION.
constexpr int kPrepareLockKey = 0x534e; // "SN"
} // namespace

void prepareShardNode(pqxx::connection& node) {
    pqxx::work tx(node);
    tx.exec_params("SELECT pg_advisory_xact_lock($1, $2)", PgAdvisoryLock::kNamespace,
                   kPrepareLockKey);
    tx.exec0("CREATE TABLE IF NOT EXISTS switchboard_bucket_owner (bucket int PRIMARY KEY)");
    tx.exec0("CREATE OR REPLACE FUNCTION switchboard_claim_bucket(b int) RETURNS void "
             "LANGUAGE plpgsql AS $fn$ BEGIN "
             "PERFORM 1 FROM switchboard_bucket_owner WHERE bucket = b FOR SHARE; "
             "IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'SB001', "
             "MESSAGE = format('bucket %s is not on this node', b); END IF; END $fn$");
    tx.commit();
}

int reconcileBucketOwners(pqxx::connection& node, int index, const ShardMap& map,
                          const std::set<std::uint32_t>& skip) {
    pqxx::work tx(node);
    std::set<std::uint32_t> owned;
    for (const auto& row : tx.exec("SELECT bucket FROM switchboard_bucket_owner"))
        owned.insert(row[0].as<std::uint32_t>());
    int changed = 0;
    for (std::uint32_t bucket = 0; bucket < map.bucketNodes.size(); ++bucket) {
        if (skip.contains(bucket))
            continue;
        bool mine = map.bucketNodes[bucket] == index;
        if (mine && !owned.contains(bucket)) {
            tx.exec_params0("INSERT INTO switchboard_bucket_owner VALUES ($1)", bucket);
            ++changed;
        } else if (!mine && owned.contains(bucket)) {
            tx.exec_params0("DELETE FROM switchboard_bucket_owner WHERE bucket = $1", bucket);
            ++changed;
        }
    }
    tx.commit();
    return changed;
}

} // namespace switchboard
