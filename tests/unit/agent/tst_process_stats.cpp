// The host process's CPU and memory: /proc/self/stat lines (command names with spaces and
// parentheses, short lines), CPU percent over an interval from an injected reader, -1 for what
// could not be measured, and the real /proc of this test process.
#include "process_sampler.h"
#include "process_stats.h"
#include "stream_hub.h"

#include <QTest>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <sstream>

using nlohmann::json;
using switchboard::ProcessSampler;
using switchboard::ProcessTimes;
using switchboard::StreamHub;

namespace {
// A real line (proc(5)); the command is "my (odd) app", utime 1234, stime 567, rss 8910.
const char* kLine = "4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 "
                    "0 7 0 123456 987654321 8910 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 "
                    "0 0 17 1 0 0 0 0 0\n";
} // namespace

class TestProcessStats : public QObject {
    Q_OBJECT

private slots:
    void parsesAStatLine() {
        const auto stat = switchboard::parseProcStat(kLine);
        QVERIFY(stat);
        QCOMPARE(stat->userTicks, 1234u);
        QCOMPARE(stat->systemTicks, 567u);
        QCOMPARE(stat->rssPages, 8910);
    }

    void refusesBrokenLines() {
        QVERIFY(!switchboard::parseProcStat(""));
        QVERIFY(!switchboard::parseProcStat("4242 no parenthesis S 1 2 3"));
        QVERIFY(!switchboard::parseProcStat("4242 (app) S 1 4242 4242 0 -1 4194560 9000")); // short
        QVERIFY(!switchboard::parseProcStat(
            "4242 (app) S 1 4242 4242 0 -1 4194560 9000 0 0 0 12x4 567 0 0 20 0 7 0 1 2 3"));
    }

    void readsThisProcess() {
        const ProcessTimes times = switchboard::readProcessTimes();
        QVERIFY2(times.error.empty(), times.error.c_str());
        QVERIFY(times.cpuSeconds >= 0);
        QVERIFY(times.rssBytes > 1024 * 1024); // a Qt test process is more than a megabyte
        QVERIFY(switchboard::usableCpuCount() >= 1);
    }

    void cpuPercentOverTheInterval() {
        prometheus::Registry registry;
        StreamHub hub({{"instance", "i"}}, 16, "s", [] { return 0; });
        double cpu = 10.0;
        ProcessSampler sampler(
            hub, registry, 1000,
            [&] {
                return ProcessTimes{cpu, 50'000'000, ""};
            },
            2);
        sampler.prime(10'000);
        cpu = 11.5; // 1.5 s of CPU in 2 s of wall time: 75 % of one core
        sampler.sample(12'000);
        const json process = hub.snapshot()["process"];
        QCOMPARE(process["cpu_percent"].get<double>(), 75.0);
        QCOMPARE(process["rss_bytes"].get<std::int64_t>(), 50'000'000);
        QCOMPARE(process["cpu_count"].get<int>(), 2);
        QCOMPARE(process["interval_ms"].get<int>(), 1000);

        std::ostringstream text;
        prometheus::TextSerializer().Serialize(text, registry.Collect());
        QVERIFY(text.str().find("switchboard_process_cpu_percent 75") != std::string::npos);
        QVERIFY(text.str().find("switchboard_process_resident_memory_bytes 50000000") !=
                std::string::npos);
    }

    void whatCannotBeMeasuredIsMinusOne() {
        prometheus::Registry registry;
        StreamHub hub({{"instance", "i"}}, 16, "s", [] { return 0; });
        ProcessSampler sampler(
            hub, registry, 1000,
            [] {
                return ProcessTimes{-1, -1, "no /proc here"};
            },
            1);
        sampler.prime(1000);
        sampler.sample(2000);
        const json process = hub.snapshot()["process"];
        QCOMPARE(process["cpu_percent"].get<double>(), -1.0);
        QCOMPARE(process["rss_bytes"].get<std::int64_t>(), -1);
        QCOMPARE(process["error"].get<std::string>(), std::string("no /proc here"));
    }

    void noBaselineNoPercent() {
        prometheus::Registry registry;
        StreamHub hub({{"instance", "i"}}, 16, "s", [] { return 0; });
        ProcessSampler sampler(
            hub, registry, 1000,
            [] {
                return ProcessTimes{3, 1000, ""};
            },
            1);
        sampler.sample(5000); // never primed
        QCOMPARE(hub.snapshot()["process"]["cpu_percent"].get<double>(), -1.0);
        sampler.sample(6000); // the previous sample is the baseline now
        QCOMPARE(hub.snapshot()["process"]["cpu_percent"].get<double>(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestProcessStats)
#include "tst_process_stats.moc"
