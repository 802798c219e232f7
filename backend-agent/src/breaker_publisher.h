// Puts the backend's circuit breakers on the stream: each breaker's state and rates on every
// statistics tick, and every transition as soon as it happens.
//
// A transition is noticed on whatever thread of the host made the call that tripped it; that
// thread only copies it into a queue (a short lock, no I/O), and this class's own thread folds
// it into the state and sends it to the consoles. Thread-safe.
#pragma once

#include "stream_hub.h"
#include "switchboard/breaker_registry.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace switchboard {

class BreakerPublisher {
public:
    BreakerPublisher(BreakerRegistry& breakers, StreamHub& hub);
    ~BreakerPublisher();

    void start();
    void stop() noexcept;
    // Publishes every breaker's current figures (called on each statistics tick).
    void publishAll();
    // Where each breaker's operator override comes from (null: none); set before start().
    void setOverrideLookup(std::function<nlohmann::json(const std::string&)> lookup);

private:
    struct Pending {
        std::string breaker;
        CircuitBreaker::State from;
        CircuitBreaker::State to;
        CircuitBreaker::Reason reason;
    };
    void run();
    void publish(const CircuitBreaker::Snapshot& snapshot, const Pending* transition);

    BreakerRegistry& breakers_;
    StreamHub& hub_;
    std::function<nlohmann::json(const std::string&)> overrideOf_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> pending_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace switchboard
