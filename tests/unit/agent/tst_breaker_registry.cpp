// The breaker registry: one breaker per name, a clear error for a conflicting registration, the
// Prometheus series, and the registry-level listener that will feed the stream.
#include "SteppedClock.h"
#include "switchboard/breaker_registry.h"

#include <QTest>
#include <atomic>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>

using namespace std::chrono_literals;
using switchboard::BreakerClock;
using switchboard::BreakerConfig;
using switchboard::BreakerRegistry;
using switchboard::CircuitBreaker;
using switchboard::ConfigError;
using State = CircuitBreaker::State;

namespace {

BreakerConfig smallConfig() {
    BreakerConfig config;
    config.windowSize = 4;
    config.minimumCalls = 4;
    config.failureRateThreshold = 50;
    config.waitInOpen = 1s;
    config.permittedCallsInHalfOpen = 1;
    return config;
}

struct Rig {
    SteppedClock clock{1'000'000'000};
    prometheus::Registry metrics;
    BreakerRegistry registry{metrics, clock};

    std::string text() {
        std::ostringstream out;
        prometheus::TextSerializer().Serialize(out, metrics.Collect());
        return out.str();
    }
    bool has(const std::string& series) {
        const std::string all = text();
        if (all.find(series + "\n") != std::string::npos)
            return true;
        qWarning("missing %s in\n%s", series.c_str(), all.c_str());
        return false;
    }
};

} // namespace

class TestBreakerRegistry : public QObject {
    Q_OBJECT

private slots:
    void oneBreakerPerName() {
        Rig rig;
        CircuitBreaker& checkout = rig.registry.breaker("checkout", smallConfig());
        QCOMPARE(&rig.registry.breaker("checkout", smallConfig()), &checkout);
        QCOMPARE(rig.registry.find("checkout"), &checkout);
        QCOMPARE(rig.registry.find("payments"), nullptr);
        CircuitBreaker& payments = rig.registry.breaker("payments", BreakerConfig{});
        QVERIFY(&payments != &checkout);
        QCOMPARE(checkout.name(), std::string("checkout"));
    }

    void conflictingRegistrationNamesTheField_data() {
        QTest::addColumn<QString>("field");
        QTest::newRow("window_size") << "window_size";
        QTest::newRow("minimum_calls") << "minimum_calls";
        QTest::newRow("failure_rate_threshold") << "failure_rate_threshold";
        QTest::newRow("wait_in_open") << "wait_in_open";
        QTest::newRow("permitted_calls_in_half_open") << "permitted_calls_in_half_open";
    }
    void conflictingRegistrationNamesTheField() {
        QFETCH(QString, field);
        Rig rig;
        rig.registry.breaker("checkout", smallConfig());
        BreakerConfig other = smallConfig();
        if (field == "window_size")
            other.windowSize = 5;
        else if (field == "minimum_calls")
            other.minimumCalls = 3;
        else if (field == "failure_rate_threshold")
            other.failureRateThreshold = 60;
        else if (field == "wait_in_open")
            other.waitInOpen = 2s;
        else
            other.permittedCallsInHalfOpen = 2;
        try {
            rig.registry.breaker("checkout", other);
            QFAIL("no ConfigError");
        } catch (const ConfigError& error) {
            QCOMPARE(QString::fromStdString(error.key()), "breaker.checkout." + field);
        }
    }

    void invalidConfigThrowsAtRegistration() {
        Rig rig;
        BreakerConfig bad = smallConfig();
        bad.failureRateThreshold = 0;
        try {
            rig.registry.breaker("checkout", bad);
            QFAIL("no ConfigError");
        } catch (const ConfigError& error) {
            QCOMPARE(error.key(), std::string("breaker.checkout.failure_rate_threshold"));
        }
        QCOMPARE(rig.registry.find("checkout"), nullptr);
        QVERIFY(rig.registry.snapshots().empty());
    }

    void metricsAfterCallsAndATransition() {
        Rig rig;
        CircuitBreaker& breaker = rig.registry.breaker("checkout", smallConfig());
        QVERIFY(rig.has(R"(switchboard_breaker_state{breaker="checkout"} 0)"));
        breaker.onSuccess(1ms);
        breaker.onSuccess(1ms);
        breaker.onIgnored();
        breaker.onFailure(1ms);
        breaker.onFailure(1ms); // 50% of 4: opens, and the transition publishes the counts
        QCOMPARE(breaker.state(), State::Open);
        QVERIFY(rig.has(R"(switchboard_breaker_state{breaker="checkout"} 1)"));
        QVERIFY(rig.has(
            R"(switchboard_breaker_transitions_total{breaker="checkout",from="closed",to="open"} 1)"));
        QVERIFY(
            rig.has(R"(switchboard_breaker_calls_total{breaker="checkout",outcome="success"} 2)"));
        QVERIFY(
            rig.has(R"(switchboard_breaker_calls_total{breaker="checkout",outcome="failure"} 2)"));
        QVERIFY(
            rig.has(R"(switchboard_breaker_calls_total{breaker="checkout",outcome="ignored"} 1)"));
        QVERIFY(rig.has(R"(switchboard_breaker_failure_rate{breaker="checkout"} 50)"));
        QVERIFY(rig.has(R"(switchboard_breaker_slow_call_rate{breaker="checkout"} 0)"));

        QVERIFY(!breaker.tryAcquire());
        QVERIFY(!breaker.tryAcquire());
        rig.registry.refreshMetrics(); // no transition since: the scrape path brings them up
        QVERIFY(rig.has(
            R"(switchboard_breaker_calls_total{breaker="checkout",outcome="not_permitted"} 2)"));
        rig.registry.refreshMetrics(); // idempotent: nothing counted twice
        QVERIFY(rig.has(
            R"(switchboard_breaker_calls_total{breaker="checkout",outcome="not_permitted"} 2)"));

        QVERIFY(!breaker.transitionTo(State::Open));
        QVERIFY(rig.has(R"(switchboard_breaker_rejected_transitions_total{breaker="checkout"} 1)"));
        rig.clock.advance(1s);
        QVERIFY(breaker.tryAcquire());
        breaker.onSuccess(1ms);
        QCOMPARE(breaker.state(), State::Closed);
        QVERIFY(rig.has(R"(switchboard_breaker_state{breaker="checkout"} 0)"));
        QVERIFY(rig.has(
            R"(switchboard_breaker_transitions_total{breaker="checkout",from="half_open",to="closed"} 1)"));
        QVERIFY(
            rig.has(R"(switchboard_breaker_calls_total{breaker="checkout",outcome="success"} 3)"));
        QVERIFY(rig.has(R"(switchboard_breaker_failure_rate{breaker="checkout"} -1)"));
    }

    void listenerReceivesEveryTransition() {
        Rig rig;
        QStringList seen;
        std::vector<std::chrono::nanoseconds> times;
        rig.registry.setListener([&](const CircuitBreaker::Transition& t) {
            seen.append(QStringLiteral("%1:%2>%3%4")
                            .arg(QString::fromUtf8(t.breaker.data(), qsizetype(t.breaker.size())),
                                 CircuitBreaker::stateName(t.from), CircuitBreaker::stateName(t.to),
                                 t.accepted ? "" : " rejected"));
            times.push_back(t.at);
        });
        CircuitBreaker& checkout = rig.registry.breaker("checkout", smallConfig());
        CircuitBreaker& payments = rig.registry.breaker("payments", smallConfig());
        for (int i = 0; i < 4; ++i)
            checkout.onFailure(1ms);
        rig.clock.advance(3s);
        QVERIFY(payments.forceOpen());
        QVERIFY(!payments.forceOpen());
        payments.reset();
        QCOMPARE(seen, (QStringList{"checkout:closed>open", "payments:closed>forced_open",
                                    "payments:forced_open>forced_open rejected",
                                    "payments:forced_open>closed"}));
        QCOMPARE(times.front(), 1s);
        QCOMPARE(times.back(), 4s);

        rig.registry.setListener({}); // unset: transitions still happen and are counted
        checkout.reset();
        QCOMPARE(seen.size(), 4);
        QCOMPARE(checkout.state(), State::Closed);
    }

    void snapshotsInNameOrder() {
        Rig rig;
        rig.registry.breaker("payments", smallConfig()).forceOpen();
        rig.registry.breaker("checkout", smallConfig()).onSuccess(1ms);
        const auto snapshots = rig.registry.snapshots();
        QCOMPARE(snapshots.size(), std::size_t(2));
        QCOMPARE(snapshots[0].name, std::string("checkout"));
        QCOMPARE(snapshots[0].bufferedCalls, std::uint64_t(1));
        QCOMPARE(snapshots[1].name, std::string("payments"));
        QCOMPARE(snapshots[1].state, State::ForcedOpen);
    }
};

QTEST_GUILESS_MAIN(TestBreakerRegistry)
#include "tst_breaker_registry.moc"
