// One replication check of the primary and its configured replicas: what the primary says about
// each (pg_stat_replication, pg_replication_slots) and what each replica says about itself. A
// fresh connection per server per cycle, each with connect and statement timeouts; check() never
// throws: an unreachable server is a status and a cause in the report.
#pragma once

#include "replay_stall.h"
#include "replication_report.h"
#include "switchboard/agent_config.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard {

class ReplicationProbe {
public:
    ReplicationProbe(std::string primaryConninfo, std::vector<ReplicaEndpoint> replicas,
                     int timeoutMs);

    ReplicationReport check() noexcept;
    // From another thread: shuts down the connection of a query that has outrun its statement
    // timeout (a server that stopped answering altogether); check() then reports it down.
    void abortOverdue() noexcept;

private:
    struct Sender; // a pg_stat_replication row
    bool checkPrimary(PrimaryReport& primary, std::vector<Sender>& senders,
                      std::vector<ReplicationSlot>& slots, std::map<int, std::string>& slotOfPid);
    void checkSelf(const std::string& conninfo, ReplicaSelfView& self, std::string& slotName,
                   std::int64_t& timeline);
    void watch(int socket) noexcept; // -1: no query in flight
    // The cause of a failed connection: the watchdog's, when it was the one that ended it.
    std::string failure(const std::exception& error);

    std::string primaryConninfo_;
    std::vector<ReplicaEndpoint> replicas_; // conninfo with the timeouts added
    int timeoutMs_;
    std::map<std::string, std::string> lastSlot_; // replica → slot, for when it is gone
    ReplayStall replayStall_;                     // per sender, across checks

    std::mutex watchMutex_; // abortOverdue() must never shut down a descriptor already closed
    int socket_ = -1;
    bool aborted_ = false; // abortOverdue() ended the query in flight
    std::chrono::steady_clock::time_point queryStarted_;
};

} // namespace switchboard
