#include "ScorecardThresholds.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <array>

namespace switchboard {

namespace {

// Every threshold under its settings key, so reading and writing share one list.
using Field = double ScorecardThresholds::*;
constexpr std::array<std::pair<const char*, Field>, 9> kFields{{
    {"p95_latency_ms", &ScorecardThresholds::p95LatencyMs},
    {"replica_lag_ms", &ScorecardThresholds::replicaLagMs},
    {"cache_hit_rate_percent", &ScorecardThresholds::cacheHitRatePercent},
    {"pool_use_percent", &ScorecardThresholds::poolUsePercent},
    {"cpu_percent", &ScorecardThresholds::cpuPercent},
    {"redis_memory_percent", &ScorecardThresholds::redisMemoryPercent},
    {"error_rate_percent", &ScorecardThresholds::errorRatePercent},
    {"shard_skew", &ScorecardThresholds::shardSkew},
    {"warn_band", &ScorecardThresholds::warnBand},
}};

} // namespace

QByteArray ScorecardThresholds::toJson() const {
    QJsonObject object;
    for (const auto& [key, field] : kFields)
        object.insert(QLatin1String(key), this->*field);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<ScorecardThresholds> ScorecardThresholds::fromJson(const QByteArray& json,
                                                                 QString* error) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                         ? QStringLiteral("scorecard thresholds: not JSON: %1")
                               .arg(parseError.errorString())
                         : QStringLiteral("scorecard thresholds: expected a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    ScorecardThresholds thresholds;
    for (const auto& [key, field] : kFields) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            continue;
        if (!value.isDouble() || value.toDouble() < 0) {
            if (error)
                *error = QStringLiteral("scorecard thresholds: %1: expected a number, 0 or more")
                             .arg(QLatin1String(key));
            return std::nullopt;
        }
        thresholds.*field = value.toDouble();
    }
    return thresholds;
}

} // namespace switchboard
