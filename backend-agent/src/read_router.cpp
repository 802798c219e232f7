#include "switchboard/read_router.h"

#include "replication_report.h"

#include <cmath>
#include <cstdio>

namespace switchboard {

namespace {

// "2.4 s" from a second up, "250 ms" below: the unit an operator reads at a glance.
std::string formatSeconds(double seconds) {
    char text[32];
    if (seconds >= 1.0)
        std::snprintf(text, sizeof text, "%.1f s", seconds);
    else
        std::snprintf(text, sizeof text, "%.0f ms", seconds * 1000.0);
    return text;
}

// "20 MiB", "1.5 MiB", "512 KiB", "100 B": binary units, as max_lag_bytes defaults to 16 MiB.
std::string formatBytes(std::int64_t bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (std::fabs(value) >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char text[32];
    if (value == std::floor(value))
        std::snprintf(text, sizeof text, "%.0f %s", value, units[unit]);
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string causeOf(const ReplicaReport& replica) {
    if (!replica.self.error.empty())
        return replica.self.error;
    if (!replica.error.empty())
        return replica.error;
    return "no cause given";
}

struct Verdict {
    bool eligible = false;
    ReadRouter::Reason reason = ReadRouter::Reason::CaughtUp;
    std::string whyNot;
};

// The rule of docs/protocol.md "Read router": up (answers itself, or the primary sees it
// streaming) and within both lag limits.
Verdict judge(const ReplicaReport& replica, const ReadRouterConfig& config) {
    using protocol::ProbeStatus;
    bool up = replica.self.status == ProbeStatus::Up ||
              (replica.status == ProbeStatus::Up && replica.state == "streaming");
    if (!up) {
        if (replica.state == "not_connected")
            return {false, ReadRouter::Reason::NotConnected, "not connected: " + causeOf(replica)};
        return {false, ReadRouter::Reason::Down, "down: " + causeOf(replica)};
    }
    if (replica.replayLagSeconds * 1000.0 > config.maxLagMs)
        return {false, ReadRouter::Reason::LagTime,
                "replay lag " + formatSeconds(replica.replayLagSeconds) + " > " +
                    formatSeconds(config.maxLagMs / 1000.0)};
    if (replica.replayLagBytes > config.maxLagBytes)
        return {false, ReadRouter::Reason::LagBytes,
                "replay lag " + formatBytes(replica.replayLagBytes) + " > " +
                    formatBytes(config.maxLagBytes)};
    return {true, ReadRouter::Reason::CaughtUp, ""};
}

} // namespace

const char* ReadRouter::reasonName(Reason reason) noexcept {
    switch (reason) {
    case Reason::NoReport:
        return "no_report";
    case Reason::Missing:
        return "missing";
    case Reason::Down:
        return "down";
    case Reason::NotConnected:
        return "not_connected";
    case Reason::LagTime:
        return "lag_time";
    case Reason::LagBytes:
        return "lag_bytes";
    case Reason::CaughtUp:
        return "caught_up";
    }
    return "unknown";
}

ReadRouter::ReadRouter(std::vector<std::string> replicaNames, ReadRouterConfig config)
    : config_((config.validate(), config))
    , count_(replicaNames.size() + 1) {
    if (replicaNames.size() > kMaxReplicas)
        throw ConfigError("postgres.replicas", "the read router takes at most " +
                                                   std::to_string(kMaxReplicas) + " replicas");
    targets_ = std::make_unique<Target[]>(count_);
    targets_[0].name = "primary";
    targets_[0].reason = Reason::CaughtUp; // the primary is always a target: the fallback
    for (std::size_t i = 0; i < replicaNames.size(); ++i) {
        targets_[i + 1].name = std::move(replicaNames[i]);
        targets_[i + 1].whyNot = "no replication report yet";
    }
}

ReadRouter::~ReadRouter() = default;

void ReadRouter::setChangeListener(std::function<void(const std::vector<Change>&)> listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

void ReadRouter::update(const ReplicationReport& report) {
    std::vector<Change> changes;
    std::function<void(const std::vector<Change>&)> listener;
    {
        std::lock_guard lock(mutex_);
        std::uint64_t before = eligible_.load(std::memory_order_relaxed);
        std::uint64_t mask = 0;
        for (std::size_t i = 1; i < count_; ++i) {
            Target& target = targets_[i];
            Verdict verdict{false, Reason::Missing, "not in the replication report"};
            for (const auto& replica : report.replicas)
                if (replica.name == target.name) {
                    verdict = judge(replica, config_);
                    break;
                }
            if (verdict.eligible)
                mask |= std::uint64_t(1) << i;
            bool was = before >> i & 1;
            // A change of eligibility, or of the reason while ineligible (lag time -> down).
            if (was != verdict.eligible || (!was && verdict.reason != target.reason))
                changes.push_back({static_cast<int>(i), target.name, verdict.eligible,
                                   verdict.reason, verdict.whyNot});
            target.whyNot = std::move(verdict.whyNot);
            target.reason = verdict.reason;
        }
        // Release: a reader that sees the new mask also sees the why-not texts above (under
        // the lock anyway); route() itself needs only the word.
        eligible_.store(mask, std::memory_order_release);
        if (!changes.empty())
            listener = listener_;
    }
    if (listener)
        listener(changes);
}

std::string ReadRouter::whyNot(int index) const {
    std::lock_guard lock(mutex_);
    return targets_[index].whyNot;
}

std::vector<ReadRouter::TargetSnapshot> ReadRouter::snapshot() const {
    std::lock_guard lock(mutex_);
    std::uint64_t mask = eligible_.load(std::memory_order_relaxed);
    std::vector<TargetSnapshot> result;
    result.reserve(count_);
    for (std::size_t i = 0; i < count_; ++i)
        result.push_back({targets_[i].name, i == 0, i == 0 || (mask >> i & 1), targets_[i].whyNot,
                          targets_[i].reads.load(std::memory_order_relaxed)});
    return result;
}

} // namespace switchboard
