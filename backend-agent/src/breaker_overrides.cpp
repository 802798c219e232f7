#include "breaker_overrides.h"

#include "switchboard/protocol.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

BreakerOverrides::BreakerOverrides(BreakerRegistry& breakers, Clock clock)
    : breakers_(breakers)
    , clock_(std::move(clock)) {}

BreakerOverrides::~BreakerOverrides() {
    stop();
}

void BreakerOverrides::start(Expired onExpired) {
    std::lock_guard lock(mutex_);
    if (thread_.joinable())
        return;
    onExpired_ = std::move(onExpired);
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void BreakerOverrides::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

json BreakerOverrides::document(const Record& record) {
    return {{field::kMode, modeName(record.mode)},
            {field::kExpiresMs, record.expiresMs ? json(*record.expiresMs) : json(nullptr)},
            {"by", record.by}};
}

void BreakerOverrides::apply(const std::string& name, Mode mode,
                             std::optional<std::int64_t> expiresMs, const std::string& by) {
    CircuitBreaker* breaker = breakers_.find(name);
    if (!breaker)
        throw std::runtime_error("no breaker named " + name);
    std::lock_guard lock(mutex_); // one override at a time, so records match breaker states
    auto target = stateOf(mode);
    if (mode == Mode::Reset)
        breaker->reset();
    else if (breaker->state() != target && !breaker->transitionTo(target))
        throw std::runtime_error(std::string("breaker ") + name + " cannot go from " +
                                 CircuitBreaker::stateName(breaker->state()) + " to " +
                                 CircuitBreaker::stateName(target));
    if (mode == Mode::Reset)
        records_.erase(name);
    else
        records_[name] = {mode, expiresMs, by};
    wake_.notify_all();
}

json BreakerOverrides::current(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = records_.find(name);
    if (it == records_.end())
        return nullptr;
    // The host may have moved the breaker itself; then the override is over.
    const CircuitBreaker* breaker = breakers_.find(name);
    if (!breaker || breaker->state() != stateOf(it->second.mode))
        return nullptr;
    return document(it->second);
}

void BreakerOverrides::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto now = clock_();
        std::optional<std::int64_t> next;
        std::vector<std::pair<std::string, json>> expired;
        for (auto it = records_.begin(); it != records_.end();) {
            const Record& record = it->second;
            if (record.expiresMs && *record.expiresMs <= now) {
                CircuitBreaker* breaker = breakers_.find(it->first);
                // Only an override still in force is reverted; the host may have moved it.
                if (breaker && breaker->state() == stateOf(record.mode)) {
                    breaker->reset();
                    expired.emplace_back(it->first, document(record));
                }
                it = records_.erase(it);
                continue;
            }
            if (record.expiresMs)
                next = next ? std::min(*next, *record.expiresMs) : *record.expiresMs;
            ++it;
        }
        if (!expired.empty()) {
            lock.unlock(); // the report writes the audit log: no lock held over disk I/O
            for (const auto& [name, record] : expired) {
                try {
                    if (onExpired_)
                        onExpired_(name, record);
                } catch (...) {
                    // The breaker is already back to normal; a failed report must not end the
                    // thread that reverts the others.
                }
            }
            lock.lock();
            continue;
        }
        // The wall clock may jump; never sleep more than a second between looks.
        auto wait =
            std::chrono::milliseconds(next ? std::clamp<std::int64_t>(*next - now, 1, 1000) : 1000);
        wake_.wait_for(lock, wait);
    }
}

} // namespace switchboard
