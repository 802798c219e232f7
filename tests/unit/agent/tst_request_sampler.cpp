// Request rates from route counters: per route and in total, measured from the agent's start,
// published every tick (the stream's heartbeat) even when nothing happened.
#include "request_sampler.h"
#include "stream_hub.h"

#include <QTest>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>

using nlohmann::json;
using switchboard::RequestSampler;
using switchboard::StreamHub;

class TestRequestSampler : public QObject {
    Q_OBJECT

    struct Rig {
        prometheus::Registry registry;
        StreamHub hub{{{"instance", "i"}}, 64, "s", [] {
                          return 0;
                      }};
        RequestSampler sampler{hub, registry, 1000};
        json requests() { return hub.snapshot()["requests"]; }
    };

    static json routeOf(const json& requests, const std::string& name) {
        for (const auto& route : requests["routes"])
            if (route["route"] == name)
                return route;
        return {};
    }

private slots:
    void ratesAreMeasuredFromTheStart() {
        Rig rig;
        auto& reads = rig.sampler.route("reads");
        for (int i = 0; i < 10; ++i)
            reads.record(true, 0.001); // before the start: not part of any rate
        rig.sampler.prime(10'000);
        for (int i = 0; i < 30; ++i)
            reads.record(i % 10 != 0, 0.001);
        auto& writes = rig.sampler.route("writes"); // a route that appears after the start
        for (int i = 0; i < 4; ++i)
            writes.record(true, 0.002);
        rig.sampler.sample(12'000); // two seconds later

        json requests = rig.requests();
        QCOMPARE(routeOf(requests, "reads")["rate_per_s"].get<double>(), 15.0);
        QCOMPARE(routeOf(requests, "reads")["total"].get<int>(), 40);
        QCOMPARE(routeOf(requests, "reads")["errors"].get<int>(), 3);
        QCOMPARE(routeOf(requests, "writes")["rate_per_s"].get<double>(), 2.0);
        QCOMPARE(requests["rate_per_s"].get<double>(), 17.0);
        QCOMPARE(requests["total"].get<int>(), 44);
        QCOMPARE(requests["interval_ms"].get<int>(), 1000);
    }

    void idleTicksStillPublish() {
        Rig rig;
        rig.sampler.route("reads").record(true, 0.001);
        rig.sampler.prime(0);
        rig.sampler.sample(1000);
        rig.sampler.sample(2000);
        QCOMPARE(rig.hub.snapshot()["revision"].get<int>(), 2);
        QCOMPARE(rig.requests()["rate_per_s"].get<double>(), 0.0);
    }

    void withoutABaselineThereIsNoRateYet() {
        Rig rig;
        rig.sampler.route("reads").record(true, 0.001);
        rig.sampler.sample(5000);
        QCOMPARE(rig.requests()["rate_per_s"].get<double>(), 0.0);
        QCOMPARE(rig.requests()["total"].get<int>(), 1);
    }

    void latencyPercentilesPerIntervalOverallAndPerRoute() {
        Rig rig;
        auto& reads = rig.sampler.route("reads");
        auto& writes = rig.sampler.route("writes");
        reads.record(true, 5.0); // before the start: in no interval
        rig.sampler.prime(10'000);
        for (int i = 1; i <= 100; ++i)
            reads.record(true, i / 1000.0); // 1..100 ms
        writes.record(false, 0.250);        // failures count too
        rig.sampler.sample(11'000);

        json requests = rig.requests();
        json readLatency = routeOf(requests, "reads")["latency_ms"];
        QCOMPARE(readLatency["count"].get<int>(), 100);
        QVERIFY(std::abs(readLatency["p50"].get<double>() - 50) <= 50 * 0.032);
        QVERIFY(std::abs(readLatency["p95"].get<double>() - 95) <= 95 * 0.032);
        QVERIFY(std::abs(readLatency["p99"].get<double>() - 99) <= 99 * 0.032);
        QVERIFY(std::abs(readLatency["max"].get<double>() - 100) <= 0.001); // not the 5 s
        json overall = requests["latency_ms"];
        QCOMPARE(overall["count"].get<int>(), 101);
        QVERIFY(std::abs(overall["max"].get<double>() - 250) <= 0.001);
        QVERIFY(overall["p99"].get<double>() <= overall["max"].get<double>());

        rig.sampler.sample(12'000); // an interval without requests: null, not zeros
        QVERIFY(rig.requests()["latency_ms"].is_null());
        QVERIFY(routeOf(rig.requests(), "reads")["latency_ms"].is_null());
    }

    void countsReachTheRegistry() {
        Rig rig;
        auto& reads = rig.sampler.route("reads");
        QCOMPARE(&rig.sampler.route("reads"), &reads); // one handle per route
        reads.record(true, 0.003);
        reads.record(false, 0.2);
        std::ostringstream text;
        prometheus::TextSerializer().Serialize(text, rig.registry.Collect());
        QVERIFY(text.str().find(R"(switchboard_requests_total{outcome="ok",route="reads"} 1)") !=
                std::string::npos);
        QVERIFY(text.str().find(R"(switchboard_requests_total{outcome="error",route="reads"} 1)") !=
                std::string::npos);
        QVERIFY(text.str().find(R"(switchboard_request_duration_seconds_count{route="reads"} 2)") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestRequestSampler)
#include "tst_request_sampler.moc"
