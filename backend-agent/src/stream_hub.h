// The agent's state, its event sequence and the consoles subscribed to the stream.
//
// publish() gives an event the next sequence number, folds it into the state, keeps it for
// resuming and sends it to every subscriber, all under one lock, so that a subscriber sees
// exactly the snapshot and then every later event, never a gap or a duplicate. Thread-safe.
#pragma once

#include "event_log.h"
#include "state_store.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

namespace switchboard {

class StreamHub {
public:
    // A subscriber's way to send one text message; returns false when the peer is gone.
    using Sink = std::function<bool(const std::string&)>;
    using Clock = std::function<std::int64_t()>; // milliseconds since the epoch

    StreamHub(nlohmann::json info, std::size_t history, std::string streamId, Clock clock);

    const std::string& streamId() const noexcept { return streamId_; }

    // Records and broadcasts one event of `kind` (protocol::event::*).
    void publish(std::string_view kind, nlohmann::json data);

    // The /v1/snapshot document.
    nlohmann::json snapshot() const;

    // Subscribes `key` and sends it, first, either the events after `since` (when `streamId`
    // is ours and they are all still kept) or a snapshot message. Returns how many messages
    // were sent before going live.
    std::size_t subscribe(const void* key, Sink sink, std::optional<std::uint64_t> since,
                          const std::string& streamId);
    void unsubscribe(const void* key);
    std::size_t subscribers() const;

private:
    std::string snapshotMessageLocked() const;
    void sendLocked(const std::string& message);

    mutable std::mutex mutex_;
    std::string streamId_;
    Clock clock_;
    StateStore state_;
    EventLog log_;
    std::unordered_map<const void*, Sink> sinks_;
};

} // namespace switchboard
