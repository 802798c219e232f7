#include "StreamMessageParser.h"

#include "CacheWireNames.h"
#include "ProtocolNames.h"

#include <QJsonArray>
#include <QJsonParseError>
#include <cmath>

namespace switchboard {

namespace field = protocol::field;

// An override's "by" (the token name that set it); protocol.h names no constant for it.
constexpr std::string_view kOverrideBy = "by";

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

bool withContext(bool ok, QString* error, const QString& context) {
    if (!ok && error)
        *error = context + QStringLiteral(": ") + *error;
    return ok;
}

bool readBool(const QJsonObject& object, std::string_view name, bool* out, QString* error) {
    const QJsonValue value = object.value(qtName(name));
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isBool())
        return fail(error, QStringLiteral("field \"%1\" is not a boolean").arg(qtName(name)));
    *out = value.toBool();
    return true;
}

// A ProbeStatus field ("status"): absent is Unknown, a number outside the enum is an error.
bool readProbeStatus(const QJsonObject& object, protocol::ProbeStatus* out, QString* error) {
    qint64 status = 0;
    if (!readInteger(object, field::kStatus, &status, false, error))
        return false;
    if (status < 0 || status > static_cast<qint64>(protocol::ProbeStatus::Down))
        return fail(error, QStringLiteral("field \"status\" has unknown value %1").arg(status));
    *out = static_cast<protocol::ProbeStatus>(status);
    return true;
}

// An optional object field: absent or null leaves *present false; anything else but an object
// is an error naming the field.
bool readOptionalObject(const QJsonObject& object, std::string_view name, QJsonObject* out,
                        bool* present, QString* error) {
    const QJsonValue value = object.value(qtName(name));
    *present = false;
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject())
        return fail(error, QStringLiteral("field \"%1\" is not an object").arg(qtName(name)));
    *out = value.toObject();
    *present = true;
    return true;
}

// An optional "latency_ms" object ({p50, p95, p99, max}, milliseconds) into the stats' optional
// percentiles: null or absent (no request in the interval, or an older agent) leaves them empty.
template <typename Stats>
bool readLatency(const QJsonObject& object, Stats* stats, QString* error) {
    QJsonObject latency;
    bool present = false;
    if (!readOptionalObject(object, field::kLatencyMs, &latency, &present, error))
        return false;
    if (!present)
        return true;
    auto read = [&](std::string_view name, std::optional<double>* out) {
        if (latency.value(qtName(name)).isUndefined() || latency.value(qtName(name)).isNull())
            return true;
        double value = 0;
        if (!readDouble(latency, name, &value, error))
            return false;
        *out = value;
        return true;
    };
    return withContext(
        read(field::kP50, &stats->latencyP50Ms) && read(field::kP95, &stats->latencyP95Ms) &&
            read(field::kP99, &stats->latencyP99Ms) && read(field::kMax, &stats->latencyMaxMs),
        error, QStringLiteral("latency_ms"));
}

bool parseReplica(const QJsonObject& object, ReplicaStatus* replica, QString* error) {
    if (!readString(object, field::kName, &replica->name, true, error) ||
        !readString(object, field::kTarget, &replica->target, false, error) ||
        !readString(object, field::kReplicationState, &replica->stateName, false, error) ||
        !readProbeStatus(object, &replica->status, error) ||
        !readString(object, field::kError, &replica->error, false, error) ||
        !readString(object, field::kSyncState, &replica->syncState, false, error) ||
        !readInteger(object, field::kTimeline, &replica->timeline, false, error) ||
        !readInteger(object, field::kWriteLagBytes, &replica->writeLagBytes, false, error) ||
        !readInteger(object, field::kFlushLagBytes, &replica->flushLagBytes, false, error) ||
        !readInteger(object, field::kReplayLagBytes, &replica->replayLagBytes, false, error) ||
        !readDouble(object, field::kWriteLagSeconds, &replica->writeLagSeconds, error) ||
        !readDouble(object, field::kFlushLagSeconds, &replica->flushLagSeconds, error) ||
        !readDouble(object, field::kReplayLagSeconds, &replica->replayLagSeconds, error))
        return false;
    QJsonObject slotObject;
    bool hasSlot = false;
    if (!readOptionalObject(object, field::kSlot, &slotObject, &hasSlot, error))
        return false;
    if (hasSlot) {
        ReplicaSlot slot;
        if (!withContext(readString(slotObject, field::kName, &slot.name, false, error) &&
                             readBool(slotObject, field::kActive, &slot.active, error) &&
                             readInteger(slotObject, field::kRetainedWalBytes,
                                         &slot.retainedWalBytes, false, error),
                         error, QStringLiteral("slot")))
            return false;
        replica->slot = std::move(slot);
    }
    QJsonObject selfObject;
    bool hasSelf = false;
    if (!readOptionalObject(object, field::kSelf, &selfObject, &hasSelf, error))
        return false;
    if (hasSelf) {
        ReplicaSelfView self;
        if (!withContext(
                readProbeStatus(selfObject, &self.status, error) &&
                    readString(selfObject, field::kError, &self.error, false, error) &&
                    readBool(selfObject, field::kInRecovery, &self.inRecovery, error) &&
                    readString(selfObject, field::kReceiveLsn, &self.receiveLsn, false, error) &&
                    readString(selfObject, field::kReplayLsn, &self.replayLsn, false, error) &&
                    readBool(selfObject, field::kReplayPaused, &self.replayPaused, error) &&
                    readDouble(selfObject, field::kReplayLagSeconds, &self.replayLagSeconds, error),
                error, QStringLiteral("self")))
            return false;
        replica->self = std::move(self);
    }
    return true;
}

bool parseRouterTarget(const QJsonObject& object, ReadRouterTarget* target, QString* error) {
    return readString(object, field::kName, &target->name, true, error) &&
           readString(object, field::kRole, &target->role, false, error) &&
           readBool(object, field::kEligible, &target->eligible, error) &&
           readString(object, field::kWhyNot, &target->whyNot, false, error) &&
           readInteger(object, field::kReads, &target->reads, false, error) &&
           readDouble(object, field::kRatePerSecond, &target->ratePerSecond, error);
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
    } else if (event.kindName == qtName(protocol::event::kBreaker)) {
        event.kind = StreamEvent::Kind::Breaker;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        std::optional<BreakerStatus> breaker = StreamMessageParser::parseBreaker(data, &error);
        if (!breaker)
            return failure(QStringLiteral("breaker event: ") + error);
        event.breaker = std::move(*breaker);
    } else if (event.kindName == qtName(protocol::event::kReplication)) {
        event.kind = StreamEvent::Kind::Replication;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        std::optional<ReplicationStatus> replication =
            StreamMessageParser::parseReplication(data, &error);
        if (!replication)
            return failure(QStringLiteral("replication event: ") + error);
        event.replication = std::move(*replication);
    } else if (event.kindName == qtName(protocol::event::kReadRouter)) {
        event.kind = StreamEvent::Kind::ReadRouter;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        std::optional<ReadRouterStatus> router = StreamMessageParser::parseReadRouter(data, &error);
        if (!router)
            return failure(QStringLiteral("read_router event: ") + error);
        event.readRouter = std::move(*router);
    } else if (event.kindName == qtName(protocol::event::kShards)) {
        event.kind = StreamEvent::Kind::Shards;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        event.shards = StreamMessageParser::parseShards(data);
    } else if (event.kindName == qtName(cache_wire::kCache)) {
        event.kind = StreamEvent::Kind::Cache;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        event.cache = StreamMessageParser::parseCache(data);
    } else if (event.kindName == qtName(protocol::event::kRegions)) {
        event.kind = StreamEvent::Kind::Regions;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        event.regions = parseRegionsStatus(data);
    } else if (event.kindName == qtName(protocol::event::kPools)) {
        event.kind = StreamEvent::Kind::Pools;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        event.pools = StreamMessageParser::parsePools(data.value(qtName(field::kPools)));
    } else if (event.kindName == qtName(protocol::event::kProcess)) {
        event.kind = StreamEvent::Kind::Process;
        QJsonObject data;
        if (!readObject(object, field::kData, &data, &error))
            return failure(error);
        event.process = StreamMessageParser::parseProcess(data);
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

    const QJsonValue breakers = object.value(qtName(field::kBreakers));
    if (!breakers.isUndefined() && !breakers.isArray()) {
        fail(error, QStringLiteral("field \"breakers\" is not an array"));
        return std::nullopt;
    }
    const QJsonArray breakerArray = breakers.toArray();
    for (qsizetype i = 0; i < breakerArray.size(); ++i) {
        if (!breakerArray.at(i).isObject()) {
            fail(error, QStringLiteral("breakers[%1] is not an object").arg(i));
            return std::nullopt;
        }
        std::optional<BreakerStatus> breaker = parseBreaker(breakerArray.at(i).toObject(), error);
        if (!withContext(breaker.has_value(), error, QStringLiteral("breakers[%1]").arg(i)))
            return std::nullopt;
        snapshot.breakers.append(std::move(*breaker));
    }

    // Both absent from agents without a postgres primary or older than replication.
    QJsonObject replicationObject;
    bool hasReplication = false;
    if (!readOptionalObject(object, field::kReplication, &replicationObject, &hasReplication,
                            error))
        return std::nullopt;
    if (hasReplication) {
        std::optional<ReplicationStatus> replication = parseReplication(replicationObject, error);
        if (!withContext(replication.has_value(), error, QStringLiteral("replication")))
            return std::nullopt;
        snapshot.replication = std::move(*replication);
    }
    QJsonObject routerObject;
    bool hasRouter = false;
    if (!readOptionalObject(object, field::kReadRouter, &routerObject, &hasRouter, error))
        return std::nullopt;
    if (hasRouter) {
        std::optional<ReadRouterStatus> router = parseReadRouter(routerObject, error);
        if (!withContext(router.has_value(), error, QStringLiteral("read_router")))
            return std::nullopt;
        snapshot.readRouter = std::move(*router);
    }
    // Read tolerantly: a shards document of the wrong type counts as absent.
    const QJsonValue shards = object.value(qtName(field::kShards));
    if (shards.isObject())
        snapshot.shards = parseShards(shards.toObject());
    // Likewise the cache.
    const QJsonValue cache = object.value(qtName(cache_wire::kCache));
    if (cache.isObject())
        snapshot.cache = parseCache(cache.toObject());
    // Likewise the regions.
    const QJsonValue regions = object.value(qtName(field::kRegions));
    if (regions.isObject())
        snapshot.regions = parseRegionsStatus(regions.toObject());
    // Likewise the pools and the process.
    snapshot.pools = parsePools(object.value(qtName(field::kPools)));
    const QJsonValue process = object.value(qtName(field::kProcess));
    if (process.isObject())
        snapshot.process = parseProcess(process.toObject());
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
        !readDouble(object, field::kRatePerSecond, &stats.ratePerSecond, error) ||
        !readLatency(object, &stats, error))
        return std::nullopt;
    const QJsonValue routes = object.value(qtName(field::kRoutes));
    if (!routes.isUndefined() && !routes.isArray()) {
        fail(error, QStringLiteral("field \"routes\" is not an array"));
        return std::nullopt;
    }
    const QJsonArray routeArray = routes.toArray();
    for (qsizetype i = 0; i < routeArray.size(); ++i) {
        const QJsonObject routeObject = routeArray.at(i).toObject();
        RouteRequestStats route;
        if (!routeArray.at(i).isObject() ||
            !readString(routeObject, field::kRoute, &route.route, true, error) ||
            !readInteger(routeObject, field::kTotal, &route.total, false, error) ||
            !readInteger(routeObject, field::kErrors, &route.errors, false, error) ||
            !readDouble(routeObject, field::kRatePerSecond, &route.ratePerSecond, error) ||
            !readLatency(routeObject, &route, error)) {
            if (!routeArray.at(i).isObject())
                fail(error, QStringLiteral("not an object"));
            withContext(false, error, QStringLiteral("routes[%1]").arg(i));
            return std::nullopt;
        }
        stats.routes.append(std::move(route));
    }
    return stats;
}

std::optional<BreakerStatus> StreamMessageParser::parseBreaker(const QJsonObject& object,
                                                               QString* error) {
    BreakerStatus breaker;
    qint64 state = 0;
    if (!readString(object, field::kName, &breaker.name, true, error) ||
        !readInteger(object, field::kState, &state, true, error) ||
        !readString(object, field::kStateName, &breaker.stateName, false, error) ||
        !readDouble(object, field::kFailureRate, &breaker.failureRate, error) ||
        !readDouble(object, field::kSlowCallRate, &breaker.slowCallRate, error) ||
        !readInteger(object, field::kBufferedCalls, &breaker.bufferedCalls, false, error) ||
        !readInteger(object, field::kSuccessfulCalls, &breaker.successfulCalls, false, error) ||
        !readInteger(object, field::kFailedCalls, &breaker.failedCalls, false, error) ||
        !readInteger(object, field::kNotPermittedCalls, &breaker.notPermittedCalls, false, error) ||
        !readInteger(object, field::kSinceMs, &breaker.sinceMs, false, error) ||
        !readDouble(object, field::kFailureRateThreshold, &breaker.failureRateThreshold, error) ||
        !readDouble(object, field::kSlowCallRateThreshold, &breaker.slowCallRateThreshold, error))
        return std::nullopt;
    if (breaker.name.isEmpty()) {
        fail(error, QStringLiteral("field \"name\" is empty"));
        return std::nullopt;
    }
    switch (state) {
    case static_cast<qint64>(protocol::BreakerState::Closed):
    case static_cast<qint64>(protocol::BreakerState::Open):
    case static_cast<qint64>(protocol::BreakerState::HalfOpen):
    case static_cast<qint64>(protocol::BreakerState::ForcedOpen):
    case static_cast<qint64>(protocol::BreakerState::Disabled):
    case static_cast<qint64>(protocol::BreakerState::MetricsOnly):
        breaker.state = static_cast<protocol::BreakerState>(state);
        break;
    default:
        fail(error, QStringLiteral("field \"state\" has unknown value %1").arg(state));
        return std::nullopt;
    }
    // The counters only grow; a negative one is a broken agent, not a number to draw.
    if (breaker.bufferedCalls < 0 || breaker.successfulCalls < 0 || breaker.failedCalls < 0 ||
        breaker.notPermittedCalls < 0) {
        fail(error, QStringLiteral("a call counter is negative"));
        return std::nullopt;
    }

    const QJsonValue transition = object.value(qtName(field::kTransition));
    if (!transition.isUndefined() && !transition.isNull()) {
        if (!transition.isObject()) {
            fail(error, QStringLiteral("field \"transition\" is not an object"));
            return std::nullopt;
        }
        const QJsonObject transitionObject = transition.toObject();
        BreakerTransition change;
        if (!withContext(
                readString(transitionObject, field::kFrom, &change.from, true, error) &&
                    readString(transitionObject, field::kTo, &change.to, true, error) &&
                    readString(transitionObject, field::kReason, &change.reason, false, error),
                error, QStringLiteral("transition")))
            return std::nullopt;
        breaker.transition = std::move(change);
    }

    // Absent from agents before overrides, null when there is none.
    const QJsonValue override = object.value(qtName(field::kOverride));
    if (!override.isUndefined() && !override.isNull()) {
        if (!override.isObject()) {
            fail(error, QStringLiteral("field \"override\" is not an object"));
            return std::nullopt;
        }
        const QJsonObject overrideObject = override.toObject();
        BreakerOverride active;
        if (!withContext(readString(overrideObject, field::kMode, &active.mode, true, error) &&
                             readInteger(overrideObject, field::kExpiresMs, &active.expiresMs,
                                         false, error) &&
                             readString(overrideObject, kOverrideBy, &active.by, false, error),
                         error, QStringLiteral("override")))
            return std::nullopt;
        breaker.override = std::move(active);
    }
    return breaker;
}

std::optional<ReplicationStatus> StreamMessageParser::parseReplication(const QJsonObject& object,
                                                                       QString* error) {
    ReplicationStatus replication;
    if (!readInteger(object, field::kCheckedMs, &replication.checkedMs, false, error) ||
        !readProbeStatus(object, &replication.status, error) ||
        !readString(object, field::kError, &replication.error, false, error))
        return std::nullopt;
    QJsonObject primaryObject;
    bool hasPrimary = false;
    if (!readOptionalObject(object, field::kPrimary, &primaryObject, &hasPrimary, error))
        return std::nullopt;
    if (hasPrimary) {
        PrimaryStatus& primary = replication.primary;
        if (!withContext(
                readString(primaryObject, field::kName, &primary.name, false, error) &&
                    readString(primaryObject, field::kTarget, &primary.target, false, error) &&
                    readProbeStatus(primaryObject, &primary.status, error) &&
                    readString(primaryObject, field::kError, &primary.error, false, error) &&
                    readInteger(primaryObject, field::kTimeline, &primary.timeline, false, error) &&
                    readString(primaryObject, field::kCurrentLsn, &primary.currentLsn, false,
                               error) &&
                    readBool(primaryObject, field::kInRecovery, &primary.inRecovery, error),
                error, QStringLiteral("primary")))
            return std::nullopt;
    }
    const QJsonValue replicas = object.value(qtName(field::kReplicas));
    if (!replicas.isUndefined() && !replicas.isNull() && !replicas.isArray()) {
        fail(error, QStringLiteral("field \"replicas\" is not an array"));
        return std::nullopt;
    }
    const QJsonArray replicaArray = replicas.toArray();
    for (qsizetype i = 0; i < replicaArray.size(); ++i) {
        ReplicaStatus replica;
        const bool ok = replicaArray.at(i).isObject()
                            ? parseReplica(replicaArray.at(i).toObject(), &replica, error)
                            : fail(error, QStringLiteral("not an object"));
        if (!withContext(ok, error, QStringLiteral("replicas[%1]").arg(i)))
            return std::nullopt;
        replication.replicas.append(std::move(replica));
    }
    return replication;
}

std::optional<ReadRouterStatus> StreamMessageParser::parseReadRouter(const QJsonObject& object,
                                                                     QString* error) {
    ReadRouterStatus router;
    if (!readInteger(object, field::kMaxLagMs, &router.maxLagMs, false, error) ||
        !readInteger(object, field::kMaxLagBytes, &router.maxLagBytes, false, error))
        return std::nullopt;
    const QJsonValue targets = object.value(qtName(field::kTargets));
    if (!targets.isUndefined() && !targets.isNull() && !targets.isArray()) {
        fail(error, QStringLiteral("field \"targets\" is not an array"));
        return std::nullopt;
    }
    const QJsonArray targetArray = targets.toArray();
    for (qsizetype i = 0; i < targetArray.size(); ++i) {
        ReadRouterTarget target;
        const bool ok = targetArray.at(i).isObject()
                            ? parseRouterTarget(targetArray.at(i).toObject(), &target, error)
                            : fail(error, QStringLiteral("not an object"));
        if (!withContext(ok, error, QStringLiteral("targets[%1]").arg(i)))
            return std::nullopt;
        router.targets.append(std::move(target));
    }
    return router;
}

} // namespace switchboard
