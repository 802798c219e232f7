#include "StreamReplay.h"

#include "Fleet.h"

#include <QDateTime>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {

// As fast as possible, this many lines per turn of the event loop: a few milliseconds, so the
// window repaints and answers while an hour's recording goes in.
constexpr int kLinesPerTurn = 200;
// The tail read to find the recording's last time (its lines are far shorter).
constexpr qint64 kTailBytes = 256 * 1024;

} // namespace

StreamReplay::StreamReplay(Fleet* fleet, QObject* parent)
    : QObject(parent)
    , m_fleet(fleet) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &StreamReplay::advance);
}

QString StreamReplay::speedText(double speed) {
    if (speed <= 0)
        return tr("as fast as possible");
    return QStringLiteral("×%1").arg(speed, 0, 'g', 4);
}

bool StreamReplay::start(const QString& path, const Options& options, QString* error) {
    if (m_running) {
        *error = tr("a replay of %1 is running already").arg(m_file.fileName());
        return false;
    }
    if (!(options.speed >= 0) || std::isinf(options.speed)) {
        *error = tr("the replay speed must be 0 (as fast as possible) or more");
        return false;
    }
    m_file.close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read the recording %1: %2").arg(path, m_file.errorString());
        return false;
    }
    QString problem;
    const std::optional<RecordingFormat::Header> header =
        RecordingFormat::decodeHeader(m_file.readLine(), &problem);
    if (!header) {
        *error = tr("%1, line 1: %2").arg(path, problem);
        m_file.close();
        return false;
    }
    m_options = options;
    m_lineNumber = 1;
    m_linesFailed = 0;
    m_recordedReason.clear();
    m_agents.clear();
    m_agentIds.clear();
    m_shift = options.times == Times::AsRecorded
                  ? ReplayTimeShift()
                  : ReplayTimeShift::toNow(header->recordedAtMs, lastTime(path),
                                           QDateTime::currentMSecsSinceEpoch(), options.speed);
    for (const RecordingFormat::Agent& agent : header->agents)
        addAgent(agent.id, agent.url, agent.label);
    m_running = true;
    m_clock.start();
    readNext();
    m_timer.start(0);
    return true;
}

void StreamReplay::stop() {
    if (m_running)
        finish(tr("the replay was stopped"));
}

void StreamReplay::addAgent(const QString& recordedId, const QUrl& url, const QString& label) {
    if (m_agents.contains(recordedId))
        return;
    const QString agentId = m_fleet->addReplayedAgent(recordedId, url, label);
    m_agents.insert(recordedId, agentId);
    m_agentIds.append(agentId);
}

bool StreamReplay::readNext() {
    while (!m_file.atEnd()) {
        const QByteArray line = m_file.readLine();
        ++m_lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QString error;
        std::optional<RecordingFormat::Entry> entry = RecordingFormat::decodeEntry(line, &error);
        if (!entry) {
            ++m_linesFailed;
            emit lineFailed(m_lineNumber, error);
            continue;
        }
        m_next = std::move(entry);
        return true;
    }
    m_next.reset();
    return false;
}

void StreamReplay::advance() {
    int done = 0;
    while (m_running && m_next) {
        if (m_options.speed > 0) {
            const auto due =
                static_cast<qint64>(std::llround(static_cast<double>(m_next->t) / m_options.speed));
            const qint64 now = m_clock.elapsed();
            if (due > now) {
                m_timer.start(static_cast<int>(std::min<qint64>(due - now, 60'000)));
                return;
            }
        }
        const RecordingFormat::Entry entry = std::move(*m_next);
        const int lineNumber = m_lineNumber;
        readNext();
        apply(entry, lineNumber);
        if (++done >= kLinesPerTurn && m_next) {
            m_timer.start(0);
            return;
        }
    }
    if (m_running) {
        emit reachedEnd();
        finish(m_recordedReason);
    }
}

void StreamReplay::apply(const RecordingFormat::Entry& entry, int lineNumber) {
    using Kind = RecordingFormat::Entry::Kind;
    if (entry.kind == Kind::Stopped) {
        m_recordedReason = entry.text;
        return;
    }
    if (entry.kind == Kind::Joined) {
        addAgent(entry.agent, entry.url, entry.text);
        return;
    }
    const QString agentId = m_agents.value(entry.agent);
    AgentClient* client = agentId.isEmpty() ? nullptr : m_fleet->client(agentId);
    if (!client) {
        ++m_linesFailed;
        emit lineFailed(
            lineNumber,
            tr("agent \"%1\" is neither in the header nor joined before").arg(entry.agent));
        return;
    }
    switch (entry.kind) {
    case Kind::Message:
        if (m_shift.isIdentity()) {
            client->replayFrame(entry.frame);
        } else {
            const QJsonDocument document = QJsonDocument::fromJson(entry.frame);
            client->replayFrame(
                document.isObject()
                    ? QJsonDocument(m_shift.apply(document.object())).toJson(QJsonDocument::Compact)
                    : entry.frame);
        }
        break;
    case Kind::State:
        client->replayState(entry.state, entry.text);
        break;
    case Kind::Left:
        m_agents.remove(entry.agent);
        m_agentIds.removeAll(agentId);
        m_fleet->removeAgent(agentId);
        break;
    case Kind::Joined:
    case Kind::Stopped:
        break;
    }
}

void StreamReplay::finish(const QString& reason) {
    m_running = false;
    m_timer.stop();
    m_file.close();
    const QString why =
        reason.isEmpty() ? tr("the recording ended") : tr("the recording ended (%1)").arg(reason);
    for (const QString& agentId : std::as_const(m_agentIds)) {
        if (AgentClient* client = m_fleet->client(agentId))
            client->endReplay(why);
    }
    emit finished(why);
}

qint64 StreamReplay::lastTime(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    file.seek(std::max<qint64>(0, file.size() - kTailBytes));
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        QString error;
        if (const auto entry = RecordingFormat::decodeEntry(*it, &error))
            return entry->t;
    }
    return 0;
}

} // namespace switchboard
