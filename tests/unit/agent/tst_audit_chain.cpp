// The audit log's hash chain on real files written by the agent: intact as written, and every
// kind of tampering found and named at the first broken entry (seq, line, why); a torn last
// line and a legacy prefix without hashes are warnings, not breaks.
#include "AuditFiles.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using nlohmann::json;
using namespace switchboard;
using namespace audit_files;

namespace {

enum class Tamper {
    EditField,
    EditFieldAndRehash,
    RewritePrevHash,
    ReformatLine,
    DeleteLine,
    DeleteFirstLine,
    SwapLines,
    InsertForgedEntry,
    InsertGarbage,
    StripHashes,
    EditLastEntry,
};

// A stored line with its content changed by `change` and its hash made to match it again.
std::string rehashed(const std::string& line, const std::function<void(json&)>& change) {
    json entry = json::parse(line);
    change(entry);
    entry["hash"] = auditEntryHash(entry);
    return entry.dump();
}

void tamper(std::vector<std::string>& lines, Tamper how) {
    switch (how) {
    case Tamper::EditField: {
        auto at = lines[2].find("redis-3");
        lines[2].replace(at, 7, "redis-9");
        break;
    }
    case Tamper::EditFieldAndRehash:
        lines[2] = rehashed(lines[2], [](json& entry) { entry["target"] = "redis-9"; });
        break;
    case Tamper::RewritePrevHash:
        lines[2] = rehashed(lines[2], [](json& entry) { entry["prev_hash"] = kAuditChainStart; });
        break;
    case Tamper::ReformatLine: // the same content, other bytes: only the next link sees it
        lines[2].insert(1, " ");
        break;
    case Tamper::DeleteLine:
        lines.erase(lines.begin() + 2);
        break;
    case Tamper::DeleteFirstLine:
        lines.erase(lines.begin());
        break;
    case Tamper::SwapLines:
        std::swap(lines[2], lines[3]);
        break;
    case Tamper::InsertForgedEntry: { // well-formed, chained onto line 2, hash right
        json forged = {{"event", "result"},
                       {"target", "forged"},
                       {"seq", 3},
                       {"time_ms", 1795000000000},
                       {"prev_hash", sha256Hex(lines[1])}};
        forged["hash"] = auditEntryHash(forged);
        lines.insert(lines.begin() + 2, forged.dump());
        break;
    }
    case Tamper::InsertGarbage:
        lines.insert(lines.begin() + 2, "this is not an entry");
        break;
    case Tamper::StripHashes: {
        json entry = json::parse(lines[2]);
        entry.erase("hash");
        entry.erase("prev_hash");
        lines[2] = entry.dump();
        break;
    }
    case Tamper::EditLastEntry: {
        auto at = lines[4].find("redis-5");
        lines[4].replace(at, 7, "redis-9");
        break;
    }
    }
}

} // namespace

Q_DECLARE_METATYPE(Tamper)

class TestAuditChain : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    int files_ = 0;
    std::string freshFile() {
        return (dir_.path() + "/audit-" + QString::number(++files_) + ".jsonl").toStdString();
    }

private slots:
    void sha256IsTheStandardOne() {
        QCOMPARE(sha256Hex("abc"),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256Hex(""),
                 std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    void entryHashIsCanonicalAndLeavesItselfOut() {
        json one = {{"seq", 1}, {"event", "plan"}};
        json other;
        other["event"] = "plan";
        other["seq"] = 1;
        other["hash"] = "anything";
        QCOMPARE(auditEntryHash(one), auditEntryHash(other));
        QCOMPARE(auditEntryHash(one), sha256Hex(R"({"event":"plan","seq":1})"));
        // A stored line parsed back hashes as it did when written.
        QCOMPARE(auditEntryHash(json::parse(R"({ "seq" : 1, "event" : "plan" })")),
                 auditEntryHash(one));
    }

    void aFreshLogIsIntact() {
        auto file = freshFile();
        writeChainedLog(file, 5);
        auto lines = readLines(file);
        AuditChainState state = verifyFile(file);
        QVERIFY(state.intact());
        QCOMPARE(state.entries, std::size_t(5));
        QCOMPARE(state.legacyEntries, std::size_t(0));
        QCOMPARE(state.lastSeq, std::optional<std::uint64_t>(5));
        QCOMPARE(state.lastLineHash, sha256Hex(lines.back()));
        QVERIFY(state.warnings.empty());
        QVERIFY(!state.missingFinalNewline);
        QCOMPARE(json::parse(lines[0])["prev_hash"].get<std::string>(), kAuditChainStart);
        QCOMPARE(json::parse(lines[3])["prev_hash"].get<std::string>(), sha256Hex(lines[2]));
    }

    void anEmptyLogIsIntact() {
        std::istringstream empty;
        AuditChainState state = verifyAuditChain(empty);
        QVERIFY(state.intact());
        QCOMPARE(state.entries, std::size_t(0));
        QCOMPARE(state.lastLineHash, kAuditChainStart);
    }

    void tamperingIsFoundAtTheFirstBrokenEntry_data() {
        QTest::addColumn<Tamper>("how");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("seq"); // -1: the line has none
        QTest::addColumn<QString>("reason");
        QTest::newRow("field edited in the middle")
            << Tamper::EditField << 3 << 3 << "hash does not match its content";
        QTest::newRow("field edited, hash recomputed")
            << Tamper::EditFieldAndRehash << 4 << 4
            << "prev_hash does not match entry 3's line hash";
        QTest::newRow("prev_hash rewritten, hash recomputed")
            << Tamper::RewritePrevHash << 3 << 3 << "prev_hash does not match entry 2's line hash";
        QTest::newRow("line reformatted, same content")
            << Tamper::ReformatLine << 4 << 4 << "prev_hash does not match entry 3's line hash";
        QTest::newRow("line deleted")
            << Tamper::DeleteLine << 3 << 4 << "seq not one more than the previous (2)";
        QTest::newRow("first line deleted")
            << Tamper::DeleteFirstLine << 1 << 2 << "seq not 1 at the start of the log";
        QTest::newRow("two lines swapped")
            << Tamper::SwapLines << 3 << 4 << "seq not one more than the previous (2)";
        QTest::newRow("forged entry inserted")
            << Tamper::InsertForgedEntry << 4 << 3 << "seq not one more than the previous (3)";
        QTest::newRow("garbage line inserted")
            << Tamper::InsertGarbage << 3 << -1 << "line is not JSON";
        QTest::newRow("hashes stripped from an entry")
            << Tamper::StripHashes << 3 << 3 << "no hash or prev_hash after the chain began";
        QTest::newRow("last entry edited")
            << Tamper::EditLastEntry << 5 << 5 << "hash does not match its content";
    }

    void tamperingIsFoundAtTheFirstBrokenEntry() {
        QFETCH(Tamper, how);
        QFETCH(int, line);
        QFETCH(int, seq);
        QFETCH(QString, reason);
        auto file = freshFile();
        writeChainedLog(file, 5);
        auto lines = readLines(file);
        tamper(lines, how);
        writeLines(file, lines);

        AuditChainState state = verifyFile(file);
        QVERIFY(!state.intact());
        QCOMPARE(state.firstBreak->line, std::size_t(line));
        QCOMPARE(state.firstBreak->seq,
                 seq < 0 ? std::optional<std::uint64_t>() : std::optional<std::uint64_t>(seq));
        QCOMPARE(QString::fromStdString(state.firstBreak->reason), reason);
        QCOMPARE(state.lastLineHash, sha256Hex(lines.back())); // the next entry goes on from it
    }

    void breaksAreDescribedForPeople() {
        AuditChainBreak edited{3, 3, 2, "hash does not match its content"};
        QCOMPARE(describe(edited),
                 std::string("entry seq 3 (line 3) broken: hash does not match its content"));
        AuditChainBreak garbage{3, std::nullopt, 2, "line is not JSON"};
        QCOMPARE(describe(garbage), std::string("line 3 (after seq 2) broken: line is not JSON"));
        AuditChainBreak atStart{1, std::nullopt, std::nullopt, "line is not JSON"};
        QCOMPARE(describe(atStart), std::string("line 1 broken: line is not JSON"));
    }

    void everyEntryIsHandedOverInFileOrderBrokenOrNot() {
        auto file = freshFile();
        writeChainedLog(file, 5);
        auto lines = readLines(file);
        tamper(lines, Tamper::SwapLines);
        writeLines(file, lines);
        std::ifstream in(file);
        std::vector<std::uint64_t> seqs;
        verifyAuditChain(in, [&](json&& entry) { seqs.push_back(entry["seq"]); });
        QCOMPARE(seqs, (std::vector<std::uint64_t>{1, 2, 4, 3, 5}));
    }

    void aTornLastLineIsAWarningNotABreak() {
        auto file = freshFile();
        writeChainedLog(file, 3);
        auto lines = readLines(file);
        lines.push_back("{\"event\":\"plan\",\"seq\":4,\"ti");
        writeLines(file, lines, false);
        AuditChainState state = verifyFile(file);
        QVERIFY(state.intact());
        QCOMPARE(state.entries, std::size_t(3));
        QVERIFY(state.missingFinalNewline);
        QCOMPARE(state.warnings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(state.warnings.front()).contains("line 4"));
        // The next entry chains on from the torn line as it is.
        QCOMPARE(state.lastLineHash, sha256Hex(lines.back()));
    }

    void aLegacyPrefixIsAWarningAndTheChainGoesOnFromIt() {
        auto file = freshFile();
        // As agents before the chain wrote them: no hash fields.
        writeLines(file, {R"({"event":"plan","seq":1,"time_ms":1000})",
                          R"({"event":"confirm","seq":2,"time_ms":1001})",
                          R"({"event":"result","seq":3,"time_ms":1002})"});
        {
            AuditLog log(file, [] { return std::int64_t(2000); });
            QCOMPARE(log.chain().legacyEntries, std::size_t(3));
            log.append({{"event", "plan"}});
            log.append({{"event", "confirm"}});
        }
        auto lines = readLines(file);
        QCOMPARE(json::parse(lines[3])["prev_hash"].get<std::string>(), sha256Hex(lines[2]));
        AuditChainState state = verifyFile(file);
        QVERIFY(state.intact());
        QCOMPARE(state.entries, std::size_t(5));
        QCOMPARE(state.legacyEntries, std::size_t(3));
        QCOMPARE(state.warnings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(state.warnings.front())
                    .contains("3 entries (seq 1 to 3) were written before the log was chained"));

        // The legacy part is not verified, but the link from it is: an edit of its last line
        // breaks the first chained entry.
        lines[2].replace(lines[2].find("result"), 6, "cancel");
        writeLines(file, lines);
        state = verifyFile(file);
        QCOMPARE(state.firstBreak->seq, std::optional<std::uint64_t>(4));
        QCOMPARE(state.firstBreak->reason,
                 std::string("prev_hash does not match entry 3's line hash"));
    }

    void stateAsJson() {
        auto file = freshFile();
        writeChainedLog(file, 2);
        json intact = toJson(verifyFile(file));
        QVERIFY(intact["intact"] == json(true));
        QVERIFY(intact["entries"] == json(2));
        QVERIFY(intact["legacy_entries"] == json(0));
        QCOMPARE(intact["last_hash"].get<std::string>(), sha256Hex(readLines(file).back()));
        QVERIFY(!intact.contains("first_break"));

        auto lines = readLines(file);
        tamper(lines, Tamper::DeleteFirstLine);
        writeLines(file, lines);
        json broken = toJson(verifyFile(file));
        QVERIFY(broken["intact"] == json(false));
        QVERIFY(broken["first_break"] == (json{{"line", 1},
                                               {"seq", 2},
                                               {"after_seq", nullptr},
                                               {"reason", "seq not 1 at the start of the log"}}));
    }
};

QTEST_APPLESS_MAIN(TestAuditChain)
#include "tst_audit_chain.moc"
