#include "bucket_mover.h"

#include "action.h" // JobCancelled
#include "pg_conninfo.h"

#include <map>

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
// COPY to COPY. Returns how many.
std::int64_t copyRows(pqxx::transaction_base& from, pqxx::transaction_base& to,
                      const ShardTable& table, const std::string& select) {
    pqxx::tablereader reader(from, "(" + select + ")");
    pqxx::tablewriter writer(to, table.name);
    std::int64_t rows = 0;
    for (std::string line; reader.get_raw_line(line); ++rows)
        writer.write_raw_line(line);
    reader.complete();
    writer.complete();
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

std::string keyList(pqxx::transaction_base& tx, const std::vector<std::string>& keys) {
    std::string list;
    for (const auto& key : keys)
        list += (list.empty() ? "" : ", ") + tx.quote(key);
    return list;
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

void BucketMover::record(ShardMoveRecord& move, const char* phase, const Hooks* hooks) {
    move.phase = phase;
    pqxx::connection catalog = connect(catalogConninfo_);
    recordMove(catalog, move);
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
            target.exec0("DELETE FROM " + table.name + " WHERE " + table.keyColumn + "::text IN (" +
                         keyList(target, stale) + ")");
        if (!missing.empty())
            copyRows(source, target, table,
                     "SELECT * FROM " + table.name + " WHERE " + bucketWhere(table, bucket) +
                         " AND " + table.keyColumn + "::text IN (" + keyList(source, missing) +
                         ")");
        changed += std::int64_t(stale.size() + missing.size());
    }
    target.commit();
    return changed;
}

bool BucketMover::sameContents(pqxx::transaction_base& source, pqxx::connection& to,
                               std::uint32_t bucket) {
    pqxx::read_transaction target(to);
    for (const auto& table : tables_) {
        const std::string sql = "SELECT count(*)::text || ':' || COALESCE(md5(string_agg(md5(t::"
                                "text), '' ORDER BY " +
                                table.keyColumn + ")), '') FROM " + table.name + " t WHERE " +
                                bucketWhere(table, bucket);
        if (source.exec1(sql)[0].as<std::string>() != target.exec1(sql)[0].as<std::string>())
            return false;
    }
    return true;
}

void BucketMover::finishOnTarget(ShardMoveRecord& move, pqxx::connection& from,
                                 pqxx::connection& to, bool flipCatalog) {
    {
        pqxx::work tx(to);
        tx.exec_params0("INSERT INTO switchboard_bucket_owner VALUES ($1) ON CONFLICT DO NOTHING",
                        move.bucket);
        tx.commit();
    }
    if (flipCatalog) {
        pqxx::connection catalog = connect(catalogConninfo_);
        flipBucket(catalog, move); // records the phase as deleting
    }
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
        move.rowsCopied = 0;
        record(move, move_phase::kCopying, &hooks);
        {
            pqxx::work clean(to); // what an earlier, rolled-back attempt may have left
            for (const auto& table : tables_)
                clean.exec0("DELETE FROM " + table.name + " WHERE " +
                            bucketWhere(table, move.bucket));
            clean.commit();
        }
        for (const auto& table : tables_) {
            std::string after; // the last key copied, as text; empty before the first batch
            while (true) {
                if (hooks.cancelled()) {
                    rollBack(move, to, move_phase::kRolledBack);
                    outcome.cancelled = true;
                    return outcome;
                }
                pqxx::read_transaction source(from);
                std::string range =
                    bucketWhere(table, move.bucket) +
                    (after.empty() ? std::string()
                                   : " AND " + table.keyColumn + " > " + source.quote(after));
                auto last =
                    source.exec1("SELECT max(k)::text FROM (SELECT " + table.keyColumn +
                                 " AS k FROM " + table.name + " WHERE " + range +
                                 " ORDER BY 1 LIMIT " + std::to_string(kBatchRows) + ") batch")[0];
                if (last.is_null())
                    break;
                pqxx::work target(to);
                move.rowsCopied +=
                    copyRows(source, target, table,
                             "SELECT * FROM " + table.name + " WHERE " + range + " AND " +
                                 table.keyColumn + " <= " + source.quote(last.as<std::string>()));
                target.commit();
                after = last.as<std::string>();
                hooks.progress(move);
            }
        }
        record(move, move_phase::kCatchingUp, &hooks);
        for (int round = 0; round < 5; ++round) {
            pqxx::read_transaction source(from);
            if (syncDifferences(source, to, move.bucket) <= 50)
                break;
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
            syncDifferences(hold, to, move.bucket);
            if (!sameContents(hold, to, move.bucket))
                throw std::runtime_error("bucket " + std::to_string(move.bucket) +
                                         ": count or checksum differ after the last sync");
            hold.commit();
        }
        sourceGaveUp = true; // from here on, only forward
        finishOnTarget(move, from, to, true);
        outcome.writePause =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - pauseStarted);
        outcome.rowsCopied = move.rowsCopied;
        hooks.progress(move);
        return outcome;
    } catch (const std::exception&) {
        // Undo before the source gave the bucket up; after, no node owns it until it is
        // finished, so finish it (settle() sees which side it is on).
        try {
            if (sourceGaveUp)
                settle(move, fromConninfo, toConninfo);
            else
                rollBack(move, to, move_phase::kFailed);
        } catch (...) {
            // left for the next start's settle(): the phase in the catalog says what to do
        }
        throw;
    }
}

std::string BucketMover::settle(ShardMoveRecord& move, const std::string& fromConninfo,
                                const std::string& toConninfo) {
    pqxx::connection from = connect(fromConninfo), to = connect(toConninfo);
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
