#include "probe_runner.h"

#include "clock.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace switchboard {

namespace field = protocol::field;

struct ProbeRunner::Slot {
    std::unique_ptr<Probe> probe;
    prometheus::Gauge* up = nullptr;
    prometheus::Gauge* latency = nullptr;
    prometheus::Counter* ok = nullptr;
    prometheus::Counter* failed = nullptr;
    std::atomic<std::int64_t> deadlineMs{0}; // 0: no check running
    std::atomic<bool> overran{false};
    std::unique_ptr<PeriodicThread> thread;
};

ProbeRunner::ProbeRunner(StreamHub& hub, prometheus::Registry& registry, int intervalMs,
                         int timeoutMs)
    : hub_(hub)
    , intervalMs_(intervalMs)
    , timeoutMs_(timeoutMs)
    , up_(prometheus::BuildGauge()
              .Name("switchboard_probe_up")
              .Help("1 when the probe's last check succeeded, 0 otherwise")
              .Register(registry))
    , latency_(prometheus::BuildGauge()
                   .Name("switchboard_probe_latency_seconds")
                   .Help("Round trip of the probe's last successful check")
                   .Register(registry))
    , checks_(prometheus::BuildCounter()
                  .Name("switchboard_probe_checks_total")
                  .Help("Checks run by each probe, by outcome")
                  .Register(registry)) {}

ProbeRunner::~ProbeRunner() {
    stop();
}

void ProbeRunner::add(std::unique_ptr<Probe> probe) {
    auto slot = std::make_unique<Slot>();
    std::map<std::string, std::string> labels = {{"probe", probe->name()},
                                                 {"kind", std::string(probe->kind())}};
    slot->up = &up_.Add(labels);
    slot->latency = &latency_.Add(labels);
    auto withOutcome = [&](const char* outcome) {
        auto copy = labels;
        copy["outcome"] = outcome;
        return &checks_.Add(copy);
    };
    slot->ok = withOutcome("ok");
    slot->failed = withOutcome("failed");
    slot->probe = std::move(probe);
    slots_.push_back(std::move(slot));
}

void ProbeRunner::start() {
    for (auto& slot : slots_) {
        Slot* raw = slot.get();
        raw->thread = std::make_unique<PeriodicThread>(std::chrono::milliseconds(intervalMs_),
                                                       [this, raw] { runOnce(*raw); });
    }
    watchdog_ =
        std::make_unique<PeriodicThread>(std::chrono::milliseconds(50), [this] { watch(); });
}

void ProbeRunner::stop() noexcept {
    if (watchdog_)
        watchdog_->stop();
    for (auto& slot : slots_) {
        slot->probe->abort(); // a check blocked on a dead server returns now
        if (slot->thread)
            slot->thread->stop();
    }
}

void ProbeRunner::runOnce(Slot& slot) {
    slot.overran = false;
    slot.deadlineMs = nowMs() + timeoutMs_;
    ProbeResult result = slot.probe->check();
    slot.deadlineMs = 0;
    if (slot.overran && result.status == protocol::ProbeStatus::Down)
        result.error =
            "no answer within " + std::to_string(timeoutMs_) + " ms (" + result.error + ")";

    bool up = result.status == protocol::ProbeStatus::Up;
    slot.up->Set(up ? 1 : 0);
    if (up)
        slot.latency->Set(result.latencyMs / 1000.0);
    (up ? slot.ok : slot.failed)->Increment();

    hub_.publish(protocol::event::kProbe, {{field::kName, slot.probe->name()},
                                           {field::kKind, slot.probe->kind()},
                                           {field::kTarget, slot.probe->target()},
                                           {field::kStatus, static_cast<int>(result.status)},
                                           {field::kLatencyMs, result.latencyMs},
                                           {field::kError, result.error},
                                           {field::kCheckedMs, nowMs()},
                                           {field::kDetail, std::move(result.detail)}});
}

void ProbeRunner::watch() {
    std::int64_t now = nowMs();
    for (auto& slot : slots_) {
        std::int64_t deadline = slot->deadlineMs.load();
        if (deadline != 0 && now > deadline && !slot->overran.exchange(true))
            slot->probe->abort();
    }
}

} // namespace switchboard
