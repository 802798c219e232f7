#include "breaker_publisher.h"

#include "clock.h"
#include "switchboard/protocol.h"

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

// The wire numbers are the library's numbers; if one side changes, this stops compiling.
static_assert(int(protocol::BreakerState::Closed) == int(CircuitBreaker::State::Closed));
static_assert(int(protocol::BreakerState::Open) == int(CircuitBreaker::State::Open));
static_assert(int(protocol::BreakerState::HalfOpen) == int(CircuitBreaker::State::HalfOpen));
static_assert(int(protocol::BreakerState::ForcedOpen) == int(CircuitBreaker::State::ForcedOpen));
static_assert(int(protocol::BreakerState::Disabled) == int(CircuitBreaker::State::Disabled));
static_assert(int(protocol::BreakerState::MetricsOnly) == int(CircuitBreaker::State::MetricsOnly));

BreakerPublisher::BreakerPublisher(BreakerRegistry& breakers, StreamHub& hub)
    : breakers_(breakers)
    , hub_(hub) {}

BreakerPublisher::~BreakerPublisher() {
    stop();
}

void BreakerPublisher::start() {
    breakers_.setListener([this](const CircuitBreaker::Transition& transition) {
        if (!transition.accepted)
            return;
        {
            std::lock_guard lock(mutex_);
            pending_.push_back({std::string(transition.breaker), transition.from, transition.to,
                                transition.reason});
        }
        wake_.notify_one();
    });
    thread_ = std::thread([this] { run(); });
}

void BreakerPublisher::stop() noexcept {
    breakers_.setListener({});
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void BreakerPublisher::setOverrideLookup(std::function<json(const std::string&)> lookup) {
    overrideOf_ = std::move(lookup);
}

void BreakerPublisher::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
        if (stopping_)
            return;
        Pending next = std::move(pending_.front());
        pending_.pop_front();
        lock.unlock();
        if (const CircuitBreaker* breaker = breakers_.find(next.breaker))
            publish(breaker->snapshot(), &next);
        lock.lock();
    }
}

void BreakerPublisher::publishAll() {
    breakers_.refreshMetrics();
    for (const auto& snapshot : breakers_.snapshots())
        publish(snapshot, nullptr);
}

void BreakerPublisher::publish(const CircuitBreaker::Snapshot& snapshot,
                               const Pending* transition) {
    // The breaker's clock is monotonic; the wire speaks wall-clock milliseconds.
    auto inStateNs = SteadyBreakerClock::instance().nowNs() - snapshot.lastTransitionAt.count();
    json data = {{field::kName, snapshot.name},
                 {field::kState, static_cast<int>(snapshot.state)},
                 {field::kStateName, CircuitBreaker::stateName(snapshot.state)},
                 {field::kFailureRate, snapshot.failureRate},
                 {field::kSlowCallRate, snapshot.slowCallRate},
                 {field::kBufferedCalls, snapshot.bufferedCalls},
                 {field::kSuccessfulCalls, snapshot.successfulCalls},
                 {field::kFailedCalls, snapshot.failedCalls},
                 {field::kNotPermittedCalls, snapshot.notPermittedCalls},
                 {field::kSinceMs, nowMs() - inStateNs / 1'000'000}};
    // Thresholds from the breaker's config (fixed at registration), so a board can show them.
    if (const CircuitBreaker* breaker = breakers_.find(snapshot.name)) {
        data[field::kFailureRateThreshold] = breaker->config().failureRateThreshold;
        data[field::kSlowCallRateThreshold] = breaker->config().slowCallRateThreshold;
    }
    data[field::kOverride] = overrideOf_ ? overrideOf_(snapshot.name) : json(nullptr);
    if (transition)
        data[field::kTransition] = {
            {field::kFrom, CircuitBreaker::stateName(transition->from)},
            {field::kTo, CircuitBreaker::stateName(transition->to)},
            {field::kReason, CircuitBreaker::reasonName(transition->reason)}};
    hub_.publish(protocol::event::kBreaker, std::move(data));
}

} // namespace switchboard
