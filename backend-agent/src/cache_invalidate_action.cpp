#include "cache_invalidate_action.h"

#include "key_unlinker.h"
#include "switchboard/protocol.h"
#include "tiered_cache_core.h"

#include <algorithm>
#include <cmath>
#include <hiredis/hiredis.h>

namespace switchboard {

namespace verdict = protocol::verdict;
using nlohmann::json;

namespace {

// Scanning and unlinking may take minutes on a big keyspace: each command has its own timeout,
// generous next to the cache's own few milliseconds.
RedisEndpoint actionEndpoint(TieredCache& cache, int timeoutMs) {
    RedisEndpoint endpoint = cache.core().pool.endpoint();
    endpoint.connectTimeout = std::chrono::milliseconds(timeoutMs);
    endpoint.commandTimeout = std::chrono::milliseconds(timeoutMs);
    return endpoint;
}

std::string describe(const KeySelection& selection) {
    switch (selection.match) {
    case KeySelection::Match::Key:
        return "key \"" + selection.value + "\"";
    case KeySelection::Match::Prefix:
        return "keys starting with \"" + selection.value + "\"";
    case KeySelection::Match::Pattern:
        break;
    }
    return "keys matching \"" + selection.value + "\"";
}

json acksDocument(const InvalidationBus::Broadcast& broadcast) {
    json acked = json::array();
    json removed = json::object();
    for (const auto& ack : broadcast.acked) {
        acked.push_back(ack.instance);
        removed[ack.instance] = ack.removed;
    }
    const long long missing = std::max<long long>(
        0, broadcast.receivers - static_cast<long long>(broadcast.acked.size()));
    return {{"receivers", broadcast.receivers},
            {"acked", acked},
            {"removed", removed},
            {"missing", missing},
            {"ack_ms", broadcast.ackMs},
            {"error", broadcast.error}};
}

} // namespace

CacheInvalidateAction::CacheInvalidateAction(TieredCache& cache, int timeoutMs, int ackTimeoutMs)
    : cache_(cache)
    , timeoutMs_(timeoutMs)
    , ackTimeoutMs_(ackTimeoutMs) {}

std::string_view CacheInvalidateAction::kind() const {
    return protocol::action::kCacheInvalidate;
}

ActionPlanBody CacheInvalidateAction::plan(const ActionRequest& request) {
    const Params params = parse(request.params);
    RedisConnection redis(actionEndpoint(cache_, timeoutMs_));
    ActionPlanBody body;
    const std::string target = redis.endpoint().text();
    if (!redis.ok()) {
        body.summary = "cannot reach Redis at " + target;
        body.checks.push_back({"redis_reachable", verdict::kFail, redis.error()});
        return body;
    }
    body.checks.push_back({"redis_reachable", verdict::kPass, target + " answers"});
    const KeyCount count = countKeys(redis, params.selection, kSampleSize, [] { return false; });
    if (!count.error.empty()) {
        body.summary = "cannot count the keys in Redis at " + target;
        body.checks.push_back({"keys_counted", verdict::kFail, count.error});
        return body;
    }
    const RedisReply subscribers = redis.command({"PUBSUB", "NUMSUB", cache_.core().bus.channel()});
    long long listening = -1;
    if (subscribers.ok() && subscribers->elements == 2)
        listening = subscribers->element[1]->integer;
    body.checks.push_back(
        {"keys_match", count.matching > 0 ? verdict::kPass : verdict::kWarn,
         std::to_string(count.matching) + " of " + std::to_string(count.scanned) + " keys match"});
    body.checks.push_back({"instances_listening", listening > 0 ? verdict::kPass : verdict::kWarn,
                           listening < 0 ? "unknown"
                                         : std::to_string(listening) + " instance(s) listen on " +
                                               cache_.core().bus.channel() +
                                               " and will drop their L1 copies"});
    const double estimate = static_cast<double>(count.matching) / params.rate;
    body.summary = "unlink " + std::to_string(count.matching) + " " + describe(params.selection) +
                   " from Redis " + target + " and drop them from every instance's L1";
    body.changes.push_back({{"what", describe(params.selection) + " in Redis " + target},
                            {"from", std::to_string(count.matching) + " keys"},
                            {"to", "0 keys"}});
    body.changes.push_back({{"what", "L1 of every instance on " + cache_.core().bus.channel()},
                            {"from", "cached copies"},
                            {"to", "dropped"}});
    body.details = {{"matching", count.matching}, {"scanned", count.scanned},
                    {"sample", count.sample},     {"match_all", params.selection.matchesAll()},
                    {"subscribers", listening},   {"estimate_s", std::round(estimate * 10) / 10}};
    return body;
}

json CacheInvalidateAction::execute(const ActionRequest& request, JobControl& control,
                                    std::string& message) {
    const Params params = parse(request.params);
    const auto planned = request.confirmedPlan.value("matching", std::uint64_t{0});
    RedisConnection redis(actionEndpoint(cache_, timeoutMs_));
    if (!redis.ok())
        throw std::runtime_error("cannot reach Redis at " + redis.endpoint().text() + ": " +
                                 redis.error());
    auto progress = [&](const UnlinkProgress& p) {
        const double fraction =
            planned > 0 ? std::min(0.99, static_cast<double>(p.unlinked) / double(planned)) : 0.5;
        control.progress(fraction, "unlinked " + std::to_string(p.unlinked) + " of ~" +
                                       std::to_string(planned) + " keys (" +
                                       std::to_string(p.scanned) + " scanned)");
    };
    const UnlinkResult unlinked = unlinkKeys(redis, params.selection, params.rate, kBatch, progress,
                                             [&] { return control.cancelled(); });
    // Whatever left Redis must leave every L1 too, even when cancelled or failed half way.
    control.progress(0.99, "unlinked " + std::to_string(unlinked.unlinked) +
                               " keys; waiting for every instance's L1");
    const auto broadcast =
        cache_.core().bus.broadcast(params.selection, std::chrono::milliseconds(ackTimeoutMs_));
    json result = {{"unlinked", unlinked.unlinked},
                   {"scanned", unlinked.scanned},
                   {"elapsed_ms", unlinked.elapsedMs},
                   {"keys_per_s", unlinked.elapsedMs > 0
                                      ? double(unlinked.unlinked) * 1000.0 / unlinked.elapsedMs
                                      : 0.0},
                   {"cancelled", unlinked.cancelled},
                   {"l1", acksDocument(broadcast)}};
    if (!unlinked.error.empty())
        throw std::runtime_error("Redis failed after " + std::to_string(unlinked.unlinked) +
                                 " keys were unlinked: " + unlinked.error);
    if (unlinked.cancelled) {
        message = "cancelled after " + std::to_string(unlinked.unlinked) + " keys; " +
                  std::to_string(broadcast.acked.size()) + " instances dropped them from L1";
        throw JobCancelled{result};
    }
    message = "unlinked " + std::to_string(unlinked.unlinked) + " keys; " +
              std::to_string(broadcast.acked.size()) + " of " +
              std::to_string(std::max<long long>(broadcast.receivers, 0)) +
              " instances dropped them from L1";
    return result;
}

} // namespace switchboard
