// At most one job of a cluster-wide action kind at a time.
//
// Within one agent an in-process set is enough; across the instances of a backend the lock is a
// PostgreSQL advisory lock (pg_advisory_lock.h) on the database they share. Thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace switchboard {

class ClusterLock {
public:
    virtual ~ClusterLock() = default;
    // Takes the lock for `kind`; false if another job holds it, with `why` saying who or what.
    virtual bool tryLock(std::string_view kind, std::string& why) = 0;
    virtual void unlock(std::string_view kind) noexcept = 0;
};

// The lock of one process: enough when no other instance runs the same kind.
class LocalClusterLock : public ClusterLock {
public:
    bool tryLock(std::string_view kind, std::string& why) override {
        std::lock_guard lock(mutex_);
        if (!held_.emplace(kind).second) {
            why = "a " + std::string(kind) + " job is already running on this instance";
            return false;
        }
        return true;
    }
    void unlock(std::string_view kind) noexcept override {
        std::lock_guard lock(mutex_);
        held_.erase(std::string(kind));
    }

private:
    std::mutex mutex_;
    std::set<std::string, std::less<>> held_;
};

} // namespace switchboard
