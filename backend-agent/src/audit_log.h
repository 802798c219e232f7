// The agent's audit log: one JSON document per line in a file, append-only and tamper-evident.
//
// append() gives the entry the next sequence number, the time and its place in the hash chain
// ("prev_hash", "hash": audit_chain.h), writes the line and fdatasync()s it before returning, so
// an action reported done is on disk. At open, the file's entries are read back and the chain
// verified: a torn last line from a crash is skipped, with a warning; a broken chain is a
// warning naming the first broken entry, never a refusal to open (the agent must not stop its
// host), and new entries chain on from the last line as it is, so the break stays visible where
// it is. The sequence continues where it stopped. Entries stay in memory for paging; an agent's
// audit log holds operator actions, thousands of lines, not millions. Thread-safe.
#pragma once

#include "audit_chain.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace switchboard {

class AuditLog {
public:
    using Clock = std::function<std::int64_t()>; // milliseconds since the epoch

    // Opens (creating it and its directory if needed) and reads the file. Throws
    // std::runtime_error naming the path if it cannot be opened for appending.
    AuditLog(std::string path, Clock clock);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    // Adds "seq", "time_ms", "prev_hash" and "hash" to `entry`, writes and syncs it; returns the
    // stored entry.
    // Throws std::runtime_error if the write or the sync fails (the caller must then not report
    // the action as done).
    nlohmann::json append(nlohmann::json entry);

    struct Page {
        std::vector<nlohmann::json> entries;
        std::optional<std::uint64_t> nextBefore; // for the next older page; none at the start
    };
    // Newest first, older than `before` (all when none), at most `limit`.
    Page newest(std::optional<std::uint64_t> before, std::size_t limit) const;
    // Oldest first, after `after`, at most `limit`.
    Page after(std::uint64_t after, std::size_t limit) const;

    std::size_t size() const;
    const std::string& path() const noexcept { return path_; }
    // The chain as read at open and extended by every append since: whether it is intact (or
    // where it first breaks), how many entries it holds, the last line's hash.
    AuditChainState chain() const;
    // What open found amiss (a torn write, a legacy prefix, a broken chain), for the host to log.
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }

private:
    void load();

    std::string path_;
    Clock clock_;
    int fd_ = -1;
    mutable std::mutex mutex_;
    std::vector<nlohmann::json> entries_; // by seq, ascending
    std::uint64_t nextSeq_ = 1;
    AuditChainState chain_;
    std::vector<std::string> warnings_;
};

} // namespace switchboard
