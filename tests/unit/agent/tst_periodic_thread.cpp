// The agent's periodic threads: run at once or after the first interval, and stop at once
// (the host's shutdown must not wait out an interval).
#include "periodic_thread.h"

#include <QElapsedTimer>
#include <QTest>
#include <atomic>

using switchboard::PeriodicThread;

class TestPeriodicThread : public QObject {
    Q_OBJECT

private slots:
    void runsAtOnceByDefault() {
        std::atomic<int> runs{0};
        PeriodicThread thread(std::chrono::hours(1), [&] { ++runs; });
        QTRY_COMPARE(runs.load(), 1);
    }

    void waitsAnIntervalWhenAsked() {
        std::atomic<int> runs{0};
        PeriodicThread thread(
            std::chrono::hours(1), [&] { ++runs; }, PeriodicThread::FirstRun::AfterInterval);
        QTest::qWait(100);
        QCOMPARE(runs.load(), 0);
    }

    void repeats() {
        std::atomic<int> runs{0};
        PeriodicThread thread(std::chrono::milliseconds(5), [&] { ++runs; });
        QTRY_VERIFY(runs.load() >= 3);
    }

    void stopsWithoutWaitingOutTheInterval() {
        PeriodicThread thread(std::chrono::hours(1), [] {});
        QElapsedTimer timer;
        timer.start();
        thread.stop();
        QVERIFY(timer.elapsed() < 5000);
        thread.stop(); // twice is fine
    }

    void aThrowingTaskDoesNotEscape() {
        std::atomic<int> runs{0};
        PeriodicThread thread(std::chrono::milliseconds(5), [&] {
            ++runs;
            throw std::runtime_error("probe bug");
        });
        QTRY_VERIFY(runs.load() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestPeriodicThread)
#include "tst_periodic_thread.moc"
