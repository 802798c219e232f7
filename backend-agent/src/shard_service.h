// Keeps the shard router on the catalog's current map and reports the shards.
//
// One thread: connects to the catalog (creating it on first use), prepares every node (owner
// table, claim function) and, when no rebalance holds its lock, makes the nodes' owner rows match
// the map; then LISTENs on the map's channel and reloads the map on each notification, and at
// least every kReloadEvery in case one was missed while disconnected. Every stats interval it
// counts rows and bytes per bucket on the nodes and publishes the "shards" document (stream and
// snapshot) and its gauges. A failure is a status and a cause in the document; the thread
// reconnects after a second. Never blocks the host: all of it runs on this thread, every
// statement has a timeout, and waiting for notifications polls the stop flag.
#pragma once

#include "shard_stats.h"
#include "stream_hub.h"
#include "switchboard/agent_config.h"
#include "switchboard/shard_router.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

namespace prometheus {
class Registry;
template <typename T> class Family;
class Gauge;
} // namespace prometheus

namespace switchboard {

class ShardService {
public:
    static constexpr std::chrono::seconds kReloadEvery{10};

    ShardService(const AgentConfig& config, StreamHub& hub, prometheus::Registry& registry);
    ~ShardService();

    ShardRouter& router() { return router_; }
    void start();
    void stop() noexcept;
    // Asks the thread to reload the map now (a writer got "not owner"); returns at once.
    void refreshSoon() noexcept;

    // What the last statistics saw, for planning a rebalance. `ok` is false before the first
    // count or while the catalog is unreachable (then `error` says why).
    struct View {
        bool ok = false;
        std::string error;
        ShardMap map;
        ShardStats stats;
    };
    View view() const;
    // The running rebalance's moves (the document's "moves"); published at once.
    void setMoves(nlohmann::json moves);
    const std::string& catalogConninfo() const { return catalogConninfo_; }
    const ShardsConfig& config() const { return config_; }

private:
    void run();
    void session(); // one connection's life; throws on failure
    void publishStats(const ShardMap& map);
    void publish(const ShardMap& map, const ShardStats& stats, protocol::ProbeStatus status,
                 const std::string& error);
    // Finishes or undoes the moves a dead agent left (under the rebalance lock).
    void settleUnfinishedMoves(pqxx::connection& catalog, const ShardMap& map);
    void publishFailure(const std::string& error);
    void record(const ShardMap& map, const ShardStats& stats);
    bool sleepFor(std::chrono::milliseconds duration); // false when stopping

    ShardsConfig config_;
    std::string catalogConninfo_;
    std::string catalogTarget_;
    int timeoutMs_;
    StreamHub& hub_;
    ShardRouter router_;
    prometheus::Family<prometheus::Gauge>& version_;
    prometheus::Family<prometheus::Gauge>& nodeUp_;
    prometheus::Family<prometheus::Gauge>& nodeRows_;
    prometheus::Family<prometheus::Gauge>& nodeBytes_;
    prometheus::Family<prometheus::Gauge>& nodeBuckets_;
    prometheus::Family<prometheus::Gauge>& nodeOps_;
    prometheus::Family<prometheus::Gauge>& bucketRows_;
    prometheus::Family<prometheus::Gauge>& bucketOps_;
    prometheus::Family<prometheus::Gauge>& skew_;
    // Router counters at the last stats tick, for per-second rates.
    std::vector<std::uint64_t> lastWrites_, lastReads_;
    std::chrono::steady_clock::time_point lastStats_{};

    mutable std::mutex viewMutex_;
    View view_;                                      // guarded by viewMutex_
    nlohmann::json moves_ = nlohmann::json::array(); // likewise

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<bool> refresh_{false};
    std::thread thread_;
};

} // namespace switchboard
