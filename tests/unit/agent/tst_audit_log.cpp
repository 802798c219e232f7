// The audit log on disk: numbered, timed and chained entries, kept across a reopen (an agent
// restart) with the chain continued, a torn last line skipped without swallowing the next entry,
// a tampered log opened and appended to with the break reported, and paging both ways.
// (The chain's verification itself: tst_audit_chain.)
#include "AuditFiles.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using nlohmann::json;
using switchboard::auditEntryHash;
using switchboard::AuditLog;
using switchboard::kAuditChainStart;
using switchboard::sha256Hex;
using namespace audit_files;

class TestAuditLog : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::int64_t now_ = 1000;
    std::string path(const char* name) const { return (dir_.path() + "/" + name).toStdString(); }
    AuditLog::Clock clock() {
        return [this] {
            return now_;
        };
    }

    static std::vector<std::uint64_t> seqs(const AuditLog::Page& page) {
        std::vector<std::uint64_t> numbers;
        for (const auto& entry : page.entries)
            numbers.push_back(entry["seq"].get<std::uint64_t>());
        return numbers;
    }

private slots:
    void numbersAndTimesEveryEntry() {
        AuditLog log(path("numbered.jsonl"), clock());
        auto first = log.append({{"event", "plan"}});
        now_ = 2000;
        auto second = log.append({{"event", "confirm"}});
        QCOMPARE(first["seq"].get<int>(), 1);
        QCOMPARE(second["seq"].get<int>(), 2);
        QCOMPARE(first["time_ms"].get<std::int64_t>(), std::int64_t(1000));
        QCOMPARE(second["time_ms"].get<std::int64_t>(), std::int64_t(2000));
        QCOMPARE(second["event"].get<std::string>(), std::string("confirm"));
    }

    void survivesReopenAndContinuesTheSequence() {
        auto file = path("reopen.jsonl");
        {
            AuditLog log(file, clock());
            log.append({{"event", "plan"}, {"target", "redis"}});
            log.append({{"event", "confirm"}, {"target", "redis"}});
        }
        AuditLog reopened(file, clock());
        QCOMPARE(reopened.size(), std::size_t(2));
        QCOMPARE(reopened.newest(std::nullopt, 10).entries.front()["event"].get<std::string>(),
                 std::string("confirm"));
        QCOMPARE(reopened.append({{"event", "result"}})["seq"].get<int>(), 3);
        QVERIFY(reopened.warnings().empty());
    }

    void aFreshLogChainsItsEntries() {
        auto file = path("chained.jsonl");
        AuditLog log(file, clock());
        auto first = log.append({{"event", "plan"}});
        auto second = log.append({{"event", "confirm"}});
        auto lines = readLines(file);
        QCOMPARE(lines.size(), std::size_t(2));
        QCOMPARE(first["prev_hash"].get<std::string>(), kAuditChainStart);
        QCOMPARE(second["prev_hash"].get<std::string>(), sha256Hex(lines[0]));
        QCOMPARE(first["hash"].get<std::string>(), auditEntryHash(first));
        QCOMPARE(second["hash"].get<std::string>(), auditEntryHash(second));
        QVERIFY(json::parse(lines[1]) == second); // what append() returns is what is stored
        auto chain = log.chain();
        QVERIFY(chain.intact());
        QCOMPARE(chain.entries, std::size_t(2));
        QCOMPARE(chain.lastLineHash, sha256Hex(lines[1]));
        QVERIFY(verifyFile(file).intact());
    }

    void reopeningContinuesTheChain() {
        auto file = path("rechained.jsonl");
        writeChainedLog(file, 2);
        AuditLog reopened(file, clock());
        QVERIFY(reopened.chain().intact());
        QCOMPARE(reopened.chain().entries, std::size_t(2));
        auto third = reopened.append({{"event", "result"}});
        auto lines = readLines(file);
        QCOMPARE(third["prev_hash"].get<std::string>(), sha256Hex(lines[1]));
        auto state = verifyFile(file);
        QVERIFY(state.intact());
        QCOMPARE(state.entries, std::size_t(3));
        QCOMPARE(reopened.chain().lastLineHash, state.lastLineHash);
    }

    void aTamperedLogStillOpensKeepsAppendingAndShowsTheBreak() {
        auto file = path("tampered.jsonl");
        writeChainedLog(file, 3);
        auto lines = readLines(file);
        lines[1].replace(lines[1].find("redis-2"), 7, "redis-9");
        writeLines(file, lines);

        AuditLog log(file, clock());
        QCOMPARE(log.size(), std::size_t(3)); // served as it is
        auto chain = log.chain();
        QVERIFY(!chain.intact());
        QCOMPARE(chain.firstBreak->seq, std::optional<std::uint64_t>(2));
        QCOMPARE(log.warnings().size(), std::size_t(1));
        QVERIFY(QString::fromStdString(log.warnings().front())
                    .contains("entry seq 2 (line 2) broken: hash does not match its content"));

        auto fourth = log.append({{"event", "result"}});
        QCOMPARE(fourth["seq"].get<int>(), 4);
        QCOMPARE(fourth["prev_hash"].get<std::string>(), sha256Hex(lines[2])); // the line as is
        QVERIFY(!log.chain().intact()); // appending does not mend it
        QCOMPARE(log.chain().entries, std::size_t(4));
        auto state = verifyFile(file);
        QCOMPARE(state.entries, std::size_t(4));
        QCOMPARE(state.firstBreak->seq, std::optional<std::uint64_t>(2)); // still at its place
        QCOMPARE(state.firstBreak->line, std::size_t(2));
    }

    void tornLastLineIsSkippedAndDoesNotSwallowTheNext() {
        auto file = path("torn.jsonl");
        {
            AuditLog log(file, clock());
            log.append({{"event", "plan"}});
        }
        std::ofstream(file, std::ios::app) << "{\"seq\": 2, \"event\": \"conf"; // no newline
        {
            AuditLog log(file, clock());
            QCOMPARE(log.size(), std::size_t(1));
            QCOMPARE(log.warnings().size(), std::size_t(1));
            QVERIFY(QString::fromStdString(log.warnings().front()).contains("line 2"));
            QCOMPARE(log.append({{"event", "result"}})["seq"].get<int>(), 2);
        }
        AuditLog again(file, clock());
        QCOMPARE(again.size(), std::size_t(2)); // the new entry is whole, on its own line
        QCOMPARE(again.newest(std::nullopt, 1).entries.front()["event"].get<std::string>(),
                 std::string("result"));
        // The entry after the torn line chains on from it: a torn write, not a break.
        QVERIFY(again.chain().intact());
        QCOMPARE(again.warnings().size(), std::size_t(1));
    }

    // A refusal may quote request bytes that are not UTF-8: they are stored as U+FFFD, and the
    // entry is written, returned and verified like any other (it used to throw instead).
    void bytesThatAreNotUtf8AreStoredReplaced() {
        auto file = path("not-utf8.jsonl");
        AuditLog log(file, clock());
        auto stored = log.append({{"event", "refused"}, {"detail", "no such path: /v1/\xff"}});
        QCOMPARE(stored["detail"].get<std::string>(),
                 std::string("no such path: /v1/\xef\xbf\xbd"));
        auto lines = readLines(file);
        QCOMPARE(lines.size(), std::size_t(1));
        QVERIFY(json::parse(lines[0]) == stored);
        QCOMPARE(stored["hash"].get<std::string>(), auditEntryHash(stored));
        QVERIFY(verifyFile(file).intact());
        AuditLog reopened(file, clock());
        QVERIFY(reopened.chain().intact());
        QVERIFY(reopened.warnings().empty());
    }

    void pagesNewestFirstAndOldestFirst() {
        AuditLog log(path("paging.jsonl"), clock());
        for (int i = 0; i < 7; ++i)
            log.append({{"event", "plan"}, {"n", i}});
        auto first = log.newest(std::nullopt, 3);
        QCOMPARE(seqs(first), (std::vector<std::uint64_t>{7, 6, 5}));
        QVERIFY(first.nextBefore);
        auto second = log.newest(first.nextBefore, 3);
        QCOMPARE(seqs(second), (std::vector<std::uint64_t>{4, 3, 2}));
        auto last = log.newest(second.nextBefore, 3);
        QCOMPARE(seqs(last), (std::vector<std::uint64_t>{1}));
        QVERIFY(!last.nextBefore); // the start of the log
        QCOMPARE(seqs(log.after(4, 2)), (std::vector<std::uint64_t>{5, 6}));
        QVERIFY(log.after(7, 10).entries.empty());
        QVERIFY(log.newest(1, 10).entries.empty());
    }

    void unwritablePathIsAClearError() {
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 AuditLog("/proc/switchboard/audit.jsonl", clock()));
        try {
            AuditLog("/proc/switchboard/audit.jsonl", clock());
        } catch (const std::runtime_error& error) {
            QVERIFY(QString(error.what()).contains("/proc/switchboard/audit.jsonl"));
        }
    }
};

QTEST_APPLESS_MAIN(TestAuditLog)
#include "tst_audit_log.moc"
