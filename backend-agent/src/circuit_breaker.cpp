#include "switchboard/circuit_breaker.h"

#include "coarse_clock.h"

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

// A time-window bucket word: the second's calls in the low half, its failures in the high half,
// so that recording a call is one fetch_add. 2^32 calls a second is out of any backend's reach.
constexpr std::uint64_t kCountMask = 0xFFFFFFFF;
constexpr int kFailedShift = 32;

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
        if (config.windowType == BreakerConfig::WindowType::Count) {
            slots = std::make_unique<std::atomic<std::uint8_t>[]>(size);
        } else {
            buckets = std::make_unique<std::atomic<std::uint64_t>[]>(size);
            slowBuckets = std::make_unique<std::atomic<std::uint64_t>[]>(size);
        }
        word.store(pack(State::Closed, 0, 0, false));
    }

    CircuitBreaker& owner;
    const BreakerConfig& config;
    const BreakerClock& clock;
    const bool steadyClock = dynamic_cast<const SteadyBreakerClock*>(&clock) != nullptr;
    const std::int64_t originNs;
    const Listener listener;
    const std::uint32_t size;
    const std::uint64_t multiplier;
    const std::int64_t slowNs;
    const std::int64_t minimumCalls;
    const double failureThreshold;
    const double slowThreshold;

    alignas(64) std::atomic<std::uint64_t> word{0};

    // Calls recorded into the count window (its ring position).
    alignas(64) std::atomic<std::uint64_t> windowRecords{0};

    // The count window's running totals. Signed: under heavy contention one call's subtraction
    // can land before another's addition, and an evaluation that sees such a moment skips.
    alignas(64) std::atomic<std::int64_t> windowCalls{0};
    std::atomic<std::int64_t> windowFailed{0};
    std::atomic<std::int64_t> windowSlow{0};

    // The time window, read on every call and written once a second: the second its buckets are
    // ready for (with that second's bucket index: epoch << 32 | index, one word so that they
    // always agree), and the totals of the window's earlier seconds at that moment. A call adds
    // its own second's bucket to these to evaluate, so the hot path writes one word.
    alignas(64) std::atomic<std::uint64_t> ready{std::uint64_t{1} << 32 | (1 % size)};
    std::atomic<std::int64_t> pastCalls{0};
    std::atomic<std::int64_t> pastFailed{0};
    std::atomic<std::int64_t> pastSlow{0};
    std::atomic<bool> advancing{false};
    // Calls that were in buckets since reused or cleared: with the buckets, every call recorded.
    std::atomic<std::uint64_t> retiredCalls{0};

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
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets;     // per second: calls | failed
    std::unique_ptr<std::atomic<std::uint64_t>[]> slowBuckets; // per second: slow calls

    std::int64_t coarseNowNs() const {
        return steadyClock ? coarseMonotonicNs() : clock.coarseNowNs();
    }

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
        std::atomic<std::uint8_t>& slot =
            slots[fastMod(static_cast<std::uint32_t>(position), multiplier, size)];
        // A steady stream of like outcomes finds its own value in the slot: leaving the slot
        // alone then keeps the hot path at one write, and the line shared between threads.
        if (slot.load(std::memory_order_relaxed) == value)
            return false;
        const std::uint8_t old = slot.exchange(value, std::memory_order_acq_rel);
        if (old == value)
            return false;
        addToTotals((old & kPresent) ? 0 : 1, int(failed) - int((old & kFailed) != 0),
                    int(slow) - int((old & kSlow) != 0));
        return true;
    }

    std::uint32_t bucketOf(std::uint64_t epoch) const {
        return fastMod(static_cast<std::uint32_t>(epoch), multiplier, size);
    }

    // Moves the time window to `epoch`: the buckets of the seconds entering it are emptied (they
    // held seconds that left), and the earlier seconds' totals are summed once for every call of
    // this second to use. One thread advances; a thread that finds it busy goes on without
    // waiting, and its call may land in a bucket about to be emptied: it then leaves the window
    // early but stays in the lifetime counts.
    [[gnu::noinline]] void advance(std::uint64_t epoch) {
        if (advancing.exchange(true, std::memory_order_acquire))
            return;
        const std::uint64_t last = ready.load(std::memory_order_relaxed) >> 32;
        if (last < epoch) {
            const std::uint64_t first = std::max(last + 1, epoch >= size ? epoch - size + 1 : 1);
            for (std::uint64_t e = first; e <= epoch; ++e)
                retire(bucketOf(e));
            const std::uint32_t current = bucketOf(epoch);
            std::int64_t calls = 0, failed = 0, slow = 0;
            for (std::uint32_t i = 0; i < size; ++i) {
                if (i == current)
                    continue;
                const std::uint64_t counts = buckets[i].load(std::memory_order_relaxed);
                calls += static_cast<std::int64_t>(counts & kCountMask);
                failed += static_cast<std::int64_t>(counts >> kFailedShift);
                slow += static_cast<std::int64_t>(slowBuckets[i].load(std::memory_order_relaxed));
            }
            pastCalls.store(calls, std::memory_order_relaxed);
            pastFailed.store(failed, std::memory_order_relaxed);
            pastSlow.store(slow, std::memory_order_relaxed);
            ready.store(epoch << 32 | current, std::memory_order_release);
        }
        advancing.store(false, std::memory_order_release);
    }

    void retire(std::uint32_t index) {
        const std::uint64_t old = buckets[index].exchange(0, std::memory_order_acq_rel);
        slowBuckets[index].store(0, std::memory_order_relaxed);
        retiredCalls.fetch_add(old & kCountMask, std::memory_order_relaxed);
    }

    struct Totals {
        std::int64_t calls, failed, slow;
    };

    // Records one call in its second's bucket; true with the window's totals if this call has to
    // evaluate them. A plain success only lowers the rates of the window it finds, so it
    // evaluates only where the rates may be new to everyone: the first call of a second (older
    // seconds left the window) and the call that brings the window to minimumCalls.
    bool recordTime(bool failed, bool slow, Totals& totals) {
        // Whole seconds only: the coarse clock is enough, and a third of the price. Most calls
        // fall in the second the window is ready for, which a subtraction tells without dividing.
        const std::int64_t now = coarseNowNs();
        std::uint64_t readyWord = ready.load(std::memory_order_acquire);
        std::uint64_t readyEpoch = readyWord >> 32;
        std::uint64_t epoch = readyEpoch;
        std::uint32_t index = static_cast<std::uint32_t>(readyWord & kCountMask);
        bool advanced = false;
        if (static_cast<std::uint64_t>(now - originNs) -
                (readyEpoch - 1) * std::uint64_t{1'000'000'000} >=
            1'000'000'000) {
            epoch = epochOf(now);
            advanced = epoch > readyEpoch;
            if (advanced) {
                advance(epoch);
                readyEpoch = ready.load(std::memory_order_acquire) >> 32;
            }
            index = bucketOf(epoch);
        }
        const std::uint64_t add = 1 | (std::uint64_t{failed} << kFailedShift);
        const std::uint64_t counts = buckets[index].fetch_add(add, std::memory_order_relaxed) + add;
        std::uint64_t slowCount = 0;
        if (slow)
            slowCount = slowBuckets[index].fetch_add(1, std::memory_order_relaxed) + 1;
        if (epoch != readyEpoch)
            return false; // a call late for its second, or the window is being advanced
        const std::int64_t calls = pastCalls.load(std::memory_order_relaxed) +
                                   static_cast<std::int64_t>(counts & kCountMask);
        if (!failed && !slow && !advanced && calls != minimumCalls)
            return false;
        if (!slow)
            slowCount = slowBuckets[index].load(std::memory_order_relaxed);
        totals = {calls,
                  pastFailed.load(std::memory_order_relaxed) +
                      static_cast<std::int64_t>(counts >> kFailedShift),
                  pastSlow.load(std::memory_order_relaxed) + static_cast<std::int64_t>(slowCount)};
        return true;
    }

    // The time window's totals, read from every bucket (reports, not the hot path).
    Totals timeTotals() const {
        Totals t{0, 0, 0};
        for (std::uint32_t i = 0; i < size; ++i) {
            const std::uint64_t counts = buckets[i].load(std::memory_order_relaxed);
            t.calls += static_cast<std::int64_t>(counts & kCountMask);
            t.failed += static_cast<std::int64_t>(counts >> kFailedShift);
            t.slow += static_cast<std::int64_t>(slowBuckets[i].load(std::memory_order_relaxed));
        }
        return t;
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
        for (std::uint32_t i = 0; i < size; ++i)
            retire(i);
        pastCalls.store(0, std::memory_order_relaxed);
        pastFailed.store(0, std::memory_order_relaxed);
        pastSlow.store(0, std::memory_order_relaxed);
    }

    Totals countTotals() const {
        return {windowCalls.load(std::memory_order_relaxed),
                windowFailed.load(std::memory_order_relaxed),
                windowSlow.load(std::memory_order_relaxed)};
    }

    // Calls recorded in the window since construction, in and out of it.
    std::uint64_t windowedRecords() const {
        if (slots)
            return windowRecords.load(std::memory_order_acquire);
        return retiredCalls.load(std::memory_order_acquire) +
               static_cast<std::uint64_t>(std::max<std::int64_t>(0, timeTotals().calls));
    }

    // Closed: opens when a rate reaches its threshold over at least minimumCalls calls.
    void evaluate(std::uint64_t observed, const Totals& t) {
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
            Totals totals;
            bool changed;
            if (slots) {
                changed = recordCount(failed, slow);
                if (changed)
                    totals = countTotals();
            } else {
                changed = recordTime(failed, slow, totals);
            }
            if (changed && state == State::Closed && !(observed & kSettling))
                evaluate(observed, totals);
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
        d.advance(d.epochOf(d.coarseNowNs())); // seconds that left the window since the last call
    auto percent = [](double part, double whole) {
        return whole > 0 ? part * 100.0 / whole : -1;
    };
    if (s.state == State::HalfOpen) {
        const auto done = d.trialDone.load(std::memory_order_acquire);
        s.bufferedCalls = done;
        s.failureRate = percent(double(d.trialFailed.load()), double(done));
        s.slowCallRate = percent(double(d.trialSlow.load()), double(done));
    } else {
        const Impl::Totals t = d.slots ? d.countTotals() : d.timeTotals();
        s.bufferedCalls = static_cast<std::uint64_t>(std::max<std::int64_t>(0, t.calls));
        const bool enough = t.calls >= d.minimumCalls;
        s.failureRate = enough ? percent(double(t.failed), double(t.calls)) : -1;
        s.slowCallRate = enough ? percent(double(t.slow), double(t.calls)) : -1;
    }
    // Records before failures: a failure is counted before its record, so successes computed
    // this way can lag by a call but never run ahead.
    const std::uint64_t records =
        d.windowedRecords() + d.offWindowRecords.load(std::memory_order_acquire);
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
