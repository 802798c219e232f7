// The lag-aware read router (issue 5): where the backend sends its next read.
//
//   auto& router = agent.readRouter();            // once, at start-up
//   auto target = router.route();                 // per read: {index, name}
//   connections[target.index].exec(...);          // 0 = the primary, 1..n = the replicas
//
// Targets are the primary (index 0) and the configured replicas (1..n, in the order of
// AgentConfig::postgresReplicas). route() picks an eligible replica round robin, or the primary
// when none is eligible. Eligibility is recomputed off the hot path by update(), after every
// replication probe cycle, so route() only reads one atomic word, bumps a round-robin cursor and
// the target's read counter: no lock, no allocation, no exception. Thread-safe.
#pragma once

#include "switchboard/agent_config.h"
#include "switchboard/export.h"

#include <atomic>
#include <bit>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

struct ReplicationReport; // the replication probe's findings (the agent's internals)

class SWITCHBOARD_AGENT_API ReadRouter {
public:
    // The bitmask of eligible replicas is one 64-bit word; bit 0 is the primary's, never set.
    static constexpr std::size_t kMaxReplicas = 63;

    struct Route {
        int index = 0;         // 0 = the primary, i = postgresReplicas[i - 1]
        std::string_view name; // "primary" or the replica's name; valid as long as the router
    };

    // Why a target's eligibility changed, also the label of the change counter.
    enum class Reason {
        NoReport,     // no replication report yet
        Missing,      // the report has no row for this replica
        Down,         // neither the primary sees it streaming nor it answers itself
        NotConnected, // the primary has no walsender for it, and it does not answer itself
        LagTime,      // replay lag in seconds over max_lag_ms
        LagBytes,     // replay lag in bytes over max_lag_bytes
        CaughtUp,     // eligible again
    };
    static const char* reasonName(Reason reason) noexcept;

    struct Change {
        int index = 0;
        std::string name;
        bool eligible = false; // the new value
        Reason reason = Reason::NoReport;
        std::string whyNot; // empty when eligible
    };

    struct TargetSnapshot {
        std::string name;
        bool primary = false;
        bool eligible = false;
        std::string whyNot;
        std::uint64_t reads = 0;
    };

    // Throws ConfigError: "read_router.max_lag_ms" / "read_router.max_lag_bytes" for a bad
    // config, "postgres.replicas" for more than kMaxReplicas.
    explicit ReadRouter(std::vector<std::string> replicaNames, ReadRouterConfig config = {});
    ~ReadRouter();
    ReadRouter(const ReadRouter&) = delete;
    ReadRouter& operator=(const ReadRouter&) = delete;

    // The hot path: an eligible replica round robin, else the primary. Counts the read.
    Route route() noexcept {
        std::uint64_t mask = eligible_.load(std::memory_order_relaxed);
        int index = 0;
        if (mask != 0) {
            // 32-bit modulo: cheaper than 64-bit, and the cursor wrapping only skews one turn.
            auto turn = cursor_.fetch_add(1, std::memory_order_relaxed) %
                        static_cast<std::uint32_t>(std::popcount(mask));
            for (; turn > 0; --turn)
                mask &= mask - 1; // drop the lowest eligible replica, `turn` times
            index = std::countr_zero(mask);
        }
        Target& target = targets_[index];
        target.reads.fetch_add(1, std::memory_order_relaxed);
        return {index, target.name};
    }

    // Recomputes eligibility from a probe cycle's report; any thread, not the hot path. Calls
    // the change listener (on this thread, outside the router's lock) when something changed.
    void update(const ReplicationReport& report);
    // Called with every update()'s changes, if any. Set it before update() runs concurrently.
    void setChangeListener(std::function<void(const std::vector<Change>&)> listener);

    std::size_t targetCount() const noexcept { return count_; }
    std::string_view name(int index) const noexcept { return targets_[index].name; }
    std::uint64_t reads(int index) const noexcept {
        return targets_[index].reads.load(std::memory_order_relaxed);
    }
    bool eligible(int index) const noexcept {
        return index == 0 || (eligible_.load(std::memory_order_relaxed) >> index & 1);
    }
    std::string whyNot(int index) const;
    const ReadRouterConfig& config() const noexcept { return config_; }
    std::vector<TargetSnapshot> snapshot() const;

private:
    // One cache line per target, so two threads reading from different replicas do not
    // contend on each other's counter.
    struct alignas(64) Target {
        std::string name;
        std::atomic<std::uint64_t> reads{0};
        std::string whyNot; // guarded by mutex_
        Reason reason = Reason::NoReport;
    };

    ReadRouterConfig config_;
    std::size_t count_;
    std::unique_ptr<Target[]> targets_;
    alignas(64) std::atomic<std::uint64_t> eligible_{0};
    alignas(64) std::atomic<std::uint32_t> cursor_{0};
    mutable std::mutex mutex_;
    std::function<void(const std::vector<Change>&)> listener_;
};

} // namespace switchboard
