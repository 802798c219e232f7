// Fencing a region's databases for a region drill: no acknowledged write may land on the old
// region once the other one is promoted, or the two would diverge (split brain).
//
// fence() makes a server refuse writes (ALTER SYSTEM SET default_transaction_read_only = on, then
// pg_reload_conf(), checked in a new session), then ends every client session but its own (a
// session that began a read-write transaction before the reload could still commit), and reads
// the WAL position the server ended at, after one synchronous commit has flushed WAL that
// asynchronous commits had acknowledged but not yet written: once a standby has replayed that far,
// it has every acknowledged write. ALTER SYSTEM, not a transaction's setting: it holds for new
// sessions and survives a restart, and it works on a replica too (so a Patroni failover inside the
// fenced region cannot make a writable primary behind the drill's back).
//
// Every failure is a value; each server's state is reported as it is, never guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace switchboard {

struct FenceOutcome {
    bool readOnly = false;           // default_transaction_read_only is on for new sessions
    int terminated = 0;              // client sessions ended
    std::optional<std::int64_t> lsn; // where its WAL ended (primaries); none on a standby
    std::string error;               // empty: fenced
    bool ok() const { return readOnly && error.empty(); }
};

FenceOutcome fenceServer(const std::string& conninfo, int timeoutMs);

// ALTER SYSTEM RESET default_transaction_read_only and reload: writable again when it is a
// primary. Empty when done, else why not.
std::string unfenceServer(const std::string& conninfo, int timeoutMs);

// Ends the client sessions but its own again: sessions a backend opened to a fenced server
// while the drill switched regions would otherwise stay there, failing as read-only. Returns how
// many, or none (and `error`).
std::optional<int> endClientSessions(const std::string& conninfo, int timeoutMs,
                                     std::string& error);

} // namespace switchboard
