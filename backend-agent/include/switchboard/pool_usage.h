// How full one connection pool is, as the backend's pool counts it: what the agent reports in
// the snapshot's "pools", the "pools" stream event and the switchboard_pool_* gauges, so a
// console can grade pool use (in use / max) against its threshold. Plain values; no locking.
#pragma once

#include <cstdint>
#include <functional>

namespace switchboard {

struct PoolUsage {
    std::int64_t open = 0;  // connections open now, idle or leased
    std::int64_t inUse = 0; // connections leased out now
    std::int64_t max = 0;   // the most the pool will open; 0 when it has no limit
};

// Called by the agent once per statistics interval, on its sampling thread, to read a pool's
// usage. It must return quickly without blocking on the network (take the pool's own short lock,
// or read its atomics) and must not call back into the agent's pool registration. An exception
// it throws leaves that pool out of the tick; it never reaches the host.
using PoolUsageReader = std::function<PoolUsage()>;

} // namespace switchboard
