#include "shard_service.h"

#include "bucket_mover.h"
#include "pg_advisory_lock.h"
#include "pg_conninfo.h"
#include "postgres_probe.h"    // postgresTarget
#include "rebalance_planner.h" // skew
#include "shard_catalog.h"
#include "shard_node.h"

#include <pqxx/pqxx>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <set>

namespace switchboard {

namespace {

prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& registry, const char* name,
                                             const char* help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Wakes the session on the map channel's notifications.
class MapNotifications : public pqxx::notification_receiver {
public:
    MapNotifications(pqxx::connection& db, bool& heard)
        : pqxx::notification_receiver(db, kShardMapChannel)
        , heard_(heard) {}
    void operator()(const std::string&, int) override { heard_ = true; }

private:
    bool& heard_;
};

} // namespace

ShardService::ShardService(const AgentConfig& config, StreamHub& hub,
                           prometheus::Registry& registry)
    : config_(config.shards)
    , catalogConninfo_(config.shards.catalog.empty() ? config.postgresPrimary
                                                     : config.shards.catalog)
    , catalogTarget_(postgresTarget(catalogConninfo_))
    , timeoutMs_(config.probeTimeoutMs)
    , hub_(hub)
    , router_(config.shards.buckets)
    , version_(gauge(registry, "switchboard_shard_map_version", "Version of the shard map in use"))
    , nodeUp_(gauge(registry, "switchboard_shard_node_up", "1 while a shard node answers"))
    , nodeRows_(gauge(registry, "switchboard_shard_node_rows", "Rows of the sharded tables"))
    , nodeBytes_(gauge(registry, "switchboard_shard_node_bytes",
                       "Bytes of the sharded tables' rows (pg_column_size)"))
    , nodeBuckets_(gauge(registry, "switchboard_shard_node_buckets", "Buckets mapped to a node"))
    , nodeOps_(gauge(registry, "switchboard_shard_node_ops_per_second",
                     "Accesses this instance routed to a node, by access (write, read)"))
    , bucketRows_(gauge(registry, "switchboard_shard_bucket_rows", "Rows in a bucket"))
    , bucketOps_(gauge(registry, "switchboard_shard_bucket_ops_per_second",
                       "Accesses this instance routed to a bucket, by access (write, read)"))
    , skew_(gauge(registry, "switchboard_shard_skew",
                  "Skew over the nodes, by measure (rows, bytes, load) and figure "
                  "(max_over_mean, cv)")) {}

ShardService::~ShardService() {
    stop();
}

void ShardService::start() {
    if (thread_.joinable())
        return;
    lastWrites_.assign(router_.bucketCount(), 0);
    lastReads_.assign(router_.bucketCount(), 0);
    lastStats_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this] { run(); });
}

void ShardService::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void ShardService::refreshSoon() noexcept {
    refresh_ = true;
}

bool ShardService::sleepFor(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

void ShardService::run() {
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
        }
        try {
            session();
        } catch (const std::exception& error) {
            publishFailure(pgErrorText(error));
        } catch (...) {
            publishFailure("unknown error");
        }
        if (!sleepFor(std::chrono::seconds(1)))
            return;
    }
}

void ShardService::session() {
    pqxx::connection db(probeConninfo(catalogConninfo_, timeoutMs_));
    ensureShardCatalog(db, config_.buckets, config_.nodes);
    ShardMap map = loadShardMap(db);
    // Owner rows follow the map only while no rebalance can be moving a bucket. They come before
    // the router's first map: a write routed before its node owns the bucket would be refused.
    {
        // The lock on a connection of its own: the catalog's is needed for reading meanwhile.
        pqxx::connection lockSession(probeConninfo(catalogConninfo_, timeoutMs_));
        pqxx::work tx(lockSession);
        bool free = tx.exec_params1("SELECT pg_try_advisory_xact_lock($1, hashtext($2))",
                                    PgAdvisoryLock::kNamespace,
                                    std::string(protocol::action::kShardsRebalance))[0]
                        .as<bool>();
        for (std::size_t i = 0; i < map.nodes.size(); ++i) {
            pqxx::connection node(probeConninfo(map.nodeConninfos[i], timeoutMs_));
            prepareShardNode(node);
        }
        if (free) {
            settleUnfinishedMoves(db, map);
            map = loadShardMap(db);
            for (std::size_t i = 0; i < map.nodes.size(); ++i) {
                pqxx::connection node(probeConninfo(map.nodeConninfos[i], timeoutMs_));
                reconcileBucketOwners(node, static_cast<int>(i), map, {});
            }
        }
        tx.commit();
    }
    router_.apply(map);
    bool heard = false;
    MapNotifications notifications(db, heard);
    auto lastReload = std::chrono::steady_clock::now();
    publishStats(map);
    const auto statsEvery = std::chrono::milliseconds(config_.statsIntervalMs);
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
        }
        db.await_notification(0, 200000); // 200 ms, then look at the stop flag again
        auto now = std::chrono::steady_clock::now();
        bool reload = heard || refresh_.exchange(false) || now - lastReload >= kReloadEvery;
        if (reload) {
            heard = false;
            lastReload = now;
            ShardMap fresh = loadShardMap(db);
            if (router_.apply(fresh)) {
                map = std::move(fresh);
                publishStats(map); // a new version shows at once
                continue;
            }
        }
        if (now - lastStats_ >= statsEvery)
            publishStats(map);
    }
}

void ShardService::publishStats(const ShardMap& map) {
    ShardStats stats;
    stats.checkedMs = nowMs();
    countShardRows(map, config_.tables, timeoutMs_, stats);
    auto now = std::chrono::steady_clock::now();
    double seconds = std::max(1e-3, std::chrono::duration<double>(now - lastStats_).count());
    lastStats_ = now;
    stats.bucketWritesPerSecond.resize(router_.bucketCount());
    stats.bucketReadsPerSecond.resize(router_.bucketCount());
    for (std::uint32_t b = 0; b < router_.bucketCount(); ++b) {
        std::uint64_t writes = router_.writes(b), reads = router_.reads(b);
        stats.bucketWritesPerSecond[b] = double(writes - lastWrites_[b]) / seconds;
        stats.bucketReadsPerSecond[b] = double(reads - lastReads_[b]) / seconds;
        lastWrites_[b] = writes;
        lastReads_[b] = reads;
    }
    record(map, stats);
    publish(map, stats, protocol::ProbeStatus::Up, {});
}

void ShardService::publish(const ShardMap& map, const ShardStats& stats,
                           protocol::ProbeStatus status, const std::string& error) {
    nlohmann::json moves;
    {
        std::lock_guard lock(viewMutex_);
        bool ok = status == protocol::ProbeStatus::Up;
        view_.ok = ok;
        view_.error = error;
        if (ok) {
            view_.map = map;
            view_.stats = stats;
        }
        moves = moves_;
    }
    hub_.publish(protocol::event::kShards,
                 shardsJson(map, stats, catalogTarget_, status, error, moves));
}

ShardService::View ShardService::view() const {
    std::lock_guard lock(viewMutex_);
    return view_;
}

void ShardService::setMoves(nlohmann::json moves) {
    View last;
    {
        std::lock_guard lock(viewMutex_);
        moves_ = std::move(moves);
        last = view_;
    }
    if (last.ok)
        publish(last.map, last.stats, protocol::ProbeStatus::Up, {});
}

void ShardService::settleUnfinishedMoves(pqxx::connection& catalog, const ShardMap& map) {
    BucketMover mover(catalogConninfo_, config_.tables, timeoutMs_);
    auto conninfoOf = [&](const std::string& name) {
        for (std::size_t i = 0; i < map.nodes.size(); ++i)
            if (map.nodes[i] == name)
                return map.nodeConninfos[i];
        throw std::runtime_error("a move names node " + name + ", which the catalog does not list");
    };
    for (ShardMoveRecord move : unfinishedMoves(catalog))
        mover.settle(move, conninfoOf(move.from), conninfoOf(move.to));
}

void ShardService::publishFailure(const std::string& error) {
    ShardMap map = router_.map();
    ShardStats stats;
    stats.checkedMs = nowMs();
    stats.bucketRows.assign(map.bucketNodes.size(), -1);
    stats.bucketBytes.assign(map.bucketNodes.size(), -1);
    publish(map, stats, protocol::ProbeStatus::Down, error);
}

void ShardService::record(const ShardMap& map, const ShardStats& stats) {
    version_.Add({}).Set(double(map.version));
    std::vector<double> rows(map.nodes.size(), 0), bytes(map.nodes.size(), 0),
        writes(map.nodes.size(), 0), reads(map.nodes.size(), 0), buckets(map.nodes.size(), 0);
    for (std::size_t b = 0; b < map.bucketNodes.size(); ++b) {
        auto node = map.bucketNodes[b];
        const std::string bucket = std::to_string(b);
        bucketRows_.Add({{"bucket", bucket}}).Set(double(stats.bucketRows[b]));
        bucketOps_.Add({{"bucket", bucket}, {"access", "write"}})
            .Set(stats.bucketWritesPerSecond[b]);
        bucketOps_.Add({{"bucket", bucket}, {"access", "read"}}).Set(stats.bucketReadsPerSecond[b]);
        if (node >= map.nodes.size())
            continue;
        buckets[node] += 1;
        rows[node] += double(std::max<std::int64_t>(0, stats.bucketRows[b]));
        bytes[node] += double(std::max<std::int64_t>(0, stats.bucketBytes[b]));
        writes[node] += stats.bucketWritesPerSecond[b];
        reads[node] += stats.bucketReadsPerSecond[b];
    }
    std::vector<double> load(map.nodes.size());
    for (std::size_t i = 0; i < map.nodes.size(); ++i) {
        const std::string& name = map.nodes[i];
        bool up = i < stats.nodes.size() && stats.nodes[i].status == protocol::ProbeStatus::Up;
        nodeUp_.Add({{"node", name}}).Set(up ? 1 : 0);
        nodeRows_.Add({{"node", name}}).Set(rows[i]);
        nodeBytes_.Add({{"node", name}}).Set(bytes[i]);
        nodeBuckets_.Add({{"node", name}}).Set(buckets[i]);
        nodeOps_.Add({{"node", name}, {"access", "write"}}).Set(writes[i]);
        nodeOps_.Add({{"node", name}, {"access", "read"}}).Set(reads[i]);
        load[i] = writes[i] + reads[i];
    }
    for (auto [measure, values] :
         {std::pair{"rows", &rows}, std::pair{"bytes", &bytes}, std::pair{"load", &load}}) {
        SkewFigures figures = skew(*values);
        skew_.Add({{"measure", measure}, {"figure", "max_over_mean"}}).Set(figures.maxOverMean);
        skew_.Add({{"measure", measure}, {"figure", "cv"}}).Set(figures.coefficientOfVariation);
    }
}

} // namespace switchboard
