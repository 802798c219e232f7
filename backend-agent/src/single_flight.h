// Single-flight loading: of the concurrent calls for one key, the first runs the load and the
// others wait for its outcome instead of loading again (a cache stampede on a hot key that just
// expired becomes one query). Keys are independent: a slow load blocks only its own key.
// Thread-safe.
#pragma once

#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <unordered_map>

namespace switchboard {

template <typename T> class SingleFlight {
public:
    struct Outcome {
        T value;
        bool shared; // this call waited for another call's load
    };

    // Runs `load` unless a load of `key` is already running, in which case waits for that one.
    // An exception from the load reaches every caller that shared it.
    Outcome run(const std::string& key, const std::function<T()>& load) {
        std::promise<T> promise;
        {
            std::unique_lock lock(mutex_);
            if (auto it = flights_.find(key); it != flights_.end()) {
                std::shared_future<T> flight = it->second;
                lock.unlock();
                return {flight.get(), true}; // rethrows the leader's exception
            }
            flights_.emplace(key, promise.get_future().share());
        }
        // The flight leaves the table before its outcome is set, so a call arriving after this
        // one finished starts a fresh load (of fresh data) instead of reusing it.
        auto finish = [&] {
            std::lock_guard lock(mutex_);
            flights_.erase(key);
        };
        T value;
        try {
            value = load();
        } catch (...) {
            finish();
            promise.set_exception(std::current_exception());
            throw;
        }
        finish();
        promise.set_value(value);
        return {std::move(value), false};
    }

    // Loads running now.
    std::size_t inFlight() const {
        std::lock_guard lock(mutex_);
        return flights_.size();
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_future<T>> flights_;
};

} // namespace switchboard
