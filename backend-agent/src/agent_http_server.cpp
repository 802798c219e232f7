#include "agent_http_server.h"

#include "civetweb_stop.h"
#include "civetweb_tls.h"
#include "http_reply.h"
#include "stream_query.h"
#include "switchboard/protocol.h"

#include <array>
#include <civetweb.h>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace switchboard {

namespace path = protocol::path;

// What a stream client asked for at the handshake, kept until the connection is ready.
struct AgentHttpServer::StreamRequest {
    std::optional<std::uint64_t> since;
    std::string streamId;
};

namespace {

// civetweb's own errors (a header too large, a bad request line) as JSON, like ours.
int jsonHttpError(mg_connection* conn, int status, const char* message) {
    std::string text = message ? message : "";
    // civetweb says only "Malformed message" for a request head past its limits too.
    if (status == 400 && text == "Malformed message")
        text = "malformed request, or its head is past the limits (16 KiB, 64 header lines)";
    sendError(conn, status, status == 413 ? "payload_too_large" : "bad_request", text);
    return 0;
}

} // namespace

AgentHttpServer::AgentHttpServer(Options options, const TokenStore& tokens, StreamHub& hub,
                                 Endpoints endpoints)
    : options_(std::move(options))
    , tokens_(tokens)
    , hub_(hub)
    , endpoints_(std::move(endpoints)) {}

AgentHttpServer::~AgentHttpServer() {
    stop();
}

void AgentHttpServer::start() {
    const bool tls = !options_.tlsCertificate.empty();
    if (tls)
        initialiseCivetwebTls(); // throws rather than serve TLS that could crash the host
    static std::once_flag initialised;
    std::call_once(initialised, [] { mg_init_library(0); });

    const std::string address = options_.host + ":" + std::to_string(options_.port);
    // civetweb's "s" suffix: this port speaks only TLS; plain HTTP on it is refused.
    const std::string ports = tls ? address + "s" : address;
    std::vector<const char*> settings = {"listening_ports", ports.c_str(),
                                         // one thread per request and per open stream
                                         "num_threads", "24", "request_timeout_ms", "10000",
                                         // a console that stops reading is pinged, then dropped
                                         "websocket_timeout_ms", "5000",
                                         "enable_websocket_ping_pong", "yes", "max_request_size",
                                         "16384", "enable_directory_listing", "no"};
    if (tls) {
        // "4": TLS 1.2 and later; older versions have known weaknesses.
        for (const char* setting :
             {"ssl_certificate", options_.tlsCertificate.c_str(), "ssl_protocol_version", "4"})
            settings.push_back(setting);
    }
    settings.push_back(nullptr);
    mg_callbacks callbacks{};
    callbacks.http_error = jsonHttpError;
    std::array<char, 256> reason{};
    unsigned code = 0;
    mg_error_data error{&code, reason.data(), reason.size()};
    mg_init_data init{&callbacks, this, settings.data()};
    context_ = mg_start2(&init, &error);
    if (!context_)
        throw std::runtime_error(
            "cannot listen on " + address + (tls ? " with TLS" : "") + ": " +
            (reason[0] ? std::string(reason.data()) : "address in use or not available"));

    std::array<mg_server_port, 4> bound{};
    if (mg_get_server_ports(context_, static_cast<int>(bound.size()), bound.data()) > 0)
        boundPort_ = bound[0].port;

    for (auto endpoint :
         {path::kHealthz, path::kMetrics, path::kInfo, path::kSnapshot, path::kStream})
        mg_set_request_handler(context_, std::string(endpoint).c_str(), handleRequest, this);
    // Anything else: a JSON 404 instead of civetweb's file serving.
    mg_set_request_handler(context_, "**", handleRequest, this);
    mg_set_websocket_handler(context_, std::string(path::kStream).c_str(), handleStreamConnect,
                             handleStreamReady, handleStreamData, handleStreamClose, this);
}

void AgentHttpServer::stop() noexcept {
    if (!context_)
        return;
    stopCivetwebPromptly(context_, boundPort_);
    context_ = nullptr;
}

bool AgentHttpServer::admit(mg_connection* conn, bool needsToken, Caller* caller) {
    const mg_request_info* info = mg_get_request_info(conn);
    if (info->content_length > 0 &&
        static_cast<std::size_t>(info->content_length) > options_.maxRequestBytes) {
        sendError(conn, 413, "payload_too_large",
                  "the body is " + std::to_string(info->content_length) + " bytes; the limit is " +
                      std::to_string(options_.maxRequestBytes));
        return false;
    }
    if (needsToken) {
        const char* header =
            mg_get_header(conn, std::string(protocol::kAuthorizationHeader).c_str());
        auto who = header ? tokens_.authenticate(header) : std::nullopt;
        if (!who) {
            sendError(conn, 401, "unauthorized",
                      header ? "the bearer token is not valid"
                             : "send Authorization: Bearer <token> (a token file's token)");
            return false;
        }
        if (caller)
            *caller = std::move(*who);
    }
    return true;
}

int AgentHttpServer::handleRequest(mg_connection* conn, void* self) {
    try {
        static_cast<AgentHttpServer*>(self)->route(conn);
    } catch (const std::exception& error) {
        sendError(conn, 500, "internal_error", error.what());
    }
    return 1; // handled: civetweb sends nothing more
}

void AgentHttpServer::route(mg_connection* conn) {
    const mg_request_info* info = mg_get_request_info(conn);
    std::string_view uri = info->local_uri ? info->local_uri : "";
    std::string_view method = info->request_method ? info->request_method : "";
    if (endpoints_.actions && ActionApi::serves(uri)) {
        routeAction(conn);
        return;
    }
    bool known = uri == path::kHealthz || uri == path::kMetrics || uri == path::kInfo ||
                 uri == path::kSnapshot || uri == path::kStream;
    if (!known) {
        if (admit(conn, false))
            sendError(conn, 404, "not_found", "no such path: " + std::string(uri));
        return;
    }
    if (!admit(conn, uri != path::kHealthz))
        return;
    if (method != "GET") {
        sendError(conn, 405, "method_not_allowed",
                  std::string(uri) + " serves GET only, not " + std::string(method));
        return;
    }
    if (uri == path::kHealthz)
        sendJson(conn, 200, {{"status", "ok"}});
    else if (uri == path::kMetrics)
        sendBody(conn, 200, "text/plain; version=0.0.4; charset=utf-8", endpoints_.metrics());
    else if (uri == path::kInfo)
        sendJson(conn, 200, endpoints_.info());
    else if (uri == path::kSnapshot)
        sendJson(conn, 200, hub_.snapshot());
    else
        sendError(conn, 400, "websocket_required",
                  std::string(uri) + " is a WebSocket: send an Upgrade request");
}

void AgentHttpServer::routeAction(mg_connection* conn) {
    ActionApi::Request request;
    if (!admit(conn, true, &request.caller))
        return;
    const mg_request_info* info = mg_get_request_info(conn);
    request.method = info->request_method ? info->request_method : "";
    request.path = info->local_uri ? info->local_uri : "";
    request.query = info->query_string ? info->query_string : "";
    if (const char* key = mg_get_header(conn, std::string(protocol::kIdempotencyKeyHeader).c_str()))
        request.idempotencyKey = key;
    // admit() bounded a declared length; a chunked body is bounded here as it is read.
    std::array<char, 4096> chunk{};
    for (int got; (got = mg_read(conn, chunk.data(), chunk.size())) > 0;) {
        request.body.append(chunk.data(), static_cast<std::size_t>(got));
        if (request.body.size() > options_.maxRequestBytes) {
            sendError(conn, 413, "payload_too_large",
                      "the body is over the limit of " + std::to_string(options_.maxRequestBytes) +
                          " bytes");
            return;
        }
    }
    ActionApi::Reply reply = endpoints_.actions->handle(request);
    ExtraHeaders headers;
    if (reply.replayed)
        headers.emplace_back("Idempotent-Replay", "true");
    sendJson(conn, reply.status, reply.body, headers);
}

int AgentHttpServer::handleStreamConnect(const mg_connection* constConn, void* self) {
    // civetweb hands the handshake over as const, but it has sent nothing yet: a refusal may
    // still answer with a status of its own.
    auto* conn = const_cast<mg_connection*>(constConn);
    auto* server = static_cast<AgentHttpServer*>(self);
    if (!server->admit(conn, true))
        return 1;
    const mg_request_info* info = mg_get_request_info(conn);
    auto request = std::make_unique<StreamRequest>();
    try {
        StreamQuery query = parseStreamQuery(info->query_string ? info->query_string : "");
        request->since = query.since;
        request->streamId = std::move(query.streamId);
    } catch (const std::invalid_argument& refused) {
        sendError(conn, 400, "bad_request", refused.what());
        return 1;
    }
    mg_set_user_connection_data(conn, request.release());
    return 0;
}

void AgentHttpServer::handleStreamReady(mg_connection* conn, void* self) {
    auto* server = static_cast<AgentHttpServer*>(self);
    auto* request = static_cast<StreamRequest*>(mg_get_user_connection_data(conn));
    auto sink = [conn](const std::string& message) {
        mg_lock_connection(conn);
        int written =
            mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, message.data(), message.size());
        mg_unlock_connection(conn);
        return written > 0;
    };
    try {
        server->hub_.subscribe(conn, sink, request ? request->since : std::nullopt,
                               request ? request->streamId : std::string());
    } catch (...) {
        mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, "", 0);
    }
}

int AgentHttpServer::handleStreamData(mg_connection*, int flags, char*, std::size_t, void*) {
    // Consoles only listen; keep the connection unless the peer closes it.
    return (flags & 0xf) == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE ? 0 : 1;
}

void AgentHttpServer::handleStreamClose(const mg_connection* conn, void* self) {
    static_cast<AgentHttpServer*>(self)->hub_.unsubscribe(conn);
    delete static_cast<StreamRequest*>(mg_get_user_connection_data(conn));
    mg_set_user_connection_data(conn, nullptr);
}

} // namespace switchboard
