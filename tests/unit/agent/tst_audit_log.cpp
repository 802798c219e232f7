// The audit log on disk: numbered and timed entries, kept across a reopen (an agent restart), a
// torn last line skipped without swallowing the next entry, and paging both ways.
#include "audit_log.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using nlohmann::json;
using switchboard::AuditLog;

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
