#include "stream_hub.h"

#include "switchboard/protocol.h"

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

StreamHub::StreamHub(json info, std::size_t history, std::string streamId, Clock clock)
    : streamId_(std::move(streamId))
    , clock_(std::move(clock))
    , state_(std::move(info))
    , log_(history) {}

void StreamHub::publish(std::string_view kind, json data) {
    std::lock_guard lock(mutex_);
    std::uint64_t seq = log_.lastSeq() + 1;
    state_.apply(kind, data, seq);
    json message = {{field::kType, protocol::message::kEvent},
                    {field::kSeq, seq},
                    {field::kStreamId, streamId_},
                    {field::kKind, kind},
                    {field::kTimeMs, clock_()},
                    {field::kData, std::move(data)}};
    std::string text = message.dump();
    log_.append(seq, text);
    sendLocked(text);
}

json StreamHub::snapshot() const {
    std::lock_guard lock(mutex_);
    return state_.snapshot(clock_());
}

std::string StreamHub::snapshotMessageLocked() const {
    json message = {{field::kType, protocol::message::kSnapshot},
                    {field::kSeq, log_.lastSeq()},
                    {field::kStreamId, streamId_},
                    {field::kProtocol, protocol::kVersion},
                    {field::kSnapshot, state_.snapshot(clock_())}};
    return message.dump();
}

std::size_t StreamHub::subscribe(const void* key, Sink sink, std::optional<std::uint64_t> since,
                                 const std::string& streamId) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> first;
    if (since && streamId == streamId_) {
        if (auto missed = log_.after(*since))
            first = std::move(*missed);
        else
            first.push_back(snapshotMessageLocked());
    } else {
        first.push_back(snapshotMessageLocked());
    }
    for (const auto& message : first)
        if (!sink(message))
            return 0;
    sinks_[key] = std::move(sink);
    return first.size();
}

void StreamHub::unsubscribe(const void* key) {
    std::lock_guard lock(mutex_);
    sinks_.erase(key);
}

std::size_t StreamHub::subscribers() const {
    std::lock_guard lock(mutex_);
    return sinks_.size();
}

void StreamHub::sendLocked(const std::string& message) {
    for (auto it = sinks_.begin(); it != sinks_.end();) {
        // A peer that cannot take a message is dropped; it reconnects and resumes by seq.
        if (it->second(message))
            ++it;
        else
            it = sinks_.erase(it);
    }
}

} // namespace switchboard
