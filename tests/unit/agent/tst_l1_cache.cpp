// The tiered cache's in-process layer: hits and misses, expiry on a stepped clock, least
// recently used out first within the entry and byte limits, an entry too big for a shard not
// kept, erase by key and by predicate, and many threads at once staying within the limits.
#include "l1_cache.h"

#include <QTest>
#include <atomic>
#include <thread>

using switchboard::L1Cache;
using namespace std::chrono_literals;

namespace {

L1Cache::Value text(const std::string& value) {
    return std::make_shared<const std::string>(value);
}

// One shard, so the order of eviction is the whole cache's.
L1Cache::Limits oneShard(std::size_t entries, std::size_t bytes = 1 << 20) {
    return {entries, bytes, 1};
}

} // namespace

class TestL1Cache : public QObject {
    Q_OBJECT

private slots:
    void hitAndMiss() {
        L1Cache cache(oneShard(10));
        QVERIFY(!cache.get("a"));
        cache.put("a", text("1"), 1min);
        auto value = cache.get("a");
        QVERIFY(value);
        QCOMPARE(*value, std::string("1"));
        cache.put("a", text("2"), 1min); // replaced, not added
        QCOMPARE(*cache.get("a"), std::string("2"));
        QCOMPARE(cache.entries(), std::size_t(1));
    }

    void expiresAfterItsTimeToLive() {
        L1Cache::Clock::time_point now{};
        L1Cache cache(oneShard(10), [&] { return now; });
        cache.put("a", text("1"), 100ms);
        now += 99ms;
        QVERIFY(cache.get("a"));
        now += 1ms;
        QVERIFY(!cache.get("a"));
        QCOMPARE(cache.entries(), std::size_t(0)); // dropped on the way
        QCOMPARE(cache.bytes(), std::size_t(0));
    }

    void leastRecentlyUsedGoesFirst() {
        L1Cache cache(oneShard(3));
        cache.put("a", text("1"), 1min);
        cache.put("b", text("2"), 1min);
        cache.put("c", text("3"), 1min);
        QVERIFY(cache.get("a")); // a is now the most recent; b the least
        cache.put("d", text("4"), 1min);
        QVERIFY(!cache.get("b"));
        QVERIFY(cache.get("a") && cache.get("c") && cache.get("d"));
        QCOMPARE(cache.entries(), std::size_t(3));
        QCOMPARE(cache.evictions(), std::uint64_t(1));
    }

    void staysWithinItsBytes() {
        const std::size_t value = 1000;
        L1Cache cache(oneShard(1000, 5 * (value + 300)));
        for (int i = 0; i < 20; ++i)
            cache.put("k" + std::to_string(i), text(std::string(value, 'x')), 1min);
        QVERIFY(cache.bytes() <= 5 * (value + 300));
        // Each entry is its key, its value and some bookkeeping: 5 or 6 of them fit.
        QVERIFY(cache.entries() >= 5 && cache.entries() <= 6);
        QVERIFY(cache.get("k19")); // the newest stays
        QVERIFY(!cache.get("k0"));
        // Too big for the shard's budget: not kept, nothing evicted for it.
        std::size_t before = cache.entries();
        cache.put("huge", text(std::string(10 * value, 'x')), 1min);
        QVERIFY(!cache.get("huge"));
        QCOMPARE(cache.entries(), before);
    }

    void eraseByKeyAndByPredicate() {
        L1Cache cache({100, 1 << 20, 4});
        for (int i = 0; i < 10; ++i) {
            cache.put("user:" + std::to_string(i), text("u"), 1min);
            cache.put("item:" + std::to_string(i), text("i"), 1min);
        }
        QVERIFY(cache.erase("user:3"));
        QVERIFY(!cache.erase("user:3"));
        auto erased = cache.eraseIf([](std::string_view key) { return key.starts_with("user:"); });
        QCOMPARE(erased, std::size_t(9));
        QCOMPARE(cache.entries(), std::size_t(10));
        QVERIFY(cache.get("item:7"));
        cache.clear();
        QCOMPARE(cache.entries(), std::size_t(0));
        QCOMPARE(cache.bytes(), std::size_t(0));
    }

    void manyThreadsStayWithinTheLimits() {
        L1Cache cache({512, 1 << 20, 16});
        std::atomic<int> hits{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 20000; ++i) {
                    std::string key = "k" + std::to_string((i * 7 + t) % 2000);
                    if (auto value = cache.get(key)) {
                        if (*value == key)
                            ++hits;
                    } else {
                        cache.put(key, text(key), 1min);
                    }
                    if (i % 1000 == 0)
                        cache.erase("k" + std::to_string(i % 2000));
                }
            });
        for (auto& thread : threads)
            thread.join();
        QVERIFY(cache.entries() <= 512);
        QVERIFY(hits.load() > 0);
    }
};

QTEST_GUILESS_MAIN(TestL1Cache)
#include "tst_l1_cache.moc"
