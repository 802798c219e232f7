#include "switchboard/circuit_breaker.h"

#include <algorithm>

namespace switchboard {

// ---------------------------------------------------------------------------------------------
// BreakerConfig

void BreakerConfig::validate(const std::string& name) const {
    if (name.empty())
        throw ConfigError("breaker", "a breaker needs a name");
    const std::string prefix = "breaker." + name + ".";
    auto fail = [&](const char* field, const std::string& message) {
        throw ConfigError(prefix + field, message);
    };
    if (windowType != WindowType::Count && windowType != WindowType::Time)
        fail("window_type", "must be count or time");
    if (windowType == WindowType::Count && (windowSize < 1 || windowSize > kMaxCountWindow))
        fail("window_size", "a count window holds 1 to " + std::to_string(kMaxCountWindow) +
                                " calls, not " + std::to_string(windowSize));
    if (windowType == WindowType::Time && (windowSize < 1 || windowSize > kMaxTimeWindowSeconds))
        fail("window_size", "a time window spans 1 to " + std::to_string(kMaxTimeWindowSeconds) +
                                " seconds, not " + std::to_string(windowSize));
    if (minimumCalls < 1)
        fail("minimum_calls", "must be at least 1");
    // A count window never holds more than windowSize calls: a larger minimum would never be met
    // and the breaker would silently never open.
    if (windowType == WindowType::Count && minimumCalls > windowSize)
        fail("minimum_calls",
             "must not exceed the count window's size (" + std::to_string(windowSize) + ")");
    if (!(failureRateThreshold > 0.0 && failureRateThreshold <= 100.0))
        fail("failure_rate_threshold", "must be a percentage in (0, 100]");
    if (!(slowCallRateThreshold > 0.0 && slowCallRateThreshold <= 100.0))
        fail("slow_call_rate_threshold", "must be a percentage in (0, 100]");
    if (slowCallDuration.count() <= 0)
        fail("slow_call_duration", "must be positive");
    if (waitInOpen.count() <= 0)
        fail("wait_in_open", "must be positive");
    if (permittedCallsInHalfOpen < 1 || permittedCallsInHalfOpen > kMaxPermittedCallsInHalfOpen)
        fail("permitted_calls_in_half_open",
             "must be 1 to " + std::to_string(kMaxPermittedCallsInHalfOpen));
}

std::string BreakerConfig::firstDifference(const BreakerConfig& other) const {
    if (windowType != other.windowType)
        return "window_type";
    if (windowSize != other.windowSize)
        return "window_size";
    if (minimumCalls != other.minimumCalls)
        return "minimum_calls";
    if (failureRateThreshold != other.failureRateThreshold)
        return "failure_rate_threshold";
    if (slowCallRateThreshold != other.slowCallRateThreshold)
        return "slow_call_rate_threshold";
    if (slowCallDuration != other.slowCallDuration)
        return "slow_call_duration";
    if (waitInOpen != other.waitInOpen)
        return "wait_in_open";
    if (permittedCallsInHalfOpen != other.permittedCallsInHalfOpen)
        return "permitted_calls_in_half_open";
    return {};
}

// ---------------------------------------------------------------------------------------------
// CircuitBreaker

namespace {

using State = CircuitBreaker::State;
using Reason = CircuitBreaker::Reason;

// The whole state in one word, so a transition is one compare-and-swap and a reader never sees
// a state with another state's entry time:
//   bits 0-3   the State
//   bit  4     settling: the new state's entry actions (clearing the window, arming the trial
//              permits) are still running; half-open refuses and closed does not evaluate
//   bits 5-15  a sequence number, so a stale evaluation cannot swap a state that left and came
//              back (ABA)
//   bits 16-63 the transition's time, microseconds after the breaker's construction (8.9 years)
constexpr std::uint64_t kStateMask = 0xF;
constexpr std::uint64_t kSettling = 0x10;
constexpr int kSeqShift = 5;
constexpr std::uint64_t kSeqMask = 0x7FF;
constexpr int kSinceShift = 16;
constexpr std::uint64_t kSinceMax = (std::uint64_t{1} << 48) - 1;

State stateOf(std::uint64_t word) {
    return static_cast<State>(word & kStateMask);
}
std::uint64_t seqOf(std::uint64_t word) {
    return (word >> kSeqShift) & kSeqMask;
}
std::uint64_t sinceUsOf(std::uint64_t word) {
    return word >> kSinceShift;
}
std::uint64_t pack(State state, std::uint64_t seq, std::uint64_t sinceUs, bool settling) {
    return static_cast<std::uint64_t>(state) | (settling ? kSettling : 0) |
           ((seq & kSeqMask) << kSeqShift) | (std::min(sinceUs, kSinceMax) << kSinceShift);
}

// One count-window slot: empty, or a recorded call and how it went.
constexpr std::uint8_t kPresent = 1, kFailed = 2, kSlow = 4;

// A time-window bucket word: the epoch second it belongs to (1-based; 0 is never) in the high
// half, a count in the low half.
constexpr std::uint64_t kCountMask = 0xFFFFFFFF;

// Lemire's fastmod: i % d with two multiplications instead of a 64-bit division (tens of
// cycles) on the hot path.
// Only the low 32 bits of the ring position are used; when they wrap (every 2^32 calls) one
// lap of the ring is shifted, which a sliding window does not notice. The totals stay exact.
std::uint32_t fastMod(std::uint32_t value, std::uint64_t multiplier, std::uint32_t divisor) {
    std::uint64_t low = multiplier * value;
    return static_cast<std::uint32_t>((static_cast<unsigned __int128>(low) * divisor) >> 64);
}

enum class Outcome { Done, Illegal, Lost };

} // namespace

// Counters written on every call sit on their own cache lines, apart from the state word that
// every call reads, so that two request threads do not make each other's reads miss.
struct CircuitBreaker::Impl {
    Impl(CircuitBreaker& owner, Listener listener, const BreakerClock& clock)
        : owner(owner)
        , config(owner.config_)
        , clock(clock)
        , originNs(clock.nowNs())
        , listener(std::move(listener))
        , size(config.windowSize)
        , multiplier(UINT64_MAX / config.windowSize + 1)
        , slowNs(config.slowCallDuration.count())
        , minimumCalls(config.minimumCalls)
        , failureThreshold(config.failureRateThreshold)
        , slowThreshold(config.slowCallRateThreshold) {
        if (config.windowType == BreakerConfig::WindowType::Count)
            slots = std::make_unique<std::atomic<std::uint8_t>[]>(size);
        else
            buckets = std::make_unique<std::atomic<std::uint64_t>[]>(std::size_t{size} * 3);
        word.store(pack(State::Closed, 0, 0, false));
    }

    CircuitBreaker& owner;
    const BreakerConfig& config;
    const BreakerClock& clock;
    const std::int64_t originNs;
    const Listener listener;
    const std::uint32_t size;
    const std::uint64_t multiplier;
    const std::int64_t slowNs;
    const std::int64_t minimumCalls;
    const double failureThreshold;
    const double slowThreshold;

    alignas(64) std::atomic<std::uint64_t> word{0};

    // Calls recorded into the window (the count window's ring position).
    alignas(64) std::atomic<std::uint64_t> windowRecords{0};

    // The window's running totals. Signed: under heavy contention one call's subtraction can land
    // before another's addition, and an evaluation that sees such a moment simply skips.
    alignas(64) std::atomic<std::int64_t> windowCalls{0};
    std::atomic<std::int64_t> windowFailed{0};
    std::atomic<std::int64_t> windowSlow{0};
    std::atomic<std::uint64_t> sweptEpoch{0};

    alignas(64) std::atomic<std::uint64_t> failures{0}; // every failure, any state
    std::atomic<std::uint64_t> offWindowRecords{0};     // successes and failures not in the window
    std::atomic<std::uint64_t> ignored{0};
    std::atomic<std::uint64_t> notPermitted{0};
    std::atomic<std::uint64_t> transitions{0};
    std::atomic<std::uint64_t> rejected{0};

    alignas(64) std::atomic<std::int64_t> trialPermits{0};
    std::atomic<std::uint64_t> trialDone{0};
    std::atomic<std::uint64_t> trialFailed{0};
    std::atomic<std::uint64_t> trialSlow{0};

    std::unique_ptr<std::atomic<std::uint8_t>[]> slots;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets; // calls, failed, slow per second

    std::int64_t sinceNs(std::uint64_t w) const {
        return originNs + static_cast<std::int64_t>(sinceUsOf(w)) * 1000;
    }
    std::uint64_t sinceUs(std::int64_t nowNs) const {
        return nowNs > originNs ? static_cast<std::uint64_t>(nowNs - originNs) / 1000 : 0;
    }
    std::uint64_t epochOf(std::int64_t nowNs) const {
        return (nowNs > originNs ? static_cast<std::uint64_t>(nowNs - originNs) / 1'000'000'000
                                 : 0) +
               1;
    }

    // --- the state machine ------------------------------------------------------------------

    static bool legal(State from, State to, Reason reason) {
        if (reason == Reason::Reset)
            return to == State::Closed;
        return CircuitBreaker::isLegal(from, to);
    }

    // The one transition function: validate, swap, run the entry actions, emit.
    Outcome transition(std::uint64_t expected, State to, Reason reason, std::int64_t nowNs) {
        const State from = stateOf(expected);
        if (!legal(from, to, reason)) {
            rejected.fetch_add(1, std::memory_order_relaxed);
            emit(from, to, reason, nowNs, false);
            return Outcome::Illegal;
        }
        std::uint64_t next = pack(to, seqOf(expected) + 1, sinceUs(nowNs), true);
        if (!word.compare_exchange_strong(expected, next, std::memory_order_acq_rel))
            return Outcome::Lost; // another thread moved first; its transition is reported
        enter(to);
        // Fails only if yet another transition already replaced ours, which is then in charge.
        std::uint64_t settled = next & ~kSettling;
        word.compare_exchange_strong(next, settled, std::memory_order_acq_rel);
        transitions.fetch_add(1, std::memory_order_relaxed);
        emit(from, to, reason, nowNs, true);
        return Outcome::Done;
    }

    // Operator transitions retry when racing with the hot path; only illegality stops them.
    bool operatorTransition(State to, Reason reason) {
        for (;;) {
            std::uint64_t current = word.load(std::memory_order_acquire);
            switch (transition(current, to, reason, clock.nowNs())) {
            case Outcome::Done:
                return true;
            case Outcome::Illegal:
                return false;
            case Outcome::Lost:
                break;
            }
        }
    }

    void enter(State to) {
        switch (to) {
        case State::Closed:
        case State::MetricsOnly:
            clearWindow();
            break;
        case State::HalfOpen:
            trialDone.store(0, std::memory_order_relaxed);
            trialFailed.store(0, std::memory_order_relaxed);
            trialSlow.store(0, std::memory_order_relaxed);
            trialPermits.store(config.permittedCallsInHalfOpen, std::memory_order_release);
            break;
        default:
            break;
        }
    }

    void emit(State from, State to, Reason reason, std::int64_t nowNs, bool accepted) const {
        if (!listener)
            return;
        try {
            listener(Transition{owner.name_, from, to, reason, std::chrono::nanoseconds(nowNs),
                                accepted});
        } catch (...) {
            // The caller is a noexcept hot path; a listener's failure must not end the process.
        }
    }

    // --- the sliding window -------------------------------------------------------------------

    void addToTotals(std::int64_t calls, std::int64_t failed, std::int64_t slow) {
        if (calls)
            windowCalls.fetch_add(calls, std::memory_order_relaxed);
        if (failed)
            windowFailed.fetch_add(failed, std::memory_order_relaxed);
        if (slow)
            windowSlow.fetch_add(slow, std::memory_order_relaxed);
    }

    // Returns whether the totals changed (a call replacing an identical one changes nothing).
    bool recordCount(bool failed, bool slow) {
        const std::uint64_t position = windowRecords.fetch_add(1, std::memory_order_acq_rel);
        const std::uint8_t value = kPresent | (failed ? kFailed : 0) | (slow ? kSlow : 0);
        const std::uint8_t old =
            slots[fastMod(static_cast<std::uint32_t>(position), multiplier, size)].exchange(
                value, std::memory_order_acq_rel);
        if (old == value)
            return false;
        addToTotals((old & kPresent) ? 0 : 1, int(failed) - int((old & kFailed) != 0),
                    int(slow) - int((old & kSlow) != 0));
        return true;
    }

    // Adds one to a bucket word for `epoch`; resets it first if it holds an expired second.
    // False if the bucket already moved on to a later second (this call is too old to count).
    bool addToBucket(std::atomic<std::uint64_t>& bucket, std::uint64_t epoch,
                     std::atomic<std::int64_t>& total) {
        std::uint64_t current = bucket.load(std::memory_order_acquire);
        for (;;) {
            const std::uint64_t tag = current >> 32;
            if (tag > epoch)
                return false;
            const std::uint64_t next = tag == epoch ? current + 1 : (epoch << 32) | 1;
            if (bucket.compare_exchange_weak(current, next, std::memory_order_acq_rel)) {
                if (tag != epoch && (current & kCountMask))
                    total.fetch_sub(static_cast<std::int64_t>(current & kCountMask),
                                    std::memory_order_relaxed);
                total.fetch_add(1, std::memory_order_relaxed);
                return true;
            }
        }
    }

    void expireBucket(std::atomic<std::uint64_t>& bucket, std::uint64_t epoch,
                      std::atomic<std::int64_t>& total) {
        std::uint64_t current = bucket.load(std::memory_order_acquire);
        while ((current >> 32) < epoch) {
            if (bucket.compare_exchange_weak(current, epoch << 32, std::memory_order_acq_rel)) {
                if (current & kCountMask)
                    total.fetch_sub(static_cast<std::int64_t>(current & kCountMask),
                                    std::memory_order_relaxed);
                return;
            }
        }
    }

    // Moves the time window to `epoch`: the buckets of the seconds that left it are emptied
    // and their counts leave the totals. One thread sweeps each step; the others go on.
    void sweep(std::uint64_t epoch) {
        std::uint64_t last = sweptEpoch.load(std::memory_order_acquire);
        if (last >= epoch)
            return;
        if (!sweptEpoch.compare_exchange_strong(last, epoch, std::memory_order_acq_rel))
            return;
        // A slot's tags are congruent modulo the size, so a tag below the new epoch is a second
        // that has left the window.
        const std::uint64_t first = std::max(last + 1, epoch >= size ? epoch - size + 1 : 1);
        for (std::uint64_t e = first; e <= epoch; ++e) {
            const std::size_t index = static_cast<std::size_t>(e % size) * 3;
            expireBucket(buckets[index], e, windowCalls);
            expireBucket(buckets[index + 1], e, windowFailed);
            expireBucket(buckets[index + 2], e, windowSlow);
        }
    }

    void recordTime(bool failed, bool slow) {
        // Whole seconds only: the coarse clock is enough, and a third of the price.
        const std::uint64_t epoch = epochOf(clock.coarseNowNs());
        sweep(epoch);
        windowRecords.fetch_add(1, std::memory_order_acq_rel);
        const std::size_t index = static_cast<std::size_t>(epoch % size) * 3;
        if (!addToBucket(buckets[index], epoch, windowCalls))
            return;
        if (failed)
            addToBucket(buckets[index + 1], epoch, windowFailed);
        if (slow)
            addToBucket(buckets[index + 2], epoch, windowSlow);
    }

    void clearWindow() {
        if (slots) {
            for (std::uint32_t i = 0; i < size; ++i) {
                std::uint8_t old = slots[i].exchange(0, std::memory_order_acq_rel);
                addToTotals((old & kPresent) ? -1 : 0, (old & kFailed) ? -1 : 0,
                            (old & kSlow) ? -1 : 0);
            }
            return;
        }
        std::atomic<std::int64_t>* totals[3] = {&windowCalls, &windowFailed, &windowSlow};
        for (std::size_t i = 0; i < std::size_t{size} * 3; ++i) {
            std::uint64_t old = buckets[i].exchange(0, std::memory_order_acq_rel);
            if (old & kCountMask)
                totals[i % 3]->fetch_sub(static_cast<std::int64_t>(old & kCountMask),
                                         std::memory_order_relaxed);
        }
    }

    struct Totals {
        std::int64_t calls, failed, slow;
    };
    Totals totals() const {
        return {windowCalls.load(std::memory_order_relaxed),
                windowFailed.load(std::memory_order_relaxed),
                windowSlow.load(std::memory_order_relaxed)};
    }

    // Closed: opens when a rate reaches its threshold over at least minimumCalls calls.
    void evaluate(std::uint64_t observed) {
        const Totals t = totals();
        if (t.calls < minimumCalls || t.failed < 0 || t.slow < 0 || t.failed > t.calls ||
            t.slow > t.calls)
            return;
        const double calls = static_cast<double>(t.calls);
        if (static_cast<double>(t.failed) * 100.0 >= failureThreshold * calls)
            transition(observed, State::Open, Reason::FailureRate, clock.nowNs());
        else if (static_cast<double>(t.slow) * 100.0 >= slowThreshold * calls)
            transition(observed, State::Open, Reason::SlowCallRate, clock.nowNs());
    }

    void recordTrial(std::uint64_t observed, bool failed, bool slow) {
        if (failed)
            trialFailed.fetch_add(1, std::memory_order_relaxed);
        if (slow)
            trialSlow.fetch_add(1, std::memory_order_relaxed);
        // acq_rel: the thread completing the last trial sees every earlier trial's outcome.
        const std::uint64_t done = trialDone.fetch_add(1, std::memory_order_acq_rel) + 1;
        if (done != config.permittedCallsInHalfOpen)
            return; // not the last trial; late completions after the decision only count
        const double calls = static_cast<double>(done);
        const double failedCalls = static_cast<double>(trialFailed.load(std::memory_order_relaxed));
        const double slowCalls = static_cast<double>(trialSlow.load(std::memory_order_relaxed));
        const std::int64_t now = clock.nowNs();
        if (failedCalls * 100.0 >= failureThreshold * calls ||
            slowCalls * 100.0 >= slowThreshold * calls)
            transition(observed, State::Open, Reason::TrialsFailed, now);
        else
            transition(observed, State::Closed, Reason::TrialsPassed, now);
    }

    void record(bool failed, std::chrono::nanoseconds duration) {
        const bool slow = duration.count() >= slowNs;
        if (failed)
            failures.fetch_add(1, std::memory_order_relaxed);
        const std::uint64_t observed = word.load(std::memory_order_acquire);
        const State state = stateOf(observed);
        if (state == State::Closed || state == State::MetricsOnly) {
            bool changed;
            if (slots) {
                changed = recordCount(failed, slow);
            } else {
                recordTime(failed, slow);
                changed = true; // seconds leaving the window move the rates too
            }
            if (changed && state == State::Closed && !(observed & kSettling))
                evaluate(observed);
            return;
        }
        offWindowRecords.fetch_add(1, std::memory_order_acq_rel);
        if (state == State::HalfOpen && !(observed & kSettling))
            recordTrial(observed, failed, slow);
    }

    bool takeTrialPermit() {
        std::int64_t permits = trialPermits.load(std::memory_order_acquire);
        while (permits > 0)
            if (trialPermits.compare_exchange_weak(permits, permits - 1, std::memory_order_acq_rel))
                return true;
        return false;
    }

    bool tryAcquire() {
        // At most: open, then the transition to half-open (ours or another thread's), then a
        // permit. A third round means the state keeps moving under us: refuse this one call.
        for (int round = 0; round < 3; ++round) {
            const std::uint64_t observed = word.load(std::memory_order_acquire);
            switch (stateOf(observed)) {
            case State::Closed:
            case State::Disabled:
            case State::MetricsOnly:
                return true;
            case State::HalfOpen:
                if (!(observed & kSettling) && takeTrialPermit())
                    return true;
                break;
            case State::Open: {
                const std::int64_t now = clock.nowNs();
                if (now - sinceNs(observed) < config.waitInOpen.count())
                    break;
                transition(observed, State::HalfOpen, Reason::WaitElapsed, now);
                continue;
            }
            case State::ForcedOpen:
                break;
            }
            break;
        }
        notPermitted.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
};

CircuitBreaker::CircuitBreaker(std::string name, BreakerConfig config, Listener listener,
                               const BreakerClock& clock)
    : name_(std::move(name))
    , config_(config) {
    config_.validate(name_);
    impl_ = std::make_unique<Impl>(*this, std::move(listener), clock);
}

CircuitBreaker::~CircuitBreaker() = default;

bool CircuitBreaker::tryAcquire() noexcept {
    return impl_->tryAcquire();
}

void CircuitBreaker::onSuccess(std::chrono::nanoseconds duration) noexcept {
    impl_->record(false, duration);
}

void CircuitBreaker::onFailure(std::chrono::nanoseconds duration) noexcept {
    impl_->record(true, duration);
}

void CircuitBreaker::onIgnored() noexcept {
    impl_->ignored.fetch_add(1, std::memory_order_relaxed);
    // The permit was taken for a trial that will not count: give it to the next caller, or the
    // half-open state could wait forever for outcomes that never come.
    const std::uint64_t observed = impl_->word.load(std::memory_order_acquire);
    if (stateOf(observed) == State::HalfOpen && !(observed & kSettling))
        impl_->trialPermits.fetch_add(1, std::memory_order_acq_rel);
}

bool CircuitBreaker::forceOpen() noexcept {
    return impl_->operatorTransition(State::ForcedOpen, Reason::Operator);
}

bool CircuitBreaker::disable() noexcept {
    return impl_->operatorTransition(State::Disabled, Reason::Operator);
}

bool CircuitBreaker::metricsOnly() noexcept {
    return impl_->operatorTransition(State::MetricsOnly, Reason::Operator);
}

void CircuitBreaker::reset() noexcept {
    impl_->operatorTransition(State::Closed, Reason::Reset);
}

bool CircuitBreaker::transitionTo(State to) noexcept {
    return impl_->operatorTransition(to, Reason::Operator);
}

bool CircuitBreaker::isLegal(State from, State to) noexcept {
    if (from == to)
        return false; // a reset is the one exception, and it is not a table entry
    switch (to) {
    case State::Closed:
    case State::ForcedOpen:
    case State::Disabled:
    case State::MetricsOnly:
        return true; // an operator may always close, force open, disable or watch
    case State::Open:
        // Only measured rates open a breaker; forced-open, disabled and metrics-only never trip.
        return from == State::Closed || from == State::HalfOpen;
    case State::HalfOpen:
        return from == State::Open;
    }
    return false;
}

const char* CircuitBreaker::stateName(State state) noexcept {
    switch (state) {
    case State::Closed:
        return "closed";
    case State::Open:
        return "open";
    case State::HalfOpen:
        return "half_open";
    case State::ForcedOpen:
        return "forced_open";
    case State::Disabled:
        return "disabled";
    case State::MetricsOnly:
        return "metrics_only";
    }
    return "unknown";
}

const char* CircuitBreaker::reasonName(Reason reason) noexcept {
    switch (reason) {
    case Reason::FailureRate:
        return "failure_rate";
    case Reason::SlowCallRate:
        return "slow_call_rate";
    case Reason::WaitElapsed:
        return "wait_elapsed";
    case Reason::TrialsPassed:
        return "trials_passed";
    case Reason::TrialsFailed:
        return "trials_failed";
    case Reason::Operator:
        return "operator";
    case Reason::Reset:
        return "reset";
    }
    return "unknown";
}

CircuitBreaker::State CircuitBreaker::state() const noexcept {
    return stateOf(impl_->word.load(std::memory_order_acquire));
}

CircuitBreaker::Snapshot CircuitBreaker::snapshot() const {
    Impl& d = *impl_;
    const std::uint64_t observed = d.word.load(std::memory_order_acquire);
    Snapshot s{};
    s.name = name_;
    s.state = stateOf(observed);
    s.lastTransitionAt = std::chrono::nanoseconds(d.sinceNs(observed));
    if (d.buckets)
        d.sweep(
            d.epochOf(d.clock.coarseNowNs())); // seconds that left the window since the last call
    auto percent = [](double part, double whole) {
        return whole > 0 ? part * 100.0 / whole : -1;
    };
    if (s.state == State::HalfOpen) {
        const auto done = d.trialDone.load(std::memory_order_acquire);
        s.bufferedCalls = done;
        s.failureRate = percent(double(d.trialFailed.load()), double(done));
        s.slowCallRate = percent(double(d.trialSlow.load()), double(done));
    } else {
        const Impl::Totals t = d.totals();
        s.bufferedCalls = static_cast<std::uint64_t>(std::max<std::int64_t>(0, t.calls));
        const bool enough = t.calls >= d.minimumCalls;
        s.failureRate = enough ? percent(double(t.failed), double(t.calls)) : -1;
        s.slowCallRate = enough ? percent(double(t.slow), double(t.calls)) : -1;
    }
    // Records before failures: a failure is counted before its record, so successes computed
    // this way can lag by a call but never run ahead.
    const std::uint64_t records = d.windowRecords.load(std::memory_order_acquire) +
                                  d.offWindowRecords.load(std::memory_order_acquire);
    s.failedCalls = d.failures.load(std::memory_order_acquire);
    s.successfulCalls = records > s.failedCalls ? records - s.failedCalls : 0;
    s.ignoredCalls = d.ignored.load(std::memory_order_relaxed);
    s.notPermittedCalls = d.notPermitted.load(std::memory_order_relaxed);
    return s;
}

std::uint64_t CircuitBreaker::transitionCount() const noexcept {
    return impl_->transitions.load(std::memory_order_relaxed);
}

std::uint64_t CircuitBreaker::rejectedTransitionCount() const noexcept {
    return impl_->rejected.load(std::memory_order_relaxed);
}

} // namespace switchboard
