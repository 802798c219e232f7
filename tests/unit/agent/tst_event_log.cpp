// The event log behind stream resumption: exactly the missed events, or nothing when they are
// gone (the caller then sends a snapshot).
#include "event_log.h"

#include <QTest>

using switchboard::EventLog;

class TestEventLog : public QObject {
    Q_OBJECT

    static EventLog filled(std::size_t capacity, int events) {
        EventLog log(capacity);
        for (int seq = 1; seq <= events; ++seq)
            log.append(seq, "e" + std::to_string(seq));
        return log;
    }

private slots:
    void returnsExactlyTheMissedEvents() {
        auto log = filled(10, 7);
        auto missed = log.after(4);
        QVERIFY(missed);
        QCOMPARE(missed->size(), std::size_t(3));
        QCOMPARE(missed->front(), std::string("e5"));
        QCOMPARE(missed->back(), std::string("e7"));
    }

    void upToDateClientMissesNothing() {
        auto log = filled(10, 7);
        auto missed = log.after(7);
        QVERIFY(missed);
        QVERIFY(missed->empty());
    }

    void forgetsBeyondItsCapacity() {
        auto log = filled(5, 12); // keeps 8..12
        QCOMPARE(log.lastSeq(), std::uint64_t(12));
        QVERIFY(!log.after(6)); // 7 is gone
        QVERIFY(log.after(7));  // needs 8 onwards: kept
        QCOMPARE(log.after(7)->size(), std::size_t(5));
    }

    void aClientFromTheFutureIsLost() {
        auto log = filled(5, 3);
        QVERIFY(!log.after(4));
    }

    void emptyLogResumesFromZero() {
        EventLog log(4);
        QVERIFY(log.after(0));
        QVERIFY(log.after(0)->empty());
    }

    void refusesAGapInSequence() {
        EventLog log(4);
        log.append(1, "a");
        QVERIFY_THROWS_EXCEPTION(std::logic_error, log.append(3, "c"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EventLog(0));
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_event_log.moc"
