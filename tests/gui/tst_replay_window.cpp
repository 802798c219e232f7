// --replay from the command line to the window, offscreen: a recording opens with its agent's
// row in the Overview, the status bar says it is a replay and then that it ended, and the window
// can record what it shows. Bad --replay options are refused with a sentence.
#include "CommandLineOptions.h"
#include "Fleet.h"
#include "MainWindow.h"
#include "OverviewView.h"
#include "RecordingControls.h"
#include "RecordingFormat.h"
#include "StreamRecorder.h"
#include "StreamReplay.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace switchboard;

namespace {

constexpr qint64 kT0 = 1'795'000'000'000;
const QString kAgent = QStringLiteral("http://127.0.0.1:1");

QByteArray frame(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// One agent, "replayed-1": a snapshot and a few seconds of request rates.
QByteArray recording() {
    RecordingFormat::Header header;
    header.recordedAtMs = kT0;
    header.agents = {{kAgent, QStringLiteral("one"), QUrl(kAgent)}};
    QByteArray file = RecordingFormat::encodeHeader(header);
    RecordingFormat::Entry entry;
    entry.agent = kAgent;
    const QJsonObject info{{"service", "checkout"}, {"instance", "replayed-1"}, {"protocol", 1}};
    entry.frame = frame({{"type", "snapshot"},
                         {"seq", 1},
                         {"stream", "s"},
                         {"protocol", 1},
                         {"snapshot", QJsonObject{{"revision", 1},
                                                  {"time_ms", kT0},
                                                  {"info", info},
                                                  {"probes", QJsonArray{}},
                                                  {"requests", QJsonObject{}}}}});
    file += RecordingFormat::encodeEntry(entry);
    for (int i = 1; i <= 5; ++i) {
        entry.t = i * 1000;
        entry.frame = frame({{"type", "event"},
                             {"seq", i + 1},
                             {"stream", "s"},
                             {"kind", "requests"},
                             {"time_ms", kT0 + i * 1000},
                             {"data", QJsonObject{{"interval_ms", 1000},
                                                  {"total", 10 * i},
                                                  {"errors", 0},
                                                  {"rate_per_s", 10.0 * i}}}});
        file += RecordingFormat::encodeEntry(entry);
    }
    return file;
}

CommandLineOptions parse(const QStringList& arguments) {
    return CommandLineOptions::parse(QStringList{QStringLiteral("switchboard")} + arguments);
}

} // namespace

class TestReplayWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("demo.jsonl"));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(recording());
    }

    void replayOpensTheWindowWithRows() {
        const CommandLineOptions options =
            parse({QStringLiteral("--replay"), m_path, QStringLiteral("--replay-speed"),
                   QStringLiteral("10")});
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Run);
        QCOMPARE(options.replayPath, m_path);
        QCOMPARE(options.replaySpeed, 10.0);
        QVERIFY(options.agents.isEmpty()); // and no token needed

        Fleet fleet;
        MainWindow window(&fleet);
        QString error;
        QVERIFY2(window.recording()->openRecording(options.replayPath, options.replaySpeed, &error),
                 qPrintable(error));
        window.show();
        QLabel* status = window.recording()->statusLabel();
        QCOMPARE(status->text(), QStringLiteral("Replaying demo.jsonl (×10)"));
        QVERIFY(window.windowTitle().contains(QStringLiteral("replaying demo.jsonl")));

        QTRY_COMPARE(window.overview()->table()->model()->rowCount(), 1);
        QTRY_COMPARE(fleet.displayName(kAgent), QStringLiteral("replayed-1"));
        QSignalSpy finished(window.recording()->replay(), &StreamReplay::finished);
        QVERIFY(finished.wait(5000));
        QVERIFY2(status->text().contains(QStringLiteral("ended")), qPrintable(status->text()));
        QVERIFY(window.windowTitle().contains(QStringLiteral("(ended)")));
        QCOMPARE(fleet.model()->connectionState(kAgent), ConnectionState::Stale);
    }

    void theWindowRecordsWhatItShows() {
        Fleet fleet;
        MainWindow window(&fleet);
        const QString copy = m_dir.filePath(QStringLiteral("copy.jsonl"));
        QString error;
        QVERIFY2(window.recording()->startRecording(copy, &error), qPrintable(error));
        QVERIFY(window.recording()->statusLabel()->text().contains(
            QStringLiteral("Recording to copy.jsonl")));
        QVERIFY2(window.recording()->openRecording(m_path, 0, &error), qPrintable(error));
        QSignalSpy finished(window.recording()->replay(), &StreamReplay::finished);
        QVERIFY(finished.wait(5000));
        QSignalSpy stopped(window.recording()->recorder(), &StreamRecorder::stopped);
        window.recording()->stopRecording();
        QVERIFY(stopped.wait(5000));
        QVERIFY(!window.recording()->statusLabel()->text().contains(QStringLiteral("Recording")));

        // The copy replays into another window's fleet with the same row.
        Fleet again;
        MainWindow other(&again);
        QVERIFY2(other.recording()->openRecording(copy, 0, &error), qPrintable(error));
        QTRY_COMPARE(again.displayName(kAgent), QStringLiteral("replayed-1"));
    }

    void badReplayOptionsAreRefused_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        QTest::newRow("no file") << QStringList{"--replay", "/no/such/file.jsonl"}
                                 << "no such file";
        QTest::newRow("with agents")
            << QStringList{"--replay", "x.jsonl", "--connect", "http://127.0.0.1:1"}
            << "not live agents";
        QTest::newRow("negative speed")
            << QStringList{"--replay", "x.jsonl", "--replay-speed", "-1"} << "0 or more";
        QTest::newRow("speed alone") << QStringList{"--replay-speed", "2"} << "goes with --replay";
    }
    void badReplayOptionsAreRefused() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        for (QString& argument : arguments) {
            if (argument == QLatin1String("x.jsonl"))
                argument = m_path;
        }
        const CommandLineOptions options = parse(arguments);
        QCOMPARE(options.outcome, CommandLineOptions::Outcome::Error);
        QVERIFY2(options.error.contains(error), qPrintable(options.error));
    }
};

QTEST_MAIN(TestReplayWindow)
#include "tst_replay_window.moc"
