#include "read_router_publisher.h"

#include "switchboard/protocol.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

namespace field = protocol::field;
using nlohmann::json;

json readRouterDocument(const ReadRouterConfig& config,
                        const std::vector<ReadRouter::TargetSnapshot>& targets,
                        const std::vector<double>& rates) {
    json list = json::array();
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const auto& target = targets[i];
        list.push_back({{field::kName, target.name},
                        {field::kRole, target.primary ? "primary" : "replica"},
                        {field::kEligible, target.eligible},
                        {field::kWhyNot, target.whyNot},
                        {field::kReads, target.reads},
                        {field::kRatePerSecond, i < rates.size() ? rates[i] : 0.0}});
    }
    return {{field::kMaxLagMs, config.maxLagMs},
            {field::kMaxLagBytes, config.maxLagBytes},
            {field::kTargets, std::move(list)}};
}

ReadRouterPublisher::ReadRouterPublisher(ReadRouter& router, StreamHub& hub,
                                         prometheus::Registry& registry)
    : router_(router)
    , hub_(hub)
    , changes_(prometheus::BuildCounter()
                   .Name("switchboard_read_router_eligibility_changes_total")
                   .Help("Changes of a read target's eligibility (or of why it is not "
                         "eligible), by target and reason")
                   .Register(registry))
    , publishedReads_(router.targetCount(), 0)
    , previousReads_(router.targetCount(), 0)
    , rates_(router.targetCount(), 0.0) {
    auto& reads = prometheus::BuildCounter()
                      .Name("switchboard_read_router_reads_total")
                      .Help("Reads the read router sent to each target")
                      .Register(registry);
    auto& eligible = prometheus::BuildGauge()
                         .Name("switchboard_read_router_eligible")
                         .Help("1 while the read router may send reads to the target")
                         .Register(registry);
    for (std::size_t i = 0; i < router.targetCount(); ++i) {
        std::string name(router.name(static_cast<int>(i)));
        reads_.push_back(&reads.Add({{"target", name}}));
        eligible_.push_back(&eligible.Add({{"target", name}}));
    }
    refreshMetrics();
    router_.setChangeListener(
        [this](const std::vector<ReadRouter::Change>& changes) { onChanges(changes); });
}

ReadRouterPublisher::~ReadRouterPublisher() {
    router_.setChangeListener({});
}

void ReadRouterPublisher::prime(std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < previousReads_.size(); ++i)
        previousReads_[i] = router_.reads(static_cast<int>(i));
    previousMs_ = nowMs;
}

void ReadRouterPublisher::tick(std::int64_t nowMs) {
    refreshMetrics();
    std::lock_guard lock(mutex_);
    double seconds = (nowMs - previousMs_) / 1000.0;
    for (std::size_t i = 0; i < previousReads_.size(); ++i) {
        std::uint64_t now = router_.reads(static_cast<int>(i));
        // Without a baseline or an interval there is no rate yet, not a made-up one.
        rates_[i] = previousMs_ && seconds > 0
                        ? static_cast<double>(now - previousReads_[i]) / seconds
                        : 0.0;
        previousReads_[i] = now;
    }
    previousMs_ = nowMs;
    publishLocked();
}

void ReadRouterPublisher::refreshMetrics() {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < reads_.size(); ++i) {
        std::uint64_t now = router_.reads(static_cast<int>(i));
        if (now > publishedReads_[i])
            reads_[i]->Increment(static_cast<double>(now - publishedReads_[i]));
        publishedReads_[i] = now;
        eligible_[i]->Set(router_.eligible(static_cast<int>(i)) ? 1.0 : 0.0);
    }
}

json ReadRouterPublisher::document() const {
    std::lock_guard lock(mutex_);
    return readRouterDocument(router_.config(), router_.snapshot(), rates_);
}

void ReadRouterPublisher::onChanges(const std::vector<ReadRouter::Change>& changes) {
    for (const auto& change : changes)
        changes_
            .Add({{"target", change.name},
                  {"eligible", change.eligible ? "true" : "false"},
                  {"reason", ReadRouter::reasonName(change.reason)}})
            .Increment();
    refreshMetrics();
    std::lock_guard lock(mutex_);
    publishLocked(); // at once: a console should not wait a tick to see a replica drop out
}

void ReadRouterPublisher::publishLocked() {
    hub_.publish(protocol::event::kReadRouter,
                 readRouterDocument(router_.config(), router_.snapshot(), rates_));
}

} // namespace switchboard
