// The last N stream events, serialised, so that a reconnecting console gets exactly what it
// missed. A bounded ring: the oldest event goes when a new one comes past the capacity.
// Not thread-safe; StreamHub guards it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace switchboard {

class EventLog {
public:
    explicit EventLog(std::size_t capacity);

    // Appends the message of event `seq`, which must be lastSeq() + 1.
    void append(std::uint64_t seq, std::string message);
    std::uint64_t lastSeq() const noexcept { return lastSeq_; }

    // Every message after `since`, in order; nothing if `since` is older than what is kept (the
    // caller then sends a snapshot) or newer than lastSeq() (a client from the future is lost).
    std::optional<std::vector<std::string>> after(std::uint64_t since) const;

private:
    std::size_t capacity_;
    std::uint64_t lastSeq_ = 0;
    std::deque<std::string> messages_; // messages_.back() is lastSeq_
};

} // namespace switchboard
