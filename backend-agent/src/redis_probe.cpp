#include "redis_probe.h"

#include "redis_connection.h"

#include <chrono>

namespace switchboard {

RedisProbe::RedisProbe(std::string name, std::string host, int port, int timeoutMs)
    : name_(std::move(name))
    , host_(std::move(host))
    , port_(port)
    , timeoutMs_(timeoutMs) {}

ProbeResult RedisProbe::check() noexcept {
    ProbeResult result;
    result.status = protocol::ProbeStatus::Down;
    try {
        const auto started = std::chrono::steady_clock::now();
        RedisConnection connection({host_, port_, std::chrono::milliseconds(timeoutMs_),
                                    std::chrono::milliseconds(timeoutMs_)});
        if (!connection.ok()) {
            result.error = connection.error();
            return result;
        }
        RedisReply reply = connection.command({"PING"});
        if (!reply.ok()) {
            result.error = reply.error();
            return result;
        }
        result.latencyMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        result.status = protocol::ProbeStatus::Up;
    } catch (const std::exception& error) {
        result.error = error.what(); // only allocation can fail here
    }
    return result;
}

} // namespace switchboard
