// Moves one bucket's rows from one shard node to another, losing and duplicating nothing while
// the backends keep writing:
//   copying      the bucket's rows, COPY to COPY (the target does not own the bucket, so no
//                backend writes there yet), with progress and cancel every kBatchRows rows;
//   catching_up  rows written, changed or deleted meanwhile, which a trigger on the source
//                recorded by key from the start of the move;
//   flipping     on the source, the bucket's owner row is deleted inside a transaction that
//                waits for the writers holding it and holds back new ones (the write pause);
//                the last recorded changes are applied and count and checksum verified; commit:
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
#include <memory>
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

    static constexpr int kBatchRows = 20000;

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
    pqxx::connection& catalog(); // reconnects when the last connection broke
    void record(ShardMoveRecord& move, const char* phase, const Hooks* hooks = nullptr);
    void rollBack(ShardMoveRecord& move, pqxx::connection& to, const char* phase);
    // Makes the target's rows of the bucket equal to what `source` sees; returns rows changed.
    std::int64_t syncDifferences(pqxx::transaction_base& source, pqxx::connection& to,
                                 std::uint32_t bucket);
    // Brings the target up to date with the rows the capture trigger recorded on the source
    // (written, changed or deleted since), and forgets those records; returns how many.
    std::int64_t applyChanges(pqxx::transaction_base& source, pqxx::connection& to,
                              std::uint32_t bucket);
    bool sameContents(pqxx::transaction_base& source, pqxx::connection& to, std::uint32_t bucket);
    // The target takes the bucket, the catalog flips (when asked; `flipped` gets the moment),
    // the source's rows go.
    void finishOnTarget(ShardMoveRecord& move, pqxx::connection& from, pqxx::connection& to,
                        bool flipCatalog, std::chrono::steady_clock::time_point* flipped = nullptr);

    std::string catalogConninfo_;
    std::unique_ptr<pqxx::connection> catalog_; // for the move records, opened once
    std::vector<ShardTable> tables_;
    int timeoutMs_;
};

} // namespace switchboard
