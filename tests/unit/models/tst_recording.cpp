// Recording and replay without servers: the format's round trip and its errors, the time shift,
// a hand-made recording replayed into a Fleet (bad lines reported by number, the rest applied,
// Stale at the end), the recorder's size cap and open errors, and a replay recorded again and
// replayed giving the same model contents.
#include "AgentSeries.h"
#include "FakeAgentServer.h"
#include "Fleet.h"
#include "ModelContents.h"
#include "RecordingFormat.h"
#include "ReplayTimeShift.h"
#include "StreamFrames.h"
#include "StreamRecorder.h"
#include "StreamReplay.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;
using Entry = RecordingFormat::Entry;

Q_DECLARE_METATYPE(switchboard::RecordingFormat::Entry)

namespace {

constexpr qint64 kT0 = 1'795'000'000'000;
const QString kAgent = QStringLiteral("http://127.0.0.1:1");

Entry entry(Entry::Kind kind, qint64 t, const QString& agent = kAgent) {
    Entry e;
    e.kind = kind;
    e.t = t;
    e.agent = kind == Entry::Kind::Stopped ? QString() : agent;
    return e;
}

Entry message(qint64 t, const QByteArray& frame, const QString& agent = kAgent) {
    Entry e = entry(Entry::Kind::Message, t, agent);
    e.frame = frame;
    return e;
}

QByteArray requestsFrame(qint64 seq, double rate, qint64 timeMs) {
    return stream_frames::eventFrame(
        seq, QStringLiteral("s1"), QStringLiteral("requests"), timeMs,
        {{"interval_ms", 1000}, {"total", 10}, {"errors", 0}, {"rate_per_s", rate}});
}

QByteArray probeFrame(qint64 seq, int status, qint64 timeMs) {
    return stream_frames::eventFrame(seq, QStringLiteral("s1"), QStringLiteral("probe"), timeMs,
                                     {{"name", "redis"},
                                      {"kind", "redis"},
                                      {"status", status},
                                      {"latency_ms", 1.0},
                                      {"error", status == 2 ? "refused" : ""},
                                      {"checked_ms", timeMs}});
}

QByteArray header(const QList<RecordingFormat::Agent>& agents = {{kAgent, "one", QUrl(kAgent)}}) {
    RecordingFormat::Header h;
    h.recordedAtMs = kT0;
    h.agents = agents;
    return RecordingFormat::encodeHeader(h);
}

// A short session: a snapshot, rates, a probe going down, a stale spell and back.
QByteArray session() {
    QByteArray file = header();
    file += RecordingFormat::encodeEntry(
        message(0, stream_frames::snapshotFrame(1, QStringLiteral("s1"), kT0, {})));
    file += RecordingFormat::encodeEntry(message(1000, requestsFrame(2, 12.5, kT0 + 1000)));
    file += RecordingFormat::encodeEntry(message(1500, probeFrame(3, 2, kT0 + 1500)));
    Entry stale = entry(Entry::Kind::State, 1800);
    stale.state = ConnectionState::Stale;
    stale.text = QStringLiteral("connection closed");
    file += RecordingFormat::encodeEntry(stale);
    file += RecordingFormat::encodeEntry(message(2000, requestsFrame(4, 20.0, kT0 + 2000)));
    Entry stopped = entry(Entry::Kind::Stopped, 2100);
    stopped.text = QStringLiteral("stopped");
    file += RecordingFormat::encodeEntry(stopped);
    return file;
}

bool writeFile(const QString& path, const QByteArray& contents) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size();
}

QStringList contents(Fleet& fleet) {
    return model_contents::of(*fleet.model(), {FleetModel::ConnectionColumn}) +
           model_contents::of(*fleet.breakers()) + model_contents::of(*fleet.replication()) +
           model_contents::of(*fleet.cache()) + model_contents::of(*fleet.shards());
}

} // namespace

class TestRecording : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString path(const QString& name) const { return dir_.filePath(name); }

    // Replays `file` into `fleet` as fast as possible, times as recorded; the line failures.
    QList<int> replay(Fleet& fleet, const QString& file) {
        StreamReplay replay(&fleet);
        QSignalSpy finished(&replay, &StreamReplay::finished);
        QList<int> failed;
        connect(&replay, &StreamReplay::lineFailed, this,
                [&failed](int line, const QString&) { failed.append(line); });
        QString error;
        if (!replay.start(file, {0.0, StreamReplay::Times::AsRecorded}, &error)) {
            qWarning() << error;
            return {-1};
        }
        if (!finished.wait(10000))
            return {-2};
        return failed;
    }

private slots:
    void headerRoundTrip() {
        RecordingFormat::Header h;
        h.recordedAtMs = kT0;
        h.agents = {{kAgent, "one", QUrl(kAgent)}, {"b", "two", QUrl("https://x:2")}};
        QString error;
        const auto decoded =
            RecordingFormat::decodeHeader(RecordingFormat::encodeHeader(h), &error);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(*decoded, h);
        const QJsonObject object =
            QJsonDocument::fromJson(RecordingFormat::encodeHeader(h)).object();
        QCOMPARE(object.value("format").toString(), QStringLiteral("switchboard-recording"));
        QCOMPARE(object.value("recorded_at").toString(),
                 QStringLiteral("2026-11-18T11:06:40.000Z"));
    }

    void entryRoundTrip_data() {
        QTest::addColumn<Entry>("entry");
        QTest::newRow("message") << message(5, requestsFrame(2, 1.5, kT0));
        QTest::newRow("not JSON") << message(6, "garbage {");
        QTest::newRow("JSON, not an object") << message(7, "[1,2]");
        Entry state = entry(Entry::Kind::State, 8);
        state.state = ConnectionState::Unauthorized;
        state.text = QStringLiteral("HTTP 401");
        QTest::newRow("state") << state;
        Entry joined = entry(Entry::Kind::Joined, 9, "b");
        joined.text = QStringLiteral("two");
        joined.url = QUrl("http://127.0.0.1:2");
        QTest::newRow("joined") << joined;
        QTest::newRow("left") << entry(Entry::Kind::Left, 10, "b");
        Entry stopped = entry(Entry::Kind::Stopped, 11);
        stopped.text = QStringLiteral("size cap");
        QTest::newRow("stopped") << stopped;
    }
    void entryRoundTrip() {
        QFETCH(Entry, entry);
        const QByteArray line = RecordingFormat::encodeEntry(entry);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // one line, whatever the frame holds
        QString error;
        const auto decoded = RecordingFormat::decodeEntry(line, &error);
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(*decoded, entry);
    }

    void messageIsEmbeddedAsJson() {
        const QJsonObject line =
            QJsonDocument::fromJson(
                RecordingFormat::encodeEntry(message(5, requestsFrame(2, 1.5, kT0))))
                .object();
        QCOMPARE(line.value("t").toInteger(), 5);
        QCOMPARE(line.value("agent").toString(), kAgent);
        QCOMPARE(line.value("message").toObject().value("kind").toString(),
                 QStringLiteral("requests"));
    }

    void badLines_data() {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray("{\"t\":") << "not JSON";
        QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("no t") << QByteArray(R"({"agent":"a","left":true})") << "\"t\"";
        QTest::newRow("no agent") << QByteArray(R"({"t":1,"left":true})") << "\"agent\"";
        QTest::newRow("unknown state")
            << QByteArray(R"({"t":1,"agent":"a","state":"dreaming"})") << "dreaming";
        QTest::newRow("nothing") << QByteArray(R"({"t":1,"agent":"a"})") << "neither";
    }
    void badLines() {
        QFETCH(QByteArray, line);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!RecordingFormat::decodeEntry(line, &message));
        QVERIFY2(message.contains(error), qPrintable(message));
    }

    void badHeaders() {
        QString error;
        QVERIFY(!RecordingFormat::decodeHeader(R"({"format":"other","version":1})", &error));
        QVERIFY2(error.contains("not a Switchboard recording"), qPrintable(error));
        QVERIFY(!RecordingFormat::decodeHeader(R"({"format":"switchboard-recording","version":2})",
                                               &error));
        QVERIFY2(error.contains("version 2"), qPrintable(error));
    }

    void timeShift() {
        const qint64 now = kT0 + 86'400'000;
        const ReplayTimeShift paced = ReplayTimeShift::toNow(kT0, 60'000, now, 1.0);
        QCOMPARE(paced.map(kT0), now);
        QCOMPARE(paced.map(kT0 + 1000), now + 1000);
        QCOMPARE(paced.map(kT0 - 5000), now - 5000); // a breaker open since before the start
        const ReplayTimeShift fast = ReplayTimeShift::toNow(kT0, 60'000, now, 10.0);
        QCOMPARE(fast.map(kT0 + 10'000), now + 1000);
        const ReplayTimeShift unpaced = ReplayTimeShift::toNow(kT0, 60'000, now, 0.0);
        QCOMPARE(unpaced.map(kT0 + 60'000), now); // the end lands at now
        QCOMPARE(unpaced.map(kT0), now - 60'000);
        QVERIFY(ReplayTimeShift().isIdentity());
        QCOMPARE(ReplayTimeShift().map(kT0), kT0);

        const QJsonObject document{
            {"time_ms", kT0},
            {"interval_ms", 1000},
            {"latency_ms", 0.5},
            {"name_ms", "text"},
            {"breakers", QJsonArray{QJsonObject{{"since_ms", kT0 + 1000}, {"seq", kT0}}}}};
        const QJsonObject moved = paced.apply(document);
        QCOMPARE(moved.value("time_ms").toInteger(), now);
        QCOMPARE(moved.value("interval_ms").toInteger(), 1000); // a duration stays
        QCOMPARE(moved.value("latency_ms").toDouble(), 0.5);
        QCOMPARE(moved.value("name_ms").toString(), QStringLiteral("text"));
        const QJsonObject breaker = moved.value("breakers").toArray().at(0).toObject();
        QCOMPARE(breaker.value("since_ms").toInteger(), now + 1000);
        QCOMPARE(breaker.value("seq").toInteger(), kT0); // not a *_ms key
    }

    void replayFeedsTheFleetAndReportsBadLines() {
        QByteArray file = session();
        // Line 3 is garbage, line 4 names an agent never introduced; both skipped.
        const qsizetype afterSnapshot = file.indexOf('\n', file.indexOf('\n') + 1) + 1;
        file.insert(afterSnapshot, QByteArray("this is not JSON\n") +
                                       RecordingFormat::encodeEntry(
                                           message(900, requestsFrame(2, 99, kT0), "ghost")));
        QVERIFY(writeFile(path("session.jsonl"), file));

        Fleet fleet;
        QSignalSpy states(&fleet, &Fleet::connectionStateChanged);
        QCOMPARE(replay(fleet, path("session.jsonl")), (QList<int>{3, 4}));
        QCOMPARE(fleet.agentIds(), QStringList{kAgent});
        QVERIFY(fleet.isReplayed(kAgent));
        QVERIFY(!fleet.actions(kAgent)); // a recording cannot be acted on
        QCOMPARE(fleet.displayName(kAgent), QStringLiteral("fake-1"));
        // Both requests events reached the series, at the agent's own times.
        const auto points = fleet.series().points(requestRateSeries(kAgent));
        QCOMPARE(points.size(), 2);
        QCOMPARE(points.last().timeMs, kT0 + 2000);
        QCOMPARE(points.last().value, 20.0);
        // Live, the recorded stale spell, live again, and Stale at the end, saying why.
        QList<ConnectionState> seen;
        for (const QList<QVariant>& args : states)
            seen.append(args.at(1).value<ConnectionState>());
        QCOMPARE(seen, (QList<ConnectionState>{ConnectionState::Live, ConnectionState::Stale,
                                               ConnectionState::Live, ConnectionState::Stale}));
        QVERIFY2(fleet.client(kAgent)->errorText().contains("recording ended"),
                 qPrintable(fleet.client(kAgent)->errorText()));
    }

    void replayKeepsThePace() {
        QByteArray file = header();
        file += RecordingFormat::encodeEntry(
            message(0, stream_frames::snapshotFrame(1, QStringLiteral("s1"), kT0, {})));
        file += RecordingFormat::encodeEntry(message(3000, requestsFrame(2, 1, kT0 + 3000)));
        QVERIFY(writeFile(path("paced.jsonl"), file));
        Fleet fleet;
        StreamReplay replay(&fleet);
        QSignalSpy finished(&replay, &StreamReplay::finished);
        QString error;
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(
            replay.start(path("paced.jsonl"), {10.0, StreamReplay::Times::ShiftedToNow}, &error),
            qPrintable(error));
        QVERIFY(finished.wait(5000));
        QVERIFY2(clock.elapsed() >= 290 && clock.elapsed() < 2500,
                 qPrintable(QString::number(clock.elapsed())));
        // Shifted: the last point is about now, not in 2026.
        const auto points = fleet.series().points(requestRateSeries(kAgent));
        QCOMPARE(points.size(), 1);
        QVERIFY(qAbs(points.last().timeMs - QDateTime::currentMSecsSinceEpoch()) < 5000);
        QCOMPARE(StreamReplay::speedText(10), QStringLiteral("×10"));
        QCOMPARE(StreamReplay::speedText(0), QStringLiteral("as fast as possible"));
    }

    void replayRefusesWhatIsNoRecording() {
        Fleet fleet;
        StreamReplay replay(&fleet);
        QString error;
        QVERIFY(!replay.start(path("missing.jsonl"), {}, &error));
        QVERIFY2(error.contains("cannot read"), qPrintable(error));
        QVERIFY(writeFile(path("other.jsonl"), "{\"hello\":1}\n"));
        QVERIFY(!replay.start(path("other.jsonl"), {}, &error));
        QVERIFY2(error.contains("line 1"), qPrintable(error));
        QVERIFY(fleet.agentIds().isEmpty());
    }

    void recorderCannotOpen() {
        Fleet fleet;
        StreamRecorder recorder(&fleet);
        QString error;
        QVERIFY(!recorder.start(path("no/such/folder/r.jsonl"), &error));
        QVERIFY2(error.contains("no/such/folder"), qPrintable(error));
        QVERIFY(!recorder.isRecording());
    }

    void recorderStopsAtItsSizeCap() {
        Fleet fleet;
        StreamRecorder recorder(&fleet);
        recorder.setOptions({8 * 1024, std::chrono::milliseconds(10)});
        QSignalSpy failed(&recorder, &StreamRecorder::failed);
        QSignalSpy stopped(&recorder, &StreamRecorder::stopped);
        QString error;
        QVERIFY2(recorder.start(path("capped.jsonl"), &error), qPrintable(error));
        const QByteArray frame = requestsFrame(2, 1.0, kT0);
        for (int i = 0; i < 200 && recorder.isRecording(); ++i) {
            emit fleet.frameReceived(kAgent, frame);
            QTest::qWait(1);
        }
        QVERIFY(stopped.wait(5000) || stopped.size() == 1);
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains("size cap of 8"),
                 qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(!recorder.isRecording());
        QFile file(path("capped.jsonl"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.size() <= 8 * 1024);
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QVERIFY(lines.size() > 10);
        QString problem;
        QVERIFY(RecordingFormat::decodeHeader(lines.first(), &problem));
        for (qsizetype i = 1; i < lines.size(); ++i)
            QVERIFY2(RecordingFormat::decodeEntry(lines.at(i), &problem), qPrintable(problem));
        const auto last = RecordingFormat::decodeEntry(lines.last(), &problem);
        QCOMPARE(last->kind, Entry::Kind::Stopped);
        QVERIFY(last->text.contains("size cap"));
    }

    void aRecordedReplayReplaysTheSame() {
        QVERIFY(writeFile(path("first.jsonl"), session()));
        Fleet first;
        StreamRecorder recorder(&first);
        QSignalSpy stopped(&recorder, &StreamRecorder::stopped);
        QString error;
        QVERIFY2(recorder.start(path("second.jsonl"), &error), qPrintable(error));
        QCOMPARE(replay(first, path("first.jsonl")), QList<int>{});
        recorder.stop();
        QVERIFY(stopped.wait(5000));

        Fleet second;
        QCOMPARE(replay(second, path("second.jsonl")), QList<int>{});
        QCOMPARE(second.agentIds(), first.agentIds());
        QVERIFY(!contents(first).isEmpty());
        QCOMPARE(contents(second), contents(first));
        QCOMPARE(second.series().points(requestRateSeries(kAgent)).size(), 2);
    }

    void aRecordingStartedWhileLiveBeginsWithASnapshot() {
        FakeAgentServer server;
        QVERIFY(server.listen());
        server.setGreeting(QStringLiteral("s1"), 5);
        Fleet fleet;
        const QString agentId = fleet.addAgent(server.url(), QStringLiteral("t"));
        QTRY_COMPARE(fleet.model()->connectionState(agentId), ConnectionState::Live);
        server.sendRequests(6, QStringLiteral("s1"), 3.0);
        QTRY_COMPARE(fleet.client(agentId)->lastSeq(), qint64(6));

        StreamRecorder recorder(&fleet);
        QSignalSpy stopped(&recorder, &StreamRecorder::stopped);
        QString error;
        QVERIFY2(recorder.start(path("late.jsonl"), &error), qPrintable(error));
        // The client reconnects without a position: the agent answers with a whole snapshot.
        QTRY_COMPARE(server.connectionCount(), 2);
        QVERIFY(!server.requestUrls().last().hasQuery());
        QTRY_VERIFY(fleet.client(agentId)->lastSeq() == 5);
        server.sendRequests(6, QStringLiteral("s1"), 4.0);
        QTRY_COMPARE(fleet.client(agentId)->lastSeq(), qint64(6));
        recorder.stop();
        QVERIFY(stopped.wait(5000));

        QFile file(path("late.jsonl"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QString problem;
        const auto header = RecordingFormat::decodeHeader(lines.first(), &problem);
        QVERIFY2(header, qPrintable(problem));
        QCOMPARE(header->agents.size(), 1);
        QCOMPARE(header->agents.first().id, agentId);
        QCOMPARE(header->agents.first().label, QStringLiteral("fake-1"));
        QList<Entry> messages;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const auto decoded = RecordingFormat::decodeEntry(lines.at(i), &problem);
            QVERIFY2(decoded, qPrintable(problem));
            if (decoded->kind == Entry::Kind::Message)
                messages.append(*decoded);
        }
        QCOMPARE(messages.size(), 2);
        QVERIFY(messages.first().frame.contains("\"type\":\"snapshot\""));

        // And it replays into a live-looking row on its own.
        Fleet replayed;
        QCOMPARE(replay(replayed, path("late.jsonl")), QList<int>{});
        QCOMPARE(replayed.displayName(agentId), QStringLiteral("fake-1"));
        QVERIFY(!replayed.series().points(requestRateSeries(agentId)).isEmpty());
    }

    void initTestCase() { QVERIFY(dir_.isValid()); }
};

QTEST_GUILESS_MAIN(TestRecording)
#include "tst_recording.moc"
