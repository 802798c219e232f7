#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace switchboard {

// The scorecard's limits (docs/scorecard.md). The defaults are the targets DESIGN.md names for a
// healthy system; an operator changes them in the console's settings (JSON, as toJson writes).
struct ScorecardThresholds {
    double p95LatencyMs = 500;       // fail at or above
    double replicaLagMs = 100;       // fail at or above
    double cacheHitRatePercent = 70; // fail below
    double poolUsePercent = 80;      // fail at or above
    double cpuPercent = 70;          // fail at or above
    double redisMemoryPercent = 75;  // fail at or above
    double errorRatePercent = 1;     // fail at or above
    double shardSkew = 1.5;          // busiest node's load over the mean: fail at or above
    // A figure within this fraction of its limit (on the passing side) is a warning: with the
    // defaults, replica lag from 90 ms, a hit rate below 77 %.
    double warnBand = 0.1;

    friend bool operator==(const ScorecardThresholds&, const ScorecardThresholds&) = default;

    QByteArray toJson() const;
    // Keys as toJson writes them; a missing key keeps its default. A key of the wrong type or a
    // negative value is refused with its name in *error.
    static std::optional<ScorecardThresholds> fromJson(const QByteArray& json, QString* error);
};

} // namespace switchboard
