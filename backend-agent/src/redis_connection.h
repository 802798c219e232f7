// One synchronous connection to Redis (hiredis) with connect and command timeouts, for the
// agent's cache layer, its probe, the invalidation bus and the invalidate action.
//
// Every failure is a value: commands return a Reply that is either a redisReply or the error
// text ("timeout", "connection refused", a Redis error). After an I/O error or a timeout the
// connection is dead (hiredis cannot resynchronise the protocol) and must be replaced; ok() says
// so. Not thread-safe: one thread uses a connection at a time (the pool hands them out).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;
struct redisReply;

namespace switchboard {

struct RedisEndpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::chrono::milliseconds connectTimeout{500};
    std::chrono::milliseconds commandTimeout{500};
    std::string text() const { return host + ":" + std::to_string(port); }
};

// A reply or why there is none. A Redis error reply (e.g. WRONGTYPE) is an error too.
class RedisReply {
public:
    RedisReply() = default;
    explicit RedisReply(std::string error)
        : error_(std::move(error)) {}
    explicit RedisReply(redisReply* reply);

    bool ok() const { return reply_ != nullptr; }
    const std::string& error() const { return error_; }
    const redisReply* get() const { return reply_.get(); }
    const redisReply* operator->() const { return reply_.get(); }

    // Conveniences for the common shapes; a mismatch gives the fallback.
    long long integer(long long fallback = 0) const;
    std::string string() const; // a bulk or status string; "" otherwise (or nil)
    bool isNil() const;

private:
    struct Free {
        void operator()(redisReply* reply) const;
    };
    std::unique_ptr<redisReply, Free> reply_;
    std::string error_;
};

class RedisConnection {
public:
    // Connects at once; check ok() / error(). Never throws for a server that is down.
    explicit RedisConnection(RedisEndpoint endpoint);
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // False once connecting failed or a command hit an I/O error or a timeout.
    bool ok() const;
    const std::string& error() const { return error_; }
    const RedisEndpoint& endpoint() const { return endpoint_; }

    // One command, arguments binary-safe (no format strings, so keys need no escaping).
    RedisReply command(const std::vector<std::string_view>& arguments);
    // Sends every command, then reads every reply: one round trip for the batch. On an I/O
    // error the remaining replies are errors.
    std::vector<RedisReply> pipeline(const std::vector<std::vector<std::string_view>>& commands);

    // For SUBSCRIBE mode: sends without reading; then readReply() waits up to the command
    // timeout for the next pushed message. A read timeout there is "timeout" and, unlike for a
    // command, leaves the connection usable (nothing was half read).
    bool send(const std::vector<std::string_view>& arguments);
    RedisReply readReply();
    // The read timeout for readReply() (and commands from now on).
    void setTimeout(std::chrono::milliseconds timeout);

private:
    bool append(const std::vector<std::string_view>& arguments);
    RedisReply read(bool timeoutKillsConnection);
    void fail(const std::string& why);

    RedisEndpoint endpoint_;
    redisContext* context_ = nullptr;
    std::string error_;
    bool dead_ = false;
};

} // namespace switchboard
