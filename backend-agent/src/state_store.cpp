#include "state_store.h"

#include "switchboard/protocol.h"

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
    else if (kind == protocol::event::kBreaker) {
        json breaker = data;
        breaker.erase(field::kTransition); // an event's news, not part of the state
        breakers_[data.at(field::kName).get<std::string>()] = std::move(breaker);
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
    return json{{field::kRevision, revision_}, {field::kTimeMs, nowMs},
                {field::kInfo, info_},         {field::kProbes, std::move(probes)},
                {field::kRequests, requests_}, {field::kBreakers, std::move(breakers)}};
}

} // namespace switchboard
