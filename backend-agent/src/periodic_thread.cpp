#include "periodic_thread.h"

namespace switchboard {

PeriodicThread::PeriodicThread(std::chrono::milliseconds interval, std::function<void()> task,
                               FirstRun first)
    : interval_(interval)
    , first_(first)
    , task_(std::move(task))
    , thread_([this] { run(); }) {}

PeriodicThread::~PeriodicThread() {
    stop();
}

void PeriodicThread::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id())
        thread_.join();
}

void PeriodicThread::run() {
    auto next = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    if (first_ == FirstRun::AfterInterval) {
        next += interval_;
        wake_.wait_until(lock, next, [this] { return stopping_; });
    }
    while (!stopping_) {
        lock.unlock();
        try {
            task_();
        } catch (...) {
        }
        lock.lock();
        // Fixed-rate ticks: a slow task does not push every later tick back.
        next += interval_;
        auto now = std::chrono::steady_clock::now();
        if (next < now)
            next = now;
        wake_.wait_until(lock, next, [this] { return stopping_; });
    }
}

} // namespace switchboard
