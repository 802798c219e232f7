// The demo's client of its pricing dependency (flaky_dependency.h): one libcurl easy handle
// reused call after call, so calls share one kept-alive connection as a real client's would.
// Not thread-safe: one client per thread.
#pragma once

#include <curl/curl.h>
#include <memory>
#include <string>

namespace demo {

class PricingClient {
public:
    // A call gives up connecting after this, and altogether after kTimeout: a hung dependency is
    // a failure the breaker counts, not a thread stuck for ever.
    static constexpr long kConnectTimeoutMs = 500;
    static constexpr long kTimeoutMs = 1000;

    // `baseUrl` such as http://127.0.0.1:PORT. Throws std::runtime_error if curl cannot start.
    explicit PricingClient(const std::string& baseUrl);

    // One GET /quote. Returns on a 200 with a quote; otherwise (a 5xx, a timeout, a refused
    // connection, a body that is not a quote) throws std::runtime_error saying why.
    void quote();

private:
    static size_t append(char* data, size_t size, size_t count, void* body);

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_;
    std::string url_;
    std::string body_;
    char error_[CURL_ERROR_SIZE] = {};
};

} // namespace demo
