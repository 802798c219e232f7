// The circuit breaker's state machine and sliding windows, driven by a stepped clock: every legal
// and illegal transition, the window edges of both window types, slow calls, half-open trials,
// the operator states, config validation, and the exactness of the counts under two threads.
#include "SteppedClock.h"
#include "switchboard/circuit_breaker.h"

#include <QTest>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using switchboard::BreakerClock;
using switchboard::BreakerConfig;
using switchboard::CircuitBreaker;
using switchboard::ConfigError;
using State = CircuitBreaker::State;

namespace {

// Small numbers so that every edge is a handful of calls: a window of 4 calls, all of them
// needed, opening at 50%; calls of 100 ms or more are slow; 1 s open; 2 trial calls.
BreakerConfig smallConfig() {
    BreakerConfig config;
    config.windowType = BreakerConfig::WindowType::Count;
    config.windowSize = 4;
    config.minimumCalls = 4;
    config.failureRateThreshold = 50;
    config.slowCallRateThreshold = 50;
    config.slowCallDuration = 100ms;
    config.waitInOpen = 1s;
    config.permittedCallsInHalfOpen = 2;
    return config;
}

QString transitionText(const CircuitBreaker::Transition& t) {
    return QStringLiteral("%1>%2:%3")
               .arg(CircuitBreaker::stateName(t.from), CircuitBreaker::stateName(t.to),
                    CircuitBreaker::reasonName(t.reason)) +
           (t.accepted ? QString() : QStringLiteral(":rejected"));
}

struct Rig {
    explicit Rig(BreakerConfig config = smallConfig())
        : breaker(
              "checkout", config,
              [this](const CircuitBreaker::Transition& t) {
                  seen.append(transitionText(t));
                  times.push_back(t.at);
              },
              clock) {}
    SteppedClock clock;
    QStringList seen;
    std::vector<std::chrono::nanoseconds> times;
    CircuitBreaker breaker;
};

State stateFromName(const QString& name) {
    for (int i = 0; i < CircuitBreaker::kStateCount; ++i)
        if (name == CircuitBreaker::stateName(static_cast<State>(i)))
            return static_cast<State>(i);
    qFatal("unknown state %s", qPrintable(name));
}

// Brings a fresh rig's breaker into `state` the way production would.
void driveTo(Rig& rig, State state) {
    switch (state) {
    case State::Closed:
        break;
    case State::Open:
        for (int i = 0; i < 4; ++i)
            rig.breaker.onFailure(1ms);
        break;
    case State::HalfOpen:
        driveTo(rig, State::Open);
        rig.clock.advance(1s);
        QVERIFY(rig.breaker.tryAcquire());
        break;
    case State::ForcedOpen:
        QVERIFY(rig.breaker.forceOpen());
        break;
    case State::Disabled:
        QVERIFY(rig.breaker.disable());
        break;
    case State::MetricsOnly:
        QVERIFY(rig.breaker.metricsOnly());
        break;
    }
    QCOMPARE(rig.breaker.state(), state);
}

// Runs a script of steps, separated by spaces:
//   s / f      a fast success / failure       w / x   a slow success / failure
//   i          an ignored call                + / -   tryAcquire(), expecting true / false
//   @N         the clock moves N ms           =name   the state must be `name`
void runScript(Rig& rig, const QString& script) {
    for (const QString& step : script.split(' ', Qt::SkipEmptyParts)) {
        const QChar op = step.front();
        if (op == 's')
            rig.breaker.onSuccess(1ms);
        else if (op == 'f')
            rig.breaker.onFailure(1ms);
        else if (op == 'w')
            rig.breaker.onSuccess(100ms);
        else if (op == 'x')
            rig.breaker.onFailure(250ms);
        else if (op == 'i')
            rig.breaker.onIgnored();
        else if (op == '+')
            QVERIFY2(rig.breaker.tryAcquire(), qPrintable("refused at step " + step));
        else if (op == '-')
            QVERIFY2(!rig.breaker.tryAcquire(), qPrintable("permitted at step " + step));
        else if (op == '@')
            rig.clock.advance(std::chrono::milliseconds(step.mid(1).toInt()));
        else if (op == '=')
            QCOMPARE(CircuitBreaker::stateName(rig.breaker.state()), qPrintable(step.mid(1)));
        else
            QFAIL(qPrintable("unknown step " + step));
    }
}

} // namespace

class TestCircuitBreaker : public QObject {
    Q_OBJECT

private slots:
    void stateNumbersAreFixed() {
        // The gauge's values and the console's colours depend on these numbers.
        QCOMPARE(int(State::Closed), 0);
        QCOMPARE(int(State::Open), 1);
        QCOMPARE(int(State::HalfOpen), 2);
        QCOMPARE(int(State::ForcedOpen), 3);
        QCOMPARE(int(State::Disabled), 4);
        QCOMPARE(int(State::MetricsOnly), 5);
    }

    // Every (from, to) pair by hand: legal moves happen and are reported once; illegal ones
    // change nothing and are reported as rejected.
    void operatorTransitions_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("legal");
        // Rows: from; columns: to, in state-number order.
        const bool table[6][6] = {
            //  closed open   half   forced disabled metrics
            {false, true, false, true, true, true},  // closed
            {true, false, true, true, true, true},   // open
            {true, true, false, true, true, true},   // half_open
            {true, false, false, false, true, true}, // forced_open
            {true, false, false, true, false, true}, // disabled
            {true, false, false, true, true, false}, // metrics_only
        };
        for (int from = 0; from < 6; ++from) {
            for (int to = 0; to < 6; ++to) {
                const char* f = CircuitBreaker::stateName(static_cast<State>(from));
                const char* t = CircuitBreaker::stateName(static_cast<State>(to));
                QTest::addRow("%s->%s", f, t) << f << t << table[from][to];
            }
        }
    }
    void operatorTransitions() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(bool, legal);
        Rig rig;
        driveTo(rig, stateFromName(from));
        const QStringList before = rig.seen;
        const auto accepted = rig.breaker.transitionCount();
        rig.clock.advance(7ms);

        QCOMPARE(CircuitBreaker::isLegal(stateFromName(from), stateFromName(to)), legal);
        QCOMPARE(rig.breaker.transitionTo(stateFromName(to)), legal);
        QCOMPARE(rig.breaker.state(), legal ? stateFromName(to) : stateFromName(from));
        QCOMPARE(rig.seen.size(), before.size() + 1);
        QCOMPARE(rig.seen.last(), from + ">" + to + ":operator" + (legal ? "" : ":rejected"));
        QCOMPARE(rig.times.back(), std::chrono::nanoseconds(rig.clock.nowNs()));
        QCOMPARE(rig.breaker.transitionCount(), accepted + (legal ? 1 : 0));
        QCOMPARE(rig.breaker.rejectedTransitionCount(), std::uint64_t(legal ? 0 : 1));
        if (legal)
            QCOMPARE(rig.breaker.snapshot().lastTransitionAt.count(), rig.clock.nowNs());
    }

    // Reset is legal from every state, closed included, and always ends closed and empty.
    void resetFromEveryState_data() {
        QTest::addColumn<QString>("from");
        for (int from = 0; from < 6; ++from) {
            const char* name = CircuitBreaker::stateName(static_cast<State>(from));
            QTest::newRow(name) << name;
        }
    }
    void resetFromEveryState() {
        QFETCH(QString, from);
        Rig rig;
        driveTo(rig, stateFromName(from));
        rig.breaker.reset();
        QCOMPARE(rig.breaker.state(), State::Closed);
        QCOMPARE(rig.seen.last(), from + ">closed:reset");
        QCOMPARE(rig.breaker.snapshot().bufferedCalls, std::uint64_t(0));
        QVERIFY(rig.breaker.tryAcquire());
    }

    // The automatic transitions, as scripts over a stepped clock.
    void automaticTransitions_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QStringList>("transitions");
        const QString open = "closed>open:failure_rate";
        const QString halfOpen = "open>half_open:wait_elapsed";
        QTest::newRow("minimum calls not reached") << "f f f =closed" << QStringList{};
        QTest::newRow("at the failure threshold") << "s s f f =open" << QStringList{open};
        QTest::newRow("below the failure threshold") << "s s s f =closed" << QStringList{};
        QTest::newRow("at the slow threshold")
            << "w w s s =open" << QStringList{"closed>open:slow_call_rate"};
        QTest::newRow("slow failures count twice") << "x x s s =open" << QStringList{open};
        // The fifth call pushes the first out: s s s f | s -> s s f s (25%), then f -> s f s f.
        QTest::newRow("the oldest call leaves the window")
            << "s s s f =closed s =closed f =open" << QStringList{open};
        QTest::newRow("failures leave the window too")
            << "f s s s s s =closed f =closed" << QStringList{};
        QTest::newRow("ignored calls do not count") << "f f i i i i =closed" << QStringList{};
        QTest::newRow("open refuses until the wait has elapsed")
            << "s s f f @999 - - =open" << QStringList{open};
        QTest::newRow("half-open exactly at the wait")
            << "s s f f @1000 + =half_open" << QStringList{open, halfOpen};
        QTest::newRow("half-open admits exactly the permitted calls")
            << "s s f f @1000 + + - - =half_open" << QStringList{open, halfOpen};
        QTest::newRow("trials pass")
            << "s s f f @1000 + + s s =closed + =closed"
            << QStringList{open, halfOpen, "half_open>closed:trials_passed"};
        QTest::newRow("trials fail") << "s s f f @1000 + + s f =open -"
                                     << QStringList{open, halfOpen, "half_open>open:trials_failed"};
        QTest::newRow("slow trials fail")
            << "s s f f @1000 + + w s =open"
            << QStringList{open, halfOpen, "half_open>open:trials_failed"};
        QTest::newRow("an ignored trial gives its permit back")
            << "s s f f @1000 + + i + - s s =closed"
            << QStringList{open, halfOpen, "half_open>closed:trials_passed"};
        QTest::newRow("reopened waits again from the reopening")
            << "s s f f @1000 + + f f =open @999 - @1 + =half_open"
            << QStringList{open, halfOpen, "half_open>open:trials_failed", halfOpen};
        QTest::newRow("closed again starts with an empty window")
            << "s s f f @1000 + + s s f f f =closed f =open"
            << QStringList{open, halfOpen, "half_open>closed:trials_passed", open};
    }
    void automaticTransitions() {
        QFETCH(QString, script);
        QFETCH(QStringList, transitions);
        Rig rig;
        runScript(rig, script);
        QCOMPARE(rig.seen, transitions);
        QCOMPARE(rig.breaker.transitionCount(), std::uint64_t(transitions.size()));
        QCOMPARE(rig.breaker.rejectedTransitionCount(), std::uint64_t(0));
    }

    void slowCallDurationIsInclusive() {
        Rig rig;
        for (int i = 0; i < 3; ++i)
            rig.breaker.onSuccess(100ms - 1ns); // just fast
        rig.breaker.onSuccess(100ms);           // just slow: 25%
        QCOMPARE(rig.breaker.snapshot().slowCallRate, 25.0);
        QCOMPARE(rig.breaker.state(), State::Closed);
        rig.breaker.onSuccess(100ms); // replaces a fast one: 50%
        QCOMPARE(rig.breaker.state(), State::Open);
    }

    void snapshotCounts() {
        Rig rig;
        QCOMPARE(rig.breaker.snapshot().failureRate, -1.0); // below the minimum: no rate
        runScript(rig, "s s s f i =closed");
        auto s = rig.breaker.snapshot();
        QCOMPARE(s.name, std::string("checkout"));
        QCOMPARE(s.failureRate, 25.0);
        QCOMPARE(s.slowCallRate, 0.0);
        QCOMPARE(s.bufferedCalls, std::uint64_t(4));
        QCOMPARE(s.successfulCalls, std::uint64_t(3));
        QCOMPARE(s.failedCalls, std::uint64_t(1));
        QCOMPARE(s.ignoredCalls, std::uint64_t(1));
        QCOMPARE(s.notPermittedCalls, std::uint64_t(0));
        runScript(rig, "f =open - - @1000 + + - s");
        s = rig.breaker.snapshot();
        QCOMPARE(s.state, State::HalfOpen);
        QCOMPARE(s.notPermittedCalls, std::uint64_t(3));
        QCOMPARE(s.bufferedCalls, std::uint64_t(1)); // the trial calls so far
        QCOMPARE(s.failureRate, 0.0);
        QCOMPARE(s.successfulCalls, std::uint64_t(4));
        QCOMPARE(s.lastTransitionAt.count(), rig.clock.nowNs());
    }

    void forcedOpenNeverPermitsUntilReset() {
        Rig rig;
        QVERIFY(rig.breaker.forceOpen());
        rig.clock.advance(1h); // far past waitInOpen: forced open does not expire
        for (int i = 0; i < 5; ++i)
            QVERIFY(!rig.breaker.tryAcquire());
        QCOMPARE(rig.breaker.state(), State::ForcedOpen);
        QCOMPARE(rig.breaker.snapshot().notPermittedCalls, std::uint64_t(5));
        QVERIFY(!rig.breaker.forceOpen()); // already forced: rejected and reported
        QCOMPARE(rig.seen.last(), QString("forced_open>forced_open:operator:rejected"));
        rig.breaker.reset();
        QVERIFY(rig.breaker.tryAcquire());
    }

    void disabledAlwaysPermitsAndNeverTrips() {
        Rig rig;
        QVERIFY(rig.breaker.disable());
        for (int i = 0; i < 100; ++i) {
            QVERIFY(rig.breaker.tryAcquire());
            rig.breaker.onFailure(1s);
        }
        QCOMPARE(rig.breaker.state(), State::Disabled);
        QCOMPARE(rig.breaker.snapshot().failedCalls, std::uint64_t(100));
        QCOMPARE(rig.breaker.snapshot().bufferedCalls, std::uint64_t(0)); // nothing measured
    }

    void metricsOnlyRecordsAndNeverBlocks() {
        Rig rig;
        runScript(rig, "f f f"); // before: not part of the metrics-only window
        QVERIFY(rig.breaker.metricsOnly());
        for (int i = 0; i < 10; ++i) {
            QVERIFY(rig.breaker.tryAcquire());
            rig.breaker.onFailure(1s);
        }
        const auto s = rig.breaker.snapshot();
        QCOMPARE(s.state, State::MetricsOnly);
        QCOMPARE(s.failureRate, 100.0);
        QCOMPARE(s.slowCallRate, 100.0);
        QCOMPARE(s.bufferedCalls, std::uint64_t(4));
        QCOMPARE(rig.seen, QStringList{"closed>metrics_only:operator"});
    }

    // Time windows: one-second buckets, the window is the current second and the ones before.
    void timeWindowBoundaries_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("buffered");
        // A 2 s window from the breaker's construction: second 1 is [0, 1000) ms, and so on.
        QTest::newRow("same second") << "f f s s"
                                     << "open" << 4;
        QTest::newRow("minimum calls not reached") << "f f f"
                                                   << "closed" << 3;
        QTest::newRow("last instant of the window") << "f f @1999 s s"
                                                    << "open" << 4;
        QTest::newRow("first instant after it") << "f f @2000 s s"
                                                << "closed" << 2;
        QTest::newRow("spread over the window") << "f @1000 f @500 s s"
                                                << "open" << 4;
        QTest::newRow("everything expired") << "s s s @5000"
                                            << "closed" << 0;
        QTest::newRow("failures expire first") << "f f @1000 s s =open"
                                               << "open" << 4;
        QTest::newRow("expired failures no longer count") << "f f @1000 s @1000 s s s"
                                                          << "closed" << 4;
        // Successes leaving the window raise the rates: the next call opens it, even a success.
        QTest::newRow("expiry raises the failure rate")
            << "s s s s s s @1000 f f f f f =closed @1000 s"
            << "open" << 4;
        QTest::newRow("expiry raises the slow-call rate")
            << "s s s s s s @1000 w w w w w =closed @1000 s"
            << "open" << 4;
    }
    void timeWindowBoundaries() {
        QFETCH(QString, script);
        QFETCH(QString, state);
        QFETCH(int, buffered);
        BreakerConfig config = smallConfig();
        config.windowType = BreakerConfig::WindowType::Time;
        config.windowSize = 2;
        Rig rig(config);
        runScript(rig, script);
        QCOMPARE(CircuitBreaker::stateName(rig.breaker.state()), qPrintable(state));
        if (state == "closed")
            QCOMPARE(rig.breaker.snapshot().bufferedCalls, std::uint64_t(buffered));
    }

    void timeWindowLongIdle() {
        BreakerConfig config = smallConfig();
        config.windowType = BreakerConfig::WindowType::Time;
        config.windowSize = 3;
        Rig rig(config);
        runScript(rig, "f f f");
        rig.clock.advance(10 * 24h); // idle far longer than the window: every bucket expired
        QCOMPARE(rig.breaker.snapshot().bufferedCalls, std::uint64_t(0));
        runScript(rig, "s s s f =closed"); // 25%: the old failures are gone
        QCOMPARE(rig.breaker.snapshot().failureRate, 25.0);
        rig.clock.advance(3s);
        runScript(rig, "f f f f =open");
    }

    // Every bad value names its field.
    void configValidation_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("variant");
        QTest::newRow("window_size 0") << "window_size" << 0;
        QTest::newRow("count window too large") << "window_size" << 1;
        QTest::newRow("time window too long") << "window_size" << 2;
        QTest::newRow("minimum_calls 0") << "minimum_calls" << 0;
        QTest::newRow("minimum_calls above the count window") << "minimum_calls" << 1;
        QTest::newRow("failure_rate_threshold 0") << "failure_rate_threshold" << 0;
        QTest::newRow("failure_rate_threshold above 100") << "failure_rate_threshold" << 1;
        QTest::newRow("failure_rate_threshold NaN") << "failure_rate_threshold" << 2;
        QTest::newRow("slow_call_rate_threshold negative") << "slow_call_rate_threshold" << 0;
        QTest::newRow("slow_call_duration 0") << "slow_call_duration" << 0;
        QTest::newRow("wait_in_open negative") << "wait_in_open" << 0;
        QTest::newRow("permitted_calls_in_half_open 0") << "permitted_calls_in_half_open" << 0;
        QTest::newRow("permitted_calls_in_half_open too many")
            << "permitted_calls_in_half_open" << 1;
    }
    void configValidation() {
        QFETCH(QString, field);
        QFETCH(int, variant);
        BreakerConfig config = smallConfig();
        if (field == "window_size") {
            config.windowSize = variant == 0 ? 0 : variant == 1 ? 1'000'001 : 3601;
            if (variant == 2)
                config.windowType = BreakerConfig::WindowType::Time;
            config.minimumCalls = 1;
        } else if (field == "minimum_calls") {
            config.minimumCalls = variant == 0 ? 0 : 5;
        } else if (field == "failure_rate_threshold") {
            config.failureRateThreshold = variant == 0 ? 0.0 : variant == 1 ? 100.5 : std::nan("");
        } else if (field == "slow_call_rate_threshold") {
            config.slowCallRateThreshold = -1;
        } else if (field == "slow_call_duration") {
            config.slowCallDuration = 0ns;
        } else if (field == "wait_in_open") {
            config.waitInOpen = -1s;
        } else if (field == "permitted_calls_in_half_open") {
            config.permittedCallsInHalfOpen = variant == 0 ? 0 : 1'000'001;
        }
        SteppedClock clock;
        try {
            CircuitBreaker breaker("checkout", config, {}, clock);
            QFAIL("no ConfigError");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.key()), "breaker.checkout." + field);
            QVERIFY(QString(error.what()).startsWith("breaker.checkout." + field + ": "));
        }
    }

    void validConfigs() {
        BreakerConfig config = smallConfig();
        config.windowType = BreakerConfig::WindowType::Time;
        config.minimumCalls = 1000; // a time window may need more calls than it has seconds
        config.validate("checkout");
        BreakerConfig defaults;
        defaults.validate("checkout");
        try {
            defaults.validate("");
            QFAIL("an empty name passed");
        } catch (const ConfigError& error) {
            QCOMPARE(error.key(), std::string("breaker"));
        }
        QCOMPARE(defaults.firstDifference(defaults), std::string());
        QCOMPARE(defaults.firstDifference(config), std::string("window_type"));
    }

    // Two request threads, 200000 calls each: no count is lost or doubled, and the running
    // totals of the window are still exact once the threads are done.
    void twoThreadStress_data() {
        QTest::addColumn<bool>("timeWindow");
        QTest::newRow("count window") << false;
        QTest::newRow("time window") << true;
    }
    void twoThreadStress() {
        QFETCH(bool, timeWindow);
        constexpr int kCalls = 200'000;
        BreakerConfig config = smallConfig();
        config.windowSize = timeWindow ? 10 : 100;
        config.windowType =
            timeWindow ? BreakerConfig::WindowType::Time : BreakerConfig::WindowType::Count;
        config.minimumCalls = 100;
        config.failureRateThreshold = 100; // one thread never fails: the breaker stays closed
        config.slowCallRateThreshold = 100;
        Rig rig(config);
        std::atomic<int> refused{0};
        auto run = [&](bool alternate) {
            for (int i = 0; i < kCalls; ++i) {
                if (!rig.breaker.tryAcquire())
                    refused.fetch_add(1);
                if (alternate && i % 2 == 0)
                    rig.breaker.onFailure(1ms);
                else if (alternate && i % 4 == 1)
                    rig.breaker.onIgnored();
                else
                    rig.breaker.onSuccess(1ms);
            }
        };
        std::thread first(run, false), second(run, true);
        first.join();
        second.join();

        QCOMPARE(refused.load(), 0);
        QCOMPARE(rig.breaker.state(), State::Closed);
        auto s = rig.breaker.snapshot();
        QCOMPARE(s.successfulCalls, std::uint64_t(kCalls + kCalls / 4));
        QCOMPARE(s.failedCalls, std::uint64_t(kCalls / 2));
        QCOMPARE(s.ignoredCalls, std::uint64_t(kCalls / 4));
        QCOMPARE(s.notPermittedCalls, std::uint64_t(0));
        if (timeWindow) {
            // The clock stood still: one bucket holds every call.
            QCOMPARE(s.bufferedCalls, std::uint64_t(kCalls + kCalls * 3 / 4));
            QCOMPARE(s.failureRate, 100.0 * (kCalls / 2) / (kCalls + kCalls * 3 / 4));
            rig.clock.advance(10s);
        } else {
            QCOMPARE(s.bufferedCalls, std::uint64_t(100));
            QVERIFY(s.failureRate >= 0 && s.failureRate < 100);
        }
        // Running totals exact after the churn: 100 successes make exactly 0%, 100 failures
        // exactly 100% and open the breaker.
        for (int i = 0; i < 100; ++i)
            rig.breaker.onSuccess(1ms);
        s = rig.breaker.snapshot();
        QCOMPARE(s.bufferedCalls, std::uint64_t(100));
        QCOMPARE(s.failureRate, 0.0);
        for (int i = 0; i < 99; ++i)
            rig.breaker.onFailure(1ms);
        QCOMPARE(rig.breaker.state(), State::Closed);
        rig.breaker.onFailure(1ms);
        QCOMPARE(rig.breaker.state(), timeWindow ? State::Closed : State::Open);
    }

    // The time window while its seconds move: two threads record as a third steps the clock
    // through many windows. Buckets expire under the recorders' feet; afterwards the running
    // totals must still match a window rebuilt from scratch.
    void timeWindowStressWithMovingClock() {
        constexpr int kCalls = 200'000;
        BreakerConfig config = smallConfig();
        config.windowType = BreakerConfig::WindowType::Time;
        config.windowSize = 3;
        config.minimumCalls = 100;
        config.failureRateThreshold = 100;
        config.slowCallRateThreshold = 100;
        Rig rig(config);
        std::atomic<bool> done{false};
        std::thread ticker([&] {
            while (!done.load())
                rig.clock.advance(250ms);
        });
        auto run = [&](bool alternate) {
            for (int i = 0; i < kCalls; ++i) {
                if (alternate && i % 2 == 0)
                    rig.breaker.onFailure(1ms);
                else
                    rig.breaker.onSuccess(200ms);
            }
        };
        std::thread first(run, false), second(run, true);
        first.join();
        second.join();
        done = true;
        ticker.join();

        auto s = rig.breaker.snapshot();
        QCOMPARE(s.successfulCalls, std::uint64_t(kCalls + kCalls / 2));
        QCOMPARE(s.failedCalls, std::uint64_t(kCalls / 2));
        rig.clock.advance(3s); // everything recorded so far leaves the window
        QCOMPARE(rig.breaker.snapshot().bufferedCalls, std::uint64_t(0));
        rig.breaker.reset(); // it may have opened on a slow stretch
        for (int i = 0; i < 100; ++i)
            rig.breaker.onSuccess(1ms);
        s = rig.breaker.snapshot();
        QCOMPARE(s.bufferedCalls, std::uint64_t(100));
        QCOMPARE(s.failureRate, 0.0);
        QCOMPARE(s.slowCallRate, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuit_breaker.moc"
