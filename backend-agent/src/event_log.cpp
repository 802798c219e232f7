#include "event_log.h"

#include <stdexcept>

namespace switchboard {

EventLog::EventLog(std::size_t capacity)
    : capacity_(capacity) {
    if (capacity_ == 0)
        throw std::invalid_argument("EventLog capacity must be positive");
}

void EventLog::append(std::uint64_t seq, std::string message) {
    if (seq != lastSeq_ + 1)
        throw std::logic_error("EventLog: sequence numbers must be consecutive");
    messages_.push_back(std::move(message));
    if (messages_.size() > capacity_)
        messages_.pop_front();
    lastSeq_ = seq;
}

std::optional<std::vector<std::string>> EventLog::after(std::uint64_t since) const {
    if (since > lastSeq_)
        return std::nullopt;
    std::uint64_t oldestKept = lastSeq_ - messages_.size() + 1;
    // Resuming needs event since + 1 still here (or nothing missed at all).
    if (since + 1 < oldestKept)
        return std::nullopt;
    std::vector<std::string> missed;
    auto skip = static_cast<std::size_t>(since + 1 - oldestKept);
    missed.reserve(messages_.size() - skip);
    for (auto it = messages_.begin() + static_cast<std::ptrdiff_t>(skip); it != messages_.end();
         ++it)
        missed.push_back(*it);
    return missed;
}

} // namespace switchboard
