// The write router's state and its ledger of sequence-numbered writes, as drills see them
// (the backend's side is switchboard/write_router.h).
//
// The ledger is a ring of the last kCapacity writes, indexed by sequence number: enough for
// minutes of a backend's writes, a fixed 2.5 MiB. A drill reads it to find the first write the
// new primary acknowledged and which acknowledged writes to look for there.
#pragma once

#include "switchboard/write_router.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace switchboard {

class WriteRouterCore {
public:
    static constexpr std::size_t kCapacity = 65536;

    enum class Outcome : std::uint8_t { Sent, Acknowledged, Failed };
    struct Write {
        std::uint64_t sequence = 0;
        std::uint64_t epoch = 0; // the target's epoch when the write began
        std::int64_t sentMs = 0;
        std::int64_t doneMs = 0; // when acknowledged or failed; 0 while sent
        Outcome outcome = Outcome::Sent;
    };

    WriteRouterCore(std::string name, std::string conninfo);

    WriteRouter::Target target() const;
    std::uint64_t epoch() const noexcept { return epoch_.load(std::memory_order_acquire); }
    // Points the backend's writes at another server (or the same one again: the backend then
    // reconnects, which a simulated drill measures). Returns the new epoch.
    std::uint64_t repoint(std::string name, std::string conninfo);
    // Repoints only when the name or conninfo differ (the HA probe following a leader); returns
    // the epoch under which the target is that server.
    std::uint64_t follow(const std::string& name, const std::string& conninfo);

    // Called after every repoint with the new target (outside the router's lock), e.g. to show
    // it in the regions document. Set it before the backend writes.
    void setListener(std::function<void(const WriteRouter::Target&)> listener);

    const std::string& runId() const noexcept { return runId_; }
    std::uint64_t begin();
    void finish(std::uint64_t sequence, bool acknowledged);

    // The writes still in the ring that began at or after `sinceMs`, in sequence order.
    std::vector<Write> writesSince(std::int64_t sinceMs) const;
    // The first write acknowledged under `epoch` or a later one, by acknowledgement time.
    std::optional<Write> firstAcknowledgedFrom(std::uint64_t epoch) const;
    // The last write acknowledged before `epoch` (under an earlier one).
    std::optional<Write> lastAcknowledgedBefore(std::uint64_t epoch) const;
    // Failed writes' share (percent) of those finished in the last `windowMs`; -1 without any.
    double errorRatePct(std::int64_t windowMs, std::int64_t nowMs) const;

private:
    template <typename Visit> void forEachLocked(Visit visit) const;

    const std::string runId_;
    mutable std::mutex mutex_;
    WriteRouter::Target target_;
    std::function<void(const WriteRouter::Target&)> listener_;
    std::atomic<std::uint64_t> epoch_{1};
    std::uint64_t nextSequence_ = 1;
    std::vector<Write> ring_;
};

} // namespace switchboard
