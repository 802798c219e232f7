#include "idempotency_cache.h"

#include <functional>

namespace switchboard {

IdempotencyCache::IdempotencyCache(Options options)
    : options_(options) {}

std::string IdempotencyCache::scoped(const std::string& caller, const std::string& path,
                                     const std::string& key) {
    // Length-prefixed, so no choice of strings makes two different triples collide.
    return std::to_string(caller.size()) + ":" + caller + std::to_string(path.size()) + ":" + path +
           key;
}

IdempotencyCache::Lookup IdempotencyCache::begin(const std::string& caller, const std::string& path,
                                                 const std::string& key,
                                                 const std::string& fingerprint) {
    auto id = scoped(caller, path, key);
    auto print = std::hash<std::string>{}(fingerprint);
    std::unique_lock lock(mutex_);
    pruneLocked();
    auto it = entries_.find(id);
    if (it == entries_.end()) {
        entries_.emplace(id, Entry{print, std::nullopt, std::chrono::steady_clock::now()});
        order_.push_back(id);
        return {Verdict::Proceed, {}};
    }
    if (it->second.fingerprint != print)
        return {Verdict::Mismatch, {}};
    bool answered = answered_.wait_for(lock, options_.waitForFirst, [&] {
        auto found = entries_.find(id);
        return found == entries_.end() || found->second.answer.has_value();
    });
    auto found = entries_.find(id);
    if (!answered)
        return {Verdict::StillRunning, {}};
    if (found == entries_.end()) { // the first attempt was abandoned: this one may act
        entries_.emplace(id, Entry{print, std::nullopt, std::chrono::steady_clock::now()});
        order_.push_back(id);
        return {Verdict::Proceed, {}};
    }
    return {Verdict::Replay, *found->second.answer};
}

void IdempotencyCache::finish(const std::string& caller, const std::string& path,
                              const std::string& key, Answer answer) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = entries_.find(scoped(caller, path, key)); it != entries_.end())
            it->second.answer = std::move(answer);
    }
    answered_.notify_all();
}

void IdempotencyCache::abandon(const std::string& caller, const std::string& path,
                               const std::string& key) {
    {
        std::lock_guard lock(mutex_);
        entries_.erase(scoped(caller, path, key));
    }
    answered_.notify_all();
}

void IdempotencyCache::pruneLocked() {
    auto now = std::chrono::steady_clock::now();
    while (!order_.empty()) {
        auto it = entries_.find(order_.front());
        if (it != entries_.end() && order_.size() <= options_.maxKeys &&
            now - it->second.at < options_.maxAge)
            break;
        // Never drop an answer still being written: a duplicate may be waiting on it.
        if (it != entries_.end() && !it->second.answer)
            break;
        if (it != entries_.end())
            entries_.erase(it);
        order_.pop_front();
    }
}

} // namespace switchboard
