// The tiered cache's pure parts: the cache document's rates from two readings, the per-prefix
// counters and their cap, and single-flight loading (one load, its value or its exception
// shared by every waiter).
#include "cache_document.h"
#include "cache_invalidate_action.h"
#include "cache_stats.h"
#include "single_flight.h"

#include <QTest>
#include <atomic>
#include <stdexcept>
#include <thread>

using namespace switchboard;

class TestCacheParts : public QObject {
    Q_OBJECT

private slots:
    void prefixIsTheKeyUpToItsLastColon() {
        QCOMPARE(std::string(cachePrefixOf("catalog:item:42")), std::string("catalog:item"));
        QCOMPARE(std::string(cachePrefixOf("session")), std::string("session"));
        QCOMPARE(std::string(cachePrefixOf("a::b")), std::string("a:"));
        QCOMPARE(std::string(cachePrefixOf(":x")), std::string(""));
    }

    void prefixesAreCountedAndCapped() {
        CacheStats stats;
        stats.forKey("catalog:item:1").l1Hits.fetch_add(2);
        stats.forKey("catalog:item:2").misses.fetch_add(1);
        stats.forKey("user:7").l2Hits.fetch_add(1);
        auto rows = stats.prefixes();
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[0].prefix, std::string("catalog:item"));
        QCOMPARE(rows[0].l1Hits, std::uint64_t(2));
        QCOMPARE(rows[0].misses, std::uint64_t(1));
        QCOMPARE(rows[1].prefix, std::string("user"));
        // Ids inside prefixes must not grow the table: past the cap, "(other)".
        for (int i = 0; i < 200; ++i)
            stats.forKey("tenant" + std::to_string(i) + ":x").misses.fetch_add(1);
        rows = stats.prefixes();
        QCOMPARE(rows.size(), CacheStats::kMaxPrefixes + 1);
        QCOMPARE(rows.back().prefix, std::string(CacheStats::kOtherPrefix));
        QCOMPARE(rows.back().misses, std::uint64_t(200 - (CacheStats::kMaxPrefixes - 2)));
        std::uint64_t misses = 0;
        for (const auto& row : rows)
            misses += row.misses;
        QCOMPARE(misses, std::uint64_t(201)); // every count kept somewhere
    }

    void documentRatesComeFromTwoReadings() {
        CacheReading before, after;
        before.atMs = 1000;
        after.atMs = 3000; // two seconds
        before.counts.l1Hits = 100;
        before.counts.l1Misses = 50;
        before.counts.l2Hits = 20;
        before.counts.l2Misses = 30;
        after.counts = before.counts;
        after.counts.l1Hits += 160; // 80/s
        after.counts.l1Misses += 40;
        after.counts.l2Hits += 30;
        after.counts.l2Misses += 10;
        after.counts.loads = 10;
        before.prefixes = {{"catalog:item", 10, 5, 5}};
        after.prefixes = {{"catalog:item", 90, 15, 15}, {"user", 0, 0, 4}};
        CacheLayerFacts facts;
        facts.l1Entries = 7;
        facts.breakerState = "closed";
        const auto doc = cacheDocument(before, after, facts, {{"catalog:item", {1200, 96000}}});
        QCOMPARE(doc["interval_ms"].get<int>(), 2000);
        QCOMPARE(doc["layers"]["l1"]["hits_per_s"].get<double>(), 80.0);
        QCOMPARE(doc["layers"]["l1"]["hit_rate"].get<double>(), 80.0); // 160 of 200
        QCOMPARE(doc["layers"]["l2"]["hit_rate"].get<double>(), 75.0); // 30 of 40
        QCOMPARE(doc["hit_rate"].get<double>(), 95.0);                 // 190 of 200
        QCOMPARE(doc["layers"]["l1"]["entries"].get<int>(), 7);
        QCOMPARE(doc["layers"]["l2"]["breaker"].get<std::string>(), std::string("closed"));
        QCOMPARE(doc["prefixes"].size(), std::size_t(2));
        QCOMPARE(doc["prefixes"][0]["hit_rate"].get<double>(), 90.0); // 90 of 100
        QCOMPARE(doc["prefixes"][0]["keys"].get<int>(), 1200);
        QCOMPARE(doc["prefixes"][1]["hit_rate"].get<double>(), 0.0);
        QCOMPARE(doc["prefixes"][1]["memory_bytes"].get<int>(), -1); // not sampled yet
        // No gets in the interval: no rate, not 0 %.
        const auto idle = cacheDocument(after, after, facts, {});
        QCOMPARE(idle["hit_rate"].get<double>(), -1.0);
    }

    // Every bad cache.invalidate parameter is a 400 whose message names the field, before
    // anything touches Redis.
    void invalidateRefusesBadParams_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("field");
        const QString tooLong =
            QString(R"({"match": "key", "value": "%1"})").arg(QString(513, 'k'));
        QTest::newRow("match missing") << R"({"value": "a"})"
                                       << "bad_request"
                                       << "params.match";
        QTest::newRow("match unknown") << R"({"match": "glob", "value": "a"})"
                                       << "bad_request"
                                       << "params.match";
        QTest::newRow("value missing") << R"({"match": "key"})"
                                       << "bad_request"
                                       << "params.value";
        QTest::newRow("value not a string") << R"({"match": "key", "value": 7})"
                                            << "bad_request"
                                            << "params.value";
        QTest::newRow("empty key") << R"({"match": "key", "value": ""})"
                                   << "bad_request"
                                   << "params.value";
        QTest::newRow("value too long") << tooLong << "bad_request"
                                        << "params.value";
        QTest::newRow("rate zero") << R"({"match": "key", "value": "a", "rate": 0})"
                                   << "bad_request"
                                   << "params.rate";
        QTest::newRow("rate too high") << R"({"match": "key", "value": "a", "rate": 1e9})"
                                       << "bad_request"
                                       << "params.rate";
        QTest::newRow("rate not a number") << R"({"match": "key", "value": "a", "rate": "fast"})"
                                           << "bad_request"
                                           << "params.rate";
        QTest::newRow("allow_match_all not a boolean")
            << R"({"match": "pattern", "value": "*", "allow_match_all": 1})"
            << "bad_request"
            << "params.allow_match_all";
        QTest::newRow("unknown parameter") << R"({"match": "key", "value": "a", "ttl": 5})"
                                           << "bad_request"
                                           << "params.ttl";
        QTest::newRow("every key, unconfirmed") << R"({"match": "pattern", "value": "**"})"
                                                << "match_all_needs_confirmation"
                                                << "params.allow_match_all";
        QTest::newRow("empty prefix, unconfirmed") << R"({"match": "prefix", "value": ""})"
                                                   << "match_all_needs_confirmation"
                                                   << "params.allow_match_all";
    }
    void invalidateRefusesBadParams() {
        QFETCH(QString, params);
        QFETCH(QString, reason);
        QFETCH(QString, field);
        try {
            CacheInvalidateAction::parse(nlohmann::json::parse(params.toStdString()));
            QFAIL("accepted bad params");
        } catch (const ActionError& error) {
            QCOMPARE(error.status(), 400);
            QCOMPARE(QString::fromStdString(error.reason()), reason);
            QVERIFY2(QString(error.what()).contains(field), error.what());
        }
    }
    void invalidateAcceptsGoodParams() {
        const auto parsed = CacheInvalidateAction::parse(nlohmann::json::parse(
            R"({"match": "pattern", "value": "*", "allow_match_all": true, "rate": 500})"));
        QVERIFY(parsed.selection.matchesAll());
        QCOMPARE(parsed.rate, 500.0);
        QCOMPARE(CacheInvalidateAction::parse(
                     nlohmann::json::parse(R"({"match": "prefix", "value": "a:"})"))
                     .rate,
                 CacheInvalidateAction::kDefaultRate);
    }

    void concurrentLoadsOfOneKeyRunOnce() {
        SingleFlight<int> flights;
        std::atomic<int> loads{0}, shared{0}, right{0};
        std::atomic<bool> release{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&] {
                auto outcome = flights.run("k", [&] {
                    loads.fetch_add(1);
                    while (!release.load())
                        std::this_thread::yield();
                    return 42;
                });
                shared.fetch_add(outcome.shared ? 1 : 0);
                right.fetch_add(outcome.value == 42 ? 1 : 0);
            });
        QTRY_COMPARE(int(flights.inFlight()), 1);
        QTest::qWait(50); // the others arrive while the load runs
        release = true;
        for (auto& thread : threads)
            thread.join();
        QCOMPARE(right.load(), 8);
        QCOMPARE(loads.load() + shared.load(), 8);
        QVERIFY(loads.load() < 8);
        QCOMPARE(int(flights.inFlight()), 0);
        // Afterwards a new call loads afresh.
        QCOMPARE(flights.run("k", [] { return 7; }).value, 7);
    }

    void aFailedLoadReachesEveryWaiter() {
        SingleFlight<int> flights;
        std::atomic<bool> release{false};
        std::atomic<int> failures{0};
        auto call = [&] {
            try {
                flights.run("k", [&]() -> int {
                    while (!release.load())
                        std::this_thread::yield();
                    throw std::runtime_error("database down");
                });
            } catch (const std::runtime_error&) {
                failures.fetch_add(1);
            }
        };
        std::thread first(call);
        QTRY_COMPARE(int(flights.inFlight()), 1);
        std::thread second(call);
        QTest::qWait(50);
        release = true;
        first.join();
        second.join();
        QCOMPARE(failures.load(), 2);
        QCOMPARE(int(flights.inFlight()), 0);
    }
};

QTEST_GUILESS_MAIN(TestCacheParts)
#include "tst_cache_parts.moc"
