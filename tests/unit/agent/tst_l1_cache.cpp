// The tiered cache's in-process layer: hits and misses, expiry on a stepped clock, least
// recently used out first within the entry and byte limits, an expired entry reclaimed before a
// live one, an entry too big for a shard not kept, keys longer than a slot's inline storage,
// slots reused over many evictions, erase by key and by predicate (also while others write),
// and threads at once keeping exact counts.
#include "l1_cache.h"

#include <QTest>
#include <atomic>
#include <cstdio>
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

// Keys of one length, so every entry costs the same bytes.
std::string fixedKey(const char* prefix, int n) {
    char key[64];
    std::snprintf(key, sizeof key, "%s%08d", prefix, n);
    return key;
}

// What one entry of this key and value length costs in bytes().
std::size_t entryBytes(std::size_t key, std::size_t value) {
    L1Cache probe(oneShard(1));
    probe.put(std::string(key, 'k'), text(std::string(value, 'v')), 1min);
    return probe.bytes();
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

    void expiredGoesBeforeALiveEntry() {
        L1Cache::Clock::time_point now{};
        L1Cache cache(oneShard(3), [&] { return now; });
        cache.put("a", text("1"), 10ms);
        cache.put("b", text("2"), 1min);
        cache.put("c", text("3"), 1min);
        QVERIFY(cache.get("a")); // marked, so without expiry b would go first
        now += 20ms;
        cache.put("d", text("4"), 1min);
        QVERIFY(cache.get("b") && cache.get("c") && cache.get("d"));
        QCOMPARE(cache.entries(), std::size_t(3));
        QCOMPARE(cache.evictions(), std::uint64_t(0)); // expiry is not an eviction
    }

    void aVeryLongTimeToLive() {
        L1Cache::Clock::time_point now{};
        L1Cache cache(oneShard(3), [&] { return now; });
        cache.put("a", text("1"), std::chrono::milliseconds::max()); // cut, no overflow
        now += std::chrono::hours(24 * 365);
        QVERIFY(cache.get("a"));
    }

    void keysLongerThanInlineStorage() {
        L1Cache cache(oneShard(100));
        // Around a slot's inline 24 bytes, and long keys differing only in their last byte.
        std::vector<std::string> keys;
        for (std::size_t size : {0, 1, 23, 24, 25, 100, 5000})
            keys.push_back(std::string(size, 'k'));
        keys.push_back(std::string(99, 'k') + "x");
        auto valueOf = [](const std::string& key) {
            return "v" + std::to_string(key.size()) + (key.empty() ? '-' : key.back());
        };
        for (const auto& key : keys)
            cache.put(key, text(valueOf(key)), 1min);
        QCOMPARE(cache.entries(), keys.size());
        for (const auto& key : keys) {
            auto value = cache.get(key);
            QVERIFY(value);
            QCOMPARE(*value, valueOf(key));
        }
        QVERIFY(!cache.get(std::string(101, 'k')));
        cache.put(keys[5], text("replaced"), 1min);
        QCOMPARE(*cache.get(keys[5]), std::string("replaced"));
        QCOMPARE(*cache.get(keys[7]), std::string("v100x"));
        QVERIFY(cache.erase(keys[6]));
        QVERIFY(!cache.get(keys[6]));
        auto erased = cache.eraseIf([](std::string_view key) { return key.size() > 24; });
        QCOMPARE(erased, std::size_t(3));
        QCOMPARE(cache.entries(), std::size_t(4));
        cache.clear();
        QCOMPARE(cache.bytes(), std::size_t(0));
        cache.put(keys[6], text("again"), 1min); // a cleared cache takes entries again
        QCOMPARE(*cache.get(keys[6]), std::string("again"));
    }

    void manyEvictionsCycleTheSlots() {
        L1Cache cache(oneShard(8));
        const std::string hot = fixedKey("hot-key-with-a-long-name-", 0);
        cache.put(hot, text("h"), 1min);
        const int puts = 10000;
        for (int i = 0; i < puts; ++i) {
            QVERIFY(cache.get(hot)); // hit on every turn of the hand: never evicted
            cache.put(fixedKey(i % 2 ? "long-key-with-a-long-name-" : "k", i), text("v"), 1min);
        }
        QCOMPARE(cache.entries(), std::size_t(8));
        QCOMPARE(cache.evictions(), std::uint64_t(puts + 1 - 8));
        QVERIFY(cache.get(fixedKey("k", puts - 2)) && cache.get(fixedKey("k", puts - 4)));
        QVERIFY(!cache.get(fixedKey("k", 0)));
        QCOMPARE(cache.eraseIf([](std::string_view) { return true; }), std::size_t(8));
        QCOMPARE(cache.bytes(), std::size_t(0)); // the byte count did not drift
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

    void twoThreadsKeepExactCounts() {
        const std::size_t entry = entryBytes(fixedKey("t0:", 0).size(), 8);
        // Room for all: 16 shards of 256 entries, 1000 keys.
        L1Cache roomy({4096, 1 << 24, 16});
        // Room for few: every put past 64 entries evicts.
        L1Cache tight({64, 1 << 24, 4});
        std::atomic<int> hits{0};
        auto run = [&](int t) {
            const std::string prefix = "t" + std::to_string(t) + ":";
            for (int i = 0; i < 500; ++i) {
                roomy.put(fixedKey(prefix.c_str(), i), text("12345678"), 1min);
                tight.put(fixedKey(prefix.c_str(), i), text("12345678"), 1min);
            }
            for (int i = 0; i < 500; i += 2)
                roomy.erase(fixedKey(prefix.c_str(), i));
            for (int i = 0; i < 500; ++i)
                if (roomy.get(fixedKey(prefix.c_str(), i)))
                    ++hits;
        };
        std::thread other(run, 1);
        run(0);
        other.join();
        QCOMPARE(roomy.entries(), std::size_t(500));
        QCOMPARE(roomy.bytes(), 500 * entry);
        QCOMPARE(roomy.evictions(), std::uint64_t(0));
        QCOMPARE(hits.load(), 500);
        QVERIFY(tight.entries() <= 64);
        QCOMPARE(tight.entries() + tight.evictions(), std::size_t(1000));
        QCOMPARE(tight.bytes(), tight.entries() * entry);
    }

    void eraseIfWhileOthersWrite() {
        const std::size_t entry = entryBytes(fixedKey("a:", 0).size(), 1);
        L1Cache cache({256, 1 << 20, 4});
        std::atomic<bool> writing{true};
        std::thread writer([&] {
            for (int i = 0; i < 20000; ++i) {
                cache.put(fixedKey(i % 2 ? "a:" : "b:", i % 1000), text("v"), 1min);
                cache.get(fixedKey("a:", (i * 7) % 1000));
            }
            writing = false;
        });
        std::size_t erased = 0;
        while (writing)
            erased += cache.eraseIf([](std::string_view key) { return key.starts_with("a:"); });
        writer.join();
        erased += cache.eraseIf([](std::string_view key) { return key.starts_with("a:"); });
        QVERIFY(erased > 0);
        std::size_t found = 0;
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(!cache.get(fixedKey("a:", i)));
            if (cache.get(fixedKey("b:", i)))
                ++found;
        }
        QCOMPARE(cache.entries(), found);
        QCOMPARE(cache.bytes(), found * entry);
    }
};

QTEST_GUILESS_MAIN(TestL1Cache)
#include "tst_l1_cache.moc"
