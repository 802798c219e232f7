// Checks one Redis server with PING over a fresh connection, with connect and read timeouts
// (hiredis applies them to the socket, so a stopped server cannot hang the check).
#pragma once

#include "probe.h"

namespace switchboard {

class RedisProbe final : public Probe {
public:
    RedisProbe(std::string name, std::string host, int port, int timeoutMs);

    std::string name() const override { return name_; }
    std::string_view kind() const override { return protocol::probe_kind::kRedis; }
    std::string target() const override { return host_ + ":" + std::to_string(port_); }
    ProbeResult check() noexcept override;
    void abort() noexcept override {} // the socket timeouts bound every call

private:
    std::string name_;
    std::string host_;
    int port_;
    int timeoutMs_;
};

} // namespace switchboard
