// A flaky downstream HTTP service ("pricing") that the demo serves itself on 127.0.0.1, so the
// breaker around a remote call has something real to trip on. Its error rate and latency are
// knobs changed at run time over HTTP, which is how a demo or a test makes it misbehave:
//   GET /quote  after latency_ms: 503 with probability error_rate, else 200
//               {"sku": …, "price_cents": …, "currency": "EUR"}
//   GET /knobs  200 {"error_rate": R, "latency_ms": N, "hot_tenant": S, "catalog_keys": K,
//               "catalog_skew": Z}
//   PUT /knobs  {"error_rate": 0..1, "latency_ms": 0..10000, "hot_tenant": 0..1,
//               "catalog_keys": 1..10000000, "catalog_skew": 0..3}, any of them:
//               200 with the new knobs, or 400 {"error": {"code", "reason", "message"}} naming
//               the field, and nothing changed
// hot_tenant, catalog_keys and catalog_skew are the workload's, not the dependency's (the share
// of sharded orders for one hot customer; how many catalog items the cached reads ask for, and
// how skewed towards a few): they live here so that the demo has one knobs endpoint.
// No token: it binds loopback only and stands for someone else's service, not the agent's.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

struct mg_context;
struct mg_connection;

namespace demo {

class FlakyDependency {
public:
    struct Knobs {
        double errorRate = 0;     // 0..1: the share of quotes answered 503
        int latencyMs = 0;        // 0..kMaxLatencyMs: how long every answer takes
        double hotTenant = 0;     // 0..1: the workload's share of sharded orders for customer 42
        int catalogKeys = 1000;   // 1..kMaxCatalogKeys: the cached reads' key space
        double catalogSkew = 1.0; // 0..kMaxCatalogSkew: 0 uniform, larger a hotter few
    };
    static constexpr int kMaxLatencyMs = 10000;
    static constexpr int kMaxCatalogKeys = 10000000;
    static constexpr double kMaxCatalogSkew = 3.0;

    // `port` 0 picks a free one (port() says which once started).
    FlakyDependency(int port, Knobs initial);
    ~FlakyDependency();
    FlakyDependency(const FlakyDependency&) = delete;
    FlakyDependency& operator=(const FlakyDependency&) = delete;

    // Listens on 127.0.0.1; throws std::runtime_error when the port cannot be bound.
    void start();
    // Stops serving. A request still waiting out its latency is cut short, so stopping never
    // waits for one.
    void stop() noexcept;
    int port() const { return port_; }

    // Thread-safe: each knob is an atomic, read once per request and set by PUT /knobs.
    Knobs knobs() const;

private:
    static int handleRequest(mg_connection* conn, void* self);
    void route(mg_connection* conn);
    void quote(mg_connection* conn);
    void putKnobs(mg_connection* conn);
    // Waits `ms`, or less if stop() comes first; false when stopping.
    bool waitLatency(int ms);

    std::atomic<double> errorRate_;
    std::atomic<int> latencyMs_;
    std::atomic<double> hotTenant_;
    std::atomic<int> catalogKeys_;
    std::atomic<double> catalogSkew_;
    int port_;
    mg_context* context_ = nullptr;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

} // namespace demo
