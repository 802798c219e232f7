#include "StreamMessageParser.h"

#include "ProtocolNames.h"

#include <QJsonArray>
#include <QJsonParseError>
#include <cmath>

namespace switchboard {

namespace field = protocol::field;

namespace {

// Each reader returns false and fills *error when the field has the wrong type. A missing
// optional field keeps the default: the agent may omit what it has not measured yet.

bool fail(QString* error, QString message) {
    if (error)
        *error = std::move(message);
    return false;
}

bool readInteger(const QJsonObject& object, std::string_view name, qint64* out, bool required,
                 QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (value.isUndefined() || value.isNull()) {
        if (required)
            return fail(error, QStringLiteral("missing field \"%1\"").arg(qtName(name)));
        return true;
    }
    if (!value.isDouble())
        return fail(error, QStringLiteral("field \"%1\" is not a number").arg(qtName(name)));
    const double number = value.toDouble();
    // 2^53: beyond it a double no longer holds every integer, so the value cannot be trusted.
    if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) > 9.0e15)
        return fail(error, QStringLiteral("field \"%1\" is not an integer").arg(qtName(name)));
    *out = static_cast<qint64>(number);
    return true;
}

bool readDouble(const QJsonObject& object, std::string_view name, double* out, QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return fail(error, QStringLiteral("field \"%1\" is not a number").arg(qtName(name)));
    *out = value.toDouble();
    return true;
}

bool readString(const QJsonObject& object, std::string_view name, QString* out, bool required,
                QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (value.isUndefined() || value.isNull()) {
        if (required)
            return fail(error, QStringLiteral("missing field \"%1\"").arg(qtName(name)));
        return true;
    }
    if (!value.isString())
        return fail(error, QStringLiteral("field \"%1\" is not a string").arg(qtName(name)));
    *out = value.toString();
    return true;
}

bool readObject(const QJsonObject& object, std::string_view name, QJsonObject* out,
                QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (!value.isObject())
        return fail(error, value.isUndefined()
                               ? QStringLiteral("missing field \"%1\"").arg(qtName(name))
                               : QStringLiteral("field \"%1\" is not an object").arg(qtName(name)));
    *out = value.toObject();
    return true;
}

bool parseInfo(const QJsonObject& object, AgentInfo* info, QString* error) {
    qint64 protocolVersion = 0;
    if (!readString(object, field::kService, &info->service, false, error) ||
        !readString(object, field::kInstance, &info->instance, false, error) ||
        !readString(object, field::kRegion, &info->region, false, error) ||
        !readString(object, field::kAgentVersion, &info->agentVersion, false, error) ||
        !readInteger(object, field::kProtocol, &protocolVersion, false, error))
        return false;
    info->protocolVersion = static_cast<int>(protocolVersion);
    const QJsonValue capabilities = object.value(qtName(field::kCapabilities));
    if (!capabilities.isUndefined() && !capabilities.isArray())
        return fail(error, QStringLiteral("field \"capabilities\" is not an array"));
    for (const QJsonValue& capability : capabilities.toArray()) {
        if (capability.isString())
            info->capabilities.append(capability.toString());
    }
    return true;
}

bool withContext(bool ok, QString* error, const QString& context) {
    if (!ok && error)
        *error = context + QStringLiteral(": ") + *error;
    return ok;
}

StreamMessageParser::Result failure(QString error) {
    return {std::nullopt, std::move(error)};
}

StreamMessageParser::Result parseSnapshotMessage(const QJsonObject& object, qint64 seq,
                                                 const QString& streamId) {
    QString error;
    qint64 protocolVersion = 0;
    if (!readInteger(object, field::kProtocol, &protocolVersion, true, &error))
        return failure(error);
    SnapshotMessage message;
    message.seq = seq;
    message.streamId = streamId;
    message.protocolVersion = static_cast<int>(protocolVersion);
    // Another version may shape the snapshot differently; the caller refuses it by the number
    // alone, so reading further could only produce a misleading error.
    if (message.protocolVersion != protocol::kVersion)
        return {StreamMessage(std::move(message)), {}};

    QJsonObject snapshotObject;
    if (!readObject(object, field::kSnapshot, &snapshotObject, &error))
        return failure(error);
    std::optional<AgentSnapshot> snapshot =
        StreamMessageParser::parseSnapshot(snapshotObject, &error);
    if (!snapshot)
        return failure(QStringLiteral("snapshot: ") + error);
    message.snapshot = std::move(*snapshot);
    return {StreamMessage(std::move(message)), {}};
}

StreamMessageParser::Result parseEventMessage(const QJsonObject& object, qint64 seq,
                                              const QString& streamId) {
    QString error;
    StreamEvent event;
    event.seq = seq;
    event.streamId = streamId;
    if (!readString(object, field::kKind, &event.kindName, true, &error) ||
        !readInteger(object, field::kTimeMs, &event.timeMs, false, &error))
        return failure(error);

    if (event.kindName == qtName(protocol::event::kProbe)) {
        event.kind = StreamEvent::Kind::Probe;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        std::optional<ProbeResult> probe = StreamMessageParser::parseProbe(data, &error);
        if (!probe)
            return failure(QStringLiteral("probe event: ") + error);
        event.probe = std::move(*probe);
    } else if (event.kindName == qtName(protocol::event::kRequests)) {
        event.kind = StreamEvent::Kind::Requests;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        std::optional<RequestStats> requests = StreamMessageParser::parseRequests(data, &error);
        if (!requests)
            return failure(QStringLiteral("requests event: ") + error);
        event.requests = std::move(*requests);
    }
    // An unknown kind is kept as Kind::Unknown: a newer agent of the same protocol version may
    // add kinds, and its seq still matters for gap detection.
    return {StreamMessage(std::move(event)), {}};
}

} // namespace

StreamMessageParser::Result StreamMessageParser::parse(const QByteArray& frame) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(QStringLiteral("not JSON (%1 at offset %2)")
                           .arg(parseError.errorString())
                           .arg(parseError.offset));
    return parse(document);
}

StreamMessageParser::Result StreamMessageParser::parse(const QJsonDocument& document) {
    if (!document.isObject())
        return failure(QStringLiteral("message is not a JSON object"));
    const QJsonObject object = document.object();

    QString error;
    QString type;
    qint64 seq = 0;
    QString streamId;
    if (!readString(object, field::kType, &type, true, &error) ||
        !readInteger(object, field::kSeq, &seq, true, &error) ||
        !readString(object, field::kStreamId, &streamId, true, &error))
        return failure(error);
    if (seq < 0)
        return failure(QStringLiteral("field \"seq\" is negative"));
    if (streamId.isEmpty())
        return failure(QStringLiteral("field \"stream\" is empty"));

    if (type == qtName(protocol::message::kSnapshot))
        return parseSnapshotMessage(object, seq, streamId);
    if (type == qtName(protocol::message::kEvent))
        return parseEventMessage(object, seq, streamId);
    return failure(QStringLiteral("unknown message type \"%1\"").arg(type));
}

std::optional<AgentSnapshot> StreamMessageParser::parseSnapshot(const QJsonObject& object,
                                                                QString* error) {
    AgentSnapshot snapshot;
    if (!readInteger(object, field::kRevision, &snapshot.revision, false, error) ||
        !readInteger(object, field::kTimeMs, &snapshot.timeMs, false, error))
        return std::nullopt;

    const QJsonValue info = object.value(qtName(field::kInfo));
    if (!info.isUndefined()) {
        if (!info.isObject()) {
            fail(error, QStringLiteral("field \"info\" is not an object"));
            return std::nullopt;
        }
        if (!withContext(parseInfo(info.toObject(), &snapshot.info, error), error,
                         QStringLiteral("info")))
            return std::nullopt;
    }

    const QJsonValue probes = object.value(qtName(field::kProbes));
    if (!probes.isUndefined() && !probes.isArray()) {
        fail(error, QStringLiteral("field \"probes\" is not an array"));
        return std::nullopt;
    }
    const QJsonArray probeArray = probes.toArray();
    for (qsizetype i = 0; i < probeArray.size(); ++i) {
        if (!probeArray.at(i).isObject()) {
            fail(error, QStringLiteral("probes[%1] is not an object").arg(i));
            return std::nullopt;
        }
        std::optional<ProbeResult> probe = parseProbe(probeArray.at(i).toObject(), error);
        if (!withContext(probe.has_value(), error, QStringLiteral("probes[%1]").arg(i)))
            return std::nullopt;
        snapshot.probes.append(std::move(*probe));
    }

    const QJsonValue requests = object.value(qtName(field::kRequests));
    if (!requests.isUndefined()) {
        if (!requests.isObject()) {
            fail(error, QStringLiteral("field \"requests\" is not an object"));
            return std::nullopt;
        }
        std::optional<RequestStats> stats = parseRequests(requests.toObject(), error);
        if (!withContext(stats.has_value(), error, QStringLiteral("requests")))
            return std::nullopt;
        snapshot.requests = std::move(*stats);
    }
    return snapshot;
}

std::optional<ProbeResult> StreamMessageParser::parseProbe(const QJsonObject& object,
                                                           QString* error) {
    ProbeResult probe;
    qint64 status = 0;
    if (!readString(object, field::kName, &probe.name, true, error) ||
        !readString(object, field::kKind, &probe.kind, false, error) ||
        !readString(object, field::kTarget, &probe.target, false, error) ||
        !readInteger(object, field::kStatus, &status, false, error) ||
        !readDouble(object, field::kLatencyMs, &probe.latencyMs, error) ||
        !readString(object, field::kError, &probe.error, false, error) ||
        !readInteger(object, field::kCheckedMs, &probe.checkedMs, false, error))
        return std::nullopt;
    switch (status) {
    case static_cast<qint64>(protocol::ProbeStatus::Unknown):
    case static_cast<qint64>(protocol::ProbeStatus::Up):
    case static_cast<qint64>(protocol::ProbeStatus::Down):
        probe.status = static_cast<protocol::ProbeStatus>(status);
        break;
    default:
        fail(error, QStringLiteral("field \"status\" has unknown value %1").arg(status));
        return std::nullopt;
    }
    const QJsonValue detail = object.value(qtName(field::kDetail));
    if (detail.isObject())
        probe.detail = detail.toObject().toVariantMap();
    return probe;
}

std::optional<RequestStats> StreamMessageParser::parseRequests(const QJsonObject& object,
                                                               QString* error) {
    RequestStats stats;
    if (!readInteger(object, field::kIntervalMs, &stats.intervalMs, false, error) ||
        !readInteger(object, field::kTotal, &stats.total, false, error) ||
        !readInteger(object, field::kErrors, &stats.errors, false, error) ||
        !readDouble(object, field::kRatePerSecond, &stats.ratePerSecond, error))
        return std::nullopt;
    const QJsonValue routes = object.value(qtName(field::kRoutes));
    if (!routes.isUndefined() && !routes.isArray()) {
        fail(error, QStringLiteral("field \"routes\" is not an array"));
        return std::nullopt;
    }
    const QJsonArray routeArray = routes.toArray();
    for (qsizetype i = 0; i < routeArray.size(); ++i) {
        const QJsonObject routeObject = routeArray.at(i).toObject();
        RouteStats route;
        if (!routeArray.at(i).isObject() ||
            !readString(routeObject, field::kRoute, &route.route, true, error) ||
            !readInteger(routeObject, field::kTotal, &route.total, false, error) ||
            !readInteger(routeObject, field::kErrors, &route.errors, false, error) ||
            !readDouble(routeObject, field::kRatePerSecond, &route.ratePerSecond, error)) {
            if (!routeArray.at(i).isObject())
                fail(error, QStringLiteral("not an object"));
            withContext(false, error, QStringLiteral("routes[%1]").arg(i));
            return std::nullopt;
        }
        stats.routes.append(std::move(route));
    }
    return stats;
}

} // namespace switchboard
