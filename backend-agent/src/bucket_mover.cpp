#include "bucket_mover.h"

#include "action.h" // JobCancelled
#include "pg_advisory_lock.h"
#include "pg_conninfo.h"

#include <future>
#include <map>
#include <memory>

// libpqxx 6.4's stream_to doubles the newline of stream_from's raw lines; its older table
// streams pass COPY lines through intact, and stay until the move to libpqxx 7.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablereader>
#include <pqxx/tablewriter>

namespace switchboard {

namespace {

using Clock = std::chrono::steady_clock;

std::string bucketWhere(const ShardTable& table, std::uint32_t bucket) {
    return table.bucketColumn + " = " + std::to_string(bucket);
}

// Copies the rows `select` returns (a SELECT over `table`) from one transaction to another,
// COPY to COPY. Every BucketMover::kBatchRows rows it tells `batch` how many went since; false
// from it stops the copy (the caller then abandons the target's transaction). Returns how many.
std::int64_t copyRows(pqxx::transaction_base& from, pqxx::transaction_base& to,
                      const ShardTable& table, const std::string& select,
                      const std::function<bool(std::int64_t)>& batch = {}) {
    pqxx::tablereader reader(from, "(" + select + ")");
    pqxx::tablewriter writer(to, table.name);
    std::int64_t rows = 0, sinceBatch = 0;
    bool go = true;
    for (std::string line; go && reader.get_raw_line(line); ++rows) {
        writer.write_raw_line(line);
        if (batch && ++sinceBatch == BucketMover::kBatchRows) {
            go = batch(sinceBatch);
            sinceBatch = 0;
        }
    }
    if (!go)
        return rows; // both transactions are abandoned with their streams
    reader.complete();
    writer.complete();
    if (batch && sinceBatch > 0)
        batch(sinceBatch);
    return rows;
}

// key → md5 of the whole row, for one bucket of one table.
std::map<std::string, std::string> rowHashes(pqxx::transaction_base& tx, const ShardTable& table,
                                             std::uint32_t bucket) {
    std::map<std::string, std::string> hashes;
    for (const auto& row : tx.exec("SELECT " + table.keyColumn + "::text, md5(t::text) FROM " +
                                   table.name + " t WHERE " + bucketWhere(table, bucket)))
        hashes.emplace(row[0].as<std::string>(), row[1].as<std::string>());
    return hashes;
}

// A text literal. (Not tx.quote(): inlined, its string concatenation trips GCC 12's
// -Wrestrict false positive in Release builds.)
std::string literal(pqxx::transaction_base& tx, const std::string& text) {
    std::string quoted = "'";
    quoted += tx.esc(text);
    quoted += '\'';
    return quoted;
}

std::string keyList(pqxx::transaction_base& tx, const std::vector<std::string>& keys) {
    std::string list;
    for (const auto& key : keys) {
        if (!list.empty())
            list += ", ";
        list += literal(tx, key);
    }
    return list;
}

// Change capture on the source while a bucket moves: a trigger on each sharded table records
// the key of every row written in a moving bucket, so catching up and the final sync under the
// write hold touch only those rows, not the whole bucket.
constexpr int kCaptureLockKey = 0x4343; // "CC": one installer at a time per node

void installCapture(pqxx::connection& node, const std::vector<ShardTable>& tables) {
    pqxx::work tx(node);
    tx.exec_params("SELECT pg_advisory_xact_lock($1, $2)", PgAdvisoryLock::kNamespace,
                   kCaptureLockKey);
    tx.exec0("CREATE TABLE IF NOT EXISTS switchboard_moving_buckets (bucket int PRIMARY KEY)");
    tx.exec0("CREATE TABLE IF NOT EXISTS switchboard_move_changes (id bigserial PRIMARY KEY, "
             "bucket int NOT NULL, tbl text NOT NULL, key text NOT NULL)");
    // Nearly free while nothing moves: the first test reads an empty table.
    tx.exec0("CREATE OR REPLACE FUNCTION switchboard_capture_change() RETURNS trigger "
             "LANGUAGE plpgsql AS $fn$ DECLARE r jsonb; b int; BEGIN "
             "IF NOT EXISTS (SELECT 1 FROM switchboard_moving_buckets) THEN RETURN NULL; END IF; "
             "IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF; "
             "b := (r ->> TG_ARGV[1])::int; "
             "IF EXISTS (SELECT 1 FROM switchboard_moving_buckets WHERE bucket = b) THEN "
             "INSERT INTO switchboard_move_changes (bucket, tbl, key) "
             "VALUES (b, TG_TABLE_NAME, r ->> TG_ARGV[0]); END IF; RETURN NULL; END $fn$");
    for (const auto& table : tables)
        tx.exec0("CREATE OR REPLACE TRIGGER switchboard_capture AFTER INSERT OR UPDATE OR DELETE "
                 "ON " +
                 table.name + " FOR EACH ROW EXECUTE FUNCTION switchboard_capture_change(" +
                 tx.esc(table.keyColumn) + ", " + tx.esc(table.bucketColumn) + ")");
    tx.commit();
}

void markMoving(pqxx::connection& node, std::uint32_t bucket, bool moving) {
    pqxx::work tx(node);
    tx.exec_params0("DELETE FROM switchboard_move_changes WHERE bucket = $1", bucket);
    if (moving)
        tx.exec_params0("INSERT INTO switchboard_moving_buckets VALUES ($1) ON CONFLICT DO NOTHING",
                        bucket);
    else
        tx.exec_params0("DELETE FROM switchboard_moving_buckets WHERE bucket = $1", bucket);
    tx.commit();
}

// The mover's own writes (copies into the target, deleting the source's rows) need no trigger:
// neither the capture, which records backends' changes, nor foreign-key checks on rows that
// were valid where they came from. Skipping them roughly doubles the copy rate. It takes a
// superuser or the SET privilege on the parameter; without, the move is only slower.
void skipTriggers(pqxx::connection& node) {
    try {
        pqxx::nontransaction(node).exec0("SET session_replication_role = replica");
    } catch (const std::exception&) {
    }
}

bool ownsBucket(pqxx::connection& node, std::uint32_t bucket) {
    pqxx::nontransaction tx(node);
    return !tx.exec_params("SELECT 1 FROM switchboard_bucket_owner WHERE bucket = $1", bucket)
                .empty();
}

} // namespace

BucketMover::BucketMover(std::string catalogConninfo, std::vector<ShardTable> tables, int timeoutMs)
    : catalogConninfo_(std::move(catalogConninfo))
    , tables_(std::move(tables))
    , timeoutMs_(timeoutMs) {}

pqxx::connection BucketMover::connect(const std::string& conninfo) const {
    return pqxx::connection(probeConninfo(conninfo, timeoutMs_));
}

pqxx::connection& BucketMover::catalog() {
    if (!catalog_ || !catalog_->is_open())
        catalog_ = std::make_unique<pqxx::connection>(probeConninfo(catalogConninfo_, timeoutMs_));
    return *catalog_;
}

void BucketMover::record(ShardMoveRecord& move, const char* phase, const Hooks* hooks) {
    move.phase = phase;
    recordMove(catalog(), move);
    if (hooks)
        hooks->progress(move);
}

void BucketMover::rollBack(ShardMoveRecord& move, pqxx::connection& to, const char* phase) {
    // The target never owned the bucket: nobody wrote there but us.
    pqxx::work tx(to);
    for (const auto& table : tables_)
        tx.exec0("DELETE FROM " + table.name + " WHERE " + bucketWhere(table, move.bucket));
    tx.commit();
    record(move, phase);
}

std::int64_t BucketMover::syncDifferences(pqxx::transaction_base& source, pqxx::connection& to,
                                          std::uint32_t bucket) {
    std::int64_t changed = 0;
    pqxx::work target(to);
    for (const auto& table : tables_) {
        auto want = rowHashes(source, table, bucket);
        auto have = rowHashes(target, table, bucket);
        std::vector<std::string> stale, missing;
        for (const auto& [key, hash] : have) {
            auto it = want.find(key);
            if (it == want.end() || it->second != hash)
                stale.push_back(key); // deleted or changed on the source
        }
        for (const auto& [key, hash] : want) {
            auto it = have.find(key);
            if (it == have.end() || it->second != hash)
                missing.push_back(key); // new or changed on the source
        }
        if (!stale.empty())
            target.exec0("DELETE FROM " + table.name + " WHERE " + table.keyColumn + " IN (" +
                         keyList(target, stale) + ")");
        if (!missing.empty())
            copyRows(source, target, table,
                     "SELECT * FROM " + table.name + " WHERE " + bucketWhere(table, bucket) +
                         " AND " + table.keyColumn + " IN (" + keyList(source, missing) + ")");
        changed += std::int64_t(stale.size() + missing.size());
    }
    target.commit();
    return changed;
}

std::int64_t BucketMover::applyChanges(pqxx::transaction_base& source, pqxx::connection& to,
                                       std::uint32_t bucket) {
    // What was recorded up to now; entries recorded later stay for the next round.
    std::map<std::string, std::vector<std::string>> keysOf; // table → keys
    std::string lastId = "0";
    for (const auto& row : source.exec_params(
             "SELECT id, tbl, key FROM switchboard_move_changes WHERE bucket = $1 ORDER BY id",
             bucket)) {
        keysOf[row[1].as<std::string>()].push_back(row[2].as<std::string>());
        lastId = row[0].as<std::string>();
    }
    std::int64_t changed = 0;
    pqxx::work target(to);
    for (const auto& table : tables_) {
        auto it = keysOf.find(table.name);
        if (it == keysOf.end())
            continue;
        // The row as the source has it now (or no row): replace whatever the target has.
        target.exec0("DELETE FROM " + table.name + " WHERE " + table.keyColumn + " IN (" +
                     keyList(target, it->second) + ")");
        copyRows(source, target, table,
                 "SELECT * FROM " + table.name + " WHERE " + bucketWhere(table, bucket) + " AND " +
                     table.keyColumn + " IN (" + keyList(source, it->second) + ")");
        changed += std::int64_t(it->second.size());
    }
    target.commit();
    source.exec_params0("DELETE FROM switchboard_move_changes WHERE bucket = $1 AND id <= $2",
                        bucket, lastId);
    return changed;
}

bool BucketMover::sameContents(pqxx::transaction_base& source, pqxx::connection& to,
                               std::uint32_t bucket) {
    // Order-free, so no sort of the bucket: the count and the sum of 64-bit row hashes, per table.
    auto digest = [&](pqxx::transaction_base& tx) {
        std::string all;
        for (const auto& table : tables_)
            all += tx.exec1("SELECT count(*)::text || ':' || "
                            "COALESCE(sum(hashtextextended(t::text, 0)), 0)::text FROM " +
                            table.name + " t WHERE " + bucketWhere(table, bucket))[0]
                       .as<std::string>() +
                   ";";
        return all;
    };
    // Both sides at once: under the write hold, this is most of the pause.
    auto target = std::async(std::launch::async, [&] {
        pqxx::read_transaction tx(to);
        return digest(tx);
    });
    std::string mine = digest(source);
    return mine == target.get();
}

void BucketMover::finishOnTarget(ShardMoveRecord& move, pqxx::connection& from,
                                 pqxx::connection& to, bool flipCatalog,
                                 std::chrono::steady_clock::time_point* flipped) {
    {
        pqxx::work tx(to);
        tx.exec_params0("INSERT INTO switchboard_bucket_owner VALUES ($1) ON CONFLICT DO NOTHING",
                        move.bucket);
        tx.commit();
    }
    if (flipCatalog) {
        flipBucket(catalog(), move); // records the phase as deleting
    }
    if (flipped)
        *flipped = Clock::now(); // writers wait no longer than this (and their map reload)
    move.phase = move_phase::kDeleting;
    {
        pqxx::work tx(from);
        for (const auto& table : tables_)
            tx.exec0("DELETE FROM " + table.name + " WHERE " + bucketWhere(table, move.bucket));
        tx.commit();
    }
    record(move, move_phase::kDone);
}

BucketMover::Outcome BucketMover::run(ShardMoveRecord& move, const std::string& fromConninfo,
                                      const std::string& toConninfo, const Hooks& hooks) {
    Outcome outcome;
    pqxx::connection from = connect(fromConninfo), to = connect(toConninfo);
    skipTriggers(from);
    skipTriggers(to);
    bool sourceGaveUp = false;
    try {
        if (ownsBucket(to, move.bucket))
            throw std::runtime_error(move.to + " already owns bucket " +
                                     std::to_string(move.bucket) +
                                     "; the nodes disagree with "
                                     "the catalog");
        {
            pqxx::read_transaction tx(from);
            move.rowsTotal = 0;
            for (const auto& table : tables_)
                move.rowsTotal += tx.exec1("SELECT count(*) FROM " + table.name + " WHERE " +
                                           bucketWhere(table, move.bucket))[0]
                                      .as<std::int64_t>();
        }
        // From here on the source records every change to the bucket's rows.
        installCapture(from, tables_);
        markMoving(from, move.bucket, true);
        move.rowsCopied = 0;
        record(move, move_phase::kCopying, &hooks);
        {
            pqxx::work clean(to); // what an earlier, rolled-back attempt may have left
            for (const auto& table : tables_)
                clean.exec0("DELETE FROM " + table.name + " WHERE " +
                            bucketWhere(table, move.bucket));
            clean.commit();
        }
        // One COPY per table, as fast as the servers stream it; rows changed after the
        // snapshot are the capture's to catch up. Every kBatchRows rows: progress, and a
        // cancel abandons both transactions (nothing reached the target).
        bool cancelled = false;
        for (const auto& table : tables_) {
            pqxx::read_transaction source(from);
            pqxx::work target(to);
            copyRows(source, target, table,
                     "SELECT * FROM " + table.name + " WHERE " + bucketWhere(table, move.bucket),
                     [&](std::int64_t rows) {
                         move.rowsCopied += rows;
                         hooks.progress(move);
                         return !(cancelled = hooks.cancelled());
                     });
            if (cancelled)
                break;
            target.commit();
        }
        if (cancelled) {
            markMoving(from, move.bucket, false);
            rollBack(move, to, move_phase::kRolledBack);
            outcome.cancelled = true;
            return outcome;
        }
        record(move, move_phase::kCatchingUp, &hooks);
        for (int round = 0; round < 10; ++round) {
            pqxx::work source(from);
            std::int64_t changed = applyChanges(source, to, move.bucket);
            source.commit();
            if (changed <= 50)
                break; // the rest is quick enough to do under the write hold
        }
        // Verify at one consistent cut while writers go on: in a repeatable-read snapshot of
        // the source, bring the target to that snapshot (the changes recorded up to it), then
        // compare count and checksum of the whole bucket on both sides.
        record(move, move_phase::kVerifying, &hooks);
        {
            pqxx::transaction<pqxx::isolation_level::repeatable_read> cut(from);
            applyChanges(cut, to, move.bucket);
            if (!sameContents(cut, to, move.bucket)) {
                // A change the capture could not see (e.g. its trigger disabled by hand):
                // compare every row, slower but certain.
                syncDifferences(cut, to, move.bucket);
                if (!sameContents(cut, to, move.bucket))
                    throw std::runtime_error("bucket " + std::to_string(move.bucket) +
                                             ": count or checksum differ after the last sync");
            }
            cut.commit();
        }
        record(move, move_phase::kFlipping, &hooks);
        auto pauseStarted = Clock::now();
        {
            pqxx::work hold(from);
            // Writers of this bucket hold its owner row FOR SHARE until they commit: the
            // delete waits for them, and holds back new ones until this commits.
            hold.exec0("SET LOCAL lock_timeout = '3s'");
            if (hold.exec_params("DELETE FROM switchboard_bucket_owner WHERE bucket = $1 "
                                 "RETURNING bucket",
                                 move.bucket)
                    .empty())
                throw std::runtime_error(move.from + " does not own bucket " +
                                         std::to_string(move.bucket));
            // Only what was written since the verified cut: the pause does not grow with the
            // bucket.
            applyChanges(hold, to, move.bucket);
            hold.exec_params0("DELETE FROM switchboard_moving_buckets WHERE bucket = $1",
                              move.bucket);
            hold.commit();
        }
        sourceGaveUp = true; // from here on, only forward
        Clock::time_point flipped;
        finishOnTarget(move, from, to, true, &flipped);
        outcome.writePause =
            std::chrono::duration_cast<std::chrono::milliseconds>(flipped - pauseStarted);
        outcome.rowsCopied = move.rowsCopied;
        hooks.progress(move);
        return outcome;
    } catch (const std::exception&) {
        // Undo before the source gave the bucket up; after, no node owns it until it is
        // finished, so finish it (settle() sees which side it is on).
        try {
            if (sourceGaveUp) {
                settle(move, fromConninfo, toConninfo);
            } else {
                markMoving(from, move.bucket, false);
                rollBack(move, to, move_phase::kFailed);
            }
        } catch (...) {
            // left for the next start's settle(): the phase in the catalog says what to do
        }
        throw;
    }
}

std::string BucketMover::settle(ShardMoveRecord& move, const std::string& fromConninfo,
                                const std::string& toConninfo) {
    pqxx::connection from = connect(fromConninfo), to = connect(toConninfo);
    try {
        markMoving(from, move.bucket, false); // whichever way it ends, the capture stops
    } catch (const std::exception&) {
        // a source without the capture tables: it never got that far
    }
    if (move.phase == move_phase::kDeleting) {
        finishOnTarget(move, from, to, false);
        return "resumed";
    }
    if (move.phase != move_phase::kFlipping || ownsBucket(from, move.bucket)) {
        rollBack(move, to, move_phase::kRolledBack);
        return "rolled back";
    }
    // The source gave the bucket up: nobody can have written to it since.
    pqxx::connection catalog = connect(catalogConninfo_);
    ShardMap map = loadShardMap(catalog);
    bool catalogMoved = move.bucket < map.bucketNodes.size() &&
                        map.nodes.at(map.bucketNodes[move.bucket]) == move.to;
    pqxx::read_transaction source(from);
    bool same = catalogMoved || sameContents(source, to, move.bucket);
    source.commit();
    if (same) {
        finishOnTarget(move, from, to, !catalogMoved);
        return "resumed";
    }
    {
        pqxx::work tx(from);
        tx.exec_params0("INSERT INTO switchboard_bucket_owner VALUES ($1) ON CONFLICT DO NOTHING",
                        move.bucket);
        tx.commit();
    }
    rollBack(move, to, move_phase::kRolledBack);
    return "rolled back";
}

} // namespace switchboard

#pragma GCC diagnostic pop
