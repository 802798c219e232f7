// What a console asks for when it opens the stream: ?since= and ?stream= read from the query
// string, a since that is not a whole number refused with a message the server can send.
#include "http_reply.h"
#include "stream_query.h"

#include <QTest>
#include <stdexcept>

using nlohmann::json;
using namespace switchboard;

class TestStreamQuery : public QObject {
    Q_OBJECT

    // The refusal's message, as the client reads it back from the server's JSON error.
    static std::string refusalSent(const std::string& query) {
        try {
            parseStreamQuery(query);
        } catch (const std::invalid_argument& refused) {
            return json::parse(jsonText({{"message", refused.what()}}))["message"]
                .get<std::string>();
        }
        return {};
    }

private slots:
    void readsSinceAndTheStreamId() {
        const StreamQuery query = parseStreamQuery("since=42&stream=9f3c2a");
        QVERIFY(query.since.has_value());
        QCOMPARE(*query.since, std::uint64_t(42));
        QCOMPARE(query.streamId, std::string("9f3c2a"));
    }

    void nothingAskedIsAFreshStart() {
        const StreamQuery query = parseStreamQuery("");
        QVERIFY(!query.since.has_value());
        QVERIFY(query.streamId.empty());
        QVERIFY(!parseStreamQuery("other=1").since.has_value());
    }

    void percentEncodingIsDecoded() {
        const StreamQuery query = parseStreamQuery("since=%31%32&stream=a%20b");
        QCOMPARE(*query.since, std::uint64_t(12));
        QCOMPARE(query.streamId, std::string("a b"));
    }

    void aSinceThatIsNotAWholeNumberIsRefused_data() {
        QTest::addColumn<QString>("query");
        QTest::newRow("negative") << "since=-1";
        QTest::newRow("letters") << "since=abc";
        QTest::newRow("trailing") << "since=12x";
        QTest::newRow("past 64 bits") << "since=99999999999999999999999";
    }
    void aSinceThatIsNotAWholeNumberIsRefused() {
        QFETCH(QString, query);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseStreamQuery(query.toStdString()));
        QVERIFY(refusalSent(query.toStdString()).starts_with("since must be a sequence number"));
    }

    // Found by fuzz_agent_request: the refusal quoted the decoded bytes, and serialising a
    // message that is not UTF-8 threw out of the stream handshake, which ended the host
    // process. Now the bytes are sent as U+FFFD.
    void aSinceThatIsNotUtf8IsRefusedWithAMessageThatCanBeSent() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseStreamQuery("since=%FF%FE"));
        QCOMPARE(refusalSent("since=%FF%FE"),
                 std::string("since must be a sequence number, got \"\xef\xbf\xbd\xef\xbf\xbd\""));
    }
};

QTEST_GUILESS_MAIN(TestStreamQuery)
#include "tst_stream_query.moc"
