#pragma once

#include "ConnectionState.h"
#include "RecordingFormat.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <chrono>

class QThread;

namespace switchboard {

class Fleet;
class RecordingWriter;

// Records what a Fleet's agents stream into one file (RecordingFormat, docs/recording.md): every
// frame as received and before it is parsed, connection state changes, agents joining and
// leaving. The GUI thread only collects; a RecordingWriter on its own thread writes every
// `flushEvery`, so a slow disk never stalls the views. A recording started while agents are live
// asks each for a new snapshot first, so that it begins with their whole state.
class StreamRecorder : public QObject {
    Q_OBJECT
public:
    struct Options {
        qint64 maxBytes = qint64(256) * 1024 * 1024;
        std::chrono::milliseconds flushEvery{250};
    };

    explicit StreamRecorder(Fleet* fleet, QObject* parent = nullptr);
    // Closes the file: the last batch is written before the writer's thread ends.
    ~StreamRecorder() override;

    void setOptions(const Options& options) { m_options = options; }
    Options options() const { return m_options; }

    // Starts recording into `path` (truncated). False, with `error` set, when it cannot be
    // written, or while a recording runs.
    bool start(const QString& path, QString* error);
    // Stops: the rest is written and the file closed, then stopped() follows.
    void stop();

    bool isRecording() const { return m_recording; }
    QString path() const { return m_path; }
    qint64 bytesWritten() const { return m_bytes; }

signals:
    void started(const QString& path);
    // The file is complete and closed; `reason` is its last line's (stopped, size cap, failure).
    void stopped(const QString& path, const QString& reason);
    // The recording stopped on its own: the size cap, or a write that failed (the disk is full).
    void failed(const QString& message);
    void progress(qint64 bytes);

private:
    qint64 elapsed() const { return m_clock.elapsed(); }
    void add(RecordingFormat::Entry entry);
    void flush();
    void end(const QString& reason);
    void onWriterClosed();

    Fleet* m_fleet;
    Options m_options;
    bool m_recording = false;
    QString m_path;
    QString m_endReason;
    qint64 m_bytes = 0;
    QElapsedTimer m_clock;
    QList<RecordingFormat::Entry> m_pending;
    QTimer m_flushTimer;
    QThread* m_thread = nullptr;         // the current recording's; ends after its file is closed
    RecordingWriter* m_writer = nullptr; // lives on m_thread
};

} // namespace switchboard
