#include "invalidation_bus.h"

#include "random_id.h"

#include <algorithm>
#include <hiredis/hiredis.h>

namespace switchboard {

using nlohmann::json;

namespace {

// How long the listener blocks in one read: the longest stop() waits for it.
constexpr std::chrono::milliseconds kListenerRead{200};
constexpr std::chrono::milliseconds kFirstRetry{100};
constexpr std::chrono::milliseconds kLongestRetry{2000};

std::string matchName(KeySelection::Match match) {
    switch (match) {
    case KeySelection::Match::Key:
        return "key";
    case KeySelection::Match::Prefix:
        return "prefix";
    case KeySelection::Match::Pattern:
        return "pattern";
    }
    return "key";
}

} // namespace

InvalidationBus::InvalidationBus(RedisEndpoint endpoint, std::string channel, std::string instance,
                                 Apply apply)
    : endpoint_(std::move(endpoint))
    , channel_(std::move(channel))
    , ackChannel_(channel_ + ":ack")
    , instance_(std::move(instance))
    , apply_(std::move(apply)) {}

InvalidationBus::~InvalidationBus() {
    stop();
}

void InvalidationBus::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable())
        return;
    stopping_ = false;
    thread_ = std::thread([this] { listen(); });
}

void InvalidationBus::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable())
        thread_.join();
    subscribed_ = false;
}

bool InvalidationBus::sleepUnlessStopped(std::chrono::milliseconds pause) {
    std::unique_lock lock(mutex_);
    return !changed_.wait_for(lock, pause, [this] { return stopping_; });
}

void InvalidationBus::listen() {
    std::chrono::milliseconds retry = kFirstRetry;
    for (;;) {
        const auto began = std::chrono::steady_clock::now();
        if (!listenOnce())
            return;
        // A connection that lived a while earns a quick reconnect; one that failed at once
        // backs off, so a Redis that is down costs a connect attempt every few seconds.
        if (std::chrono::steady_clock::now() - began > kLongestRetry)
            retry = kFirstRetry;
        if (!sleepUnlessStopped(retry))
            return;
        retry = std::min(retry * 2, kLongestRetry);
    }
}

bool InvalidationBus::listenOnce() {
    RedisConnection connection(endpoint_);
    if (!connection.ok())
        return true;
    connection.setTimeout(kListenerRead);
    if (!connection.send({"SUBSCRIBE", channel_, ackChannel_}))
        return true;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return false;
        }
        RedisReply reply = connection.readReply();
        if (!reply.ok()) {
            if (reply.error() == "timeout" && connection.ok())
                continue;
            subscribed_ = false;
            return true;
        }
        const redisReply* r = reply.get();
        if (r->type != REDIS_REPLY_ARRAY || r->elements < 3)
            continue;
        const std::string kind(r->element[0]->str, r->element[0]->len);
        if (kind == "subscribe") {
            if (r->element[2]->integer >= 2)
                subscribed_ = true; // both channels
        } else if (kind == "message" && r->element[1]->type == REDIS_REPLY_STRING &&
                   r->element[2]->type == REDIS_REPLY_STRING) {
            onMessage(std::string(r->element[1]->str, r->element[1]->len),
                      std::string(r->element[2]->str, r->element[2]->len));
        }
    }
}

void InvalidationBus::onMessage(const std::string& channel, const std::string& payload) {
    const json message = json::parse(payload, nullptr, false);
    if (!message.is_object())
        return; // not ours (someone else's message on the channel): ignore, never crash
    if (channel == channel_)
        applyInvalidation(message);
    else if (channel == ackChannel_)
        recordAck(message);
}

void InvalidationBus::applyInvalidation(const json& message) {
    const std::string id = message.value("id", "");
    std::size_t removed = 0;
    try {
        KeySelection selection =
            KeySelection::parse(message.value("match", ""), message.value("value", ""));
        removed = apply_(selection);
    } catch (const std::exception&) {
        return; // a malformed selection removes nothing and is not acknowledged
    }
    {
        std::lock_guard lock(mutex_);
        ++received_;
        last_ = {{"id", id},
                 {"match", message.value("match", "")},
                 {"value", message.value("value", "")},
                 {"removed", removed},
                 {"from", message.value("from", "")}};
    }
    std::string error;
    publish(ackChannel_, json{{"id", id}, {"instance", instance_}, {"removed", removed}}.dump(),
            error);
}

void InvalidationBus::recordAck(const json& message) {
    const std::string id = message.value("id", "");
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(id);
        if (it == pending_.end())
            return; // another instance's broadcast, or one that gave up waiting
        it->second.acked.push_back(
            {message.value("instance", ""), message.value("removed", std::uint64_t{0})});
        it->second.lastAck = std::chrono::steady_clock::now();
    }
    changed_.notify_all();
}

long long InvalidationBus::publish(const std::string& channel, const std::string& payload,
                                   std::string& error) {
    std::lock_guard lock(publisherMutex_);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!publisher_ || !publisher_->ok())
            publisher_ = std::make_unique<RedisConnection>(endpoint_);
        RedisReply reply = publisher_->command({"PUBLISH", channel, payload});
        if (reply.ok())
            return reply.integer(-1);
        error = reply.error();
        if (publisher_->ok())
            break; // Redis answered with an error: another attempt would too
    }
    return -1;
}

InvalidationBus::Broadcast InvalidationBus::broadcast(const KeySelection& selection,
                                                      std::chrono::milliseconds wait) {
    Broadcast result;
    result.id = newId("i-");
    {
        std::lock_guard lock(mutex_);
        pending_[result.id] = {};
    }
    const json message = {{"id", result.id},
                          {"match", matchName(selection.match)},
                          {"value", selection.value},
                          {"from", instance_}};
    const auto published = std::chrono::steady_clock::now();
    result.receivers = publish(channel_, message.dump(), result.error);

    std::unique_lock lock(mutex_);
    Pending& pending = pending_[result.id];
    pending.receivers = result.receivers;
    if (result.receivers > 0 && wait.count() > 0)
        changed_.wait_for(lock, wait, [&] {
            return stopping_ || static_cast<long long>(pending.acked.size()) >= result.receivers;
        });
    result.acked = pending.acked;
    if (!pending.acked.empty())
        result.ackMs =
            std::chrono::duration<double, std::milli>(pending.lastAck - published).count();
    pending_.erase(result.id);
    return result;
}

json InvalidationBus::status() const {
    std::lock_guard lock(mutex_);
    return {{"channel", channel_},
            {"subscribed", subscribed_.load()},
            {"received", received_},
            {"last", last_}};
}

} // namespace switchboard
