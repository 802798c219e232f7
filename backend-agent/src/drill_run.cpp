#include "drill_run.h"

#include "clock.h"
#include "direct_drill.h"
#include "drill_preflight.h"
#include "drill_sql.h"
#include "fault_command.h"
#include "random_id.h"
#include "region_drill.h"
#include "switchboard/protocol.h"
#include "write_router_core.h"

#include <algorithm>
#include <mutex>
#include <thread>

namespace switchboard {

namespace drill_kind = protocol::drill_kind;
namespace drill_mode = protocol::drill_mode;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kPoll{20};
constexpr milliseconds kPromotionLimit{60000}; // Patroni's ttl 30 (its default) plus margin
constexpr milliseconds kFirstWriteLimit{30000};
constexpr milliseconds kRejoinLimit{30000};
constexpr milliseconds kHistoryLimit{5000};
constexpr int kPatroniActionTimeoutMs = 30000; // a switchover answers once it is done
constexpr int kFaultCommandTimeoutMs = 10000;

std::string ms(std::int64_t value) {
    return std::to_string(value) + " ms";
}

// Patroni's answer to POST /switchover, which returns only once the switchover is done: the
// drill meanwhile watches the candidate, so it learns of the promotion first.
class SwitchoverRequest {
public:
    SwitchoverRequest(const std::string& api, const json& body)
        : thread_([this, api, body] {
            PatroniReply reply =
                PatroniClient(kPatroniActionTimeoutMs).post(api, "/switchover", body);
            std::lock_guard lock(mutex_);
            reply_ = std::move(reply);
        }) {}
    ~SwitchoverRequest() { thread_.join(); }
    std::optional<PatroniReply> reply() const {
        std::lock_guard lock(mutex_);
        return reply_;
    }

private:
    mutable std::mutex mutex_;
    std::optional<PatroniReply> reply_;
    std::thread thread_;
};

std::string failingChecks(const DrillPreflight& preflight) {
    std::string text;
    for (const auto& check : preflight.checks)
        if (check.verdict == protocol::verdict::kFail)
            text += (text.empty() ? "" : "; ") + check.name + ": " + check.detail;
    return text;
}

} // namespace

DrillRun::DrillRun(HaMonitor& monitor, WriteRouterCore* writes, int timeoutMs, JobControl& control,
                   ShardRouter* shards)
    : monitor_(monitor)
    , writes_(writes)
    , shards_(shards)
    , timeoutMs_(timeoutMs)
    , control_(control) {}

void DrillRun::step(const std::string& name, const std::string& detail, double fraction) {
    result_["timeline"].push_back(
        {{"t_ms", nowMs() - startedMs_}, {"step", name}, {"detail", detail}});
    control_.progress(fraction, name + ": " + detail);
}

json DrillRun::carryOut(const std::string& kind, const std::string& mode,
                        const std::string& regionName, const std::string& candidate) {
    startedMs_ = nowMs();
    const HaConfig& config = monitor_.config();
    result_ = {{"id", newId("d-")},
               {"kind", kind},
               {"mode", mode},
               {"region", regionName},
               {"from", ""},
               {"to", ""},
               {"outcome", "succeeded"},
               {"started_ms", startedMs_},
               {"finished_ms", nullptr},
               {"rto_ms", nullptr},
               {"write_gap_ms", nullptr},
               {"rpo_writes", nullptr},
               {"rpo_bytes", nullptr},
               {"rpo_ms", nullptr},
               {"writes_checked", 0},
               {"targets", {{"rto_ms", config.rtoTarget()}, {"rpo_ms", config.rpoTarget()}}},
               {"met", {{"rto", nullptr}, {"rpo", nullptr}}},
               {"timeline", json::array()},
               {"error", ""}};
    try {
        monitor_.refresh();
        const auto region = monitor_.region(regionName);
        if (!region)
            throw Stop{"failed", "no region named " + regionName};
        result_["from"] = region->leader;
        const bool regionDrill =
            kind == drill_kind::kRegionFailover || kind == drill_kind::kRegionFailback;
        if (mode == drill_mode::kPlan)
            step("plan", "plan only: the preflight was recorded, nothing changed", 1.0);
        else if (mode == drill_mode::kSimulated)
            // Region drills too: the routers reconnect, no database changes region.
            simulated(regionDrill ? monitor_.region(monitor_.activeRegion()).value_or(*region)
                                  : *region);
        else if (regionDrill)
            RegionDrill(*this, shards_).live(kind, regionName);
        else
            live(kind, *region, candidate);
    } catch (const Stop& stop) {
        result_["outcome"] = stop.outcome;
        result_["error"] = stop.error;
        step(stop.outcome, stop.error, 1.0);
    } catch (const std::exception& failure) {
        result_["outcome"] = "failed";
        result_["error"] = failure.what();
        step("failed", failure.what(), 1.0);
    }
    result_["finished_ms"] = nowMs();
    if (result_["rto_ms"].is_number())
        result_["met"]["rto"] = result_["rto_ms"].get<std::int64_t>() <= config.rtoTarget();
    if (result_["rpo_ms"].is_number())
        result_["met"]["rpo"] = result_["rpo_ms"].get<std::int64_t>() <= config.rpoTarget();
    auto figure = [&](const char* key, const std::string& unit) {
        return result_[key].is_number() ? std::to_string(result_[key].get<std::int64_t>()) + unit
                                        : std::string("not measured");
    };
    result_["summary"] = mode + " " + kind + " in " + regionName + " " +
                         result_["outcome"].get<std::string>() + ": RTO " +
                         figure("rto_ms", " ms") + ", RPO " + figure("rpo_writes", " writes") +
                         (result_["error"].get<std::string>().empty()
                              ? std::string()
                              : " (" + result_["error"].get<std::string>() + ")");
    return result_;
}

void DrillRun::simulated(const HaRegion& region) {
    if (!writes_)
        throw Stop{"failed", "no write router (postgres.primary): nothing to simulate"};
    const auto target = writes_->target();
    faultMs_ = nowMs();
    const std::uint64_t epoch = writes_->repoint(target.name, target.conninfo);
    step("repoint",
         "the backend's writes reconnect to " + target.name + " (epoch " + std::to_string(epoch) +
             "); " + region.name + "'s databases untouched",
         0.3);
    result_["to"] = target.name;
    measureRto(epoch);
    result_["rpo_writes"] = 0;
    result_["rpo_bytes"] = 0;
    result_["rpo_ms"] = 0;
}

void DrillRun::live(const std::string& kind, const HaRegion& region, const std::string& candidate) {
    const HaConfig& config = monitor_.config();
    const HaRegionConfig* regionConfig = regionConfigOf(config, region.name);
    const DrillPreflight preflight =
        memberPreflight(monitor_, region, kind, candidate, false, timeoutMs_);
    if (!preflight.passed())
        throw Stop{"failed", "preflight failed: " + failingChecks(preflight)};
    const HaMember& leader = *region.leaderMember();
    const HaMember& next = *region.member(preflight.chosen);
    if (next.lagBytes.value_or(0) > config.stopMaxLagBytes)
        throw Stop{"aborted", "stop condition: " + next.name + " is " +
                                  std::to_string(*next.lagBytes) + " B behind (limit " +
                                  std::to_string(config.stopMaxLagBytes) + " B)"};
    step("preflight",
         next.name + " streaming, " + std::to_string(next.lagBytes.value_or(0)) +
             " B behind, timeline " + std::to_string(next.timeline),
         0.1);
    result_["to"] = next.name;
    if (region.provider == "direct") {
        DirectDrill(*this).live(kind, region, leader, next);
        return;
    }

    const std::string nextConninfo = monitor_.conninfoOf(next);
    PromotionWatch watch(nextConninfo, timeoutMs_);
    watch.promoted(); // open its session before the fence, not after
    auto acceptsWritesNow = [&] {
        return watch.promoted();
    };
    // Outlives the wait: Patroni answers the switchover after the candidate accepts writes, and
    // the writes are repointed before that answer comes.
    std::optional<SwitchoverRequest> switchover;
    // The old leader's WAL position just before the fence or fault: what it had written then
    // (a lower bound of what it had when it stopped).
    std::string error;
    const auto oldLsn = walPosition(monitor_.conninfoOf(leader), timeoutMs_, error);
    if (kind == drill_kind::kSwitchover) {
        faultMs_ = nowMs();
        SwitchoverRequest& request = switchover.emplace(
            leader.apiUrl, json{{"leader", leader.name}, {"candidate", next.name}});
        step("switchover",
             "asked Patroni (" + leader.apiUrl + ") to switch " + leader.name + " over to " +
                 next.name,
             0.2);
        waitFor(
            [&] {
                if (auto reply = request.reply();
                    reply && reply->status != 200 && reply->status != 202)
                    throw Stop{"failed",
                               "Patroni refused the switchover: " +
                                   (reply->status ? "HTTP " + std::to_string(reply->status) + " " +
                                                        reply->body
                                                  : reply->error)};
                return acceptsWritesNow();
            },
            kPromotionLimit, next.name + " accepting writes");
    } else {
        faultMs_ = nowMs();
        const FaultOutcome fault =
            runFaultCommand(regionConfig->faultCommand, leader.name, kFaultCommandTimeoutMs);
        if (!fault.ok)
            throw Stop{"failed", "the fault command failed: " + fault.error};
        step("fault", leader.name + " crashed by the region's fault command", 0.2);
        waitFor(acceptsWritesNow, kPromotionLimit, next.name + " accepting writes");
    }
    const std::int64_t promotedMs = nowMs();
    std::uint64_t epoch = 0;
    if (writes_)
        epoch = writes_->follow(next.name, nextConninfo);
    step("promoted",
         next.name + " accepts writes " + ms(promotedMs - faultMs_) + " after the " +
             (kind == drill_kind::kSwitchover ? "fence" : "fault") +
             (writes_ ? "; the backend's writes go there now (epoch " + std::to_string(epoch) + ")"
                      : std::string()),
         0.5);
    measureRto(epoch);
    measureRpo(epoch, nextConninfo, oldLsn, patroniForkLsn(next.apiUrl, leader.timeline));

    if (kind == drill_kind::kSwitchover) {
        const auto rejoinStarted = nowMs();
        bool rejoined = false;
        try {
            waitFor(
                [&] {
                    monitor_.refresh();
                    const auto now = monitor_.region(region.name);
                    const HaMember* old = now ? now->member(leader.name) : nullptr;
                    rejoined = now && now->leader == next.name && old && old->streaming;
                    return rejoined;
                },
                kRejoinLimit, leader.name + " streaming from " + next.name);
        } catch (const Stop& stop) {
            if (stop.outcome == "cancelled")
                throw;
        }
        step("rejoin",
             rejoined ? leader.name + " streams from " + next.name + " after " +
                            ms(nowMs() - rejoinStarted)
                      : leader.name + " is not streaming from " + next.name + " after " +
                            ms(kRejoinLimit.count()),
             1.0);
    } else {
        step("old leader",
             leader.name + " stays down (crashed by the drill); start it again and it rejoins "
                           "as a replica",
             1.0);
    }
}

void DrillRun::waitFor(const std::function<bool()>& done, milliseconds limit,
                       const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (control_.cancelled())
            throw Stop{"cancelled", "cancelled while waiting for " + what};
        checkStopConditions();
        if (std::chrono::steady_clock::now() > deadline)
            throw Stop{"failed", "no " + what + " after " + ms(limit.count())};
        std::this_thread::sleep_for(kPoll);
    }
}

void DrillRun::checkStopConditions() {
    const HaConfig& config = monitor_.config();
    if (!writes_ || faultMs_ == 0)
        return;
    const std::int64_t now = nowMs();
    if (now - faultMs_ <= config.rtoTarget())
        return; // errors are expected until the RTO target
    const double rate = writes_->errorRatePct(config.errorWindowMs, now);
    if (rate > config.maxErrorRatePct)
        throw Stop{"aborted", "stop condition: the backend's write error rate is " +
                                  std::to_string(static_cast<int>(rate)) + " % over the last " +
                                  ms(config.errorWindowMs) + ", past the RTO target of " +
                                  ms(config.rtoTarget())};
}

void DrillRun::measureRto(std::uint64_t epoch) {
    if (!writes_) {
        step("first write", "no write router (postgres.primary): RTO not measured", 0.7);
        return;
    }
    std::optional<WriteRouterCore::Write> first;
    try {
        waitFor(
            [&] {
                first = writes_->firstAcknowledgedFrom(epoch);
                return first.has_value();
            },
            kFirstWriteLimit, "acknowledged write from the backend");
    } catch (const Stop& stop) {
        if (stop.outcome != "failed")
            throw;
        step("first write",
             "the backend wrote nothing acknowledged within " + ms(kFirstWriteLimit.count()) +
                 ": RTO not measured",
             0.7);
        return;
    }
    result_["rto_ms"] = first->doneMs - faultMs_;
    std::string gap;
    if (const auto last = writes_->lastAcknowledgedBefore(epoch)) {
        result_["write_gap_ms"] = first->doneMs - last->doneMs;
        gap = "; no write acknowledged for " + ms(first->doneMs - last->doneMs);
    }
    step("first write",
         "write " + std::to_string(first->sequence) + " acknowledged " +
             ms(first->doneMs - faultMs_) + " after the fence or fault" + gap,
         0.7);
}

std::optional<std::int64_t> DrillRun::patroniForkLsn(const std::string& newLeaderApi,
                                                     std::int64_t oldTimeline) {
    // Patroni's /history lists the new timeline's fork point once its loop has read the new
    // timeline's history file.
    std::optional<std::int64_t> forkLsn;
    try {
        waitFor(
            [&] {
                for (const auto& change :
                     parseHistory(monitor_.patroni().get(newLeaderApi, "/history").json))
                    if (change.timeline == oldTimeline)
                        forkLsn = change.lsn;
                return forkLsn.has_value();
            },
            kHistoryLimit, "timeline switch in Patroni's history");
    } catch (const Stop& stop) {
        if (stop.outcome != "failed")
            throw;
    }
    return forkLsn;
}

void DrillRun::measureRpo(std::uint64_t epoch, const std::string& newPrimaryConninfo,
                          std::optional<std::int64_t> oldLsn, std::optional<std::int64_t> forkLsn) {
    const HaConfig& config = monitor_.config();
    // Bytes: the old leader's last known WAL position past the new timeline's fork point.
    if (oldLsn && forkLsn)
        result_["rpo_bytes"] = std::max<std::int64_t>(0, *oldLsn - *forkLsn);
    if (!writes_ || config.writesTable.empty()) {
        step("rpo", "no writes table (ha.writes): acknowledged writes not counted", 0.9);
        return;
    }
    std::vector<WriteRouterCore::Write> acknowledged;
    for (const auto& write : writes_->writesSince(startedMs_ - 60000))
        if (write.outcome == WriteRouterCore::Outcome::Acknowledged && write.epoch < epoch)
            acknowledged.push_back(write);
    result_["writes_checked"] = acknowledged.size();
    if (acknowledged.empty()) {
        result_["rpo_writes"] = 0;
        result_["rpo_ms"] = 0;
        step("rpo", "the backend had no acknowledged writes to look for", 0.9);
        return;
    }
    std::string error;
    const auto present = presentWrites(
        newPrimaryConninfo, timeoutMs_,
        {config.writesTable, config.writesRunColumn, config.writesSeqColumn}, writes_->runId(),
        acknowledged.front().sequence, acknowledged.back().sequence, error);
    if (!present) {
        step("rpo", "cannot count the writes on the new primary: " + error, 0.9);
        return;
    }
    std::int64_t missing = 0, oldestMissingMs = 0, newestMissingMs = 0;
    for (const auto& write : acknowledged)
        if (!present->count(write.sequence)) {
            if (missing++ == 0)
                oldestMissingMs = write.doneMs;
            newestMissingMs = write.doneMs;
        }
    result_["rpo_writes"] = missing;
    result_["rpo_ms"] =
        missing ? std::max(faultMs_, newestMissingMs) - oldestMissingMs : std::int64_t(0);
    step("rpo",
         std::to_string(missing) + " of " + std::to_string(acknowledged.size()) +
             " acknowledged writes missing on the new primary" +
             (result_["rpo_bytes"].is_number()
                  ? "; " + std::to_string(result_["rpo_bytes"].get<std::int64_t>()) +
                        " B of WAL past the fork point"
                  : std::string()),
         0.9);
}

} // namespace switchboard
