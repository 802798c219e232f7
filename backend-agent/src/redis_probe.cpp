#include "redis_probe.h"

#include <chrono>
#include <hiredis/hiredis.h>
#include <memory>

namespace switchboard {

RedisProbe::RedisProbe(std::string name, std::string host, int port, int timeoutMs)
    : name_(std::move(name))
    , host_(std::move(host))
    , port_(port)
    , timeoutMs_(timeoutMs) {}

ProbeResult RedisProbe::check() noexcept {
    ProbeResult result;
    result.status = protocol::ProbeStatus::Down;
    timeval timeout{timeoutMs_ / 1000, (timeoutMs_ % 1000) * 1000};
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<redisContext, decltype(&redisFree)> context(
        redisConnectWithTimeout(host_.c_str(), port_, timeout), &redisFree);
    if (!context) {
        result.error = "out of memory";
        return result;
    }
    if (context->err) {
        result.error = context->errstr;
        return result;
    }
    redisSetTimeout(context.get(), timeout);
    std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(
        static_cast<redisReply*>(redisCommand(context.get(), "PING")), &freeReplyObject);
    if (!reply) {
        result.error = context->errstr[0] ? context->errstr : "no reply";
        return result;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        result.error = std::string(reply->str, reply->len);
        return result;
    }
    result.latencyMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    result.status = protocol::ProbeStatus::Up;
    return result;
}

} // namespace switchboard
