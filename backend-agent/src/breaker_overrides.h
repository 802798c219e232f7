// Operator overrides of circuit breakers, and their expiry.
//
// An override puts a breaker in force-open, disabled or metrics-only (or resets it) and may carry
// an expiry; this class's own thread returns the breaker to normal (a reset: closed, empty
// window) when it runs out, unless a later override replaced it, and then reports the expiry so
// it can be audited. A breaker that left the override's state by other means (the host called
// reset()) has no override any more. Thread-safe.
#pragma once

#include "switchboard/breaker_registry.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

namespace switchboard {

class BreakerOverrides {
public:
    using Clock = std::function<std::int64_t()>; // ms since the epoch
    // Called on the expiry thread after the breaker was reset; `record` is the override that
    // ran out ({mode, expires_ms, by}).
    using Expired = std::function<void(const std::string& breaker, const nlohmann::json& record)>;

    enum class Mode { ForceOpen, Disable, MetricsOnly, Reset };
    static std::optional<Mode> modeFromName(std::string_view name);
    static std::string_view modeName(Mode mode);
    static CircuitBreaker::State stateOf(Mode mode); // Reset → Closed

    BreakerOverrides(BreakerRegistry& breakers, Clock clock);
    ~BreakerOverrides();

    void start(Expired onExpired);
    void stop() noexcept;

    // Applies `mode` to the breaker now (throws std::runtime_error if it is unknown or the move
    // is illegal) and records it with its expiry (none for Reset, which clears any override).
    void apply(const std::string& breaker, Mode mode, std::optional<std::int64_t> expiresMs,
               const std::string& by);
    // The breaker's current override ({mode, expires_ms, by}), or null.
    nlohmann::json current(const std::string& breaker) const;

private:
    struct Record {
        Mode mode;
        std::optional<std::int64_t> expiresMs;
        std::string by;
    };
    static nlohmann::json document(const Record& record);
    void run();

    BreakerRegistry& breakers_;
    Clock clock_;
    Expired onExpired_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, Record> records_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace switchboard
