// Counting and unlinking keys on a real Redis (the stack's): the count is exact and changes
// nothing; unlinking by prefix, pattern or key removes exactly the selected keys, tricky names
// included; the L1 matcher agrees with SCAN MATCH on random patterns; the throttle holds its
// rate; cancel stops early; Redis going away mid-run is an error, not a crash or a hang.
#include "LocalStack.h"
#include "key_unlinker.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <hiredis/hiredis.h>
#include <memory>
#include <set>

using namespace switchboard;
using KeySet = std::set<std::string>;

namespace {

// Names that trip up globbing, quoting and C strings; some under each prefix.
const std::vector<std::string> kTrickyKeys = {
    "a:*", "a:[x]", "a:[", "a:with space", std::string("a:\xff\0bin", 8), "a:\\*", "a:?",
    "*",   "[",     "a*",  "b:*]",         std::string("\0", 1),          "a",     "b:",
};

// Every key of the current database, by a SCAN without MATCH.
KeySet allKeys(RedisConnection& redis) {
    KeySet keys;
    std::string cursor = "0";
    do {
        RedisReply page = redis.command({"SCAN", cursor, "COUNT", "1000"});
        if (!page.ok() || page->elements != 2)
            return {};
        cursor = page.get()->element[0]->str;
        for (std::size_t i = 0; i < page->element[1]->elements; ++i)
            keys.emplace(page->element[1]->element[i]->str, page->element[1]->element[i]->len);
    } while (cursor != "0");
    return keys;
}

KeySet selected(const KeySet& keys, const KeySelection& selection, bool wanted = true) {
    KeySet out;
    for (const auto& key : keys)
        if (selection.matches(key) == wanted)
            out.insert(key);
    return out;
}

} // namespace

class TestKeyUnlinker : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    RedisEndpoint endpoint_;

    // A connection on its own database, emptied, so each test starts from nothing.
    std::unique_ptr<RedisConnection> connect(int database) {
        auto redis = std::make_unique<RedisConnection>(endpoint_);
        if (!redis->ok())
            return redis;
        redis->command({"SELECT", std::to_string(database)});
        redis->command({"FLUSHDB"});
        return redis;
    }

    // `perPrefix` keys under each of a: and b:, plus the tricky ones, loaded with pipelined MSETs.
    static bool fill(RedisConnection& redis, std::size_t perPrefix) {
        std::vector<std::string> names(kTrickyKeys);
        for (std::size_t i = 0; i < perPrefix; ++i) {
            names.push_back("a:" + std::to_string(i));
            names.push_back("b:" + std::to_string(i));
        }
        std::vector<std::vector<std::string_view>> commands;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i % 500 == 0)
                commands.push_back({"MSET"});
            commands.back().push_back(names[i]);
            commands.back().push_back("v");
        }
        for (const auto& reply : redis.pipeline(commands))
            if (!reply.ok())
                return false;
        return true;
    }

private slots:
    void initTestCase() {
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        endpoint_.port =
            stack_->server(QStringLiteral("redis")).value(QStringLiteral("port")).toInt();
        endpoint_.commandTimeout = std::chrono::milliseconds(2000);
        QVERIFY(endpoint_.port > 0);
    }
    void cleanupTestCase() { stack_.reset(); }

    void countIsExactAndChangesNothing_data() {
        QTest::addColumn<QString>("match");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("prefix") << "prefix" << QByteArray("a:");
        QTest::newRow("prefix with a star") << "prefix" << QByteArray("a*");
        QTest::newRow("every key") << "prefix" << QByteArray();
        QTest::newRow("pattern") << "pattern" << QByteArray("b:1*");
        QTest::newRow("pattern, set") << "pattern" << QByteArray("a:[[x]*");
        QTest::newRow("pattern, escaped") << "pattern" << QByteArray("a:\\*");
        QTest::newRow("key with a star") << "key" << QByteArray("a:*");
        QTest::newRow("binary key") << "key" << QByteArray("a:\xff\0bin", 8);
        QTest::newRow("missing key") << "key" << QByteArray("nope");
    }
    void countIsExactAndChangesNothing() {
        QFETCH(QString, match);
        QFETCH(QByteArray, value);
        const auto selection = KeySelection::parse(match.toStdString(), value.toStdString());
        auto redis = connect(1);
        QVERIFY2(redis->ok(), redis->error().c_str());
        QVERIFY(fill(*redis, 5000));
        const KeySet before = allKeys(*redis);
        const long long sizeBefore = redis->command({"DBSIZE"}).integer();
        const KeyCount count = countKeys(*redis, selection, 20, {});
        QVERIFY2(count.error.empty(), count.error.c_str());
        const KeySet expected = selected(before, selection);
        QCOMPARE(count.matching, std::uint64_t(expected.size()));
        QCOMPARE(count.sample.size(), std::min<std::size_t>(20, expected.size()));
        for (const auto& key : count.sample)
            QVERIFY(expected.count(key));
        if (selection.match != KeySelection::Match::Key)
            QCOMPARE(count.scanned, std::uint64_t(sizeBefore)); // the walk went to the end
        QCOMPARE(redis->command({"DBSIZE"}).integer(), sizeBefore);
        QVERIFY(allKeys(*redis) == before);
    }

    // The L1 matcher against SCAN MATCH on random patterns over glob-heavy keys.
    void matcherAgreesWithRedis() {
        auto redis = connect(2);
        QVERIFY2(redis->ok(), redis->error().c_str());
        const std::string alphabet = "ab*?[]^-\\!";
        auto random = [&](std::size_t maxLength) {
            std::string text(QRandomGenerator::global()->bounded(int(maxLength) + 1), ' ');
            for (char& c : text)
                c = alphabet[QRandomGenerator::global()->bounded(int(alphabet.size()))];
            return text;
        };
        KeySet keys(kTrickyKeys.begin(), kTrickyKeys.end());
        while (keys.size() < 400)
            keys.insert(random(5));
        std::vector<std::vector<std::string_view>> sets;
        for (const auto& key : keys)
            sets.push_back({"SET", key, "v"});
        redis->pipeline(sets);
        QCOMPARE(std::size_t(redis->command({"DBSIZE"}).integer()), keys.size());
        for (int round = 0; round < 1500; ++round) {
            const std::string pattern = round == 0 ? std::string() : random(6);
            KeySet fromRedis;
            std::string cursor = "0";
            do {
                RedisReply page =
                    redis->command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
                QVERIFY2(page.ok(), page.error().c_str());
                cursor = page.get()->element[0]->str;
                for (std::size_t i = 0; i < page->element[1]->elements; ++i)
                    fromRedis.emplace(page->element[1]->element[i]->str,
                                      page->element[1]->element[i]->len);
            } while (cursor != "0");
            KeySet fromMatcher;
            for (const auto& key : keys)
                if (redisGlobMatch(pattern, key))
                    fromMatcher.insert(key);
            QVERIFY2(fromRedis == fromMatcher, ("pattern " + pattern).c_str());
        }
    }

    void unlinkRemovesExactlyTheSelection_data() {
        QTest::addColumn<QString>("match");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("prefix") << "prefix" << QByteArray("a:");
        QTest::newRow("pattern") << "pattern" << QByteArray("b:1*");
        QTest::newRow("pattern, tricky") << "pattern" << QByteArray("*[[*]*");
        QTest::newRow("key with a star") << "key" << QByteArray("a:*");
        QTest::newRow("key with a bracket") << "key" << QByteArray("[");
    }
    void unlinkRemovesExactlyTheSelection() {
        QFETCH(QString, match);
        QFETCH(QByteArray, value);
        const auto selection = KeySelection::parse(match.toStdString(), value.toStdString());
        auto redis = connect(3);
        QVERIFY2(redis->ok(), redis->error().c_str());
        QVERIFY(fill(*redis, 10000));
        const KeySet before = allKeys(*redis);
        std::uint64_t lastUnlinked = 0;
        int reports = 0;
        const UnlinkResult result = unlinkKeys(*redis, selection, 0, 1000,
                                               [&](const UnlinkProgress& progress) {
                                                   QVERIFY(progress.unlinked >= lastUnlinked);
                                                   lastUnlinked = progress.unlinked;
                                                   ++reports;
                                               },
                                               {});
        QVERIFY2(result.error.empty(), result.error.c_str());
        QVERIFY(!result.cancelled);
        const KeySet gone = selected(before, selection);
        QCOMPARE(result.unlinked, std::uint64_t(gone.size()));
        QCOMPARE(lastUnlinked, result.unlinked);
        QVERIFY(reports > 0);
        QVERIFY(allKeys(*redis) == selected(before, selection, false));
    }

    // 20 000 keys at 10 000 keys/s: at least 1.9 s less one batch's burst. Only the lower bound
    // is asserted; a slow machine may take longer.
    void throttleHoldsTheRate() {
        auto redis = connect(4);
        QVERIFY2(redis->ok(), redis->error().c_str());
        QVERIFY(fill(*redis, 20000));
        const KeySelection selection{KeySelection::Match::Prefix, "a:"};
        const std::size_t matching = selected(allKeys(*redis), selection).size();
        QVERIFY(matching >= 20000);
        QElapsedTimer clock;
        clock.start();
        const UnlinkResult result = unlinkKeys(*redis, selection, 10000, 1000, {}, {});
        QVERIFY2(result.error.empty(), result.error.c_str());
        QCOMPARE(result.unlinked, std::uint64_t(matching));
        QVERIFY2(clock.elapsed() >= 1800, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(result.elapsedMs >= 1800);
    }

    void cancelStopsEarly() {
        auto redis = connect(5);
        QVERIFY2(redis->ok(), redis->error().c_str());
        QVERIFY(fill(*redis, 20000));
        const long long sizeBefore = redis->command({"DBSIZE"}).integer();
        std::uint64_t seen = 0;
        const UnlinkResult result = unlinkKeys(
            *redis, KeySelection{KeySelection::Match::Prefix, "a:"}, 10000, 1000,
            [&](const UnlinkProgress& progress) { seen = progress.unlinked; },
            [&] { return seen >= 3000; });
        QVERIFY2(result.error.empty(), result.error.c_str());
        QVERIFY(result.cancelled);
        QVERIFY(result.unlinked >= 3000);
        QVERIFY(result.unlinked < 20000);
        QCOMPARE(redis->command({"DBSIZE"}).integer(), sizeBefore - (long long)result.unlinked);
    }

    void unreachableRedisIsAnError() {
        RedisEndpoint nowhere;
        nowhere.port = 1;
        RedisConnection redis(nowhere);
        const auto selection = KeySelection{KeySelection::Match::Prefix, "a:"};
        QVERIFY(!countKeys(redis, selection, 20, {}).error.empty());
        QVERIFY(!unlinkKeys(redis, selection, 0, 1000, {}, {}).error.empty());
    }

    // Last: it stops the stack's Redis. SHUTDOWN NOSAVE from another connection after the
    // first batch; the walk ends with the cause.
    void redisStoppedMidRunIsAnError() {
        auto redis = connect(6);
        QVERIFY2(redis->ok(), redis->error().c_str());
        QVERIFY(fill(*redis, 20000));
        bool stopped = false;
        const UnlinkResult result =
            unlinkKeys(*redis, KeySelection{KeySelection::Match::Prefix, "b:"}, 10000, 1000,
                       [&](const UnlinkProgress&) {
                           if (!stopped) {
                               RedisConnection(endpoint_).command({"SHUTDOWN", "NOSAVE"});
                               stopped = true;
                           }
                       },
                       {});
        QVERIFY(stopped);
        QVERIFY2(!result.error.empty(), "no error after Redis stopped");
        QVERIFY(!result.cancelled);
        QVERIFY(result.unlinked < 20000);
        qInfo("error after SHUTDOWN: %s", result.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKeyUnlinker)
#include "tst_key_unlinker.moc"
