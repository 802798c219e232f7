#include "direct_drill.h"

#include "clock.h"
#include "drill_preflight.h"
#include "drill_sql.h"
#include "fault_command.h"
#include "region_fence.h"
#include "switchboard/protocol.h"
#include "write_router_core.h"

#include <algorithm>

namespace switchboard {

using Stop = DrillRun::Stop;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kCatchUpLimit{30000};
constexpr milliseconds kLeaderGoneLimit{10000};
constexpr int kFaultCommandTimeoutMs = 10000;

std::string ms(std::int64_t value) {
    return std::to_string(value) + " ms";
}

} // namespace

DirectDrill::DirectDrill(DrillRun& run)
    : run_(run) {}

void DirectDrill::unfenceOnFailure(const std::string& leaderConninfo,
                                   const std::function<void()>& stage) {
    auto unfence = [&](std::string& why) {
        if (leaderConninfo.empty())
            return;
        const std::string error = unfenceServer(leaderConninfo, run_.timeoutMs_);
        why += error.empty() ? "; the leader was unfenced (writable again)"
                             : "; unfencing the leader failed: " + error;
    };
    try {
        stage();
    } catch (Stop& stop) {
        unfence(stop.error);
        throw;
    } catch (const std::exception& failure) {
        std::string why = failure.what();
        unfence(why);
        throw Stop{"failed", why};
    }
}

std::int64_t DirectDrill::fence(const HaMember& leader, const std::string& conninfo) {
    const FenceOutcome outcome = fenceServer(conninfo, run_.timeoutMs_);
    if (!outcome.ok() || !outcome.lsn) {
        // Half fenced (read-only set, sessions not ended): made writable again.
        std::string error = outcome.error.empty() ? "no WAL position read" : outcome.error;
        if (outcome.readOnly) {
            const std::string undone = unfenceServer(conninfo, run_.timeoutMs_);
            error += undone.empty() ? "; unfenced again" : "; unfencing failed: " + undone;
        }
        throw Stop{"failed", "could not fence " + leader.name + ": " + error};
    }
    run_.step("fence",
              leader.name + " read-only, " + std::to_string(outcome.terminated) +
                  " client session(s) ended; its WAL ends at byte " + std::to_string(*outcome.lsn),
              0.2);
    return *outcome.lsn;
}

void DirectDrill::catchUp(const HaMember& next, const std::string& conninfo, std::int64_t lsn,
                          const HaMember& leader, const std::string& leaderConninfo) {
    const std::int64_t started = nowMs();
    unfenceOnFailure(leaderConninfo, [&] {
        run_.waitFor(
            [&] {
                std::string error;
                const auto status = standbyStatus(conninfo, run_.timeoutMs_, error);
                return status && status->inRecovery && status->replayLsn >= lsn;
            },
            kCatchUpLimit, next.name + " replaying " + leader.name + "'s last WAL");
    });
    run_.step("catch up",
              next.name + " replayed everything " + leader.name + " wrote, after " +
                  ms(nowMs() - started),
              0.3);
}

std::int64_t DirectDrill::promote(const HaMember& next, const std::string& conninfo,
                                  const std::string& leaderConninfo) {
    std::int64_t forkLsn = 0;
    unfenceOnFailure(leaderConninfo, [&] {
        std::string error;
        const auto status = standbyStatus(conninfo, run_.timeoutMs_, error);
        if (!status)
            throw Stop{"failed", "cannot read " + next.name + "'s position: " + error};
        // A promotion first replays everything received: its timeline forks at the larger.
        forkLsn = std::max(status->replayLsn, status->receiveLsn);
        const auto promoted = promoteStandby(conninfo, run_.timeoutMs_, error);
        if (!promoted || !*promoted)
            throw Stop{"failed", "pg_promote() on " + next.name + " failed: " +
                                     (error.empty() ? "it did not finish in time" : error)};
    });
    return forkLsn;
}

void DirectDrill::live(const std::string& kind, const HaRegion& region, const HaMember& leader,
                       const HaMember& next) {
    HaMonitor& monitor = run_.monitor_;
    const HaRegionConfig* regionConfig = regionConfigOf(monitor.config(), region.name);
    const std::string leaderConninfo = monitor.conninfoOf(leader);
    const std::string nextConninfo = monitor.conninfoOf(next);
    const bool switchover = kind == protocol::drill_kind::kSwitchover;

    std::optional<std::int64_t> oldLsn;
    std::int64_t forkLsn = 0;
    run_.faultMs_ = nowMs();
    if (switchover) {
        const std::int64_t finalLsn = fence(leader, leaderConninfo);
        oldLsn = finalLsn;
        catchUp(next, nextConninfo, finalLsn, leader, leaderConninfo);
        forkLsn = promote(next, nextConninfo, leaderConninfo);
    } else {
        // What the leader had written just before the fault: a lower bound of what it had.
        std::string error;
        oldLsn = walPosition(leaderConninfo, run_.timeoutMs_, error);
        run_.faultMs_ = nowMs();
        const FaultOutcome fault =
            runFaultCommand(regionConfig ? regionConfig->faultCommand : std::vector<std::string>{},
                            leader.name, kFaultCommandTimeoutMs);
        if (!fault.ok)
            throw Stop{"failed", "the fault command failed: " + fault.error};
        run_.waitFor(
            [&] {
                std::string ignored;
                return !acceptsWrites(leaderConninfo, run_.timeoutMs_, ignored).has_value();
            },
            kLeaderGoneLimit, leader.name + " to stop answering after the fault");
        run_.step("fault", leader.name + " crashed by the region's fault command", 0.2);
        forkLsn = promote(next, nextConninfo, "");
    }
    const std::int64_t promotedMs = nowMs();
    monitor.setDirectLeader(region.name, next.name);
    std::uint64_t epoch = 0;
    if (run_.writes_)
        epoch = run_.writes_->follow(next.name, nextConninfo);
    run_.step("promoted",
              next.name + " promoted by pg_promote(), " + ms(promotedMs - run_.faultMs_) +
                  " after the " + (switchover ? "fence" : "fault") +
                  (run_.writes_
                       ? "; the backend's writes go there now (epoch " + std::to_string(epoch) + ")"
                       : std::string()),
              0.5);
    if (switchover) {
        // Sessions a backend opened to the fenced leader since the fence fail read-only: end
        // them so the backend reconnects to the new leader.
        std::string error;
        endClientSessions(leaderConninfo, run_.timeoutMs_, error);
    }
    run_.measureRto(epoch);
    run_.measureRpo(epoch, nextConninfo, oldLsn, forkLsn);
    monitor.refresh();
    run_.step("old leader",
              switchover ? leader.name +
                               " stays fenced (read-only) outside the region: rebuild "
                               "it as a standby of " +
                               next.name + " to rejoin"
                         : leader.name +
                               " stays down (crashed by the drill): rebuild it as a "
                               "standby of " +
                               next.name + " to rejoin",
              1.0);
}

} // namespace switchboard
