// What one replication probe cycle costs, against a real primary and streaming replica started
// by scripts/stack (tests/support/LocalStack): the wall time of ReplicationProbe::check() (a
// fresh connection to the primary and to each replica, four queries, all with timeouts) and
// the CPU the calling thread spends on it. The agent runs one cycle per probe_interval_ms
// (default 1000 ms) on its own thread; the figures say what share of that it takes.
//
//   bench_replication_probe [cycles]      (default 100)
#include "LocalStack.h"
#include "replication_probe.h"

#include <QCoreApplication>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

double threadCpuMs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    auto index = static_cast<std::size_t>(p * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

std::string conninfo(const LocalStack& stack, const char* server) {
    return stack.server(QString::fromLatin1(server))
        .value(QStringLiteral("conninfo"))
        .toString()
        .toStdString();
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const int cycles = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    LocalStack stack;
    if (!stack.ok()) {
        std::fprintf(stderr, "the local stack did not start: %s\n", qPrintable(stack.error()));
        return 1;
    }
    switchboard::ReplicationProbe probe(conninfo(stack, "pg-primary"),
                                        {{"pg-replica-1", conninfo(stack, "pg-replica-1")}}, 2000);
    for (int i = 0; i < 3; ++i) // warm the servers' caches and the catalog lookups
        probe.check();
    std::vector<double> wallMs, cpuMs;
    int failures = 0;
    for (int i = 0; i < cycles; ++i) {
        double cpuBefore = threadCpuMs();
        auto started = std::chrono::steady_clock::now();
        switchboard::ReplicationReport report = probe.check();
        wallMs.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count());
        cpuMs.push_back(threadCpuMs() - cpuBefore);
        bool up = report.primary.status == switchboard::protocol::ProbeStatus::Up &&
                  !report.replicas.empty() &&
                  report.replicas.front().status == switchboard::protocol::ProbeStatus::Up;
        failures += up ? 0 : 1;
    }
    double cpuMean = 0;
    for (double ms : cpuMs)
        cpuMean += ms / double(cpuMs.size());
    std::printf("replication probe cycle, %d cycles (primary + 1 replica, fresh connections):\n",
                cycles);
    std::printf("  wall ms: median %.2f  p90 %.2f  p99 %.2f  max %.2f\n", percentile(wallMs, 0.5),
                percentile(wallMs, 0.9), percentile(wallMs, 0.99), percentile(wallMs, 1.0));
    std::printf("  calling thread CPU ms: mean %.2f  median %.2f  p99 %.2f\n", cpuMean,
                percentile(cpuMs, 0.5), percentile(cpuMs, 0.99));
    std::printf("  share of the default 1000 ms interval: wall %.1f %%, CPU %.2f %%\n",
                percentile(wallMs, 0.5) / 10.0, cpuMean / 10.0);
    if (failures) {
        std::fprintf(stderr, "%d cycles did not find the primary and its replica up\n", failures);
        return 1;
    }
    return 0;
}
