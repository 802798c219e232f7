#include "replication_monitor.h"

#include <chrono>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

namespace {

int status(protocol::ProbeStatus value) {
    return static_cast<int>(value);
}

json replicaJson(const ReplicaReport& replica) {
    json slot = nullptr;
    if (replica.slot)
        slot = {{field::kName, replica.slot->name},
                {field::kActive, replica.slot->active},
                {field::kRetainedWalBytes, replica.slot->retainedWalBytes}};
    const auto& own = replica.self;
    json self = {{field::kStatus, status(own.status)},
                 {field::kError, own.error},
                 {field::kInRecovery, own.inRecovery},
                 {field::kReceiveLsn, own.receiveLsn},
                 {field::kReplayLsn, own.replayLsn},
                 {field::kReplayPaused, own.replayPaused},
                 {field::kReplayLagSeconds, own.replayLagSeconds}};
    return {{field::kName, replica.name},
            {field::kTarget, replica.target},
            {field::kReplicationState, replica.state},
            {field::kStatus, status(replica.status)},
            {field::kError, replica.error},
            {field::kSyncState, replica.syncState},
            {field::kTimeline, replica.timeline},
            {field::kWriteLagBytes, replica.writeLagBytes},
            {field::kFlushLagBytes, replica.flushLagBytes},
            {field::kReplayLagBytes, replica.replayLagBytes},
            {field::kWriteLagSeconds, replica.writeLagSeconds},
            {field::kFlushLagSeconds, replica.flushLagSeconds},
            {field::kReplayLagSeconds, replica.replayLagSeconds},
            {field::kSlot, std::move(slot)},
            {field::kSelf, std::move(self)}};
}

} // namespace

json replicationJson(const ReplicationReport& report) {
    const auto& primary = report.primary;
    json replicas = json::array();
    for (const auto& replica : report.replicas)
        replicas.push_back(replicaJson(replica));
    return {{field::kCheckedMs, report.checkedMs},
            {field::kStatus, status(primary.status)},
            {field::kError, primary.error},
            {field::kPrimary,
             {{field::kName, primary.name},
              {field::kTarget, primary.target},
              {field::kStatus, status(primary.status)},
              {field::kError, primary.error},
              {field::kTimeline, primary.timeline},
              {field::kCurrentLsn, primary.currentLsn},
              {field::kInRecovery, primary.inRecovery}}},
            {field::kReplicas, std::move(replicas)}};
}

namespace {

prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& registry, const char* name,
                                             const char* help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

} // namespace

ReplicationMonitor::ReplicationMonitor(const AgentConfig& config, StreamHub& hub,
                                       prometheus::Registry& registry)
    : probe_(config.postgresPrimary, config.postgresReplicas, config.probeTimeoutMs)
    , hub_(hub)
    , intervalMs_(config.probeIntervalMs)
    , timeoutMs_(config.probeTimeoutMs)
    , lagBytes_(gauge(registry, "switchboard_replication_lag_bytes",
                      "WAL bytes a replica is behind the primary's current LSN"))
    , lagSeconds_(gauge(registry, "switchboard_replication_lag_seconds",
                        "Seconds a replica is behind (replay: the larger of both views)"))
    , up_(gauge(registry, "switchboard_replication_up",
                "1 while the primary lists the replica's walsender and the replica answers"))
    , retained_(gauge(registry, "switchboard_replication_slot_retained_wal_bytes",
                      "WAL the primary keeps for a replication slot"))
    , paused_(gauge(registry, "switchboard_replication_replay_paused",
                    "1 while a replica's WAL replay is paused"))
    , timeline_(gauge(registry, "switchboard_replication_timeline", "Timeline of each node"))
    , inRecovery_(gauge(registry, "switchboard_replication_in_recovery",
                        "1 while a node is in recovery (a replica, or a primary mid-failover)"))
    , slotActive_(gauge(registry, "switchboard_replication_slot_active",
                        "1 while a replica's replication slot has a walsender attached"))
    , state_(gauge(registry, "switchboard_replication_state",
                   "1 for a replica's current state (streaming, catchup, not_connected, down ...)"))
    , syncState_(gauge(registry, "switchboard_replication_sync_state",
                       "1 for a replica's current sync state (async, sync, quorum, potential)"))
    , primaryUp_(gauge(registry, "switchboard_replication_primary_up",
                       "1 while the primary answers the replication probe"))
    , cycleSeconds_(gauge(registry, "switchboard_replication_probe_duration_seconds",
                          "Wall time of the last replication probe cycle")) {}

ReplicationMonitor::~ReplicationMonitor() {
    stop();
}

void ReplicationMonitor::setListener(std::function<void(const ReplicationReport&)> listener) {
    std::lock_guard lock(listenerMutex_);
    listener_ = std::move(listener);
}

void ReplicationMonitor::start() {
    if (thread_)
        return;
    thread_ = std::make_unique<PeriodicThread>(std::chrono::milliseconds(intervalMs_),
                                               [this] { runOnce(); });
    // Often enough to end a hung query soon after its statement timeout.
    watchdog_ = std::make_unique<PeriodicThread>(
        std::chrono::milliseconds(std::max(50, timeoutMs_ / 4)), [this] { probe_.abortOverdue(); },
        PeriodicThread::FirstRun::AfterInterval);
}

void ReplicationMonitor::stop() noexcept {
    // The watchdog outlives the cycle it may have to end.
    thread_.reset();
    watchdog_.reset();
}

ReplicationReport ReplicationMonitor::runOnce() {
    auto started = std::chrono::steady_clock::now();
    ReplicationReport report = probe_.check();
    record(report,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    hub_.publish(protocol::event::kReplication, replicationJson(report));
    std::function<void(const ReplicationReport&)> listener;
    {
        std::lock_guard lock(listenerMutex_);
        listener = listener_;
    }
    if (listener) {
        try {
            listener(report);
        } catch (...) {
            // the router's problem; the monitor carries on
        }
    }
    return report;
}

void ReplicationMonitor::setCurrent(prometheus::Family<prometheus::Gauge>& family,
                                    std::map<std::string, CurrentValue>& current,
                                    const std::string& replica, const char* label,
                                    const std::string& value) {
    auto& now = current[replica];
    if (now.gauge && now.value == value)
        return;
    if (now.gauge)
        family.Remove(now.gauge);
    now.value = value;
    now.gauge = &family.Add({{"replica", replica}, {label, value.empty() ? "none" : value}});
    now.gauge->Set(1);
}

void ReplicationMonitor::record(const ReplicationReport& report, double cycleSeconds) {
    cycleSeconds_.Add({}).Set(cycleSeconds);
    bool primaryUp = report.primary.status == protocol::ProbeStatus::Up;
    primaryUp_.Add({}).Set(primaryUp ? 1 : 0);
    timeline_.Add({{"node", report.primary.name}}).Set(double(report.primary.timeline));
    inRecovery_.Add({{"node", report.primary.name}}).Set(report.primary.inRecovery ? 1 : 0);
    for (const auto& replica : report.replicas) {
        const auto& name = replica.name;
        lagBytes_.Add({{"replica", name}, {"kind", "write"}}).Set(double(replica.writeLagBytes));
        lagBytes_.Add({{"replica", name}, {"kind", "flush"}}).Set(double(replica.flushLagBytes));
        lagBytes_.Add({{"replica", name}, {"kind", "replay"}}).Set(double(replica.replayLagBytes));
        lagSeconds_.Add({{"replica", name}, {"kind", "write"}}).Set(replica.writeLagSeconds);
        lagSeconds_.Add({{"replica", name}, {"kind", "flush"}}).Set(replica.flushLagSeconds);
        lagSeconds_.Add({{"replica", name}, {"kind", "replay"}}).Set(replica.replayLagSeconds);
        bool up = replica.status == protocol::ProbeStatus::Up &&
                  replica.self.status != protocol::ProbeStatus::Down;
        up_.Add({{"replica", name}}).Set(up ? 1 : 0);
        paused_.Add({{"replica", name}}).Set(replica.self.replayPaused ? 1 : 0);
        inRecovery_.Add({{"node", name}}).Set(replica.self.inRecovery ? 1 : 0);
        setCurrent(state_, currentState_, name, "state", replica.state);
        setCurrent(syncState_, currentSyncState_, name, "sync_state", replica.syncState);
        if (replica.slot) {
            retained_.Add({{"replica", name}, {"slot", replica.slot->name}})
                .Set(double(replica.slot->retainedWalBytes));
            slotActive_.Add({{"replica", name}, {"slot", replica.slot->name}})
                .Set(replica.slot->active ? 1 : 0);
        }
        timeline_.Add({{"node", name}}).Set(double(replica.timeline));
    }
}

} // namespace switchboard
