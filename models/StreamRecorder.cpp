#include "StreamRecorder.h"

#include "Fleet.h"
#include "RecordingWriter.h"

#include <QDateTime>
#include <QLocale>
#include <QThread>
#include <utility>

namespace switchboard {

namespace {

// A burst (a fleet's snapshots at once) is handed over before the timer, to bound the memory
// held on the GUI thread.
constexpr qsizetype kBatchLimit = 2000;

} // namespace

StreamRecorder::StreamRecorder(Fleet* fleet, QObject* parent)
    : QObject(parent)
    , m_fleet(fleet) {
    connect(&m_flushTimer, &QTimer::timeout, this, &StreamRecorder::flush);
}

StreamRecorder::~StreamRecorder() {
    if (!m_thread)
        return;
    if (m_recording) {
        m_recording = false;
        m_fleet->disconnect(this);
        // The last batch and the closing line, written before the thread ends: a console that
        // quits while recording leaves a complete file.
        const QList<RecordingFormat::Entry> batch = std::exchange(m_pending, {});
        const qint64 t = elapsed();
        RecordingWriter* writer = m_writer;
        QMetaObject::invokeMethod(
            writer,
            [writer, batch, t] {
                writer->append(batch);
                writer->close(t, tr("the console quit"));
            },
            Qt::BlockingQueuedConnection);
    } else {
        // stop() queued the close: let it run before the thread ends.
        QMetaObject::invokeMethod(
            m_writer, [] {}, Qt::BlockingQueuedConnection);
    }
    m_writer->disconnect(this);
    m_thread->quit();
    m_thread->wait();
    delete m_writer;
    delete m_thread;
}

bool StreamRecorder::start(const QString& path, QString* error) {
    if (m_recording) {
        *error = tr("a recording into %1 is running already").arg(m_path);
        return false;
    }
    if (m_thread) // the previous recording's file is still being closed: a moment at most
        onWriterClosed();

    RecordingFormat::Header header;
    header.recordedAtMs = QDateTime::currentMSecsSinceEpoch();
    for (const QString& agentId : m_fleet->agentIds()) {
        const AgentClient* client = m_fleet->client(agentId);
        header.agents.append(
            {agentId, m_fleet->displayName(agentId), client ? client->baseUrl() : QUrl()});
    }
    auto* writer = new RecordingWriter(m_options.maxBytes);
    if (!writer->open(path, header, error)) {
        delete writer;
        return false;
    }
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("recording writer"));
    writer->moveToThread(m_thread);
    m_writer = writer;
    // Queued from the writer's thread: a late signal of an earlier recording's writer is ignored.
    connect(writer, &RecordingWriter::progress, this, [this, writer](qint64 bytes) {
        if (writer != m_writer)
            return;
        m_bytes = bytes;
        emit progress(bytes);
    });
    connect(writer, &RecordingWriter::capReached, this, [this, writer] {
        if (writer != m_writer)
            return;
        const QString message =
            tr("Recording into %1 stopped: it reached its size cap of %2")
                .arg(m_path, QLocale::c().formattedDataSize(m_options.maxBytes));
        end(message);
        emit failed(message);
    });
    connect(writer, &RecordingWriter::failed, this, [this, writer](const QString& message) {
        if (writer != m_writer)
            return;
        end(message);
        emit failed(tr("Recording stopped: %1").arg(message));
    });
    connect(writer, &RecordingWriter::closed, this, [this, writer](qint64 bytes) {
        if (writer != m_writer)
            return;
        m_bytes = bytes;
        onWriterClosed();
    });
    m_thread->start();

    m_path = path;
    m_bytes = writer->bytesWritten();
    m_endReason.clear();
    m_pending.clear();
    m_recording = true;
    m_clock.start();

    connect(m_fleet, &Fleet::frameReceived, this,
            [this](const QString& agentId, const QByteArray& frame) {
                RecordingFormat::Entry entry;
                entry.kind = RecordingFormat::Entry::Kind::Message;
                entry.agent = agentId;
                entry.frame = frame;
                add(std::move(entry));
            });
    connect(m_fleet, &Fleet::connectionStateChanged, this,
            [this](const QString& agentId, ConnectionState state) {
                RecordingFormat::Entry entry;
                entry.kind = RecordingFormat::Entry::Kind::State;
                entry.agent = agentId;
                entry.state = state;
                if (const AgentClient* client = m_fleet->client(agentId))
                    entry.text = client->errorText();
                add(std::move(entry));
            });
    connect(m_fleet, &Fleet::agentAdded, this, [this](const QString& agentId) {
        RecordingFormat::Entry entry;
        entry.kind = RecordingFormat::Entry::Kind::Joined;
        entry.agent = agentId;
        entry.text = m_fleet->displayName(agentId);
        if (const AgentClient* client = m_fleet->client(agentId))
            entry.url = client->baseUrl();
        add(std::move(entry));
    });
    connect(m_fleet, &Fleet::agentRemoved, this, [this](const QString& agentId) {
        RecordingFormat::Entry entry;
        entry.kind = RecordingFormat::Entry::Kind::Left;
        entry.agent = agentId;
        add(std::move(entry));
    });
    m_flushTimer.start(m_options.flushEvery);
    // Agents streaming already: a new snapshot each, so the recording holds their whole state.
    m_fleet->restartStreams();
    emit started(path);
    return true;
}

void StreamRecorder::stop() {
    end(tr("stopped"));
}

void StreamRecorder::add(RecordingFormat::Entry entry) {
    entry.t = elapsed();
    m_pending.append(std::move(entry));
    if (m_pending.size() >= kBatchLimit)
        flush();
}

void StreamRecorder::flush() {
    if (m_pending.isEmpty() || !m_writer)
        return;
    QMetaObject::invokeMethod(
        m_writer,
        [writer = m_writer, batch = std::exchange(m_pending, {})] { writer->append(batch); },
        Qt::QueuedConnection);
}

void StreamRecorder::end(const QString& reason) {
    if (!m_recording)
        return;
    m_recording = false;
    m_flushTimer.stop();
    m_fleet->disconnect(this);
    flush();
    m_endReason = reason;
    QMetaObject::invokeMethod(
        m_writer, [writer = m_writer, t = elapsed(), reason] { writer->close(t, reason); },
        Qt::QueuedConnection);
}

void StreamRecorder::onWriterClosed() {
    if (!m_thread || m_recording)
        return;
    // Called from start() the close may still be queued: let the writer's thread run what is
    // queued before it (events run in order), then end it.
    QMetaObject::invokeMethod(
        m_writer, [] {}, Qt::BlockingQueuedConnection);
    m_writer->disconnect(this);
    m_thread->quit();
    m_thread->wait();
    delete m_writer;
    m_writer = nullptr;
    delete m_thread;
    m_thread = nullptr;
    emit stopped(m_path, m_endReason);
}

} // namespace switchboard
