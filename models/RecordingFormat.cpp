#include "RecordingFormat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <array>
#include <utility>

namespace switchboard {

namespace {

const QString kFormat = QStringLiteral("format");
const QString kVersionKey = QStringLiteral("version");
const QString kRecordedAt = QStringLiteral("recorded_at");
const QString kRecordedAtMs = QStringLiteral("recorded_at_ms");
const QString kAgents = QStringLiteral("agents");
const QString kId = QStringLiteral("id");
const QString kLabel = QStringLiteral("label");
const QString kUrl = QStringLiteral("url");
const QString kT = QStringLiteral("t");
const QString kAgent = QStringLiteral("agent");
const QString kMessage = QStringLiteral("message");
const QString kFrame = QStringLiteral("frame");
const QString kState = QStringLiteral("state");
const QString kError = QStringLiteral("error");
const QString kJoined = QStringLiteral("joined");
const QString kLeft = QStringLiteral("left");
const QString kStopped = QStringLiteral("stopped");

// Wire names of their own: connectionStateName() is for people and may be translated.
constexpr std::array<std::pair<ConnectionState, const char*>, 6> kStateNames{{
    {ConnectionState::Connecting, "connecting"},
    {ConnectionState::Live, "live"},
    {ConnectionState::Stale, "stale"},
    {ConnectionState::Unauthorized, "unauthorized"},
    {ConnectionState::Incompatible, "incompatible"},
    {ConnectionState::TlsFailed, "tls_failed"},
}};

QByteArray line(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

std::optional<QJsonObject> objectOf(const QByteArray& line, QString* error) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.trimmed(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON (%1 at offset %2)")
                     .arg(parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return document.object();
}

} // namespace

QString RecordingFormat::stateName(ConnectionState state) {
    for (const auto& [known, name] : kStateNames) {
        if (known == state)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<ConnectionState> RecordingFormat::stateFromName(const QString& name) {
    for (const auto& [state, known] : kStateNames) {
        if (name == QLatin1String(known))
            return state;
    }
    return std::nullopt;
}

QByteArray RecordingFormat::encodeHeader(const Header& header) {
    QJsonArray agents;
    for (const Agent& agent : header.agents)
        agents.append(
            QJsonObject{{kId, agent.id}, {kLabel, agent.label}, {kUrl, agent.url.toString()}});
    return line(
        {{kFormat, QString::fromLatin1(kFormatName)},
         {kVersionKey, header.version},
         {kRecordedAt,
          QDateTime::fromMSecsSinceEpoch(header.recordedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
         {kRecordedAtMs, header.recordedAtMs},
         {kAgents, agents}});
}

QByteArray RecordingFormat::encodeEntry(const Entry& entry) {
    QJsonObject object{{kT, entry.t}};
    if (entry.kind != Entry::Kind::Stopped)
        object.insert(kAgent, entry.agent);
    switch (entry.kind) {
    case Entry::Kind::Message: {
        // Embedded as JSON when it is an object, so a recording reads (and greps, and jq's)
        // like the stream; anything else verbatim, so a replay meets the same garbage.
        const QJsonDocument document = QJsonDocument::fromJson(entry.frame);
        if (document.isObject())
            object.insert(kMessage, document.object());
        else
            object.insert(kFrame, QString::fromUtf8(entry.frame));
        break;
    }
    case Entry::Kind::State:
        object.insert(kState, stateName(entry.state));
        if (!entry.text.isEmpty())
            object.insert(kError, entry.text);
        break;
    case Entry::Kind::Joined:
        object.insert(kJoined, QJsonObject{{kLabel, entry.text}, {kUrl, entry.url.toString()}});
        break;
    case Entry::Kind::Left:
        object.insert(kLeft, true);
        break;
    case Entry::Kind::Stopped:
        object.insert(kStopped, entry.text);
        break;
    }
    return line(object);
}

std::optional<RecordingFormat::Header> RecordingFormat::decodeHeader(const QByteArray& text,
                                                                     QString* error) {
    const std::optional<QJsonObject> object = objectOf(text, error);
    if (!object)
        return std::nullopt;
    if (object->value(kFormat).toString() != QLatin1String(kFormatName)) {
        *error = QStringLiteral("not a Switchboard recording (no \"format\": \"%1\")")
                     .arg(QLatin1String(kFormatName));
        return std::nullopt;
    }
    Header header;
    header.version = object->value(kVersionKey).toInt();
    if (header.version != kVersion) {
        *error = QStringLiteral("recording format version %1; this console reads version %2")
                     .arg(header.version)
                     .arg(kVersion);
        return std::nullopt;
    }
    header.recordedAtMs = object->value(kRecordedAtMs).toInteger();
    if (header.recordedAtMs <= 0) // a hand-made file may give only the ISO time
        header.recordedAtMs =
            QDateTime::fromString(object->value(kRecordedAt).toString(), Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
    for (const QJsonValue& value : object->value(kAgents).toArray()) {
        const QJsonObject agent = value.toObject();
        if (agent.value(kId).toString().isEmpty()) {
            *error = QStringLiteral("an agent of the header has no \"id\"");
            return std::nullopt;
        }
        header.agents.append({agent.value(kId).toString(), agent.value(kLabel).toString(),
                              QUrl(agent.value(kUrl).toString())});
    }
    return header;
}

std::optional<RecordingFormat::Entry> RecordingFormat::decodeEntry(const QByteArray& text,
                                                                   QString* error) {
    const std::optional<QJsonObject> object = objectOf(text, error);
    if (!object)
        return std::nullopt;
    if (!object->value(kT).isDouble() || object->value(kT).toInteger(-1) < 0) {
        *error = QStringLiteral("no \"t\" (milliseconds since the recording started)");
        return std::nullopt;
    }
    Entry entry;
    entry.t = object->value(kT).toInteger();
    if (object->contains(kStopped)) {
        entry.kind = Entry::Kind::Stopped;
        entry.text = object->value(kStopped).toString();
        return entry;
    }
    entry.agent = object->value(kAgent).toString();
    if (entry.agent.isEmpty()) {
        *error = QStringLiteral("no \"agent\"");
        return std::nullopt;
    }
    if (object->value(kMessage).isObject()) {
        entry.kind = Entry::Kind::Message;
        entry.frame =
            QJsonDocument(object->value(kMessage).toObject()).toJson(QJsonDocument::Compact);
    } else if (object->value(kFrame).isString()) {
        entry.kind = Entry::Kind::Message;
        entry.frame = object->value(kFrame).toString().toUtf8();
    } else if (object->contains(kState)) {
        const std::optional<ConnectionState> state =
            stateFromName(object->value(kState).toString());
        if (!state) {
            *error = QStringLiteral("unknown state \"%1\"").arg(object->value(kState).toString());
            return std::nullopt;
        }
        entry.kind = Entry::Kind::State;
        entry.state = *state;
        entry.text = object->value(kError).toString();
    } else if (object->value(kJoined).isObject()) {
        const QJsonObject joined = object->value(kJoined).toObject();
        entry.kind = Entry::Kind::Joined;
        entry.text = joined.value(kLabel).toString();
        entry.url = QUrl(joined.value(kUrl).toString());
    } else if (object->value(kLeft).toBool()) {
        entry.kind = Entry::Kind::Left;
    } else {
        *error = QStringLiteral("neither a message, a state, a join nor a leave");
        return std::nullopt;
    }
    return entry;
}

} // namespace switchboard
