#include "RecordingWriter.h"

#include <QLocale>

namespace switchboard {

RecordingWriter::RecordingWriter(qint64 maxBytes, QObject* parent)
    : QObject(parent)
    , m_maxBytes(maxBytes) {
    // A child, so that moveToThread takes the file along.
    m_file.setParent(this);
}

bool RecordingWriter::open(const QString& path, const RecordingFormat::Header& header,
                           QString* error) {
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = tr("cannot write the recording %1: %2").arg(path, m_file.errorString());
        return false;
    }
    if (!write(RecordingFormat::encodeHeader(header)) || !m_file.flush()) {
        *error = tr("cannot write the recording %1: %2").arg(path, m_file.errorString());
        m_file.close();
        return false;
    }
    return true;
}

bool RecordingWriter::write(const QByteArray& line) {
    // QFile buffers; flush() at the end of each batch hands the batch to the system.
    if (m_file.write(line) != line.size())
        return false;
    m_bytes += line.size();
    return true;
}

void RecordingWriter::append(const QList<RecordingFormat::Entry>& entries) {
    if (m_done)
        return;
    for (const RecordingFormat::Entry& entry : entries) {
        const QByteArray line = RecordingFormat::encodeEntry(entry);
        if (m_bytes + line.size() > m_maxBytes - kStoppedLineRoom) {
            finish(entry.t, tr("the recording reached its size cap of %1")
                                .arg(QLocale::c().formattedDataSize(m_maxBytes)));
            emit capReached(m_maxBytes);
            return;
        }
        if (!write(line)) {
            const QString message = tr("cannot write the recording %1: %2")
                                        .arg(m_file.fileName(), m_file.errorString());
            m_done = true;
            m_file.close();
            emit failed(message);
            return;
        }
    }
    if (!m_file.flush()) {
        const QString message =
            tr("cannot write the recording %1: %2").arg(m_file.fileName(), m_file.errorString());
        m_done = true;
        m_file.close();
        emit failed(message);
        return;
    }
    emit progress(m_bytes);
}

void RecordingWriter::close(qint64 t, const QString& reason) {
    if (!m_done)
        finish(t, reason);
    emit closed(m_bytes);
}

void RecordingWriter::finish(qint64 t, const QString& reason) {
    RecordingFormat::Entry stopped;
    stopped.kind = RecordingFormat::Entry::Kind::Stopped;
    stopped.t = t;
    stopped.text = reason;
    const bool ok = write(RecordingFormat::encodeEntry(stopped)) && m_file.flush();
    const QString error = m_file.errorString();
    m_file.close();
    m_done = true;
    if (!ok)
        emit failed(tr("cannot write the recording %1: %2").arg(m_file.fileName(), error));
}

} // namespace switchboard
