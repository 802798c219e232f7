// The few queries a drill sends to a member directly (libpq, with the probe's timeouts): does it
// accept writes yet, its WAL position, and which of the backend's sequence-numbered writes it
// has. Every failure is a value (an empty optional and `error`).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace switchboard {

struct WritesTable {
    std::string table;
    std::string runColumn;
    std::string seqColumn;
};

// Watches a standby for its promotion over one open session (a promotion keeps sessions), so
// each look is a query, not a connection: the drill learns of the promotion within its poll.
class PromotionWatch {
public:
    PromotionWatch(std::string conninfo, int timeoutMs);
    ~PromotionWatch();
    // True once the server is out of recovery; false while in it or unreachable (reconnects).
    bool promoted();

private:
    struct Session;
    std::string conninfo_;
    int timeoutMs_;
    std::unique_ptr<Session> session_;
};

// True once the server is out of recovery (a primary).
std::optional<bool> acceptsWrites(const std::string& conninfo, int timeoutMs, std::string& error);
// True when new sessions are read-only (default_transaction_read_only on: fenced by a drill).
std::optional<bool> fenced(const std::string& conninfo, int timeoutMs, std::string& error);
// pg_current_wal_lsn() on a primary, pg_last_wal_replay_lsn() on a standby, as a byte position.
std::optional<std::int64_t> walPosition(const std::string& conninfo, int timeoutMs,
                                        std::string& error);
// The sequence numbers from `first` to `last` of run `runId` present in the table.
std::optional<std::set<std::uint64_t>> presentWrites(const std::string& conninfo, int timeoutMs,
                                                     const WritesTable& writes,
                                                     const std::string& runId, std::uint64_t first,
                                                     std::uint64_t last, std::string& error);

// A streaming standby as it sees itself (region drills): in recovery, its WAL receiver's
// status and upstream, what it has replayed.
struct StandbyStatus {
    bool inRecovery = false;
    std::string receiverStatus; // pg_stat_wal_receiver.status; empty: no receiver
    std::string senderHost;
    int senderPort = 0;
    std::int64_t replayLsn = 0;
    std::int64_t receiveLsn = 0; // received and flushed; 0 when it never streamed
};
std::optional<StandbyStatus> standbyStatus(const std::string& conninfo, int timeoutMs,
                                           std::string& error);
// SELECT pg_promote(wait => true): true once promoted.
std::optional<bool> promoteStandby(const std::string& conninfo, int timeoutMs, std::string& error);
// The drill's canary: a row written to switchboard_drill_canary (created when missing) on a
// promoted primary and read back in a new session. True when the row was read back.
std::optional<bool> canaryWrite(const std::string& conninfo, int timeoutMs,
                                const std::string& drillId, const std::string& database,
                                std::string& error);

} // namespace switchboard
