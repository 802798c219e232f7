// Where the backend writes, and which of its writes were acknowledged (docs/drills.md).
//
// The target starts at postgres.primary; with "ha" configured it follows the active region's
// Patroni leader by its direct address, and a failover drill repoints it the moment the new
// primary accepts writes. Each change bumps the epoch: a backend compares the epoch it
// connected under with epoch() (one atomic load) and reconnects when they differ.
//
// The ledger: before each write the backend takes a sequence number (begin()) and stores it
// with runId() in the row; after the commit returns it reports acknowledged(), after an error
// failed(). A drill then counts exactly which acknowledged writes are on the new primary. All
// members are thread-safe; begin/acknowledged/failed take a short mutex (writes, not reads).
#pragma once

#include "switchboard/export.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace switchboard {

class WriteRouterCore;

class SWITCHBOARD_AGENT_API WriteRouter {
public:
    struct Target {
        std::string name;     // e.g. "pg-us-east-1"; "primary" for postgres.primary
        std::string conninfo; // empty: no target (no PostgreSQL configured)
        std::uint64_t epoch = 0;
    };

    explicit WriteRouter(std::shared_ptr<WriteRouterCore> core);
    ~WriteRouter();
    WriteRouter(const WriteRouter&) = delete;
    WriteRouter& operator=(const WriteRouter&) = delete;

    Target target() const;
    std::uint64_t epoch() const noexcept;

    // This process's run id: a random hex string, the same for every write of this run.
    const std::string& runId() const noexcept;
    // The next sequence number (1, 2, ...), recorded as sent under the current epoch.
    std::uint64_t begin();
    void acknowledged(std::uint64_t sequence);
    void failed(std::uint64_t sequence);

    WriteRouterCore& core() noexcept { return *core_; }

private:
    std::shared_ptr<WriteRouterCore> core_;
};

} // namespace switchboard
