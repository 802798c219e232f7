#include "flaky_dependency.h"

#include "civetweb_stop.h"

#include <array>
#include <chrono>
#include <civetweb.h>
#include <cmath>
#include <iostream>
#include <mutex>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace demo {

namespace {

using nlohmann::json;
using Knobs = FlakyDependency::Knobs;

// A knobs document is three numbers; anything much larger is not one.
constexpr std::size_t kMaxBodyBytes = 4096;

void sendJson(mg_connection* conn, int status, const json& document) {
    std::string body = document.dump();
    std::string length = std::to_string(body.size());
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    mg_response_header_send(conn);
    mg_write(conn, body.data(), body.size());
}

// The same error shape as the agent's (docs/protocol.md), so one client reads both.
void sendError(mg_connection* conn, int status, std::string_view reason, std::string_view message) {
    sendJson(conn, status,
             {{"error", {{"code", status}, {"reason", reason}, {"message", message}}}});
}

json knobsJson(const Knobs& knobs) {
    return {{"error_rate", knobs.errorRate},
            {"latency_ms", knobs.latencyMs},
            {"hot_tenant", knobs.hotTenant},
            {"catalog_keys", knobs.catalogKeys},
            {"catalog_skew", knobs.catalogSkew}};
}

// civetweb's own errors (a malformed request) as JSON too.
int jsonHttpError(mg_connection* conn, int status, const char* message) {
    sendError(conn, status, "bad_request", message ? message : "");
    return 0;
}

// The body of a request, or nothing if it is larger than `limit`.
std::optional<std::string> readBody(mg_connection* conn, std::size_t limit) {
    std::string body;
    std::array<char, 1024> chunk{};
    int got = 0;
    while ((got = mg_read(conn, chunk.data(), chunk.size())) > 0) {
        body.append(chunk.data(), static_cast<std::size_t>(got));
        if (body.size() > limit)
            return std::nullopt;
    }
    return body;
}

// What a PUT /knobs body sets: only the fields it names, so two clients setting different knobs
// at once do not undo each other.
struct KnobsUpdate {
    std::optional<double> errorRate;
    std::optional<int> latencyMs;
    std::optional<double> hotTenant;
    std::optional<int> catalogKeys;
    std::optional<double> catalogSkew;
};

// A JSON number from 0 to 1, or nothing.
std::optional<double> share(const json& value) {
    if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1))
        return std::nullopt;
    return value.get<double>();
}

// The update in a PUT /knobs body, or nothing with `error` naming what is wrong. Every field is
// checked before any is applied, so a refused request changes nothing.
std::optional<KnobsUpdate> parseKnobsUpdate(const std::string& body, std::string& error) {
    KnobsUpdate update;
    json document = json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        error = "the body must be a JSON object, e.g. {\"error_rate\": 0.5, \"latency_ms\": 300}";
        return std::nullopt;
    }
    if (document.empty()) {
        error = "nothing to set: send error_rate, latency_ms, hot_tenant, catalog_keys, "
                "catalog_skew or several";
        return std::nullopt;
    }
    for (const auto& [key, value] : document.items()) {
        if (key == "error_rate") {
            update.errorRate = share(value);
            if (!update.errorRate) {
                error = "error_rate must be a number from 0 to 1, got " + value.dump();
                return std::nullopt;
            }
        } else if (key == "hot_tenant") {
            update.hotTenant = share(value);
            if (!update.hotTenant) {
                error = "hot_tenant must be a share from 0 to 1, got " + value.dump();
                return std::nullopt;
            }
        } else if (key == "catalog_keys") {
            if (!value.is_number_integer() || value.get<double>() < 1 ||
                value.get<double>() > FlakyDependency::kMaxCatalogKeys) {
                error = "catalog_keys must be a whole number from 1 to " +
                        std::to_string(FlakyDependency::kMaxCatalogKeys) + ", got " + value.dump();
                return std::nullopt;
            }
            update.catalogKeys = value.get<int>();
        } else if (key == "catalog_skew") {
            if (!value.is_number() || !(value.get<double>() >= 0 &&
                                        value.get<double>() <= FlakyDependency::kMaxCatalogSkew)) {
                error = "catalog_skew must be a number from 0 to 3, got " + value.dump();
                return std::nullopt;
            }
            update.catalogSkew = value.get<double>();
        } else if (key == "latency_ms") {
            // Compared as a double first, so a huge integer cannot wrap into range.
            if (!value.is_number_integer() || value.get<double>() < 0 ||
                value.get<double>() > FlakyDependency::kMaxLatencyMs) {
                error = "latency_ms must be a whole number from 0 to " +
                        std::to_string(FlakyDependency::kMaxLatencyMs) + ", got " + value.dump();
                return std::nullopt;
            }
            update.latencyMs = value.get<int>();
        } else {
            error = "unknown field \"" + key +
                    "\": the knobs are error_rate, latency_ms, hot_tenant, catalog_keys and "
                    "catalog_skew";
            return std::nullopt;
        }
    }
    return update;
}

} // namespace

FlakyDependency::FlakyDependency(int port, Knobs initial)
    : errorRate_(initial.errorRate)
    , latencyMs_(initial.latencyMs)
    , hotTenant_(initial.hotTenant)
    , catalogKeys_(initial.catalogKeys)
    , catalogSkew_(initial.catalogSkew)
    , port_(port) {}

FlakyDependency::~FlakyDependency() {
    stop();
}

FlakyDependency::Knobs FlakyDependency::knobs() const {
    return {errorRate_.load(), latencyMs_.load(), hotTenant_.load(), catalogKeys_.load(),
            catalogSkew_.load()};
}

void FlakyDependency::start() {
    // Counted by civetweb, so the agent's own call does not clash with this one.
    static std::once_flag initialised;
    std::call_once(initialised, [] { mg_init_library(0); });

    std::string ports = "127.0.0.1:" + std::to_string(port_);
    const char* settings[] = {"listening_ports", ports.c_str(),
                              // a slow quote holds its thread for up to kMaxLatencyMs
                              "num_threads", "8", "request_timeout_ms", "15000",
                              // the demo's client reuses one connection per thread
                              "enable_keep_alive", "yes", "keep_alive_timeout_ms", "2000",
                              "enable_directory_listing", "no", nullptr};
    mg_callbacks callbacks{};
    callbacks.http_error = jsonHttpError;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    context_ = mg_start(&callbacks, this, settings);
    if (!context_)
        throw std::runtime_error("the pricing dependency cannot listen on " + ports +
                                 " (address in use or not available)");
    std::array<mg_server_port, 2> bound{};
    if (mg_get_server_ports(context_, static_cast<int>(bound.size()), bound.data()) > 0)
        port_ = bound[0].port;
    mg_set_request_handler(context_, "**", handleRequest, this);
}

void FlakyDependency::stop() noexcept {
    if (!context_)
        return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    switchboard::stopCivetwebPromptly(context_, port_);
    context_ = nullptr;
}

int FlakyDependency::handleRequest(mg_connection* conn, void* self) {
    try {
        static_cast<FlakyDependency*>(self)->route(conn);
    } catch (const std::exception& error) {
        sendError(conn, 500, "internal_error", error.what());
    }
    return 1; // handled: civetweb sends nothing more
}

void FlakyDependency::route(mg_connection* conn) {
    const mg_request_info* info = mg_get_request_info(conn);
    std::string_view uri = info->local_uri ? info->local_uri : "";
    std::string_view method = info->request_method ? info->request_method : "";
    auto wrongMethod = [&](std::string_view allowed) {
        sendError(conn, 405, "method_not_allowed",
                  std::string(uri) + " serves " + std::string(allowed) + " only, not " +
                      std::string(method));
    };
    if (uri == "/quote") {
        method == "GET" ? quote(conn) : wrongMethod("GET");
    } else if (uri == "/knobs") {
        if (method == "GET")
            sendJson(conn, 200, knobsJson(knobs()));
        else if (method == "PUT")
            putKnobs(conn);
        else
            wrongMethod("GET and PUT");
    } else {
        sendError(conn, 404, "not_found",
                  "no such path: " + std::string(uri) + " (there are /quote and /knobs)");
    }
}

void FlakyDependency::quote(mg_connection* conn) {
    // One engine per server thread: no lock, and no two threads share a sequence.
    thread_local std::mt19937 random(std::random_device{}());
    const Knobs now = knobs();
    if (!waitLatency(now.latencyMs)) {
        // Usually unsent: civetweb refuses writes once it is stopping. Said for the log's sake.
        sendError(conn, 503, "stopping", "the pricing dependency is stopping");
        return;
    }
    if (std::uniform_real_distribution<double>(0, 1)(random) < now.errorRate) {
        sendError(conn, 503, "unavailable",
                  "pricing is failing on purpose (error_rate " + json(now.errorRate).dump() + ")");
        return;
    }
    int item = std::uniform_int_distribution<int>(1, 500)(random);
    sendJson(conn, 200,
             {{"sku", "product-" + std::to_string(item)},
              {"price_cents", 100 + (item * 7919) % 99900},
              {"currency", "EUR"}});
}

void FlakyDependency::putKnobs(mg_connection* conn) {
    auto body = readBody(conn, kMaxBodyBytes);
    if (!body) {
        sendError(conn, 413, "payload_too_large",
                  "a knobs document is at most " + std::to_string(kMaxBodyBytes) + " bytes");
        return;
    }
    std::string error;
    auto update = parseKnobsUpdate(*body, error);
    if (!update) {
        sendError(conn, 400, "bad_request", error);
        return;
    }
    if (update->errorRate)
        errorRate_.store(*update->errorRate);
    if (update->latencyMs)
        latencyMs_.store(*update->latencyMs);
    if (update->hotTenant)
        hotTenant_.store(*update->hotTenant);
    if (update->catalogKeys)
        catalogKeys_.store(*update->catalogKeys);
    if (update->catalogSkew)
        catalogSkew_.store(*update->catalogSkew);
    const Knobs updated = knobs();
    // Said in the demo's log, so a breaker flip there can be matched to its cause.
    std::cout << "pricing dependency: error_rate " << updated.errorRate << ", latency_ms "
              << updated.latencyMs << ", hot_tenant " << updated.hotTenant << ", catalog_keys "
              << updated.catalogKeys << ", catalog_skew " << updated.catalogSkew << std::endl;
    sendJson(conn, 200, knobsJson(updated));
}

bool FlakyDependency::waitLatency(int ms) {
    std::unique_lock lock(mutex_);
    if (ms <= 0)
        return !stopping_;
    return !wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

} // namespace demo
