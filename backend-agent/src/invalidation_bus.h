// L1 invalidation across every instance of a service, over Redis pub/sub.
//
// Each instance subscribes to `channel` (invalidations) and `channel:ack` (acknowledgements) on
// its own listener thread, which reconnects by itself when Redis goes away. A message names a
// key selection; the listener drops the matching keys from this instance's L1 (the `apply`
// callback) and publishes an acknowledgement with the instance's name and how many entries it
// removed. broadcast() publishes one message and waits for the acknowledgements of every
// subscriber PUBLISH reached (the sender's own listener included). Never throws into its
// callers; failures are values. Thread-safe.
#pragma once

#include "key_selection.h"
#include "redis_connection.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace switchboard {

class InvalidationBus {
public:
    // Drops the selected keys from this instance's L1; returns how many entries went.
    using Apply = std::function<std::size_t(const KeySelection&)>;

    InvalidationBus(RedisEndpoint endpoint, std::string channel, std::string instance, Apply apply);
    ~InvalidationBus();
    InvalidationBus(const InvalidationBus&) = delete;
    InvalidationBus& operator=(const InvalidationBus&) = delete;

    void start(); // idempotent
    void stop() noexcept;

    struct Ack {
        std::string instance;
        std::uint64_t removed = 0;
    };
    struct Broadcast {
        std::string id;
        long long receivers = -1; // subscribers PUBLISH reached; -1 when it failed
        std::vector<Ack> acked;
        double ackMs = -1; // from publishing to the last acknowledgement
        std::string error;
    };
    // Publishes the selection and waits up to `wait` for every receiver's acknowledgement
    // (not at all with 0).
    Broadcast broadcast(const KeySelection& selection, std::chrono::milliseconds wait);

    // For the cache document: the channel, whether subscribed now, messages applied, the last.
    nlohmann::json status() const;
    bool subscribed() const { return subscribed_.load(); }
    const std::string& channel() const { return channel_; }

private:
    struct Pending {
        long long receivers = -1;
        std::vector<Ack> acked;
        std::chrono::steady_clock::time_point lastAck;
    };

    void listen();
    bool listenOnce(); // one connection's life; false when stopping
    void onMessage(const std::string& channel, const std::string& payload);
    void applyInvalidation(const nlohmann::json& message);
    void recordAck(const nlohmann::json& message);
    long long publish(const std::string& channel, const std::string& payload, std::string& error);
    bool sleepUnlessStopped(std::chrono::milliseconds pause);

    const RedisEndpoint endpoint_;
    const std::string channel_;
    const std::string ackChannel_;
    const std::string instance_;
    const Apply apply_;

    std::mutex publisherMutex_;
    std::unique_ptr<RedisConnection> publisher_; // acks and broadcasts; under publisherMutex_

    mutable std::mutex mutex_; // pending_, stopping_, received_, last_
    std::condition_variable changed_;
    std::map<std::string, Pending> pending_;
    bool stopping_ = false;
    std::uint64_t received_ = 0;
    nlohmann::json last_;

    std::atomic<bool> subscribed_{false};
    std::thread thread_;
};

} // namespace switchboard
