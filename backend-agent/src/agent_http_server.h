// The agent's one port: /healthz, /metrics, /v1/info, /v1/snapshot, the /v1/stream WebSocket
// and the action API (action_api.h), over civetweb. Checks the bearer token and the request size
// before anything else, and answers every bad request with a JSON error (docs/protocol.md).
// Requests run on civetweb's worker threads, never on the host backend's.
#pragma once

#include "action_api.h"
#include "stream_hub.h"
#include "token_store.h"

#include <functional>
#include <string>

struct mg_context;
struct mg_connection;

namespace switchboard {

class AgentHttpServer {
public:
    struct Options {
        std::string host = "127.0.0.1";
        int port = 0;
        std::size_t maxRequestBytes = 64 * 1024;
        // A PEM file with the certificate and its key (TlsConfig): the port serves only HTTPS
        // and WSS. Empty: plain HTTP.
        std::string tlsCertificate;
    };
    struct Endpoints {
        std::function<nlohmann::json()> info;
        std::function<std::string()> metrics; // Prometheus text exposition
        ActionApi* actions = nullptr;         // /v1/plans, /v1/jobs, /v1/audit
    };

    AgentHttpServer(Options options, const TokenStore& tokens, StreamHub& hub, Endpoints endpoints);
    ~AgentHttpServer();
    AgentHttpServer(const AgentHttpServer&) = delete;
    AgentHttpServer& operator=(const AgentHttpServer&) = delete;

    // Binds and starts serving; throws std::runtime_error naming the address and civetweb's
    // reason (the port in use, a certificate it cannot load) if it cannot.
    void start();
    void stop() noexcept;
    int port() const noexcept { return boundPort_; }

private:
    struct StreamRequest;
    static int handleRequest(mg_connection* conn, void* self);
    static int handleStreamConnect(const mg_connection* conn, void* self);
    static void handleStreamReady(mg_connection* conn, void* self);
    static int handleStreamData(mg_connection* conn, int flags, char* data, std::size_t length,
                                void* self);
    static void handleStreamClose(const mg_connection* conn, void* self);

    // Size and token checks shared by every path; false when a response was already sent.
    // `caller`, when given, receives who the token names.
    bool admit(mg_connection* conn, bool needsToken, Caller* caller = nullptr);
    void route(mg_connection* conn);
    void routeAction(mg_connection* conn);

    Options options_;
    const TokenStore& tokens_;
    StreamHub& hub_;
    Endpoints endpoints_;
    mg_context* context_ = nullptr;
    int boundPort_ = 0;
};

} // namespace switchboard
