#include "state_store.h"

#include "switchboard/protocol.h"

#include <algorithm>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

StateStore::StateStore(json info)
    : info_(std::move(info))
    , requests_(json::object()) {}

void StateStore::apply(std::string_view kind, const json& data, std::uint64_t revision) {
    if (kind == protocol::event::kProbe)
        probes_[data.at(field::kName).get<std::string>()] = data;
    else if (kind == protocol::event::kRequests)
        requests_ = data;
    else if (kind == protocol::event::kReplication)
        replication_ = data;
    else if (kind == protocol::event::kReadRouter)
        readRouter_ = data;
    else if (kind == protocol::event::kShards)
        shards_ = data;
    else if (kind == protocol::event::kCache)
        cache_ = data;
    else if (kind == protocol::event::kRegions)
        regions_ = data;
    else if (kind == protocol::event::kPools)
        pools_ = data.at(field::kPools);
    else if (kind == protocol::event::kProcess)
        process_ = data;
    else if (kind == protocol::event::kBreaker) {
        json breaker = data;
        breaker.erase(field::kTransition); // an event's news, not part of the state
        breakers_[data.at(field::kName).get<std::string>()] = std::move(breaker);
    } else if (kind == protocol::event::kJob) {
        auto id = data.at(field::kJobId).get<std::string>();
        bool wasKnown = jobs_.contains(id);
        jobs_[id] = data;
        if (data.contains(field::kFinishedMs) && !data[field::kFinishedMs].is_null()) {
            if (!wasKnown ||
                std::find(finishedJobs_.begin(), finishedJobs_.end(), id) == finishedJobs_.end())
                finishedJobs_.push_back(id);
            while (finishedJobs_.size() > kFinishedJobsKept) {
                jobs_.erase(finishedJobs_.front());
                finishedJobs_.pop_front();
            }
        }
    }
    revision_ = revision;
}

json StateStore::snapshot(std::int64_t nowMs) const {
    json probes = json::array();
    for (const auto& [name, probe] : probes_)
        probes.push_back(probe);
    json breakers = json::array();
    for (const auto& [name, breaker] : breakers_)
        breakers.push_back(breaker);
    json jobs = json::array();
    for (const auto& [id, job] : jobs_)
        jobs.push_back(job);
    json document{{field::kRevision, revision_},  {field::kTimeMs, nowMs},
                  {field::kInfo, info_},          {field::kProbes, std::move(probes)},
                  {field::kRequests, requests_},  {field::kBreakers, std::move(breakers)},
                  {field::kJobs, std::move(jobs)}};
    if (!replication_.is_null())
        document[field::kReplication] = replication_;
    if (!readRouter_.is_null())
        document[field::kReadRouter] = readRouter_;
    if (!shards_.is_null())
        document[field::kShards] = shards_;
    if (!cache_.is_null())
        document[field::kCache] = cache_;
    if (!regions_.is_null())
        document[field::kRegions] = regions_;
    if (!pools_.is_null())
        document[field::kPools] = pools_;
    if (!process_.is_null())
        document[field::kProcess] = process_;
    return document;
}

} // namespace switchboard
