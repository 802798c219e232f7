#include "redis_cache_probe.h"

#include "cache_stats.h"
#include "switchboard/protocol.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <hiredis/hiredis.h>
#include <vector>

namespace switchboard {

namespace {

// SCAN's page size hint: Redis visits about this many entries per page (up to ten times as many
// buckets on a sparse table), short enough not to stall the server.
constexpr std::size_t kScanCount = 1000;
// A sparse table (after a mass delete) can give many empty pages in a row; this bounds the round
// trips of one run. The cursor carries on next run.
constexpr int kMaxScanPagesPerRun = 8;

constexpr int kUp = static_cast<int>(protocol::ProbeStatus::Up);
constexpr int kDown = static_cast<int>(protocol::ProbeStatus::Down);

std::int64_t steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool isString(const redisReply* reply) {
    return reply && (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS);
}

} // namespace

RedisCacheProbe::RedisCacheProbe(RedisEndpoint endpoint, std::size_t sampleKeysPerRun)
    : endpoint_(std::move(endpoint))
    , sampleKeysPerRun_(sampleKeysPerRun) {}

RedisCacheProbe::~RedisCacheProbe() = default;

RedisCacheProbe::Report RedisCacheProbe::run() noexcept {
    const std::int64_t started = steadyNs();
    Report report;
    report.target = endpoint_.text();
    report.checkedMs = wallMs();
    auto finish = [&](int status, std::string error) {
        report.status = status;
        report.error = std::move(error);
        report.durationMs = static_cast<double>(steadyNs() - started) / 1e6;
        return std::move(report);
    };
    try {
        if (!connection_ || !connection_->ok()) {
            connection_ = std::make_unique<RedisConnection>(endpoint_);
            if (!connection_->ok())
                return finish(kDown, connection_->error());
        }
        // The whole INFO, not chosen sections: run_id (in Server) tells a restart, and more than
        // one section per INFO needs Redis 7. About 5 KB once a second.
        const std::int64_t asked = steadyNs();
        std::vector<RedisReply> replies = connection_->pipeline({{"INFO"}, {"DBSIZE"}});
        if (!replies[0].ok())
            return finish(kDown, "INFO: " + replies[0].error());
        if (!replies[1].ok())
            return finish(kDown, "DBSIZE: " + replies[1].error());
        RedisInfo info = parseRedisInfo(replies[0].string());
        report.keys = replies[1].integer(-1);

        const std::string runId = info.runId();
        if (runId != sampledRunId_) {
            // Another server process: its keys and counters have nothing to do with the old.
            restartSample();
            baseline_.reset();
            sampledRunId_ = runId;
        }
        if (baseline_) {
            report.rateIntervalS = static_cast<double>(asked - baseline_->steadyNs) / 1e9;
            report.rates = ratesBetween(baseline_->info, info, report.rateIntervalS);
        }
        baseline_ = Baseline{info, asked};
        report.info = std::move(info);

        std::string sampleError = sample();
        if (!connection_->ok())
            return finish(kDown, sampleError);
        report.prefixes = estimatePrefixes(current_, previous_, report.keys);
        return finish(kUp, std::move(sampleError));
    } catch (const std::exception& error) { // out of memory: a failed run, never the host's
        return finish(kDown, std::string("internal error: ") + error.what());
    } catch (...) {
        return finish(kDown, "internal error");
    }
}

void RedisCacheProbe::restartSample() {
    cursor_ = "0";
    scanFinished_ = false;
    pending_.clear();
    current_.clear();
    previous_.clear();
}

std::string RedisCacheProbe::sample() {
    std::string error;
    std::vector<std::string> batch;
    batch.reserve(sampleKeysPerRun_);
    int pages = 0;
    while (batch.size() < sampleKeysPerRun_) {
        if (!pending_.empty()) {
            batch.push_back(std::move(pending_.front()));
            pending_.pop_front();
            continue;
        }
        if (scanFinished_ || pages == kMaxScanPagesPerRun)
            break;
        const std::string count =
            std::to_string(std::min<std::size_t>(kScanCount, sampleKeysPerRun_ - batch.size()));
        RedisReply page = connection_->command({"SCAN", cursor_, "COUNT", count});
        ++pages;
        const redisReply* reply = page.get();
        if (!page.ok() || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
            !isString(reply->element[0]) || reply->element[1]->type != REDIS_REPLY_ARRAY) {
            error = "SCAN: " + (page.ok() ? std::string("unexpected reply") : page.error());
            break;
        }
        cursor_.assign(reply->element[0]->str, reply->element[0]->len);
        scanFinished_ = cursor_ == "0";
        const redisReply* keys = reply->element[1];
        for (std::size_t i = 0; i < keys->elements; ++i)
            if (isString(keys->element[i]))
                pending_.emplace_back(keys->element[i]->str, keys->element[i]->len);
    }

    if (!batch.empty()) {
        // SAMPLES 0: every element of an aggregate counted, exact rather than Redis's estimate
        // from 5 elements; for strings (what the cache stores) the figure is the same.
        std::vector<std::vector<std::string_view>> commands;
        commands.reserve(batch.size());
        for (const std::string& key : batch)
            commands.push_back({"MEMORY", "USAGE", key, "SAMPLES", "0"});
        std::vector<RedisReply> usages = connection_->pipeline(commands);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const RedisReply& usage = usages[i];
            if (!usage.ok() || usage->type != REDIS_REPLY_INTEGER) {
                // nil: the key expired or was deleted since SCAN; it is simply not sampled.
                if (!usage.ok() && error.empty())
                    error = "MEMORY USAGE: " + usage.error();
                continue;
            }
            std::string prefix(cachePrefixOf(batch[i]));
            if (current_.size() >= kMaxPrefixes && !current_.contains(prefix))
                prefix = kOtherPrefix;
            PrefixSample& counted = current_[prefix];
            counted.keys += 1;
            counted.bytes += usage->integer;
        }
    }

    if (scanFinished_ && pending_.empty()) {
        previous_ = std::move(current_);
        current_.clear();
        cursor_ = "0";
        scanFinished_ = false;
    }
    return error;
}

} // namespace switchboard
