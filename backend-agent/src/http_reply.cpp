#include "http_reply.h"

#include "switchboard/protocol.h"

#include <civetweb.h>

namespace switchboard {

namespace field = protocol::field;

std::string jsonText(const nlohmann::json& document) {
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void sendBody(mg_connection* conn, int status, std::string_view contentType, std::string_view body,
              const ExtraHeaders& headers) {
    std::string type(contentType), length = std::to_string(body.size());
    if (mg_response_header_start(conn, status) != 0) {
        // civetweb refuses its header API during a WebSocket handshake, the one place the agent
        // must still answer with a status (401, 400) instead of upgrading; write the head here.
        mg_printf(conn,
                  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %s\r\n"
                  "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                  status, mg_get_response_code_text(conn, status), type.c_str(), length.c_str());
        mg_write(conn, body.data(), body.size());
        return;
    }
    mg_response_header_add(conn, "Content-Type", type.c_str(), -1);
    mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    for (const auto& [name, value] : headers)
        mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
    mg_response_header_send(conn);
    mg_write(conn, body.data(), body.size());
}

void sendJson(mg_connection* conn, int status, const nlohmann::json& document,
              const ExtraHeaders& headers) {
    sendBody(conn, status, "application/json", jsonText(document), headers);
}

void sendError(mg_connection* conn, int status, std::string_view reason, std::string_view message) {
    sendJson(conn, status,
             {{"error",
               {{field::kCode, status}, {field::kReason, reason}, {field::kMessage, message}}}});
}

} // namespace switchboard
