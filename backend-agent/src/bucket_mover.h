// Moves one bucket's rows from one shard node to another, losing and duplicating nothing while
// the backends keep writing:
//   copying      rows in key order, in batches, COPY to COPY (the target does not own the
//                bucket, so no backend writes there yet);
//   catching_up  rows written, changed or deleted meanwhile, found by key and row hash;
//   flipping     on the source, the bucket's owner row is deleted inside a transaction that
//                waits for the writers holding it and holds back new ones (the write pause);
//                the last differences are synced and count and checksum verified; commit:
//                now no node owns the bucket; the target takes ownership; the catalog maps the
//                bucket to the target and announces the new version;
//   deleting     the source's rows of the bucket go.
// Every phase is recorded in the catalog first (shard_catalog.h), so settle() can finish or
// undo a move whose agent died: forward once the source has given the bucket up, back before.
#pragma once

#include "shard_catalog.h"
#include "switchboard/agent_config.h"

#include <chrono>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace switchboard {

class BucketMover {
public:
    struct Hooks {
        // After each batch and phase change, with the move's current record.
        std::function<void(const ShardMoveRecord&)> progress = [](const ShardMoveRecord&) {
        };
        // Asked between batches; true ends the move at once, rolled back.
        std::function<bool()> cancelled = [] {
            return false;
        };
    };
    struct Outcome {
        bool cancelled = false;
        std::chrono::milliseconds writePause{0}; // from taking the bucket from the source to
                                                 // the catalog naming the target
        std::int64_t rowsCopied = 0;
    };

    static constexpr int kBatchRows = 5000;

    BucketMover(std::string catalogConninfo, std::vector<ShardTable> tables, int timeoutMs);

    // Runs `move` (bucket, from, to, job id) from the start between the two nodes. Returns
    // cancelled when asked to stop (the move rolled back); throws on failure after rolling back
    // what it can (or leaving the move for settle() when it got past the point of no return).
    Outcome run(ShardMoveRecord& move, const std::string& fromConninfo,
                const std::string& toConninfo, const Hooks& hooks);

    // Finishes or undoes a move its agent left unfinished; returns what it did ("resumed" or
    // "rolled back"). Call only with the rebalance lock held.
    std::string settle(ShardMoveRecord& move, const std::string& fromConninfo,
                       const std::string& toConninfo);

private:
    pqxx::connection connect(const std::string& conninfo) const;
    void record(ShardMoveRecord& move, const char* phase, const Hooks* hooks = nullptr);
    void rollBack(ShardMoveRecord& move, pqxx::connection& to, const char* phase);
    // Makes the target's rows of the bucket equal to what `source` sees; returns rows changed.
    std::int64_t syncDifferences(pqxx::transaction_base& source, pqxx::connection& to,
                                 std::uint32_t bucket);
    bool sameContents(pqxx::transaction_base& source, pqxx::connection& to, std::uint32_t bucket);
    void finishOnTarget(ShardMoveRecord& move, pqxx::connection& from, pqxx::connection& to,
                        bool flipCatalog);

    std::string catalogConninfo_;
    std::vector<ShardTable> tables_;
    int timeoutMs_;
};

} // namespace switchboard
