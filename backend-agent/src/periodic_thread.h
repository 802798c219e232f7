// Runs a task on its own thread every interval until stopped. stop() wakes the thread at once
// (no sleeping out the interval) and joins it. The task must not throw; if it does, the
// exception is swallowed so the host backend never sees it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace switchboard {

class PeriodicThread {
public:
    enum class FirstRun { Now, AfterInterval };
    PeriodicThread(std::chrono::milliseconds interval, std::function<void()> task,
                   FirstRun first = FirstRun::Now);
    ~PeriodicThread();
    PeriodicThread(const PeriodicThread&) = delete;
    PeriodicThread& operator=(const PeriodicThread&) = delete;

    void stop() noexcept;

private:
    void run();

    std::chrono::milliseconds interval_;
    FirstRun first_;
    std::function<void()> task_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace switchboard
