#include "postgres_probe.h"

#include "pg_conninfo.h"

#include <chrono>
#include <pqxx/pqxx>
#include <regex>
#include <sys/socket.h>

namespace switchboard {

std::string postgresTarget(const std::string& conninfo) {
    std::smatch host, port;
    static const std::regex hostPattern(R"((?:^|\s)host\s*=\s*([^\s]+))");
    static const std::regex portPattern(R"((?:^|\s)port\s*=\s*(\d+))");
    std::string target = std::regex_search(conninfo, host, hostPattern) ? host[1].str() : "local";
    if (std::regex_search(conninfo, port, portPattern))
        target += ":" + port[1].str();
    return target;
}

PostgresProbe::PostgresProbe(std::string name, std::string conninfo, int timeoutMs)
    : name_(std::move(name))
    , target_(postgresTarget(conninfo))
    , timeoutMs_(timeoutMs) {
    // libpq counts connect_timeout in whole seconds (at least 2); the statement timeout is the
    // server's side; abort() covers a server that stops answering altogether.
    conninfo_ = probeConninfo(conninfo, timeoutMs);
}

struct PostgresProbe::Connection {
    explicit Connection(const std::string& conninfo)
        : db(conninfo) {}
    pqxx::connection db;
};

PostgresProbe::~PostgresProbe() = default;

ProbeResult PostgresProbe::check() noexcept {
    ProbeResult result;
    auto started = std::chrono::steady_clock::now();
    try {
        if (!connection_ || !connection_->db.is_open()) {
            dropConnection();
            connection_ = std::make_unique<Connection>(conninfo_);
        }
        setSocket(connection_->db.sock());
        pqxx::nontransaction tx(connection_->db);
        pqxx::row row = tx.exec1("SELECT pg_is_in_recovery(), current_setting('server_version')");
        result.latencyMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        result.status = protocol::ProbeStatus::Up;
        result.detail = {{"in_recovery", row[0].as<bool>()},
                         {"server_version", row[1].as<std::string>()}};
    } catch (const std::exception& error) {
        result.status = protocol::ProbeStatus::Down;
        result.error = pgErrorText(error);
        dropConnection(); // reconnect on the next check
    } catch (...) {
        result.status = protocol::ProbeStatus::Down;
        result.error = "unknown error";
        dropConnection();
    }
    setSocket(-1);
    return result;
}

void PostgresProbe::setSocket(int fd) noexcept {
    std::lock_guard lock(socketMutex_);
    socket_ = fd;
}

void PostgresProbe::dropConnection() noexcept {
    setSocket(-1); // before the descriptor closes and its number can be reused
    connection_.reset();
}

void PostgresProbe::abort() noexcept {
    // libpq waits in poll() with no timeout of its own; shutting the socket down wakes it with
    // an error, and check() then reconnects.
    std::lock_guard lock(socketMutex_);
    if (socket_ >= 0)
        ::shutdown(socket_, SHUT_RDWR);
}

} // namespace switchboard
