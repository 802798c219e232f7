// KeySelection: parsing the action's params, the SCAN MATCH pattern of each kind, which
// selections take every key, and the L1 matcher answering as Redis's glob does. The glob table's
// answers are redis-server 7.0.15's (SCAN MATCH on a database holding the one key), corners
// where fnmatch(3) answers otherwise included; tst_key_unlinker compares against a live Redis.
#include "key_selection.h"

#include <QElapsedTimer>
#include <QTest>
#include <stdexcept>

using switchboard::KeySelection;
using switchboard::redisGlobMatch;
using Match = KeySelection::Match;

Q_DECLARE_METATYPE(KeySelection::Match)

namespace {

std::string_view view(const QByteArray& bytes) {
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

} // namespace

class TestKeySelection : public QObject {
    Q_OBJECT

private slots:
    void parse_data() {
        QTest::addColumn<QByteArray>("match");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("error"); // empty: accepted
        const QByteArray longest(512, 'k');
        QTest::newRow("key") << QByteArray("key") << QByteArray("a:1") << QString();
        QTest::newRow("prefix") << QByteArray("prefix") << QByteArray("a:") << QString();
        QTest::newRow("pattern") << QByteArray("pattern") << QByteArray("a:*") << QString();
        QTest::newRow("empty prefix takes all")
            << QByteArray("prefix") << QByteArray() << QString();
        QTest::newRow("512 bytes") << QByteArray("key") << longest << QString();
        QTest::newRow("513 bytes") << QByteArray("key") << longest + "k"
                                   << "params.value";
        QTest::newRow("empty key") << QByteArray("key") << QByteArray() << "params.value";
        QTest::newRow("empty pattern") << QByteArray("pattern") << QByteArray() << "params.value";
        QTest::newRow("unknown match") << QByteArray("glob") << QByteArray("a") << "params.match";
        QTest::newRow("case matters") << QByteArray("Key") << QByteArray("a") << "params.match";
    }
    void parse() {
        QFETCH(QByteArray, match);
        QFETCH(QByteArray, value);
        QFETCH(QString, error);
        try {
            const KeySelection selection = KeySelection::parse(view(match), view(value));
            QVERIFY2(error.isEmpty(), "accepted what it should refuse");
            QCOMPARE(selection.value, std::string(view(value)));
        } catch (const std::invalid_argument& refused) {
            QVERIFY2(!error.isEmpty(), refused.what());
            QVERIFY2(QString::fromUtf8(refused.what()).startsWith(error), refused.what());
        }
    }

    void redisPattern_data() {
        QTest::addColumn<Match>("match");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("pattern");
        QTest::newRow("plain key") << Match::Key << QByteArray("a:1") << QByteArray("a:1");
        QTest::newRow("key with glob bytes")
            << Match::Key << QByteArray("a*?[b]\\c") << QByteArray("a\\*\\?\\[b\\]\\\\c");
        QTest::newRow("prefix") << Match::Prefix << QByteArray("a:") << QByteArray("a:*");
        QTest::newRow("prefix with star")
            << Match::Prefix << QByteArray("a*") << QByteArray("a\\**");
        QTest::newRow("empty prefix") << Match::Prefix << QByteArray() << QByteArray("*");
        QTest::newRow("pattern as given")
            << Match::Pattern << QByteArray("a[0-9]*\\?") << QByteArray("a[0-9]*\\?");
    }
    void redisPattern() {
        QFETCH(Match, match);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, pattern);
        const KeySelection selection{match, std::string(view(value))};
        QCOMPARE(QByteArray::fromStdString(selection.redisPattern()), pattern);
    }

    void matchesAll_data() {
        QTest::addColumn<Match>("match");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("all");
        QTest::newRow("star") << Match::Pattern << QByteArray("*") << true;
        QTest::newRow("stars") << Match::Pattern << QByteArray("***") << true;
        QTest::newRow("star and more") << Match::Pattern << QByteArray("*a") << false;
        QTest::newRow("question mark") << Match::Pattern << QByteArray("?*") << false;
        QTest::newRow("empty prefix") << Match::Prefix << QByteArray() << true;
        QTest::newRow("prefix") << Match::Prefix << QByteArray("a") << false;
        QTest::newRow("prefix of a star") << Match::Prefix << QByteArray("*") << false;
        QTest::newRow("key named star") << Match::Key << QByteArray("*") << false;
    }
    void matchesAll() {
        QFETCH(Match, match);
        QFETCH(QByteArray, value);
        QFETCH(bool, all);
        QCOMPARE((KeySelection{match, std::string(view(value))}.matchesAll()), all);
    }

    void globAnswersAsRedis_data() {
        QTest::addColumn<QByteArray>("pattern");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<bool>("matches");
        const auto row = [](const char* name, QByteArray pattern, QByteArray key, bool matches) {
            QTest::newRow(name) << pattern << key << matches;
        };
        row("star", "*", "abc", true);
        row("star inside", "a*c", "abbbc", true);
        row("star takes nothing", "a*", "a", true);
        row("star past slash and dot", "*", ".a/b", true);
        row("star alone takes the empty key", "*", "", true);
        row("two stars refuse the empty key", "**", "", false);
        row("empty pattern, empty key", "", "", true);
        row("literal", "abc", "abc", true);
        row("literal too long", "abc", "ab", false);
        row("question mark", "h?llo", "hello", true);
        row("question mark is one byte", "?", "\xc3\xa9", false);
        row("two for a two-byte character", "??", "\xc3\xa9", true);
        row("set", "h[ae]llo", "hallo", true);
        row("caret negates", "h[^e]llo", "hello", false);
        row("caret negates, other byte", "[^a]", "b", true);
        row("bang is a literal", "[!a]", "b", false);
        row("bang is a literal, bang", "[!a]", "!", true);
        row("range", "[a-z]", "q", true);
        row("range reversed is swapped", "[z-a]", "q", true);
        row("escaped star", "\\*", "*", true);
        row("escaped star is not a star", "\\*", "x", false);
        row("escaped question mark", "\\?", "?", true);
        row("escaped bracket", "\\[", "[", true);
        row("escaped letter", "\\a", "a", true);
        row("trailing backslash is literal", "a\\", "a\\", true);
        row("bracket closes at once", "[]a]", "a", false);
        row("bracket closes at once, bracket", "[]]", "]", false);
        row("empty set", "[]", "x", false);
        row("negated empty set", "[^]", "x", true);
        row("escaped bracket in a set", "[\\]]", "]", true);
        row("escaped dash in a set", "[a\\-z]", "-", true);
        row("escaped dash is no range", "[a\\-z]", "m", false);
        row("dash first", "[-a]", "-", true);
        row("dash last makes a range to ]", "[a-]", "-", false);
        row("unterminated set", "[abc", "b", true);
        row("unterminated set is no literal", "[abc", "[abc", false);
        row("lone bracket", "[", "[", false);
        row("bracket at the end", "a[", "a[", false);
        row("backslash in an unterminated set", "[\\", "\\", true);
        row("star in a set", "[*]", "*", true);
        row("no classes", "[[:alpha:]]", "a", false);
        row("high bytes compare signed", "[a-\xff]", "\x10", true);
        row("high bytes compare signed, 0x80", "[a-\xff]", "\x80", false);
        row("high range", "[\x80-\xff]", "\x90", true);
        row("binary key", "bin?\xfe", "bin\xff\xfe", true);
        row("NUL bytes", QByteArray("k\0*", 3), QByteArray("k\0x", 3), true);
    }
    void globAnswersAsRedis() {
        QFETCH(QByteArray, pattern);
        QFETCH(QByteArray, key);
        QFETCH(bool, matches);
        QCOMPARE(redisGlobMatch(view(pattern), view(key)), matches);
        QCOMPARE((KeySelection{Match::Pattern, pattern.toStdString()}.matches(view(key))), matches);
    }

    // A key full of glob bytes, selected by Key (or by Prefix), matches itself through the
    // escaped pattern and nothing the unescaped one would.
    void escapingRoundTrip_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("star") << QByteArray("a*");
        QTest::newRow("bracket") << QByteArray("a[b]");
        QTest::newRow("open bracket") << QByteArray("a[");
        QTest::newRow("question mark") << QByteArray("a?c");
        QTest::newRow("backslash") << QByteArray("a\\*");
        QTest::newRow("all of them") << QByteArray("*?[]\\^-!");
        QTest::newRow("spaces and binary") << QByteArray("a b\xff\0c", 6);
    }
    void escapingRoundTrip() {
        QFETCH(QByteArray, key);
        const std::string text = key.toStdString();
        const KeySelection byKey{Match::Key, text};
        const KeySelection byPrefix{Match::Prefix, text};
        QVERIFY(redisGlobMatch(byKey.redisPattern(), text));
        QVERIFY(byKey.matches(text));
        QVERIFY(redisGlobMatch(byPrefix.redisPattern(), text));
        QVERIFY(redisGlobMatch(byPrefix.redisPattern(), text + ":1"));
        for (const std::string& other :
             {std::string("a"), std::string("ab"), std::string("abc"), std::string("a]"),
              std::string("ax"), text + "x", std::string("a\\b"), text.substr(1)}) {
            if (other == text)
                continue;
            QCOMPARE(redisGlobMatch(byKey.redisPattern(), other), false);
            QCOMPARE(byKey.matches(other), false);
            QCOMPARE(redisGlobMatch(byPrefix.redisPattern(), other), byPrefix.matches(other));
        }
    }

    void keyAndPrefixCompareBytes() {
        const std::string withNul("k\0ey", 4);
        QVERIFY((KeySelection{Match::Key, withNul}.matches(withNul)));
        QVERIFY(!(KeySelection{Match::Key, withNul}.matches("k")));
        QVERIFY((KeySelection{Match::Prefix, "k"}.matches(withNul)));
        QVERIFY((KeySelection{Match::Prefix, "k"}.matches("k")));
        QVERIFY(!(KeySelection{Match::Prefix, "k:"}.matches("k")));
        QVERIFY((KeySelection{Match::Prefix, ""}.matches("")));
        QVERIFY((KeySelection{Match::Pattern, "*"}.matches("")));
    }

    // Redis cuts the search once the rest of a pattern failed at every start; without that
    // cut this pattern takes exponential time.
    void manyStarsStayFast() {
        const std::string pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*b";
        const std::string key(500, 'a');
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!redisGlobMatch(pattern, key));
        QVERIFY(redisGlobMatch(pattern, key + "b"));
        QVERIFY2(clock.elapsed() < 1000, "the search was not cut");
    }
};

QTEST_GUILESS_MAIN(TestKeySelection)
#include "tst_key_selection.moc"
