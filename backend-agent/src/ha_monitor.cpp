// HaMonitor: one probe round asks each region's Patroni (GET /cluster from the first REST API
// that answers, then the leader's GET /patroni and GET /history), derives streaming, health and
// cross-region lag, tells the write router when the active leader moved, publishes the
// "regions" document and updates the Prometheus gauges. Rounds are serialized (the thread and a
// drill's refresh() may ask at once); the state behind regions() has its own lock so readers
// never wait for a round's network calls.
#include "ha_monitor.h"

#include "clock.h"
#include "direct_region.h"
#include "periodic_thread.h"
#include "stream_hub.h"
#include "switchboard/protocol.h"

#include <algorithm>
#include <limits>
#include <map>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

using nlohmann::json;

namespace {

constexpr std::size_t kDrillsKept = 20;

// What one region's round read, beyond the HaRegion itself: its leader's GET /patroni, which a
// standby region's streaming and lag are judged against when this is the active region.
struct RegionReading {
    HaRegion region;
    json leaderPatroni; // null when there was no leader or it did not answer
    std::string notes;  // failures that do not make the region down by themselves
};

void addNote(std::string& notes, const std::string& note) {
    notes += (notes.empty() ? "" : "; ") + note;
}

std::string failureOf(const std::string& url, const std::string& path, const PatroniReply& reply) {
    if (!reply.error.empty())
        return reply.error;
    return "GET " + url + path + ": HTTP " + std::to_string(reply.status) +
           (reply.json.is_null() ? " (not JSON)" : "");
}

RegionReading probeRegion(const PatroniClient& client, const HaRegionConfig& config) {
    RegionReading reading;
    HaRegion& region = reading.region;
    region.name = config.name;
    region.role = config.role;
    region.cluster = config.cluster.empty() ? config.name : config.cluster;
    region.checkedMs = nowMs();

    // Any member's API knows the whole cluster (it reads the DCS): the first to answer will do.
    std::string answering;
    std::string failures;
    for (const auto& url : config.patroni) {
        PatroniReply reply = client.get(url, "/cluster");
        if (reply.status == 200 && reply.json.is_object() && reply.json.contains("members")) {
            region.members = parseClusterMembers(reply.json);
            answering = url;
            break;
        }
        addNote(failures, failureOf(url, "/cluster", reply));
    }
    if (answering.empty()) {
        region.health = "down";
        region.error = "no Patroni REST API answered: " + failures;
        return reading;
    }

    const HaMember* leader = region.leaderMember();
    // The leader's own API for /patroni (xlog, replication[]); /history is the same on every
    // member, so without a leader the answering one is asked.
    const std::string leaderBase = leader && !leader->apiUrl.empty() ? leader->apiUrl : answering;
    if (leader) {
        PatroniReply reply = client.get(leaderBase, "/patroni");
        if (reply.status == 200 && reply.json.is_object()) {
            markStreaming(region.members, reply.json);
            region.leaderWalLsn = walPosition(reply.json);
            reading.leaderPatroni = std::move(reply.json);
        } else {
            // Replicas then cannot be told streaming: the region shows degraded, and why.
            markStreaming(region.members, json());
            addNote(reading.notes, failureOf(leaderBase, "/patroni", reply));
        }
    }
    PatroniReply history = client.get(leaderBase, "/history");
    if (history.status == 200 && history.json.is_array())
        region.history = parseHistory(history.json);
    else
        addNote(reading.notes, failureOf(leaderBase, "/history", history));
    return reading;
}

} // namespace

struct HaMonitor::Impl {
    Impl(StreamHub& hub, prometheus::Registry& registry)
        : hub(hub)
        , up(prometheus::BuildGauge()
                 .Name("switchboard_region_up")
                 .Help("A region's Patroni cluster: 1 with a leader (health ok or degraded), 0 "
                       "down")
                 .Register(registry))
        , lag(prometheus::BuildGauge()
                  .Name("switchboard_region_lag_bytes")
                  .Help("A standby region's lag behind the active leader; the active region's "
                        "largest replica lag (bytes)")
                  .Register(registry)) {}

    StreamHub& hub;
    prometheus::Family<prometheus::Gauge>& up;
    prometheus::Family<prometheus::Gauge>& lag;

    std::mutex roundMutex; // one probe round at a time
    mutable std::mutex stateMutex;
    std::vector<HaRegion> regions; // the last reading, in the configuration's order
    json drills = json::array();   // newest first
    json writeTarget;              // {name, epoch}; null until the router reports
    std::function<void(const std::string&, const std::string&)> leaderListener;
    std::string reportedLeader; // "name host:port" last given to the listener
    std::string activeRegion;   // which region is active now (a region drill moves it)
    // Direct regions' probes by region name; used by rounds (serialized) and setDirectLeader.
    std::map<std::string, std::unique_ptr<DirectRegionProbe>> direct;
    std::unique_ptr<PeriodicThread> thread;
};

HaMonitor::HaMonitor(const HaConfig& config, StreamHub& hub, prometheus::Registry& registry,
                     int probeTimeoutMs, std::vector<DirectMember> directMembers)
    : config_(config)
    , client_(probeTimeoutMs)
    , impl_(std::make_unique<Impl>(hub, registry)) {
    for (const auto& region : config_.regions) {
        if (region.role == "active")
            impl_->activeRegion = region.name;
        if (region.direct()) {
            // The configured primary under the region's name for it (its fault command's).
            std::vector<DirectMember> members = directMembers;
            if (!members.empty())
                members.front().name = region.primaryName;
            impl_->direct[region.name] =
                std::make_unique<DirectRegionProbe>(region, std::move(members), probeTimeoutMs);
        }
    }
}

HaMonitor::~HaMonitor() {
    stop();
}

void HaMonitor::start() {
    if (!impl_->thread)
        impl_->thread =
            std::make_unique<PeriodicThread>(std::chrono::milliseconds(config_.intervalMs), [this] {
                try {
                    refresh();
                } catch (...) {
                    // A round that failed in an unforeseen way is skipped; the next one retries.
                }
            });
}

void HaMonitor::stop() noexcept {
    if (impl_->thread)
        impl_->thread->stop();
    impl_->thread.reset();
}

std::vector<HaRegion> HaMonitor::refresh() {
    std::lock_guard round(impl_->roundMutex);
    std::vector<RegionReading> readings;
    const std::string activeName = activeRegion();
    for (const auto& regionConfig : config_.regions) {
        if (auto direct = impl_->direct.find(regionConfig.name); direct != impl_->direct.end())
            readings.push_back({direct->second->probe(), json(), ""});
        else
            readings.push_back(probeRegion(client_, regionConfig));
        readings.back().region.role = regionConfig.name == activeName ? "active" : "standby";
    }

    const RegionReading* active = nullptr;
    for (const auto& reading : readings)
        if (reading.region.role == "active")
            active = &reading;
    std::vector<HaRegion> regions;
    for (auto& reading : readings) {
        HaRegion& region = reading.region;
        if (region.role == "standby" && active) {
            // A standby leader streams from the active leader, which lists it in replication[].
            markStreaming(region.members, active->leaderPatroni);
            if (active->region.leaderWalLsn && region.leaderWalLsn)
                region.crossRegionLagBytes =
                    std::max<std::int64_t>(0, *active->region.leaderWalLsn - *region.leaderWalLsn);
        }
        if (region.health != "down") // down already: no REST API answered, error says so
            assessHealth(region);
        if (!reading.notes.empty())
            addNote(region.error, reading.notes);
        regions.push_back(region);
    }

    updateMetrics(regions);
    {
        std::lock_guard state(impl_->stateMutex);
        impl_->regions = regions;
        publishLocked();
    }
    // After the new reading is in place: the listener's write router reports its new target
    // through setWriteTarget(), whose document should show the leader it now follows.
    notifyLeader(regions);
    return regions;
}

void HaMonitor::updateMetrics(const std::vector<HaRegion>& regions) {
    for (const auto& region : regions) {
        const prometheus::Labels labels{{"region", region.name}};
        const bool hasLeader = region.health == "ok" || region.health == "degraded";
        impl_->up.Add(labels).Set(hasLeader ? 1 : 0);
        std::optional<std::int64_t> lagBytes = region.crossRegionLagBytes;
        if (region.role == "active")
            for (const auto& member : region.members)
                if (member.lagBytes)
                    lagBytes = std::max(lagBytes.value_or(0), *member.lagBytes);
        // Unknown is NaN rather than the last value: a stale lag would look like a healthy one.
        impl_->lag.Add(labels).Set(lagBytes ? static_cast<double>(*lagBytes)
                                            : std::numeric_limits<double>::quiet_NaN());
    }
}

// Tells the listener the active region's leader when it differs from what it was last told
// (its name, or its address after a restart elsewhere), the first reading included.
void HaMonitor::notifyLeader(const std::vector<HaRegion>& regions) {
    std::function<void(const std::string&, const std::string&)> listener;
    std::string name;
    std::string conninfo;
    {
        std::lock_guard state(impl_->stateMutex);
        for (const auto& region : regions) {
            if (region.role != "active")
                continue;
            const HaMember* leader = region.leaderMember();
            if (!leader || !leader->isLeader())
                break; // none now: keep following the last one until another is elected
            const std::string key =
                leader->name + " " + leader->host + ":" + std::to_string(leader->port);
            if (key == impl_->reportedLeader)
                break;
            impl_->reportedLeader = key;
            listener = impl_->leaderListener;
            name = leader->name;
            conninfo = conninfoOf(*leader);
        }
    }
    // Outside the lock: the listener may call setWriteTarget(), which publishes.
    if (listener)
        listener(name, conninfo);
}

void HaMonitor::publishLocked() {
    impl_->hub.publish(
        protocol::event::kRegions,
        regionsDocument(config_, impl_->regions, impl_->writeTarget, impl_->drills, nowMs()));
}

std::vector<HaRegion> HaMonitor::regions() const {
    std::lock_guard state(impl_->stateMutex);
    return impl_->regions;
}

std::optional<HaRegion> HaMonitor::region(const std::string& name) const {
    std::lock_guard state(impl_->stateMutex);
    for (const auto& region : impl_->regions)
        if (region.name == name)
            return region;
    return std::nullopt;
}

void HaMonitor::onLeaderChange(
    std::function<void(const std::string& name, const std::string& conninfo)> listener) {
    std::lock_guard state(impl_->stateMutex);
    impl_->leaderListener = std::move(listener);
    // A listener set after the first reading still learns the current leader on the next one.
    impl_->reportedLeader.clear();
}

std::string HaMonitor::activeRegion() const {
    std::lock_guard state(impl_->stateMutex);
    return impl_->activeRegion;
}

bool HaMonitor::setActiveRegion(const std::string& name) {
    std::lock_guard state(impl_->stateMutex);
    bool known = false;
    for (const auto& region : config_.regions)
        known = known || region.name == name;
    if (!known)
        return false;
    impl_->activeRegion = name;
    // The document shows the swap at once, not after the next round.
    for (auto& region : impl_->regions)
        region.role = region.name == name ? "active" : "standby";
    publishLocked();
    return true;
}

bool HaMonitor::setDirectLeader(const std::string& region, const std::string& member) {
    auto direct = impl_->direct.find(region);
    return direct != impl_->direct.end() && direct->second->setLeader(member);
}

std::string HaMonitor::conninfoOf(const HaMember& member) const {
    if (!member.conninfo.empty())
        return member.conninfo;
    std::string conninfo = config_.memberConninfo;
    if (!conninfo.empty())
        conninfo += ' ';
    return conninfo + "host=" + member.host + " port=" + std::to_string(member.port);
}

void HaMonitor::addDrill(json result) {
    std::lock_guard state(impl_->stateMutex);
    impl_->drills.insert(impl_->drills.begin(), std::move(result));
    while (impl_->drills.size() > kDrillsKept)
        impl_->drills.erase(impl_->drills.end() - 1);
    publishLocked();
}

void HaMonitor::setWriteTarget(const std::string& name, std::uint64_t epoch) {
    std::lock_guard state(impl_->stateMutex);
    impl_->writeTarget = {{protocol::field::kName, name}, {protocol::field::kEpoch, epoch}};
    publishLocked();
}

} // namespace switchboard
