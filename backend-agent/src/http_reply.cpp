#include "http_reply.h"

#include "switchboard/protocol.h"

#include <civetweb.h>

namespace switchboard {

namespace field = protocol::field;

void sendBody(mg_connection* conn, int status, std::string_view contentType,
              std::string_view body) {
    std::string type(contentType), length = std::to_string(body.size());
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", type.c_str(), -1);
    mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    mg_response_header_send(conn);
    mg_write(conn, body.data(), body.size());
}

void sendJson(mg_connection* conn, int status, const nlohmann::json& document) {
    sendBody(conn, status, "application/json", document.dump());
}

void sendError(mg_connection* conn, int status, std::string_view reason, std::string_view message) {
    sendJson(conn, status,
             {{"error",
               {{field::kCode, status}, {field::kReason, reason}, {field::kMessage, message}}}});
}

} // namespace switchboard
