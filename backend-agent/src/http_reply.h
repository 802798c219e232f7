// Writing HTTP responses on a civetweb connection: JSON documents, JSON errors, plain text.
// Every error the agent sends has the same shape (see docs/protocol.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct mg_connection;

namespace switchboard {

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

void sendBody(mg_connection* conn, int status, std::string_view contentType, std::string_view body,
              const ExtraHeaders& headers = {});
void sendJson(mg_connection* conn, int status, const nlohmann::json& document,
              const ExtraHeaders& headers = {});
// {"error": {"code": status, "reason": reason, "message": message}}
void sendError(mg_connection* conn, int status, std::string_view reason, std::string_view message);

} // namespace switchboard
