#pragma once

#include "HostStatusParsing.h"
#include "StreamMessage.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace switchboard {

// Turns one text frame of an agent's stream into a typed message. Never throws and never
// crashes on garbage: anything it cannot read becomes an error string naming the field.
class StreamMessageParser {
public:
    struct Result {
        std::optional<StreamMessage> message;
        QString error; // empty when message is set

        bool ok() const { return message.has_value(); }
    };

    static Result parse(const QByteArray& frame);
    static Result parse(const QJsonDocument& document);

    // The pieces, for documents that reach the console by other paths (e.g. /v1/snapshot).
    static std::optional<AgentSnapshot> parseSnapshot(const QJsonObject& object, QString* error);
    static std::optional<ProbeResult> parseProbe(const QJsonObject& object, QString* error);
    static std::optional<RequestStats> parseRequests(const QJsonObject& object, QString* error);
    static std::optional<BreakerStatus> parseBreaker(const QJsonObject& object, QString* error);
    static std::optional<ReplicationStatus> parseReplication(const QJsonObject& object,
                                                             QString* error);
    static std::optional<ReadRouterStatus> parseReadRouter(const QJsonObject& object,
                                                           QString* error);
    // Tolerant (see parseShardsStatus): never an error, odd fields are left out.
    static ShardsStatus parseShards(const QJsonObject& object) { return parseShardsStatus(object); }
    // Tolerant likewise (see parseCacheStatus).
    static CacheStatus parseCache(const QJsonObject& object) { return parseCacheStatus(object); }
    // Tolerant likewise (HostStatusParsing.h): the "pools" list and the "process" object.
    static QList<PoolStatus> parsePools(const QJsonValue& pools) {
        return parsePoolStatuses(pools);
    }
    static ProcessStatus parseProcess(const QJsonObject& object) {
        return parseProcessStatus(object);
    }
};

} // namespace switchboard
