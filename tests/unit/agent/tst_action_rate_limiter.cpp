// The action rate limiter as pure logic, on a clock the test moves: a burst goes through, the
// next waits exactly as long as the refill needs, callers do not share buckets, the bucket never
// holds more than the burst however long it rests.
#include "action_rate_limiter.h"

#include <QTest>

using switchboard::ActionRateLimiter;

class TestActionRateLimiter : public QObject {
    Q_OBJECT

    std::int64_t now_ = 1'000'000;

    ActionRateLimiter limiter(int burst, int refillMs) {
        return ActionRateLimiter({burst, std::chrono::milliseconds(refillMs)},
                                 [this] { return now_; });
    }

private slots:
    void aBurstGoesThroughThenTheNextWaits() {
        ActionRateLimiter limits = limiter(3, 2000);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(limits.take("alice"), 0);
        QCOMPARE(limits.take("alice"), 2000); // a whole refill away
        now_ += 500;
        QCOMPARE(limits.take("alice"), 1500); // a refused request costs nothing
        now_ += 1500;
        QCOMPARE(limits.take("alice"), 0);
        QCOMPARE(limits.take("alice"), 2000);
    }

    void callersHaveTheirOwnBuckets() {
        ActionRateLimiter limits = limiter(1, 1000);
        QCOMPARE(limits.take("alice"), 0);
        QVERIFY(limits.take("alice") > 0);
        QCOMPARE(limits.take("bob"), 0);
    }

    void aRestedBucketHoldsNoMoreThanTheBurst() {
        ActionRateLimiter limits = limiter(2, 100);
        QCOMPARE(limits.take("alice"), 0);
        now_ += 3'600'000; // an hour idle
        QCOMPARE(limits.take("alice"), 0);
        QCOMPARE(limits.take("alice"), 0);
        QCOMPARE(limits.take("alice"), 100);
    }

    void nonsenseOptionsAreMadeSafe() {
        ActionRateLimiter limits({0, std::chrono::milliseconds(0)}, [this] { return now_; });
        QCOMPARE(limits.options().burst, 1);
        QCOMPARE(limits.take("alice"), 0);
        QCOMPARE(limits.take("alice"), 1);
    }
};

QTEST_GUILESS_MAIN(TestActionRateLimiter)
#include "tst_action_rate_limiter.moc"
