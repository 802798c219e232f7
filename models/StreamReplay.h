#pragma once

#include "RecordingFormat.h"
#include "ReplayTimeShift.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace switchboard {

class Fleet;

// Plays a recording (RecordingFormat, docs/recording.md) into a Fleet as if its agents were
// live: each recorded agent joins as a replayed agent (Fleet::addReplayedAgent) and its frames go
// through AgentClient's own checks and signals, so every model is fed as from the socket. At the
// recorded pace times a speed, or as fast as possible (speed 0, for tests), a few hundred lines
// per turn of the event loop so the window stays responsive. A line that cannot be read is
// reported with its number and skipped; the rest is replayed. At the end every replayed agent is
// Stale with "the recording ended": no view goes on pretending it is live.
class StreamReplay : public QObject {
    Q_OBJECT
public:
    enum class Times {
        ShiftedToNow, // ReplayTimeShift::toNow: charts and "since" read as recent (the console)
        AsRecorded,   // the agents' own times (tests comparing with the live run)
    };
    struct Options {
        double speed = 1.0; // 1: the recorded pace; 10: ten times as fast; 0: as fast as possible
        Times times = Times::ShiftedToNow;
    };

    explicit StreamReplay(Fleet* fleet, QObject* parent = nullptr);

    // Reads the header and starts. False, with `error` set, when the file cannot be read or is
    // not a recording this console reads.
    bool start(const QString& path, const Options& options, QString* error);
    // Ends the replay now, as if the recording ended here.
    void stop();

    bool isRunning() const { return m_running; }
    QString path() const { return m_file.fileName(); }
    Options options() const { return m_options; }
    // The replayed agents' Fleet ids, in the order they joined.
    QStringList agentIds() const { return m_agentIds; }
    int linesFailed() const { return m_linesFailed; }

    // "×10", "×0.5", "as fast as possible": for the status bar.
    static QString speedText(double speed);

signals:
    // A line that is not JSON, not a recording's line, or names an agent the recording never
    // introduced: skipped, the rest is replayed. `lineNumber` counts from 1 (the header).
    void lineFailed(int lineNumber, const QString& message);
    // Every line is applied and the models hold the recording's last state, as the live run's
    // did when it stopped; right after, the agents turn Stale and finished() follows.
    void reachedEnd();
    // The end of the recording (or stop()); `reason` is the recording's own last word when it
    // has one ("stopped", "reached its size cap…").
    void finished(const QString& reason);

private:
    void advance();
    bool readNext();
    void apply(const RecordingFormat::Entry& entry, int lineNumber);
    void addAgent(const QString& recordedId, const QUrl& url, const QString& label);
    void finish(const QString& reason);
    static qint64 lastTime(const QString& path);

    Fleet* m_fleet;
    Options m_options;
    QFile m_file;
    bool m_running = false;
    int m_lineNumber = 0;
    int m_linesFailed = 0;
    QString m_recordedReason;
    std::optional<RecordingFormat::Entry> m_next;
    ReplayTimeShift m_shift;
    QElapsedTimer m_clock;
    QTimer m_timer;
    QHash<QString, QString> m_agents; // recorded id → Fleet id
    QStringList m_agentIds;
};

} // namespace switchboard
