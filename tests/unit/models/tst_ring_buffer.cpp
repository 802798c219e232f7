// RingBuffer: drops the oldest when full, grows its storage by doubling up to its capacity and
// no further, scans across the wrap in order, and drops its newest on pop_back.
#include "RingBuffer.h"

#include <QList>
#include <QTest>

using switchboard::RingBuffer;

namespace {

QList<int> contents(const RingBuffer<int>& ring, qsizetype first = 0, qsizetype last = -1) {
    QList<int> values;
    ring.forEach(first, last < 0 ? ring.size() : last, [&](int value) { values.append(value); });
    return values;
}

} // namespace

class TestRingBuffer : public QObject {
    Q_OBJECT

private slots:
    void dropsTheOldest() {
        RingBuffer<int> ring(3);
        QVERIFY(ring.isEmpty());
        for (int i = 1; i <= 5; ++i)
            ring.push_back(i);
        QCOMPARE(ring.size(), 3);
        QCOMPARE(ring.front(), 3);
        QCOMPARE(ring.back(), 5);
        ring.pop_front();
        QCOMPARE(ring.front(), 4);
        ring.push_back(6);
        ring.push_back(7);
        QCOMPARE(ring.at(0), 5);
        QCOMPARE(ring.at(2), 7);
        ring.clear();
        QCOMPARE(ring.size(), 0);
    }

    void popBackAcrossTheWrap() {
        RingBuffer<int> ring(4);
        for (int i = 1; i <= 6; ++i)
            ring.push_back(i); // 3 4 5 6, the head past the start of the storage
        ring.pop_back();
        ring.pop_back();
        QCOMPARE(contents(ring), (QList<int>{3, 4}));
        ring.push_back(7);
        ring.push_back(8);
        ring.push_back(9); // full again: 3 goes
        QCOMPARE(contents(ring), (QList<int>{4, 7, 8, 9}));
        for (int i = 0; i < 5; ++i)
            ring.pop_back(); // one more than it holds: a no-op at empty
        QVERIFY(ring.isEmpty());
        ring.push_back(10);
        QCOMPARE(contents(ring), QList<int>{10});
    }

    void growsByDoublingUpToItsCapacity() {
        RingBuffer<int> ring(10, 2);
        QCOMPARE(ring.allocated(), 2);
        QList<qsizetype> allocations;
        for (int i = 0; i < 100; ++i) {
            ring.push_back(i);
            if (allocations.isEmpty() || allocations.back() != ring.allocated())
                allocations.append(ring.allocated());
        }
        QCOMPARE(allocations, (QList<qsizetype>{2, 4, 8, 10}));
        QCOMPARE(ring.size(), 10);
        QCOMPARE(contents(ring), (QList<int>{90, 91, 92, 93, 94, 95, 96, 97, 98, 99}));
    }

    void growingKeepsOrderAcrossTheWrap() {
        RingBuffer<int> ring(16, 4);
        for (int i = 1; i <= 4; ++i)
            ring.push_back(i);
        ring.pop_front();
        ring.pop_front();
        ring.push_back(5);
        ring.push_back(6); // full again, head in the middle of the storage
        QCOMPARE(ring.allocated(), 4);
        ring.push_back(7); // grows with the oldest first again
        QCOMPARE(ring.allocated(), 8);
        QCOMPARE(contents(ring), (QList<int>{3, 4, 5, 6, 7}));
    }

    void forEachScansAcrossTheWrap() {
        RingBuffer<int> ring(5);
        for (int i = 0; i < 8; ++i)
            ring.push_back(i); // storage [5 6 7 3 4], head at 3
        QCOMPARE(contents(ring), (QList<int>{3, 4, 5, 6, 7}));
        QCOMPARE(contents(ring, 1, 4), (QList<int>{4, 5, 6}));
        QCOMPARE(contents(ring, 2, 3), (QList<int>{5}));
        QCOMPARE(contents(ring, 3, 3), QList<int>{});
        QCOMPARE(contents(ring, -2, 99), (QList<int>{3, 4, 5, 6, 7})); // clamped
    }
};

QTEST_GUILESS_MAIN(TestRingBuffer)
#include "tst_ring_buffer.moc"
