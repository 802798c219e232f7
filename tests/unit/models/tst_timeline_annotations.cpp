// TimelineAnnotations: one timeline of breaker flips, drills, connection changes and actions,
// in time order, each event once, bounded.
#include "ActionJob.h"
#include "BreakerTimelineModel.h"
#include "DrillHistoryModel.h"
#include "EventLogModel.h"
#include "TimelineAnnotations.h"

#include <QSignalSpy>
#include <QTest>

using namespace switchboard;

class TstTimelineAnnotations : public QObject {
    Q_OBJECT

private slots:
    void keepsTimeOrderAndEachIdentityOnce() {
        TimelineAnnotations timeline;
        QSignalSpy changed(&timeline, &TimelineAnnotations::changed);
        QVERIFY(timeline.add({2000, TimelineAnnotation::Kind::Action, "b", "x", "id-b"}));
        QVERIFY(timeline.add({1000, TimelineAnnotation::Kind::Drill, "a", "", "id-a"}));
        QVERIFY(timeline.add({3000, TimelineAnnotation::Kind::Breaker, "c", "x", "id-c"}));
        QVERIFY(!timeline.add({5000, TimelineAnnotation::Kind::Breaker, "again", "x", "id-c"}));
        QCOMPARE(changed.count(), 3);
        QCOMPARE(timeline.all().size(), 3);
        QCOMPARE(timeline.all().at(0).text, QStringLiteral("a"));
        QCOMPARE(timeline.all().at(2).text, QStringLiteral("c"));
        const auto middle = timeline.between(1500, 3000);
        QCOMPARE(middle.size(), 2);
        QCOMPARE(middle.front().timeMs, 2000);
        QCOMPARE(middle.back().timeMs, 3000);
    }

    void dropsTheOldestPastCapacity() {
        TimelineAnnotations timeline(3);
        for (int i = 0; i < 5; ++i)
            timeline.add({1000LL * i, TimelineAnnotation::Kind::Connection, QString::number(i), "",
                          QString::number(i)});
        QCOMPARE(timeline.all().size(), 3);
        QCOMPARE(timeline.all().front().timeMs, 2000);
        // An event older than all a full timeline keeps is not taken in...
        QVERIFY(!timeline.add({500, TimelineAnnotation::Kind::Connection, "old", "", "old"}));
        // ...and a dropped one's identity is forgotten with it.
        QVERIFY(!timeline.add({0, TimelineAnnotation::Kind::Connection, "0", "", "0"}));
        QVERIFY(timeline.add({9000, TimelineAnnotation::Kind::Connection, "0", "", "0"}));
    }

    void readsBreakerTransitions() {
        BreakerTimelineModel breakers;
        breakers.append({1000, "agent-1", "demo/a", "payments", "closed", "open", "failure_rate"});
        TimelineAnnotations timeline;
        timeline.watchBreakers(&breakers);
        QCOMPARE(timeline.all().size(), 1);
        breakers.append({2000, "agent-1", "demo/a", "payments", "open", "half_open", "timeout"});
        QCOMPARE(timeline.all().size(), 2);
        const TimelineAnnotation last = timeline.all().back();
        QCOMPARE(last.timeMs, 2000);
        QCOMPARE(last.kind, TimelineAnnotation::Kind::Breaker);
        QCOMPARE(last.agentId, QStringLiteral("agent-1"));
        QVERIFY2(last.text.contains(QLatin1String("payments")), qPrintable(last.text));
        QVERIFY2(last.text.contains(QLatin1String("half_open")), qPrintable(last.text));
    }

    void readsDrillsOnceThoughTheListComesAgain() {
        DrillHistoryModel drills;
        DrillResult drill;
        drill.id = QStringLiteral("d1");
        drill.kind = QStringLiteral("switchover");
        drill.mode = QStringLiteral("live");
        drill.region = QStringLiteral("us-east");
        drill.outcome = QStringLiteral("succeeded");
        drill.startedMs = 10'000;
        TimelineAnnotations timeline;
        timeline.watchDrills(&drills);
        drills.setDrills({drill});
        QCOMPARE(timeline.all().size(), 1); // running: its start only
        drill.finishedMs = 12'000;
        drills.setDrills({drill});
        drills.setDrills({drill});
        QCOMPARE(timeline.all().size(), 2);
        QCOMPARE(timeline.all().back().timeMs, 12'000);
        QVERIFY(timeline.all().back().text.contains(QLatin1String("succeeded")));
    }

    void readsConnectionChangesButNotBreakerLines() {
        EventLogModel log;
        TimelineAnnotations timeline;
        timeline.watchEventLog(&log);
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(5000);
        log.append({at, "demo/a", EventLogEntry::Kind::Connection, Health::Down, "disconnected"});
        log.append({at, "demo/a", EventLogEntry::Kind::Breaker, Health::Down, "payments open"});
        QCOMPARE(timeline.all().size(), 1);
        QCOMPARE(timeline.all().front().kind, TimelineAnnotation::Kind::Connection);
        QCOMPARE(timeline.all().front().timeMs, 5000);
    }

    void aJobIsItsStartAndItsEnd() {
        ActionJob job;
        job.id = QStringLiteral("j1");
        job.kind = QStringLiteral("breaker.override");
        job.target = QStringLiteral("payments");
        job.state = QStringLiteral("running");
        job.startedMs = 7000;
        QCOMPARE(TimelineAnnotations::fromJob(job, "agent-1").size(), 1);
        job.state = QStringLiteral("succeeded");
        job.finishedMs = 7500;
        const auto both = TimelineAnnotations::fromJob(job, "agent-1");
        QCOMPARE(both.size(), 2);
        QCOMPARE(both.at(0).kind, TimelineAnnotation::Kind::Action);
        QCOMPARE(both.at(1).timeMs, 7500);
        TimelineAnnotations timeline;
        for (const auto& annotation : both)
            timeline.add(annotation);
        for (const auto& annotation : TimelineAnnotations::fromJob(job, "agent-1"))
            timeline.add(annotation);
        QCOMPARE(timeline.all().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstTimelineAnnotations)
#include "tst_timeline_annotations.moc"
