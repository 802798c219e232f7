// Issue 9: what the console's time-series store costs for 1000 series of an hour at 1 Hz.
// Fills a TimeSeriesStore (defaults: 1 h window, 3600 points a series) with 1000 series of 3600
// points, reads the process' resident memory (VmRSS) before and after and the store's own
// accounting, then runs a second hour to show memory stays put once the rings are full. Then
// times what a chart repaint asks of the store: one 3600-point series decimated to 1000 pixel
// columns, and 100 of them (a chart with 100 lines repaints all of them).
//
//   bench_series_memory [series] [points]      (defaults 1000 3600)
// Goal: at most 200 MB for 1000 series x 1 h at 1 Hz. Exits 1 when missed.
#include "TimeSeriesStore.h"

#include <QFile>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace switchboard;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGoalMB = 200.0;

// Resident set size in bytes, from /proc/self/status (VmRSS, in kB).
double residentBytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine()) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() * 1024.0;
    }
    return 0;
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, std::size_t(p / 100.0 * values.size()))];
}

double microsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// Keys shaped like a scrape's: 20 metric names over 50 instances, three labels each.
std::vector<SeriesKey> makeKeys(int count) {
    std::vector<SeriesKey> keys;
    keys.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        keys.emplace_back(
            QStringLiteral("switchboard_metric_%1").arg(i % 20),
            QList<SeriesKey::Label>{
                {QStringLiteral("instance"), QStringLiteral("demo-%1.us-east:8080").arg(i / 20)},
                {QStringLiteral("job"), QStringLiteral("switchboard-demo")},
                {QStringLiteral("region"), QStringLiteral("us-east")}});
    }
    return keys;
}

// One hour of samples for every series, in time order as scrapes deliver them.
double fill(TimeSeriesStore& store, const std::vector<SeriesKey>& keys, qint64 startMs,
            int points) {
    const Clock::time_point start = Clock::now();
    for (int t = 0; t < points; ++t) {
        for (std::size_t s = 0; s < keys.size(); ++s) {
            const double value = 100.0 + 50.0 * std::sin(0.01 * t + double(s));
            if (store.append(keys[s], startMs + qint64(t) * 1000, value) !=
                TimeSeriesStore::AppendResult::Appended) {
                std::fprintf(stderr, "append refused at series %zu, t %d\n", s, t);
                std::exit(2);
            }
        }
    }
    return microsSince(start);
}

void printMemory(const char* when, const TimeSeriesStore& store, double rssBytes,
                 double baselineBytes) {
    std::printf("%-22s RSS %8.1f MiB (+%7.1f MiB)   store bytesUsed %7.1f MiB   "
                "bytesReserved %7.1f MiB\n",
                when, rssBytes / kMiB, (rssBytes - baselineBytes) / kMiB,
                double(store.bytesUsed()) / kMiB, double(store.bytesReserved()) / kMiB);
}

// Times `rounds` repaints that each decimate `lines` series to `columns`; per repaint, in µs.
std::vector<double> timeRepaints(const TimeSeriesStore& store, const std::vector<SeriesKey>& keys,
                                 int lines, int rounds, qint64 fromMs, qint64 toMs, int columns,
                                 std::size_t* pointsOut) {
    std::vector<double> micros;
    micros.reserve(std::size_t(rounds));
    for (int round = 0; round < rounds; ++round) {
        const Clock::time_point start = Clock::now();
        std::size_t points = 0;
        for (int line = 0; line < lines; ++line)
            points += std::size_t(
                store
                    .decimated(keys[std::size_t(line + round) % keys.size()], fromMs, toMs, columns)
                    .size());
        micros.push_back(microsSince(start));
        *pointsOut = points;
    }
    return micros;
}

} // namespace

int main(int argc, char** argv) {
    const int seriesCount = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
    const int points = argc > 2 ? std::max(2, std::atoi(argv[2])) : 3600;
    const qint64 startMs = 1'767'225'600'000; // 2026-01-01, a real epoch time

    const std::vector<SeriesKey> keys = makeKeys(seriesCount);
    const double baseline = residentBytes();
    TimeSeriesStore store(TimeSeriesStore::Limits{std::chrono::seconds(points), points},
                          qsizetype(kGoalMB * 1e6));
    std::printf("%d series x %d points (1 Hz), window %d s, cap %d points, budget %.0f MB\n",
                seriesCount, points, points, points, kGoalMB);
    printMemory("before filling", store, baseline, baseline);

    const double firstHourUs = fill(store, keys, startMs, points);
    const double afterFirst = residentBytes();
    printMemory("after the first hour", store, afterFirst, baseline);
    const double secondHourUs = fill(store, keys, startMs + qint64(points) * 1000, points);
    const double afterSecond = residentBytes();
    printMemory("after the second hour", store, afterSecond, baseline);
    const double appends = double(seriesCount) * points;
    std::printf("fill: first hour %.0f ms (%.0f ns an append), second hour %.0f ms (%.0f ns an "
                "append)\n",
                firstHourUs / 1000, firstHourUs * 1000 / appends, secondHourUs / 1000,
                secondHourUs * 1000 / appends);
    std::printf("per series: %lld bytes used, %.1f bytes a point\n",
                static_cast<long long>(store.bytesUsed(keys.front())),
                double(store.bytesUsed()) / appends);

    // The chart's view: the whole hour on 1000 pixel columns.
    const qint64 fromMs = startMs + qint64(points) * 1000;
    const qint64 toMs = fromMs + qint64(points - 1) * 1000;
    constexpr int kColumns = 1000;
    std::size_t onePoints = 0;
    std::size_t hundredPoints = 0;
    const std::vector<double> one =
        timeRepaints(store, keys, 1, 5000, fromMs, toMs, kColumns, &onePoints);
    const std::vector<double> hundred = timeRepaints(store, keys, std::min(100, seriesCount), 200,
                                                     fromMs, toMs, kColumns, &hundredPoints);
    std::printf("decimate 1 series (%d points -> %d columns, %zu points out): p50 %.1f us  "
                "p99 %.1f us\n",
                points, kColumns, onePoints, percentile(one, 50), percentile(one, 99));
    std::printf("decimate %d series (%zu points out): p50 %.0f us  p99 %.0f us\n",
                std::min(100, seriesCount), hundredPoints, percentile(hundred, 50),
                percentile(hundred, 99));

    const double rssMB = (afterSecond - baseline) / 1e6;
    const double storeMB = double(store.bytesUsed()) / 1e6;
    const bool met = std::max(rssMB, storeMB) <= kGoalMB && afterSecond <= afterFirst * 1.02;
    std::printf("goal <= %.0f MB (RSS growth %.1f MB, store %.1f MB; flat in the second hour): "
                "%s\n",
                kGoalMB, rssMB, storeMB, met ? "met" : "MISSED");
    return met ? 0 : 1;
}
