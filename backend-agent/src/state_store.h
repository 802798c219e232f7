// The agent's whole state as the console sees it: identity, probe results, request statistics,
// breakers, jobs, and (with PostgreSQL replicas) replication and the read router.
// Events are folded into it, so a snapshot always equals the events up to its revision.
// Not thread-safe; StreamHub guards it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace switchboard {

class StateStore {
public:
    explicit StateStore(nlohmann::json info);

    // Folds one event into the state; `revision` becomes its sequence number.
    void apply(std::string_view kind, const nlohmann::json& data, std::uint64_t revision);

    const nlohmann::json& info() const noexcept { return info_; }
    // The /v1/snapshot document.
    nlohmann::json snapshot(std::int64_t nowMs) const;

private:
    nlohmann::json info_;
    std::map<std::string, nlohmann::json> probes_;   // by name, so the order is stable
    std::map<std::string, nlohmann::json> breakers_; // by name, without their last transition
    nlohmann::json requests_;
    // The last "replication", "read_router" and "shards" documents; null until one arrives (and
    // then absent from the snapshot, so agents without them keep their snapshot as it was).
    nlohmann::json replication_;
    nlohmann::json readRouter_;
    nlohmann::json shards_;
    nlohmann::json cache_;
    nlohmann::json regions_; // the HA probe's "regions" document
    nlohmann::json pools_;   // the last "pools" event's list
    nlohmann::json process_; // the host process's CPU and memory
    // Running jobs and the last kFinishedJobsKept finished ones, by id; finished in end order.
    static constexpr std::size_t kFinishedJobsKept = 20;
    std::map<std::string, nlohmann::json> jobs_;
    std::deque<std::string> finishedJobs_;
    std::uint64_t revision_ = 0;
};

} // namespace switchboard
