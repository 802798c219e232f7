#pragma once

#include <QList>
#include <QString>

namespace switchboard {

// Where a system sits on the scaling guides' matrix (docs/scorecard.md): the architecture stages
// a growing system goes through, each good up to a number of users and requests per second, and
// the headroom the capacity formula leaves: needed = peak × growth × safety margin, against what
// the deployed stage carries. The stage limits are the console's defaults, configurable.
enum class ScaleStage { Monolith, ReadReplicas, Sharding, MultiRegion };

QString scaleStageName(ScaleStage stage); // "monolith", "read replicas", …

struct ScaleStageLimit {
    ScaleStage stage = ScaleStage::Monolith;
    double maxRequestsPerSecond = 0;
    double maxUsers = 0;
};

struct ScaleMatrix {
    // A single server to about 10 k users / 1 k requests/s; read replicas and a cache to
    // 100 k / 10 k; sharding to 1 M / 100 k; past that several regions (which a system may
    // also run earlier, for disaster recovery).
    QList<ScaleStageLimit> stages = {
        {ScaleStage::Monolith, 1'000, 10'000},
        {ScaleStage::ReadReplicas, 10'000, 100'000},
        {ScaleStage::Sharding, 100'000, 1'000'000},
        {ScaleStage::MultiRegion, 1'000'000, 10'000'000},
    };

    // The first stage whose limits hold both figures (users <= 0: not counted); the last
    // stage when none does.
    ScaleStage stageFor(double requestsPerSecond, double users) const;
    const ScaleStageLimit& limitOf(ScaleStage stage) const;
};

// What the fleet runs, as the agents report it.
struct DeployedArchitecture {
    int readReplicas = 0;
    int shardNodes = 0;
    int regions = 0;
    // The furthest stage it has built: several regions, else sharding (2 nodes or more), else
    // replicas, else a monolith.
    ScaleStage stage() const;
    QString text() const; // "3 shard nodes, 2 read replicas, 2 regions"
};

// The operator's view of the coming load (settings; defaults: double in a year, half again as
// margin).
struct CapacityPlan {
    double growth = 2.0;
    double safetyMargin = 1.5;
    double users = 0; // 0: not given
};

struct ScalePlacement {
    double peakRequestsPerSecond = 0;
    double neededRequestsPerSecond = 0; // peak × growth × margin
    double neededUsers = 0;             // users × growth × margin
    ScaleStage deployed = ScaleStage::Monolith;
    ScaleStage loadNow = ScaleStage::Monolith;     // the stage today's peak calls for
    ScaleStage loadPlanned = ScaleStage::Monolith; // the stage the planned load calls for
    double deployedCapacity = 0;                   // requests/s the deployed stage carries
    double headroom = 0; // deployedCapacity / needed; infinite-ish when needed is 0
    QString why;         // a sentence for the scorecard
};

ScalePlacement placeOnScale(const ScaleMatrix& matrix, const DeployedArchitecture& deployed,
                            double peakRequestsPerSecond, const CapacityPlan& plan);

} // namespace switchboard
