// The answers to requests that carried an Idempotency-Key, so a repeat does not act twice.
//
// Keys are scoped to the caller's token name and the path. begin() either hands back the stored
// answer (the same request again), refuses (the same key on a different request), or lets the
// caller proceed and then finish() with its answer; a duplicate arriving while the first is still
// being handled waits for that answer rather than acting in parallel. Bounded in count and age.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace switchboard {

class IdempotencyCache {
public:
    struct Answer {
        int status = 0;
        nlohmann::json body;
    };
    struct Options {
        std::size_t maxKeys = 10'000;
        std::chrono::seconds maxAge{24 * 3600};
        std::chrono::milliseconds waitForFirst{15'000};
    };
    enum class Verdict { Proceed, Replay, Mismatch, StillRunning };
    struct Lookup {
        Verdict verdict;
        Answer answer; // for Replay
    };

    IdempotencyCache()
        : IdempotencyCache(Options{}) {}
    explicit IdempotencyCache(Options options);

    // `fingerprint` identifies the request (method, path and body); the key is the client's.
    Lookup begin(const std::string& caller, const std::string& path, const std::string& key,
                 const std::string& fingerprint);
    // Stores the answer to a request begin() let proceed, and wakes duplicates waiting for it.
    void finish(const std::string& caller, const std::string& path, const std::string& key,
                Answer answer);
    // Forgets a request that failed in a way worth retrying (the agent's own error).
    void abandon(const std::string& caller, const std::string& path, const std::string& key);

private:
    struct Entry {
        std::size_t fingerprint;
        std::optional<Answer> answer; // none while the first request is being handled
        std::chrono::steady_clock::time_point at;
    };
    static std::string scoped(const std::string& caller, const std::string& path,
                              const std::string& key);
    void pruneLocked();

    Options options_;
    std::mutex mutex_;
    std::condition_variable answered_;
    std::map<std::string, Entry> entries_;
    std::deque<std::string> order_;
};

} // namespace switchboard
