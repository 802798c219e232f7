// Issue 10's acceptance for record and replay: a Fleet watches a real demo backend on the
// minimal stack for about ten seconds while a StreamRecorder records it; the recording replayed
// as fast as possible into a fresh Fleet gives the same model contents (every row and column's
// DisplayRole of the fleet, breaker, replication, shard and cache models, and the probe and
// breaker lines of the event log), leaving out only the cells that show the wall clock.
#include "AgentSeries.h"
#include "BreakerBoardModel.h"
#include "DemoBackend.h"
#include "EventLogModel.h"
#include "Fleet.h"
#include "LocalStack.h"
#include "ModelContents.h"
#include "StreamRecorder.h"
#include "StreamReplay.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace switchboard;

namespace {

// Connection lines carry the console's own clock and its /metrics scrapes, which a recording
// of the stream does not hold; the rest of the event log comes from the stream.
QStringList streamEvents(const EventLogModel& log) {
    QStringList lines;
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.index(row, EventLogModel::KindColumn).data().toString() ==
            EventLogModel::tr("Connection"))
            continue;
        QStringList cells;
        for (int column = 0; column < EventLogModel::ColumnCount; ++column)
            cells.append(log.index(row, column).data().toString());
        lines.append(cells.join(QStringLiteral(" | ")));
    }
    return lines;
}

struct Contents {
    QStringList fleet, breakers, replication, shards, cache, events;
};

Contents contentsOf(Fleet& fleet) {
    Contents c;
    // The connection column says "Live" or "Stale since 10:02:03"; time in state counts from now.
    c.fleet = model_contents::of(*fleet.model(), {FleetModel::ConnectionColumn});
    c.breakers = model_contents::of(*fleet.breakers(), {BreakerBoardModel::TimeInStateColumn});
    c.replication = model_contents::of(*fleet.replication());
    c.shards = model_contents::of(*fleet.shards());
    c.cache = model_contents::of(*fleet.cache());
    c.events = streamEvents(*fleet.eventLog());
    return c;
}

} // namespace

class TestReplayLive : public QObject {
    Q_OBJECT

    std::unique_ptr<LocalStack> stack_;
    std::unique_ptr<DemoBackend> demo_;
    QTemporaryDir files_;

private slots:
    void initTestCase() {
        QVERIFY(files_.isValid());
        stack_ = std::make_unique<LocalStack>();
        QVERIFY2(stack_->ok(), qPrintable(stack_->error()));
        demo_ = std::make_unique<DemoBackend>(stack_->stackFile(), QStringLiteral("demo-replay"));
        QVERIFY2(demo_->start(), qPrintable(demo_->output()));
    }
    void cleanupTestCase() {
        demo_.reset();
        stack_.reset();
    }

    void aReplayGivesTheSameModelsAsTheLiveRun() {
        const QString path = files_.filePath(QStringLiteral("demo.jsonl"));
        Fleet live;
        StreamRecorder recorder(&live);
        QSignalSpy stopped(&recorder, &StreamRecorder::stopped);
        QString error;
        QVERIFY2(recorder.start(path, &error), qPrintable(error));
        const QString agentId = live.addAgent(demo_->url(), stack_->viewerToken());
        QTRY_COMPARE_WITH_TIMEOUT(live.model()->connectionState(agentId), ConnectionState::Live,
                                  15000);
        // The demo's workload fills the breaker board, the replication and cache models.
        QTRY_VERIFY_WITH_TIMEOUT(live.breakers()->rowCount() > 0 &&
                                     live.replication()->rowCount() > 0 &&
                                     live.cache()->rowCount() > 0,
                                 15000);
        // A recording of some length: ten seconds of events (rates, probes, cache, lag).
        QTest::qWait(10000);

        // Stopped and read in the same turn of the event loop: nothing reaches the models between.
        recorder.stop();
        const Contents recorded = contentsOf(live);
        live.stopAll();
        QVERIFY(stopped.wait(10000));
        QVERIFY2(recorded.fleet.size() == 1, qPrintable(recorded.fleet.join('\n')));
        QVERIFY(!recorded.breakers.isEmpty());
        QVERIFY(!recorded.replication.isEmpty());
        QVERIFY(!recorded.cache.isEmpty());
        QVERIFY(recorder.bytesWritten() > 1000);
        qInfo(
            "recorded %lld bytes; rows: fleet %lld, breakers %lld, replication %lld, shards %lld, "
            "cache %lld, events %lld",
            recorder.bytesWritten(), qlonglong(recorded.fleet.size()),
            qlonglong(recorded.breakers.size()), qlonglong(recorded.replication.size()),
            qlonglong(recorded.shards.size()), qlonglong(recorded.cache.size()),
            qlonglong(recorded.events.size()));

        Fleet replayed;
        StreamReplay replay(&replayed);
        QSignalSpy finished(&replay, &StreamReplay::finished);
        QSignalSpy failed(&replay, &StreamReplay::lineFailed);
        // Read when the last line is in: right after, the replayed agent turns Stale ("the
        // recording ended") and every view says so, which the live run at its stop did not.
        Contents again;
        connect(&replay, &StreamReplay::reachedEnd, this, [&] { again = contentsOf(replayed); });
        QVERIFY2(replay.start(path, {0.0, StreamReplay::Times::AsRecorded}, &error),
                 qPrintable(error));
        QVERIFY(finished.wait(30000));
        QCOMPARE(failed.size(), 0);
        QCOMPARE(replayed.agentIds(), QStringList{agentId});

        QCOMPARE(again.fleet, recorded.fleet);
        QCOMPARE(again.breakers, recorded.breakers);
        QCOMPARE(again.replication, recorded.replication);
        QCOMPARE(again.shards, recorded.shards);
        QCOMPARE(again.cache, recorded.cache);
        QCOMPARE(again.events, recorded.events);
        // The same request rates, point for point, at the agent's own times.
        QCOMPARE(replayed.series().points(requestRateSeries(agentId)),
                 live.series().points(requestRateSeries(agentId)));
        // And the replay says it is over rather than pretend to be live.
        QCOMPARE(replayed.model()->connectionState(agentId), ConnectionState::Stale);
    }
};

QTEST_GUILESS_MAIN(TestReplayLive)
#include "tst_replay_live.moc"
