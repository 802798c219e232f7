#include "pricing_client.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace demo {

PricingClient::PricingClient(const std::string& baseUrl)
    : curl_(curl_easy_init(), &curl_easy_cleanup)
    , url_(baseUrl + "/quote") {
    if (!curl_)
        throw std::runtime_error("pricing: curl_easy_init failed");
    CURL* curl = curl_.get();
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
    // The dependency is on loopback: an http_proxy in the environment must not reroute it.
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    // Timeouts without SIGALRM, which would hit whichever of the demo's threads runs.
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &PricingClient::append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body_);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_);
}

size_t PricingClient::append(char* data, size_t size, size_t count, void* body) {
    static_cast<std::string*>(body)->append(data, size * count);
    return size * count;
}

void PricingClient::quote() {
    body_.clear();
    error_[0] = '\0';
    CURLcode result = curl_easy_perform(curl_.get());
    if (result == CURLE_OPERATION_TIMEDOUT)
        throw std::runtime_error("pricing: no answer within " + std::to_string(kTimeoutMs) + " ms");
    if (result != CURLE_OK)
        throw std::runtime_error(std::string("pricing: ") +
                                 (error_[0] ? error_ : curl_easy_strerror(result)));
    long status = 0;
    curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    auto document = nlohmann::json::parse(body_, nullptr, false);
    if (status != 200) {
        // Every status but 200 fails the call: a 5xx is the dependency failing, and a 4xx can
        // only be this client's bug, which should not pass unnoticed either.
        std::string message = "pricing: HTTP " + std::to_string(status);
        if (document.is_object() && document.contains("error") && document["error"].is_object())
            message += ": " + document["error"].value("message", std::string());
        throw std::runtime_error(message);
    }
    if (!document.is_object() || !document.contains("price_cents") ||
        !document["price_cents"].is_number())
        throw std::runtime_error("pricing: HTTP 200 without a price: " + body_.substr(0, 200));
}

} // namespace demo
