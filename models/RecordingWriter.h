#pragma once

#include "RecordingFormat.h"

#include <QFile>
#include <QList>
#include <QObject>

namespace switchboard {

// Writes one recording's lines, on a thread of its own (StreamRecorder moves it there after
// open()): turning frames into lines and the disk's latency stay off the GUI thread. Bounded: past
// `maxBytes` it writes a last "stopped" line, closes the file and says capReached.
class RecordingWriter : public QObject {
    Q_OBJECT
public:
    explicit RecordingWriter(qint64 maxBytes, QObject* parent = nullptr);

    // On the creating thread, before the move: a file that cannot be written is said at once.
    bool open(const QString& path, const RecordingFormat::Header& header, QString* error);

    // The rest on the writer's thread. Lines past a failure or the cap are dropped.
    void append(const QList<RecordingFormat::Entry>& entries);
    // Writes the "stopped" line (unless the file is closed already) and closes the file.
    void close(qint64 t, const QString& reason);

    qint64 bytesWritten() const { return m_bytes; }

signals:
    void progress(qint64 bytes);
    void capReached(qint64 maxBytes);
    // Cannot write (the disk is full, the folder went away): the file is closed.
    void failed(const QString& message);
    void closed(qint64 bytes);

private:
    bool write(const QByteArray& line);
    void finish(qint64 t, const QString& reason);

    // Room kept under the cap for the last line that says why the recording stopped.
    static constexpr qint64 kStoppedLineRoom = 512;

    QFile m_file;
    qint64 m_maxBytes;
    qint64 m_bytes = 0;
    bool m_done = false;
};

} // namespace switchboard
