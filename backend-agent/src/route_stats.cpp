#include "switchboard/route_stats.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>

namespace switchboard {

RouteStats::RouteStats(std::string route, prometheus::Counter& ok, prometheus::Counter& failed,
                       prometheus::Histogram& duration)
    : route_(std::move(route))
    , ok_(ok)
    , failed_(failed)
    , duration_(duration) {}

void RouteStats::record(bool ok, double seconds) noexcept {
    total_.fetch_add(1, std::memory_order_relaxed);
    if (!ok)
        errors_.fetch_add(1, std::memory_order_relaxed);
    (ok ? ok_ : failed_).Increment();
    duration_.Observe(seconds);
    latency_.record(seconds);
}

} // namespace switchboard
