// The audit log's hash chain: what makes the log tamper-evident, and its verification.
//
// Every entry carries two hex SHA-256 digests:
//   "prev_hash"  the digest of the previous line exactly as stored in the file (its bytes without
//                the newline), or 64 zeros for the first line of the log;
//   "hash"       the digest of the entry's canonical serialisation without "hash": nlohmann::json
//                keeps an object's keys sorted (std::map) and dump() without indentation writes
//                no spaces, so the same entry always serialises to the same bytes, whatever
//                order its fields were set in, and parsing a stored line gives it back.
// An edit inside an entry breaks its "hash"; an edit that recomputes it, a deleted, inserted or
// moved line break the next entry's "prev_hash" or the "seq" numbering (one more each line).
// Rewriting every entry after an edit is not caught by the file alone: keep the last hash
// elsewhere (the verify command prints it) to anchor the chain.
//
// Tolerated, with a warning rather than a break: entries written before the chain existed (no
// hash fields) at the start of the file, and a line cut short by a crash (not JSON) when it is
// the last line or when the entry after it chains on from it (the agent reopened the log after
// the crash and went on from the line as it was).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

// The "prev_hash" of the log's first line.
inline const std::string kAuditChainStart(64, '0');

// Lower-case hex SHA-256 of `bytes` (OpenSSL's EVP interface).
std::string sha256Hex(std::string_view bytes);

// The "hash" an entry must carry: the digest of its canonical serialisation without "hash".
std::string auditEntryHash(const nlohmann::json& entry);

// The first place where the chain does not hold.
struct AuditChainBreak {
    std::size_t line = 0;                  // 1-based line of the file
    std::optional<std::uint64_t> seq;      // the entry's seq; none when the line has none
    std::optional<std::uint64_t> afterSeq; // the seq of the entry before it, if any
    std::string reason;                    // e.g. "hash does not match its content"
};

struct AuditChainState {
    std::size_t entries = 0;       // lines read as entries (JSON objects with a seq)
    std::size_t legacyEntries = 0; // of them, the prefix written before the chain (no hashes)
    std::optional<std::uint64_t> lastSeq;
    // The digest of the last non-empty line: the next entry's "prev_hash".
    std::string lastLineHash = kAuditChainStart;
    std::optional<AuditChainBreak> firstBreak;
    // Tolerated oddities: a legacy prefix, lines cut short by a crash.
    std::vector<std::string> warnings;
    // The file's last line has no newline (a write cut short); the next write must end it.
    bool missingFinalNewline = false;

    bool intact() const noexcept { return !firstBreak; }
};

// Reads a log line by line and checks its chain. Every line read as an entry, broken or not, is
// handed to `onEntry` in file order (the agent keeps serving a tampered log as it is). Pure: no
// I/O but the stream's; never throws for a malformed log.
AuditChainState verifyAuditChain(std::istream& in,
                                 const std::function<void(nlohmann::json&&)>& onEntry = {});

// One line for people: "entry seq 4 (line 5) broken: hash does not match its content".
std::string describe(const AuditChainBreak& broken);

// {"intact": true, "entries": N, "legacy_entries": L, "last_hash": "…"} plus, when broken,
// "first_break": {"line", "seq", "after_seq", "reason"}. protocol.md, GET /v1/audit "chain".
nlohmann::json toJson(const AuditChainState& state);

} // namespace switchboard
