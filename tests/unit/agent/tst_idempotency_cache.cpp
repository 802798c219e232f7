// Idempotency keys: the same request again gets the stored answer, a different request with the
// same key is told so, a duplicate racing the first waits for its answer, and keys are scoped to
// the caller and the path.
#include "idempotency_cache.h"

#include <QTest>
#include <future>

using switchboard::IdempotencyCache;
using Verdict = IdempotencyCache::Verdict;

class TestIdempotencyCache : public QObject {
    Q_OBJECT

private slots:
    void repeatGetsTheStoredAnswer() {
        IdempotencyCache cache;
        QCOMPARE(cache.begin("alice", "/v1/plans", "k1", "body").verdict, Verdict::Proceed);
        cache.finish("alice", "/v1/plans", "k1", {201, {{"plan_id", "p-1"}}});
        auto again = cache.begin("alice", "/v1/plans", "k1", "body");
        QCOMPARE(again.verdict, Verdict::Replay);
        QCOMPARE(again.answer.status, 201);
        QCOMPARE(again.answer.body["plan_id"].get<std::string>(), std::string("p-1"));
    }

    void sameKeyOnAnotherRequestIsAMismatch() {
        IdempotencyCache cache;
        cache.begin("alice", "/v1/plans", "k1", "body one");
        cache.finish("alice", "/v1/plans", "k1", {201, {}});
        QCOMPARE(cache.begin("alice", "/v1/plans", "k1", "body two").verdict, Verdict::Mismatch);
    }

    void keysAreScopedToCallerAndPath() {
        IdempotencyCache cache;
        cache.begin("alice", "/v1/plans", "k1", "body");
        cache.finish("alice", "/v1/plans", "k1", {201, {}});
        QCOMPARE(cache.begin("bob", "/v1/plans", "k1", "body").verdict, Verdict::Proceed);
        QCOMPARE(cache.begin("alice", "/v1/plans/p-1/confirm", "k1", "body").verdict,
                 Verdict::Proceed);
    }

    void aDuplicateWaitsForTheFirstAnswer() {
        IdempotencyCache cache;
        QCOMPARE(cache.begin("alice", "/p", "k", "b").verdict, Verdict::Proceed);
        auto duplicate =
            std::async(std::launch::async, [&] { return cache.begin("alice", "/p", "k", "b"); });
        QCOMPARE(duplicate.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
        cache.finish("alice", "/p", "k", {202, {{"job_id", "j-1"}}});
        auto lookup = duplicate.get();
        QCOMPARE(lookup.verdict, Verdict::Replay);
        QCOMPARE(lookup.answer.body["job_id"].get<std::string>(), std::string("j-1"));
    }

    void anAbandonedAttemptMayBeRetried() {
        IdempotencyCache cache;
        cache.begin("alice", "/p", "k", "b");
        cache.abandon("alice", "/p", "k");
        QCOMPARE(cache.begin("alice", "/p", "k", "b").verdict, Verdict::Proceed);
    }

    void aDuplicateGivesUpWhenTheFirstNeverAnswers() {
        IdempotencyCache::Options options;
        options.waitForFirst = std::chrono::milliseconds(20);
        IdempotencyCache cache(options);
        cache.begin("alice", "/p", "k", "b");
        QCOMPARE(cache.begin("alice", "/p", "k", "b").verdict, Verdict::StillRunning);
    }

    void boundedInCount() {
        IdempotencyCache::Options options;
        options.maxKeys = 3;
        IdempotencyCache cache(options);
        for (int i = 0; i < 5; ++i) {
            auto key = "k" + std::to_string(i);
            cache.begin("alice", "/p", key, "b");
            cache.finish("alice", "/p", key, {201, {}});
        }
        // k0 was dropped to stay within three keys: it acts again rather than replaying.
        QCOMPARE(cache.begin("alice", "/p", "k0", "b").verdict, Verdict::Proceed);
        QCOMPARE(cache.begin("alice", "/p", "k4", "b").verdict, Verdict::Replay);
    }
};

QTEST_APPLESS_MAIN(TestIdempotencyCache)
#include "tst_idempotency_cache.moc"
