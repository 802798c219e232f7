#include "key_unlinker.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <deque>
#include <hiredis/hiredis.h>
#include <thread>

namespace switchboard {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxBatch = 1000;
// COUNT for SCAN: how many table buckets Redis visits per call. Redis's time dominates a walk
// (7.0 makes an object of every key it visits before MATCH filters them), and COUNT 5000 or
// 20000 measured no faster than 1000 (BENCHMARKS.md, "Cache invalidation"), so the protocol's
// 1000 serves both the count and the unlink and keeps each call short for other clients.
constexpr std::string_view kScanCount = "1000";
// Fetch the next SCAN page once fewer keys than this many batches wait to be unlinked.
constexpr std::size_t kBatchesAhead = 2;
// The longest sleep between checks of cancelled().
constexpr auto kSleepSlice = std::chrono::milliseconds(50);

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// SCAN's reply: [cursor, [key, ...]]. Anything else (a Redis that is not Redis) is an error.
bool validScanReply(const RedisReply& reply, std::string& error) {
    if (!reply.ok()) {
        error = "SCAN: " + reply.error();
        return false;
    }
    const redisReply* r = reply.get();
    bool valid = r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
                 r->element[0]->type == REDIS_REPLY_STRING &&
                 r->element[1]->type == REDIS_REPLY_ARRAY;
    for (std::size_t i = 0; valid && i < r->element[1]->elements; ++i)
        valid = r->element[1]->element[i]->type == REDIS_REPLY_STRING;
    if (!valid)
        error = "SCAN: unexpected reply";
    return valid;
}

std::string_view cursorOf(const RedisReply& page) {
    return {page->element[0]->str, page->element[0]->len};
}
std::size_t keyCountOf(const RedisReply& page) {
    return page->element[1]->elements;
}
std::string_view keyOf(const RedisReply& page, std::size_t i) {
    const redisReply* key = page->element[1]->element[i];
    return {key->str, key->len};
}

// Redis hands out cursors in reverse-binary order over its table, so the cursor with its bits
// reversed, over 2^64, is the share of the table already walked, whatever the table's size.
// Times DBSIZE, an estimate of the keys Redis looked at (SCAN reports only the matches).
class ScannedEstimate {
public:
    explicit ScannedEstimate(std::uint64_t keysAtStart)
        : total_(keysAtStart) {}

    void advance(std::string_view cursor) {
        std::uint64_t value = 0;
        std::from_chars(cursor.data(), cursor.data() + cursor.size(), value);
        if (value == 0) {
            share_ = 1.0;
            return;
        }
        std::uint64_t reversed = 0;
        for (int bit = 0; bit < 64; ++bit, value >>= 1)
            reversed = (reversed << 1) | (value & 1);
        share_ = std::ldexp(static_cast<double>(reversed), -64);
    }
    std::uint64_t keys() const { return std::llround(share_ * static_cast<double>(total_)); }

private:
    std::uint64_t total_;
    double share_ = 0;
};

bool keysInDatabase(RedisConnection& redis, std::uint64_t& keys, std::string& error) {
    const RedisReply reply = redis.command({"DBSIZE"});
    if (!reply.ok()) {
        error = "DBSIZE: " + reply.error();
        return false;
    }
    keys = static_cast<std::uint64_t>(std::max(0LL, reply.integer()));
    return true;
}

// SCAN pages whose keys are not all sent yet. The keys stay in the replies (no copies);
// take() hands out views, and a page stays alive until release(), after the commands that
// name its keys went out.
class PendingKeys {
public:
    std::size_t size() const { return size_; }

    void add(RedisReply page) {
        size_ += keyCountOf(page);
        if (keyCountOf(page) > 0)
            pages_.push_back(std::move(page));
    }
    void take(std::size_t count, std::vector<std::string_view>& keys) {
        size_ -= count;
        while (count > 0) {
            const RedisReply& page = pages_.front();
            const std::size_t n = std::min(count, keyCountOf(page) - next_);
            for (std::size_t i = next_; i < next_ + n; ++i)
                keys.push_back(keyOf(page, i));
            next_ += n;
            count -= n;
            if (next_ == keyCountOf(page)) {
                sent_.push_back(std::move(pages_.front()));
                pages_.pop_front();
                next_ = 0;
            }
        }
    }
    void release() { sent_.clear(); }

private:
    std::deque<RedisReply> pages_;
    std::vector<RedisReply> sent_;
    std::size_t next_ = 0; // the first key of pages_.front() not taken yet
    std::size_t size_ = 0;
};

// Keys per second at most, averaged from the start, with a burst of one batch: how many keys
// may go now, and how long to wait before `wanted` may.
class Throttle {
public:
    Throttle(double keysPerSecond, std::size_t burst, Clock::time_point start)
        : rate_(keysPerSecond)
        , burst_(static_cast<double>(burst))
        , start_(start) {}

    bool unlimited() const { return rate_ <= 0; }
    double allowed(std::uint64_t sent) const {
        const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        return rate_ * seconds + burst_ - static_cast<double>(sent);
    }
    Clock::duration wait(double allowedNow, std::size_t wanted) const {
        const double seconds = (static_cast<double>(wanted) - allowedNow) / rate_;
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    }

private:
    double rate_;
    double burst_;
    Clock::time_point start_;
};

std::size_t batchFor(double keysPerSecond, std::size_t batchSize) {
    std::size_t batch = std::clamp<std::size_t>(batchSize, 1, kMaxBatch);
    // At a slow rate a full batch would be one burst followed by a long silence.
    if (keysPerSecond > 0 && keysPerSecond * 0.1 < static_cast<double>(batch))
        batch = std::max<std::size_t>(1, static_cast<std::size_t>(keysPerSecond * 0.1));
    return batch;
}

UnlinkResult unlinkOneKey(RedisConnection& redis, const std::string& key,
                          const std::function<void(const UnlinkProgress&)>& progress) {
    UnlinkResult result;
    const RedisReply reply = redis.command({"UNLINK", key});
    if (!reply.ok()) {
        result.error = "UNLINK: " + reply.error();
        return result;
    }
    result.unlinked = static_cast<std::uint64_t>(std::max(0LL, reply.integer()));
    result.scanned = 1;
    if (progress)
        progress({result.unlinked, result.scanned});
    return result;
}

} // namespace

KeyCount countKeys(RedisConnection& redis, const KeySelection& selection, std::size_t sampleSize,
                   const std::function<bool()>& cancelled) {
    KeyCount count;
    if (selection.match == KeySelection::Match::Key) {
        const RedisReply reply = redis.command({"EXISTS", selection.value});
        if (!reply.ok()) {
            count.error = "EXISTS: " + reply.error();
            return count;
        }
        count.scanned = 1;
        count.matching = reply.integer() > 0 ? 1 : 0;
        if (count.matching > 0 && sampleSize > 0)
            count.sample.push_back(selection.value);
        return count;
    }
    std::uint64_t keysAtStart = 0;
    if (!keysInDatabase(redis, keysAtStart, count.error))
        return count;
    ScannedEstimate scanned(keysAtStart);
    const std::string pattern = selection.redisPattern();
    std::string cursor = "0";
    do {
        if (cancelled && cancelled()) {
            count.error = "cancelled";
            break;
        }
        const RedisReply page =
            redis.command({"SCAN", cursor, "MATCH", pattern, "COUNT", kScanCount});
        if (!validScanReply(page, count.error))
            break;
        cursor = cursorOf(page);
        scanned.advance(cursor);
        count.matching += keyCountOf(page);
        for (std::size_t i = 0; i < keyCountOf(page) && count.sample.size() < sampleSize; ++i)
            count.sample.emplace_back(keyOf(page, i));
    } while (cursor != "0");
    count.scanned = scanned.keys();
    return count;
}

UnlinkResult unlinkKeys(RedisConnection& redis, const KeySelection& selection, double keysPerSecond,
                        std::size_t batchSize,
                        const std::function<void(const UnlinkProgress&)>& progress,
                        const std::function<bool()>& cancelled) {
    const Clock::time_point started = Clock::now();
    const auto isCancelled = [&] {
        return cancelled && cancelled();
    };
    UnlinkResult result;
    if (isCancelled()) {
        result.cancelled = true;
        return result;
    }
    if (selection.match == KeySelection::Match::Key) {
        result = unlinkOneKey(redis, selection.value, progress);
        result.elapsedMs = msSince(started);
        return result;
    }
    std::uint64_t keysAtStart = 0;
    if (!keysInDatabase(redis, keysAtStart, result.error)) {
        result.elapsedMs = msSince(started);
        return result;
    }
    const std::size_t batch = batchFor(keysPerSecond, batchSize);
    const Throttle throttle(keysPerSecond, batch, started);
    const std::string pattern = selection.redisPattern();
    ScannedEstimate scanned(keysAtStart);
    PendingKeys pending;
    std::string cursor = "0";
    bool scanDone = false;
    std::uint64_t sent = 0;
    std::vector<std::string_view> keys;
    std::vector<std::vector<std::string_view>> commands;
    for (;;) {
        if (isCancelled()) {
            result.cancelled = true;
            break;
        }
        std::size_t sending = pending.size();
        if (!throttle.unlimited() && sending > 0) {
            const double allowed = throttle.allowed(sent);
            const std::size_t wanted = std::min(sending, batch);
            if (allowed < static_cast<double>(wanted)) {
                std::this_thread::sleep_for(
                    std::min<Clock::duration>(throttle.wait(allowed, wanted), kSleepSlice));
                continue;
            }
            sending = std::min(sending, static_cast<std::size_t>(allowed));
        }
        // One round trip: the UNLINKs of the keys in hand, then the next SCAN page if few keys
        // are left, so Redis works on the page while the client reads the UNLINK replies.
        keys.clear();
        commands.clear();
        pending.take(sending, keys);
        sent += sending;
        for (std::size_t first = 0; first < keys.size(); first += batch) {
            const std::size_t last = std::min(keys.size(), first + batch);
            commands.emplace_back();
            commands.back().reserve(last - first + 1);
            commands.back().push_back("UNLINK");
            commands.back().insert(commands.back().end(), keys.begin() + first,
                                   keys.begin() + last);
        }
        const std::size_t unlinks = commands.size();
        const bool scanning = !scanDone && pending.size() < batch * kBatchesAhead;
        if (scanning)
            commands.push_back({"SCAN", cursor, "MATCH", pattern, "COUNT", kScanCount});
        if (commands.empty())
            break; // the walk is over and every key in hand is unlinked
        std::vector<RedisReply> replies = redis.pipeline(commands);
        pending.release();
        for (std::size_t i = 0; i < unlinks && result.error.empty(); ++i) {
            if (!replies[i].ok()) {
                result.error = "UNLINK: " + replies[i].error();
                break;
            }
            result.unlinked += static_cast<std::uint64_t>(std::max(0LL, replies[i].integer()));
            if (progress)
                progress({result.unlinked, scanned.keys()});
        }
        if (!result.error.empty())
            break;
        if (scanning) {
            if (!validScanReply(replies.back(), result.error))
                break;
            cursor = cursorOf(replies.back());
            scanDone = cursor == "0";
            scanned.advance(cursor);
            pending.add(std::move(replies.back()));
            if (unlinks == 0 && progress) // a long walk past no matches still moves
                progress({result.unlinked, scanned.keys()});
        }
    }
    result.scanned = scanned.keys();
    result.elapsedMs = msSince(started);
    return result;
}

} // namespace switchboard
