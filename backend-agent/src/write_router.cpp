#include "switchboard/write_router.h"

#include "clock.h"
#include "random_id.h"
#include "write_router_core.h"

namespace switchboard {

WriteRouterCore::WriteRouterCore(std::string name, std::string conninfo)
    : runId_(newId("w-"))
    , target_{std::move(name), std::move(conninfo), 1}
    , ring_(kCapacity) {}

WriteRouter::Target WriteRouterCore::target() const {
    std::lock_guard lock(mutex_);
    return target_;
}

std::uint64_t WriteRouterCore::repoint(std::string name, std::string conninfo) {
    WriteRouter::Target now;
    std::function<void(const WriteRouter::Target&)> listener;
    {
        std::lock_guard lock(mutex_);
        target_.name = std::move(name);
        target_.conninfo = std::move(conninfo);
        target_.epoch = epoch_.load(std::memory_order_relaxed) + 1;
        epoch_.store(target_.epoch, std::memory_order_release);
        now = target_;
        listener = listener_;
    }
    if (listener)
        listener(now);
    return now.epoch;
}

void WriteRouterCore::setListener(std::function<void(const WriteRouter::Target&)> listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

std::uint64_t WriteRouterCore::follow(const std::string& name, const std::string& conninfo) {
    {
        std::lock_guard lock(mutex_);
        if (target_.name == name && target_.conninfo == conninfo)
            return target_.epoch;
    }
    return repoint(name, conninfo);
}

std::uint64_t WriteRouterCore::begin() {
    std::lock_guard lock(mutex_);
    std::uint64_t sequence = nextSequence_++;
    ring_[sequence % kCapacity] = {sequence, epoch_.load(std::memory_order_relaxed), nowMs(), 0,
                                   Outcome::Sent};
    return sequence;
}

void WriteRouterCore::finish(std::uint64_t sequence, bool acknowledged) {
    std::lock_guard lock(mutex_);
    Write& write = ring_[sequence % kCapacity];
    if (write.sequence != sequence || write.outcome != Outcome::Sent)
        return; // overwritten by newer writes, or reported twice
    write.doneMs = nowMs();
    write.outcome = acknowledged ? Outcome::Acknowledged : Outcome::Failed;
}

template <typename Visit> void WriteRouterCore::forEachLocked(Visit visit) const {
    std::uint64_t last = nextSequence_ - 1;
    std::uint64_t first = last >= kCapacity ? last - kCapacity + 1 : 1;
    for (std::uint64_t sequence = first; sequence <= last; ++sequence)
        visit(ring_[sequence % kCapacity]);
}

std::vector<WriteRouterCore::Write> WriteRouterCore::writesSince(std::int64_t sinceMs) const {
    std::lock_guard lock(mutex_);
    std::vector<Write> found;
    forEachLocked([&](const Write& write) {
        if (write.sentMs >= sinceMs)
            found.push_back(write);
    });
    return found;
}

std::optional<WriteRouterCore::Write>
WriteRouterCore::firstAcknowledgedFrom(std::uint64_t epoch) const {
    std::lock_guard lock(mutex_);
    std::optional<Write> first;
    forEachLocked([&](const Write& write) {
        if (write.outcome == Outcome::Acknowledged && write.epoch >= epoch &&
            (!first || write.doneMs < first->doneMs))
            first = write;
    });
    return first;
}

std::optional<WriteRouterCore::Write>
WriteRouterCore::lastAcknowledgedBefore(std::uint64_t epoch) const {
    std::lock_guard lock(mutex_);
    std::optional<Write> last;
    forEachLocked([&](const Write& write) {
        if (write.outcome == Outcome::Acknowledged && write.epoch < epoch &&
            (!last || write.doneMs > last->doneMs))
            last = write;
    });
    return last;
}

double WriteRouterCore::errorRatePct(std::int64_t windowMs, std::int64_t now) const {
    std::lock_guard lock(mutex_);
    std::int64_t finished = 0, failed = 0;
    forEachLocked([&](const Write& write) {
        if (write.outcome != Outcome::Sent && write.doneMs >= now - windowMs) {
            ++finished;
            failed += write.outcome == Outcome::Failed;
        }
    });
    return finished == 0 ? -1.0 : 100.0 * double(failed) / double(finished);
}

WriteRouter::WriteRouter(std::shared_ptr<WriteRouterCore> core)
    : core_(std::move(core)) {}

WriteRouter::~WriteRouter() = default;

WriteRouter::Target WriteRouter::target() const {
    return core_->target();
}

std::uint64_t WriteRouter::epoch() const noexcept {
    return core_->epoch();
}

const std::string& WriteRouter::runId() const noexcept {
    return core_->runId();
}

std::uint64_t WriteRouter::begin() {
    return core_->begin();
}

void WriteRouter::acknowledged(std::uint64_t sequence) {
    core_->finish(sequence, true);
}

void WriteRouter::failed(std::uint64_t sequence) {
    core_->finish(sequence, false);
}

} // namespace switchboard
