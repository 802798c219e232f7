#include "pool_registry.h"

#include "switchboard/protocol.h"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <stdexcept>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

PoolRegistry::PoolRegistry(StreamHub& hub, prometheus::Registry& registry)
    : hub_(hub)
    , open_(prometheus::BuildGauge()
                .Name("switchboard_pool_open")
                .Help("Connections a pool of the backend holds open (idle and in use)")
                .Register(registry))
    , inUse_(prometheus::BuildGauge()
                 .Name("switchboard_pool_in_use")
                 .Help("Connections of a pool leased out now")
                 .Register(registry))
    , max_(prometheus::BuildGauge()
               .Name("switchboard_pool_max")
               .Help("The most connections a pool will open (0: no limit)")
               .Register(registry)) {}

void PoolRegistry::add(const std::string& name, PoolUsageReader usage) {
    if (name.empty())
        throw std::invalid_argument("a reported pool needs a name");
    if (!usage)
        throw std::invalid_argument("pool " + name + ": no usage reader");
    std::lock_guard lock(mutex_);
    Pool& pool = pools_[name];
    pool.usage = std::move(usage);
    if (!pool.open) {
        pool.open = &open_.Add({{"pool", name}});
        pool.inUse = &inUse_.Add({{"pool", name}});
        pool.max = &max_.Add({{"pool", name}});
    }
}

void PoolRegistry::removeGauges(Pool& pool) {
    open_.Remove(pool.open);
    inUse_.Remove(pool.inUse);
    max_.Remove(pool.max);
}

void PoolRegistry::forget(const std::string& name) noexcept {
    std::lock_guard lock(mutex_);
    auto it = pools_.find(name);
    if (it == pools_.end())
        return;
    removeGauges(it->second);
    pools_.erase(it);
}

void PoolRegistry::sample() {
    json pools = json::array();
    {
        std::lock_guard lock(mutex_);
        for (auto& [name, pool] : pools_) {
            PoolUsage usage;
            try {
                usage = pool.usage();
            } catch (...) {
                continue; // the backend's reader failed: no figure this tick, never a throw
            }
            pool.open->Set(static_cast<double>(usage.open));
            pool.inUse->Set(static_cast<double>(usage.inUse));
            pool.max->Set(static_cast<double>(usage.max));
            pools.push_back({{field::kName, name},
                             {field::kInUse, usage.inUse},
                             {field::kOpen, usage.open},
                             {field::kMax, usage.max}});
        }
    }
    hub_.publish(protocol::event::kPools, {{field::kPools, std::move(pools)}});
}

} // namespace switchboard
