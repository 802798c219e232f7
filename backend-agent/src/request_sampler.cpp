#include "request_sampler.h"

#include "latency_summary.h"
#include "switchboard/protocol.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

RequestSampler::RequestSampler(StreamHub& hub, prometheus::Registry& registry, int intervalMs)
    : hub_(hub)
    , intervalMs_(intervalMs)
    , requests_(prometheus::BuildCounter()
                    .Name("switchboard_requests_total")
                    .Help("Requests the backend handled, by route and outcome")
                    .Register(registry))
    , durations_(prometheus::BuildHistogram()
                     .Name("switchboard_request_duration_seconds")
                     .Help("Time the backend took per request, by route")
                     .Register(registry)) {}

RouteStats& RequestSampler::route(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& slot = routes_[name];
    if (!slot) {
        static const prometheus::Histogram::BucketBoundaries buckets = {
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
        slot =
            std::make_unique<RouteStats>(name, requests_.Add({{"route", name}, {"outcome", "ok"}}),
                                         requests_.Add({{"route", name}, {"outcome", "error"}}),
                                         durations_.Add({{"route", name}}, buckets));
    }
    return *slot;
}

void RequestSampler::prime(std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    for (const auto& [name, stats] : routes_) {
        previous_[name] = {stats->total(), stats->errors()};
        stats->latency().drain(); // durations before the start belong to no interval
    }
    previousMs_ = nowMs;
}

void RequestSampler::sample(std::int64_t nowMs) {
    json routes = json::array();
    std::uint64_t total = 0, errors = 0;
    double rate = 0;
    LatencyHistogram::Interval overall;
    {
        std::lock_guard lock(mutex_);
        double seconds = previousMs_ ? (nowMs - previousMs_) / 1000.0 : intervalMs_ / 1000.0;
        if (seconds <= 0)
            seconds = intervalMs_ / 1000.0;
        for (const auto& [name, stats] : routes_) {
            std::uint64_t routeTotal = stats->total(), routeErrors = stats->errors();
            Previous& before = previous_[name];
            // Without a baseline (never primed) there is no interval to divide by: no rate yet.
            double routeRate =
                previousMs_ ? static_cast<double>(routeTotal - before.total) / seconds : 0.0;
            before = {routeTotal, routeErrors};
            const LatencyHistogram::Interval durations = stats->latency().drain();
            mergeInto(overall, durations);
            routes.push_back({{field::kRoute, name},
                              {field::kTotal, routeTotal},
                              {field::kErrors, routeErrors},
                              {field::kRatePerSecond, routeRate},
                              {field::kLatencyMs, latencyDocument(summarize(durations))}});
            total += routeTotal;
            errors += routeErrors;
            rate += routeRate;
        }
        previousMs_ = nowMs;
    }
    hub_.publish(protocol::event::kRequests,
                 {{field::kIntervalMs, intervalMs_},
                  {field::kTotal, total},
                  {field::kErrors, errors},
                  {field::kRatePerSecond, rate},
                  {field::kLatencyMs, latencyDocument(summarize(overall))},
                  {field::kRoutes, std::move(routes)}});
}

} // namespace switchboard
