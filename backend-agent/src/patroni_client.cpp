// PatroniClient: one libcurl easy handle per request (requests come from the probe thread and
// from drills at once; a handle per call needs no locking and costs little next to a round trip).
#include "ha_monitor.h"

#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <string_view>

namespace switchboard {

namespace {

// curl_global_init is not thread-safe and must precede every easy handle in the process: do it
// once, whichever thread asks Patroni first.
void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// Joins a REST base ("http://h:8008" or "http://h:8008/") and a path ("/cluster").
std::string joinUrl(const std::string& baseUrl, const std::string& path) {
    std::string url = baseUrl;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    if (!path.empty() && path.front() != '/')
        url += '/';
    return url + path;
}

PatroniReply perform(const std::string& url, const char* method, const std::string* body,
                     int timeoutMs) {
    PatroniReply reply;
    initCurlOnce();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(),
                                                               &curl_easy_cleanup);
    if (!handle) {
        reply.error = "curl_easy_init failed";
        return reply;
    }
    CURL* curl = handle.get();
    char errorText[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http");
    // Patroni is on the cluster's own network: an http_proxy in the host's environment must not
    // route the probe elsewhere.
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    // No SIGALRM for DNS timeouts: the host backend owns its signals, and we run on threads.
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeoutMs));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeoutMs));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorText);
    if (std::string_view(method) != "GET")
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                        &curl_slist_free_all);
    if (body) {
        headers.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    }

    const CURLcode result = curl_easy_perform(curl);
    if (result != CURLE_OK) {
        reply.error = method + std::string(" ") + url + ": " +
                      (errorText[0] ? errorText : curl_easy_strerror(result));
        reply.body.clear();
        return reply;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    reply.status = static_cast<int>(status);
    // Patroni answers some requests (a switchover's 200) in plain text: json stays null then.
    reply.json = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (reply.json.is_discarded())
        reply.json = nullptr;
    return reply;
}

} // namespace

PatroniClient::PatroniClient(int timeoutMs)
    : timeoutMs_(timeoutMs > 0 ? timeoutMs : 2000) {}

PatroniReply PatroniClient::get(const std::string& baseUrl, const std::string& path) const {
    return perform(joinUrl(baseUrl, path), "GET", nullptr, timeoutMs_);
}

PatroniReply PatroniClient::post(const std::string& baseUrl, const std::string& path,
                                 const nlohmann::json& body) const {
    const std::string text = body.dump();
    return perform(joinUrl(baseUrl, path), "POST", &text, timeoutMs_);
}

PatroniReply PatroniClient::patch(const std::string& baseUrl, const std::string& path,
                                  const nlohmann::json& body) const {
    const std::string text = body.dump();
    return perform(joinUrl(baseUrl, path), "PATCH", &text, timeoutMs_);
}

} // namespace switchboard
