// The cluster lock on PostgreSQL: one session-level advisory lock per action kind, on the
// database the instances of a backend share, so that only one of them runs a cluster-wide job of
// a kind at a time, whichever console asked.
//
// tryLock() opens a connection of its own (connect and statement timeouts: it never hangs the
// request) and holds it, and with it the lock, until unlock(); if the agent dies, PostgreSQL
// ends the session and frees the lock. An unreachable database refuses the lock (fails closed):
// a cluster-wide action must not run when we cannot know that no other one runs. Thread-safe.
#pragma once

#include "cluster_lock.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchboard {

class PgAdvisoryLock : public ClusterLock {
public:
    // Lock keys live in one namespace (the first key of the two-key form), "SW".
    static constexpr int kNamespace = 0x5357;

    PgAdvisoryLock(std::string conninfo, int timeoutMs);
    ~PgAdvisoryLock() override;

    bool tryLock(std::string_view kind, std::string& why) override;
    void unlock(std::string_view kind) noexcept override;

private:
    struct Session; // one open connection holding one kind's lock
    std::string conninfo_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Session>, std::less<>> held_;
};

} // namespace switchboard
