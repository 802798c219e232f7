#include "audit_chain.h"

#include "switchboard/protocol.h"

#include <istream>
#include <openssl/evp.h>
#include <stdexcept>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed (OpenSSL EVP_Digest)");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 0x0f]);
    }
    return hex;
}

std::string auditEntryHash(const json& entry) {
    json content = entry;
    content.erase(field::kHash);
    // Sorted keys, no spaces: canonical (see the header).
    return sha256Hex(content.dump());
}

namespace {

bool isEntry(const json& line) {
    return line.is_object() && line.contains(field::kSeq) && line[field::kSeq].is_number_unsigned();
}

bool hasString(const json& entry, std::string_view key, const std::string& value) {
    auto it = entry.find(key);
    return it != entry.end() && it->is_string() && it->get_ref<const std::string&>() == value;
}

// Walks the lines; keeps what the next line is checked against.
class ChainWalk {
public:
    explicit ChainWalk(AuditChainState& state)
        : state_(state) {}

    void unreadableLine(std::size_t number, std::string lineHash, const char* why) {
        // Two in a row: the first one is not a torn write the agent went on from.
        if (unreadable_)
            breakAt(unreadable_->line, std::nullopt, unreadable_->why);
        unreadable_ = Unreadable{number, lineHash, why};
        previous_ = Previous{number, std::nullopt, std::move(lineHash)};
    }

    void entry(std::size_t number, const json& entry, std::string lineHash) {
        const std::uint64_t seq = entry[field::kSeq].get<std::uint64_t>();
        const bool hashed = entry.contains(field::kHash) || entry.contains(field::kPrevHash);
        if (unreadable_) {
            // The agent chains on from a torn line as it is: an entry that does acknowledges
            // it; an old agent, before the chain, just skipped it.
            const bool acknowledged =
                hashed ? hasString(entry, field::kPrevHash, unreadable_->lineHash) : !chained_;
            if (acknowledged)
                warnTorn();
            else
                breakAt(unreadable_->line, std::nullopt, unreadable_->why);
            unreadable_.reset();
        }
        if (!hashed) {
            if (chained_)
                breakAt(number, seq, "no hash or prev_hash after the chain began");
            else
                noteLegacy(seq);
        } else {
            chained_ = true;
            const std::uint64_t expectedSeq = state_.lastSeq ? *state_.lastSeq + 1 : 1;
            if (!hasString(entry, field::kHash, auditEntryHash(entry)))
                breakAt(number, seq, "hash does not match its content");
            else if (seq != expectedSeq)
                breakAt(number, seq,
                        state_.lastSeq ? "seq not one more than the previous (" +
                                             std::to_string(*state_.lastSeq) + ")"
                                       : std::string("seq not 1 at the start of the log"));
            else if (!hasString(entry, field::kPrevHash, previous_.lineHash))
                breakAt(number, seq, prevHashMismatch());
        }
        ++state_.entries;
        state_.lastSeq = seq;
        previous_ = Previous{number, seq, std::move(lineHash)};
    }

    void finish() {
        if (unreadable_)
            warnTorn(); // the last line: a write cut short by a crash
        state_.lastLineHash = previous_.lineHash;
        if (state_.legacyEntries > 0)
            state_.warnings.push_back(
                std::to_string(state_.legacyEntries) + " entries (seq " +
                std::to_string(firstLegacySeq_) + " to " + std::to_string(lastLegacySeq_) +
                ") were written before the log was chained (no hash fields) and are not verified" +
                (chained_ ? "; the chain goes on from the last one's line" : ""));
    }

private:
    struct Unreadable {
        std::size_t line;
        std::string lineHash;
        const char* why;
    };
    struct Previous {
        std::size_t line = 0; // none at the start
        std::optional<std::uint64_t> seq;
        std::string lineHash = kAuditChainStart;
    };

    void breakAt(std::size_t line, std::optional<std::uint64_t> seq, std::string reason) {
        if (!state_.firstBreak)
            state_.firstBreak = AuditChainBreak{line, seq, state_.lastSeq, std::move(reason)};
    }

    void warnTorn() {
        state_.warnings.push_back("line " + std::to_string(unreadable_->line) +
                                  " is not an entry (a write cut short?); skipped");
    }

    void noteLegacy(std::uint64_t seq) {
        if (state_.legacyEntries++ == 0)
            firstLegacySeq_ = seq;
        lastLegacySeq_ = seq;
    }

    std::string prevHashMismatch() const {
        if (previous_.line == 0)
            return "prev_hash is not 64 zeros at the start of the log";
        if (previous_.seq)
            return "prev_hash does not match entry " + std::to_string(*previous_.seq) +
                   "'s line hash";
        return "prev_hash does not match line " + std::to_string(previous_.line) + "'s hash";
    }

    AuditChainState& state_;
    bool chained_ = false; // an entry with hash fields was read
    std::optional<Unreadable> unreadable_;
    Previous previous_;
    std::uint64_t firstLegacySeq_ = 0;
    std::uint64_t lastLegacySeq_ = 0;
};

} // namespace

AuditChainState verifyAuditChain(std::istream& in,
                                 const std::function<void(nlohmann::json&&)>& onEntry) {
    AuditChainState state;
    ChainWalk walk(state);
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        state.missingFinalNewline = in.eof(); // getline stopped at the end, not at a newline
        if (line.empty())
            continue;
        json parsed = json::parse(line, nullptr, false);
        if (parsed.is_discarded()) {
            walk.unreadableLine(number, sha256Hex(line), "line is not JSON");
            continue;
        }
        if (!isEntry(parsed)) {
            walk.unreadableLine(number, sha256Hex(line), "line is not an entry (no seq)");
            continue;
        }
        walk.entry(number, parsed, sha256Hex(line));
        if (onEntry)
            onEntry(std::move(parsed));
    }
    walk.finish();
    return state;
}

std::string describe(const AuditChainBreak& broken) {
    std::string where =
        broken.seq ? "entry seq " + std::to_string(*broken.seq) + " (line " +
                         std::to_string(broken.line) + ")"
                   : "line " + std::to_string(broken.line) +
                         (broken.afterSeq ? " (after seq " + std::to_string(*broken.afterSeq) + ")"
                                          : std::string());
    return where + " broken: " + broken.reason;
}

json toJson(const AuditChainState& state) {
    json chain = {{field::kIntact, state.intact()},
                  {field::kEntries, state.entries},
                  {field::kLegacyEntries, state.legacyEntries},
                  {field::kLastHash, state.lastLineHash}};
    if (state.firstBreak) {
        const AuditChainBreak& broken = *state.firstBreak;
        chain[field::kFirstBreak] = {
            {field::kLine, broken.line},
            {field::kSeq, broken.seq ? json(*broken.seq) : json(nullptr)},
            {field::kAfterSeq, broken.afterSeq ? json(*broken.afterSeq) : json(nullptr)},
            {field::kReason, broken.reason}};
    }
    return chain;
}

} // namespace switchboard
