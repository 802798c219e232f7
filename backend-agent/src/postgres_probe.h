// Checks one PostgreSQL server: connects (with a connect timeout), runs
// `SELECT pg_is_in_recovery()` (with a statement timeout) and reports the round trip and whether
// the server is a primary or a standby. Keeps its connection between checks.
#pragma once

#include "probe.h"

#include <memory>
#include <mutex>

namespace switchboard {

class PostgresProbe final : public Probe {
public:
    PostgresProbe(std::string name, std::string conninfo, int timeoutMs);
    ~PostgresProbe() override;

    std::string name() const override { return name_; }
    std::string_view kind() const override { return protocol::probe_kind::kPostgres; }
    std::string target() const override { return target_; }
    ProbeResult check() noexcept override;
    void abort() noexcept override;

private:
    std::string name_;
    std::string conninfo_;
    std::string target_;
    int timeoutMs_;
    struct Connection; // pqxx::connection, kept out of this header
    std::unique_ptr<Connection> connection_;
    void setSocket(int fd) noexcept;
    void dropConnection() noexcept;

    std::mutex socketMutex_; // abort() must never shut down a descriptor already closed
    int socket_ = -1;        // the connection's socket while a check runs
};

// "host=H port=P ..." → "H:P", for display; the conninfo itself may hold a password.
std::string postgresTarget(const std::string& conninfo);

} // namespace switchboard
