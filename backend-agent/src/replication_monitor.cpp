#include "replication_monitor.h"

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
    , timeline_(gauge(registry, "switchboard_replication_timeline", "Timeline of each node")) {}

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
    ReplicationReport report = probe_.check();
    record(report);
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

void ReplicationMonitor::record(const ReplicationReport& report) {
    timeline_.Add({{"node", report.primary.name}}).Set(double(report.primary.timeline));
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
        if (replica.slot)
            retained_.Add({{"replica", name}, {"slot", replica.slot->name}})
                .Set(double(replica.slot->retainedWalBytes));
        timeline_.Add({{"node", name}}).Set(double(replica.timeline));
    }
}

} // namespace switchboard
