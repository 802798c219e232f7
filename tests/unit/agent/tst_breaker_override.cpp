// The breaker override action: what its plan says for each mode and state, how bad parameters
// are refused, and the expiry that returns a breaker to normal by itself.
#include "breaker_override_action.h"
#include "breaker_overrides.h"

#include <QTest>
#include <atomic>
#include <prometheus/registry.h>

using nlohmann::json;
using namespace switchboard;
using State = CircuitBreaker::State;

class TestBreakerOverride : public QObject {
    Q_OBJECT

    struct Fixture {
        prometheus::Registry metrics;
        BreakerRegistry breakers{metrics};
        std::atomic<std::int64_t> now{5000000};
        BreakerOverrides overrides{breakers, [this] {
                                       return now.load();
                                   }};
        BreakerOverrideAction action{breakers, overrides, [this] {
                                         return now.load();
                                     }};
        CircuitBreaker& redis = breakers.breaker("redis", BreakerConfig{});

        ActionRequest request(json params, std::string target = "redis") {
            return {"breaker.override", std::move(target), std::move(params), "alice", {}};
        }
        json run(json params) {
            struct NoControl : JobControl {
                void progress(double, const std::string&) override {}
                bool cancelled() const override { return false; }
            } control;
            std::string message;
            return action.execute(request(std::move(params)), control, message);
        }
    };

    static std::string verdictOf(const ActionPlanBody& plan, const std::string& check) {
        for (const auto& c : plan.checks)
            if (c.name == check)
                return std::string(c.verdict);
        return "absent";
    }

    static int refusal(const std::function<void()>& call, QString* message = nullptr) {
        try {
            call();
        } catch (const ActionError& error) {
            if (message)
                *message = error.what();
            return error.status();
        }
        return 0;
    }

private slots:
    void planSaysWhatChangesAndChangesNothing() {
        Fixture f;
        auto plan = f.action.plan(f.request({{"mode", "force_open"}, {"expiry_s", 60}}));
        QCOMPARE(f.redis.state(), State::Closed);
        QCOMPARE(plan.changes[0]["from"].get<std::string>(), std::string("closed"));
        QCOMPARE(plan.changes[0]["to"].get<std::string>(), std::string("forced_open"));
        QCOMPARE(plan.changes[1]["to"].get<std::string>(), std::string("in 60 s"));
        QCOMPARE(verdictOf(plan, "breaker_exists"), std::string("pass"));
        QCOMPARE(verdictOf(plan, "transition"), std::string("pass"));
        QCOMPARE(verdictOf(plan, "impact"), std::string("warn"));
        QVERIFY(QString::fromStdString(plan.summary).contains("60 s"));
    }

    void anUnknownBreakerFailsPreflight() {
        Fixture f;
        auto plan = f.action.plan(f.request({{"mode", "disable"}}, "nope"));
        QCOMPARE(verdictOf(plan, "breaker_exists"), std::string("fail"));
    }

    void badParametersNameTheField() {
        Fixture f;
        QString message;
        QCOMPARE(refusal([&] { f.action.plan(f.request({{"mode", "explode"}})); }, &message), 400);
        QVERIFY(message.contains("params.mode"));
        QCOMPARE(refusal(
                     [&] {
                         f.action.plan(f.request({{"mode", "disable"}, {"expiry_s", 0}}));
                     },
                     &message),
                 400);
        QVERIFY(message.contains("params.expiry_s"));
        QCOMPARE(refusal([&] {
                     f.action.plan(f.request({{"mode", "disable"}, {"expiry_s", 86401}}));
                 }),
                 400);
        QCOMPARE(refusal([&] {
                     f.action.plan(f.request({{"mode", "reset"}, {"expiry_s", 5}}));
                 }),
                 400);
        QCOMPARE(refusal(
                     [&] {
                         f.action.plan(f.request({{"mode", "disable"}, {"color", 1}}));
                     },
                     &message),
                 400);
        QVERIFY(message.contains("params.color"));
    }

    void eachModeReachesItsState() {
        Fixture f;
        f.run({{"mode", "force_open"}});
        QCOMPARE(f.redis.state(), State::ForcedOpen);
        QVERIFY(!f.redis.tryAcquire());
        f.run({{"mode", "disable"}});
        QCOMPARE(f.redis.state(), State::Disabled);
        f.run({{"mode", "metrics_only"}});
        QCOMPARE(f.redis.state(), State::MetricsOnly);
        QCOMPARE(f.overrides.current("redis")["mode"].get<std::string>(),
                 std::string("metrics_only"));
        f.run({{"mode", "reset"}});
        QCOMPARE(f.redis.state(), State::Closed);
        QVERIFY(f.overrides.current("redis").is_null());
    }

    void sameStateAgainOnlyChangesTheExpiry() {
        Fixture f;
        f.run({{"mode", "force_open"}});
        auto plan = f.action.plan(f.request({{"mode", "force_open"}, {"expiry_s", 30}}));
        QCOMPARE(verdictOf(plan, "transition"), std::string("warn"));
        f.run({{"mode", "force_open"}, {"expiry_s", 30}});
        QCOMPARE(f.overrides.current("redis")["expires_ms"].get<std::int64_t>(),
                 f.now.load() + 30000);
    }

    void expiryReturnsTheBreakerToNormal() {
        Fixture f;
        std::atomic<int> expired{0};
        std::string expiredName;
        f.overrides.start([&](const std::string& name, const json& record) {
            expiredName = name;
            QCOMPARE(record["mode"].get<std::string>(), std::string("force_open"));
            ++expired;
        });
        f.run({{"mode", "force_open"}, {"expiry_s", 2}});
        QCOMPARE(f.redis.state(), State::ForcedOpen);
        f.now += 1999;
        QTest::qWait(50);
        QCOMPARE(f.redis.state(), State::ForcedOpen); // not yet
        f.now += 2;
        QTRY_COMPARE_WITH_TIMEOUT(expired.load(), 1, 3000); // it looks at least once a second
        QCOMPARE(f.redis.state(), State::Closed);
        QCOMPARE(expiredName, std::string("redis"));
        QVERIFY(f.overrides.current("redis").is_null());
        f.overrides.stop();
    }

    void aLaterOverrideReplacesTheExpiry() {
        Fixture f;
        std::atomic<int> expired{0};
        f.overrides.start([&](const std::string&, const json&) { ++expired; });
        f.run({{"mode", "force_open"}, {"expiry_s", 1}});
        f.run({{"mode", "disable"}}); // no expiry: stays
        f.now += 5000;
        QTest::qWait(1200);
        QCOMPARE(expired.load(), 0);
        QCOMPARE(f.redis.state(), State::Disabled);
        f.overrides.stop();
    }

    void anOverrideTheHostUndidIsNotReverted() {
        Fixture f;
        std::atomic<int> expired{0};
        f.overrides.start([&](const std::string&, const json&) { ++expired; });
        f.run({{"mode", "force_open"}, {"expiry_s", 1}});
        f.redis.reset(); // the host's own code
        QVERIFY(f.overrides.current("redis").is_null());
        f.now += 5000;
        QTest::qWait(1200);
        QCOMPARE(expired.load(), 0);
        f.overrides.stop();
    }
};

QTEST_GUILESS_MAIN(TestBreakerOverride)
#include "tst_breaker_override.moc"
