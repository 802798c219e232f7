// ReplayStall as pure logic: a standby replaying or caught up is not stalled; one behind at the
// same replay position is stalled since it was last caught up or moved; standbys are apart.
#include "replay_stall.h"

#include <QTest>

using switchboard::ReplayStall;

class TestReplayStall : public QObject {
    Q_OBJECT

private slots:
    void replayingOrCaughtUpIsNotStalled() {
        ReplayStall stall;
        QCOMPARE(stall.observe("r1", 100, 0, 1000), 0.0);
        QCOMPARE(stall.observe("r1", 200, 50, 2000), 0.0); // behind, but it moved
        QCOMPARE(stall.observe("r1", 300, 50, 3000), 0.0);
        QCOMPARE(stall.observe("r1", 300, 0, 4000), 0.0); // caught up, idle
        QCOMPARE(stall.observe("r1", 300, 0, 9000), 0.0);
    }

    void behindAtTheSamePositionIsStalledSinceItLastMoved() {
        ReplayStall stall;
        QCOMPARE(stall.observe("r1", 300, 0, 1000), 0.0);  // caught up at 1 s
        QCOMPARE(stall.observe("r1", 300, 80, 2000), 1.0); // writes came, replay did not move
        QCOMPARE(stall.observe("r1", 300, 4000, 6500), 5.5);
        QCOMPARE(stall.observe("r1", 4300, 0, 7000), 0.0); // resumed and caught up
    }

    void standbysAreTrackedApart() {
        ReplayStall stall;
        stall.observe("r1", 10, 0, 0);
        stall.observe("r2", 10, 0, 0);
        QCOMPARE(stall.observe("r1", 10, 5, 3000), 3.0);
        QCOMPARE(stall.observe("r2", 20, 5, 3000), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestReplayStall)
#include "tst_replay_stall.moc"
