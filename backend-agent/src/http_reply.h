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

// The JSON text the agent sends for `document`. Requests may carry bytes that are not UTF-8 (a
// percent-encoded path or query, echoed in an error message): they become U+FFFD here rather
// than make the serialisation throw, so every refusal still reaches the client as a 4xx.
std::string jsonText(const nlohmann::json& document);

void sendBody(mg_connection* conn, int status, std::string_view contentType, std::string_view body,
              const ExtraHeaders& headers = {});
void sendJson(mg_connection* conn, int status, const nlohmann::json& document,
              const ExtraHeaders& headers = {});
// {"error": {"code": status, "reason": reason, "message": message}}
void sendError(mg_connection* conn, int status, std::string_view reason, std::string_view message);

} // namespace switchboard
