// The HA probe: asks each configured region's Patroni REST API (GET /cluster, /patroni,
// /history) on its own thread every ha.interval_ms, keeps the regions' state, and publishes the
// "regions" document (docs/drills.md) with the drills' results. A drill asks for a fresh reading
// with refresh() (synchronous, bounded by the probe timeout per request). Never throws into the
// host: an unreachable API is a region with health "down" and an error.
#pragma once

#include "switchboard/agent_config.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
}

namespace switchboard {

class StreamHub;

struct HaMember {
    std::string name;
    std::string role;  // Patroni's: leader, replica, standby_leader, sync_standby, ...
    std::string state; // running, streaming, stopped, starting, ...
    std::string host;
    int port = 0;
    std::string apiUrl; // the member's REST base, e.g. http://127.0.0.1:8008
    std::int64_t timeline = 0;
    std::optional<std::int64_t> lagBytes; // Patroni's "lag"; none for a leader
    bool streaming = false; // listed "streaming" in its upstream leader's replication[]
    std::string conninfo;   // a direct region's member: its configured conninfo
    bool isLeader() const { return role == "leader" || role == "master" || role == "primary"; }
};

struct HaTimelineSwitch {
    std::int64_t timeline = 0;
    std::int64_t lsn = 0;
    std::string reason;
    std::string time;
    std::string leader; // the new leader, when Patroni recorded it
};

struct HaRegion {
    std::string name;
    std::string provider = "patroni"; // patroni | direct (HaRegionConfig::provider)
    std::string role; // active | standby: the configuration's until a region drill swaps them
    std::string cluster;
    std::string health = "unknown"; // ok | degraded | down | unknown
    std::string error;
    std::string leader; // the leader or standby leader's name; empty: none
    std::int64_t timeline = 0;
    std::optional<std::int64_t> leaderWalLsn;        // the leader's xlog location (or replayed)
    std::optional<std::int64_t> crossRegionLagBytes; // standby regions
    std::vector<HaMember> members;
    std::vector<HaTimelineSwitch> history;
    std::int64_t checkedMs = 0;

    const HaMember* member(const std::string& memberName) const;
    const HaMember* leaderMember() const;
};

// Patroni's REST API over libcurl (connect and total timeouts; the proxy environment ignored).
// Every failure is a value.
struct PatroniReply {
    int status = 0; // HTTP status; 0: no answer
    std::string body;
    std::string error;   // empty when an answer came
    nlohmann::json json; // the parsed body, discarded when it is not JSON
};

class PatroniClient {
public:
    explicit PatroniClient(int timeoutMs);
    PatroniReply get(const std::string& baseUrl, const std::string& path) const;
    PatroniReply post(const std::string& baseUrl, const std::string& path,
                      const nlohmann::json& body) const;
    PatroniReply patch(const std::string& baseUrl, const std::string& path,
                       const nlohmann::json& body) const;

private:
    int timeoutMs_;
};

// A direct region's member (postgres.primary or one of postgres.replicas).
struct DirectMember {
    std::string name;
    std::string conninfo;
};

class HaMonitor {
public:
    // `directMembers`: a direct region's servers, the configured primary first (direct_region.h).
    HaMonitor(const HaConfig& config, StreamHub& hub, prometheus::Registry& registry,
              int probeTimeoutMs, std::vector<DirectMember> directMembers = {});
    ~HaMonitor();

    void start();
    void stop() noexcept;

    // Probes every region now and publishes; returns what it read.
    std::vector<HaRegion> refresh();
    // The last reading (empty before the first).
    std::vector<HaRegion> regions() const;
    std::optional<HaRegion> region(const std::string& name) const;

    // Called when the active region's leader (its name and direct conninfo) is seen to change,
    // from the probe thread: the write router follows it. Also called with the current leader on
    // the first reading after the listener is set. It must not call refresh().
    void onLeaderChange(std::function<void(const std::string& name, const std::string& conninfo)>);
    // The region the backend writes to: the configured active one until a region drill makes
    // another active (region_failover, region_failback). In memory: an agent that restarts
    // starts from the configuration again.
    std::string activeRegion() const;
    // Makes `name` the active region (the others standby) and publishes; from the next reading
    // the write router follows its leader. False: no such region (nothing changes).
    bool setActiveRegion(const std::string& name);
    // The direct conninfo of a member: a direct region's configured one, else
    // ha.member_conninfo with its host and port.
    std::string conninfoOf(const HaMember& member) const;
    // After a direct drill promoted `member` of the direct region `region`: the probe asks the
    // region from it from now on (in memory, like the active region). False: not a direct
    // region or no such member.
    bool setDirectLeader(const std::string& region, const std::string& member);

    // A finished drill's result, newest first in the document (at most 20 kept).
    void addDrill(nlohmann::json result);
    // The write router's target, shown in the document.
    void setWriteTarget(const std::string& name, std::uint64_t epoch);

    const HaConfig& config() const noexcept { return config_; }
    const PatroniClient& patroni() const noexcept { return client_; }

private:
    void updateMetrics(const std::vector<HaRegion>& regions);
    void notifyLeader(const std::vector<HaRegion>& regions);
    void publishLocked(); // with Impl::stateMutex held

    struct Impl;
    HaConfig config_;
    PatroniClient client_;
    std::unique_ptr<Impl> impl_;
};

// Pure parsing, for the probe and its unit tests: GET /cluster's members, a leader's GET
// /patroni (its xlog position and replication[] states), GET /history.
std::vector<HaMember> parseClusterMembers(const nlohmann::json& cluster);
void markStreaming(std::vector<HaMember>& members, const nlohmann::json& leaderPatroni);
std::vector<HaTimelineSwitch> parseHistory(const nlohmann::json& history);
// A member's WAL position from its GET /patroni: xlog.location on a primary, else
// xlog.replayed_location (a replica or standby leader); none when Patroni gives neither.
std::optional<std::int64_t> walPosition(const nlohmann::json& patroni);
// Sets the region's leader, timeline and health (docs/drills.md) from its members; a region
// whose REST APIs did not answer keeps health "down" and its error (the probe sets those).
void assessHealth(HaRegion& region);
// The "regions" document (docs/drills.md) for these regions.
nlohmann::json regionsDocument(const HaConfig& config, const std::vector<HaRegion>& regions,
                               const nlohmann::json& writeTarget, const nlohmann::json& drills,
                               std::int64_t nowMs);

} // namespace switchboard
