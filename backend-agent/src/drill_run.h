// One drill carried out, step by step, into its result document (docs/drills.md): the
// timeline, RTO (fence or fault to the backend's first write acknowledged by the new primary)
// and RPO (acknowledged writes the new primary lacks, counted row by row from the write
// router's ledger), against the tier's targets. Stop conditions and cancel end the waits;
// every failure ends in a result with outcome "failed" and its error, never an exception.
#pragma once

#include "action.h"
#include "ha_monitor.h"

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace switchboard {

class WriteRouterCore;
class ShardRouter;

class DrillRun {
public:
    // `shards` may be null (no shard nodes): region drills then move the Patroni cluster alone.
    DrillRun(HaMonitor& monitor, WriteRouterCore* writes, int timeoutMs, JobControl& control,
             ShardRouter* shards = nullptr);

    // How a drill's step ends it early (thrown, caught by carryOut into the result).
    struct Stop {
        std::string outcome; // failed | aborted | cancelled
        std::string error;
    };

    // Never throws; the result's "outcome" says how it ended.
    nlohmann::json carryOut(const std::string& kind, const std::string& mode,
                            const std::string& region, const std::string& candidate);

private:
    friend class RegionDrill; // the region drills' sequence (region_drill.h) uses the steps
    friend class DirectDrill; // so do the drills of a region without Patroni (direct_drill.h)

    void step(const std::string& name, const std::string& detail, double fraction);
    void live(const std::string& kind, const HaRegion& region, const std::string& candidate);
    void simulated(const HaRegion& region);
    // Polls `done` every few milliseconds until it returns true, the deadline passes (throws
    // Stop failed with `what`), the job is cancelled or a stop condition holds.
    void waitFor(const std::function<bool()>& done, std::chrono::milliseconds limit,
                 const std::string& what);
    void checkStopConditions();
    // RTO from t0 to the first write acknowledged under `epoch`, and the write gap.
    void measureRto(std::uint64_t epoch);
    // RPO: which writes acknowledged before `epoch` the new primary lacks, and the bytes the
    // old leader had (`oldLsn`) past the new timeline's fork point.
    void measureRpo(std::uint64_t epoch, const std::string& newPrimaryConninfo,
                    std::optional<std::int64_t> oldLsn, std::optional<std::int64_t> forkLsn);
    // Where `oldTimeline` ends in Patroni's history, from the new leader's REST API (waits a
    // few seconds for Patroni to list it); none when it does not.
    std::optional<std::int64_t> patroniForkLsn(const std::string& newLeaderApi,
                                               std::int64_t oldTimeline);

    HaMonitor& monitor_;
    WriteRouterCore* writes_;
    ShardRouter* shards_;
    int timeoutMs_;
    JobControl& control_;
    std::int64_t startedMs_ = 0;
    std::int64_t faultMs_ = 0; // t0: the fence or the fault
    nlohmann::json result_;
};

} // namespace switchboard
