#include "redis_connection.h"

#include <cerrno>
#include <hiredis/hiredis.h>

namespace switchboard {

namespace {

timeval toTimeval(std::chrono::milliseconds ms) {
    return timeval{static_cast<time_t>(ms.count() / 1000),
                   static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

} // namespace

void RedisReply::Free::operator()(redisReply* reply) const {
    freeReplyObject(reply);
}

RedisReply::RedisReply(redisReply* reply)
    : reply_(reply) {
    if (!reply_) {
        error_ = "no reply";
    } else if (reply_->type == REDIS_REPLY_ERROR) {
        error_ = std::string(reply_->str, reply_->len);
        reply_.reset();
    }
}

long long RedisReply::integer(long long fallback) const {
    return reply_ && reply_->type == REDIS_REPLY_INTEGER ? reply_->integer : fallback;
}

std::string RedisReply::string() const {
    if (reply_ && (reply_->type == REDIS_REPLY_STRING || reply_->type == REDIS_REPLY_STATUS))
        return std::string(reply_->str, reply_->len);
    return {};
}

bool RedisReply::isNil() const {
    return reply_ && reply_->type == REDIS_REPLY_NIL;
}

RedisConnection::RedisConnection(RedisEndpoint endpoint)
    : endpoint_(std::move(endpoint)) {
    const timeval connectTimeout = toTimeval(endpoint_.connectTimeout);
    context_ = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, connectTimeout);
    if (!context_) {
        fail("out of memory");
        return;
    }
    if (context_->err) {
        fail(context_->errstr);
        return;
    }
    setTimeout(endpoint_.commandTimeout);
}

RedisConnection::~RedisConnection() {
    if (context_)
        redisFree(context_);
}

bool RedisConnection::ok() const {
    return context_ && !dead_;
}

void RedisConnection::fail(const std::string& why) {
    dead_ = true;
    error_ = why.empty() ? "connection lost" : why;
}

void RedisConnection::setTimeout(std::chrono::milliseconds timeout) {
    if (context_ && !dead_ && redisSetTimeout(context_, toTimeval(timeout)) != REDIS_OK)
        fail("cannot set the timeout");
}

bool RedisConnection::append(const std::vector<std::string_view>& arguments) {
    if (!ok())
        return false;
    std::vector<const char*> pointers;
    std::vector<size_t> lengths;
    pointers.reserve(arguments.size());
    lengths.reserve(arguments.size());
    for (std::string_view argument : arguments) {
        pointers.push_back(argument.data());
        lengths.push_back(argument.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(arguments.size()), pointers.data(),
                               lengths.data()) != REDIS_OK) {
        fail(context_->errstr);
        return false;
    }
    return true;
}

RedisReply RedisConnection::read(bool timeoutKillsConnection) {
    if (!ok())
        return RedisReply(error_.empty() ? "not connected" : error_);
    void* reply = nullptr;
    if (redisGetReply(context_, &reply) != REDIS_OK) {
        // hiredis reports a read timeout as an I/O error with EAGAIN.
        const bool timedOut = context_->err == REDIS_ERR_IO &&
                              (errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT);
        const std::string why = timedOut ? std::string("timeout") : std::string(context_->errstr);
        if (timedOut && !timeoutKillsConnection) {
            // Nothing was half read; clear the error so the context reads on.
            context_->err = 0;
            context_->errstr[0] = '\0';
            return RedisReply(why);
        }
        fail(why);
        return RedisReply(why);
    }
    return RedisReply(static_cast<redisReply*>(reply));
}

RedisReply RedisConnection::command(const std::vector<std::string_view>& arguments) {
    if (!append(arguments))
        return RedisReply(error_);
    return read(true);
}

std::vector<RedisReply>
RedisConnection::pipeline(const std::vector<std::vector<std::string_view>>& commands) {
    std::vector<RedisReply> replies;
    replies.reserve(commands.size());
    std::size_t appended = 0;
    for (const auto& arguments : commands) {
        if (!append(arguments))
            break;
        ++appended;
    }
    for (std::size_t i = 0; i < appended; ++i)
        replies.push_back(read(true));
    while (replies.size() < commands.size())
        replies.emplace_back(error_.empty() ? std::string("not sent") : error_);
    return replies;
}

bool RedisConnection::send(const std::vector<std::string_view>& arguments) {
    if (!append(arguments))
        return false;
    // Flush now: in SUBSCRIBE mode nothing else would write the buffer out.
    int done = 0;
    while (!done) {
        if (redisBufferWrite(context_, &done) != REDIS_OK) {
            fail(context_->errstr);
            return false;
        }
    }
    return true;
}

RedisReply RedisConnection::readReply() {
    return read(false);
}

} // namespace switchboard
