// Writing HTTP responses on a civetweb connection: JSON documents, JSON errors, plain text.
// Every error the agent sends has the same shape (see docs/protocol.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

struct mg_connection;

namespace switchboard {

void sendBody(mg_connection* conn, int status, std::string_view contentType, std::string_view body);
void sendJson(mg_connection* conn, int status, const nlohmann::json& document);
// {"error": {"code": status, "reason": reason, "message": message}}
void sendError(mg_connection* conn, int status, std::string_view reason, std::string_view message);

} // namespace switchboard
